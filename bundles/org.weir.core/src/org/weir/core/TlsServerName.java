package org.weir.core;

/**
 * Where a TLS ClientHello names its server: the first {@code host_name} entry of its {@code server_name} extension
 * (RFC 6066). It reads a handshake record that begins with a ClientHello, as a client's first payload or a QUIC
 * client's CRYPTO data (wrapped as such a record) hold it; it reads nothing past the given bytes.
 */
public final class TlsServerName {

    private TlsServerName() {
    }

    /**
     * The name's place in {@code d}, for bytes [off, off + len) that begin with a handshake record holding a
     * ClientHello.
     *
     * @return the name's offset in the high 32 bits and its length in the low 32, or -1 when the hello names no
     *         server within these bytes
     */
    public static long find(byte[] d, int off, int len) {
        int end = off + len;
        // record: type 0x16 (handshake), version 3.x, length; handshake: type 1 (ClientHello), length
        if (len < 43 || d[off] != 0x16 || d[off + 1] != 0x03 || d[off + 5] != 0x01) {
            return -1;
        }
        int pos = off + 9 + 2 + 32; // handshake header, client_version, random
        if (pos >= end) {
            return -1;
        }
        pos += 1 + (d[pos] & 0xFF); // session id
        if (pos + 2 > end) {
            return -1;
        }
        pos += 2 + u16(d, pos); // cipher suites
        if (pos + 1 > end) {
            return -1;
        }
        pos += 1 + (d[pos] & 0xFF); // compression methods
        if (pos + 2 > end) {
            return -1;
        }
        int extEnd = Math.min(end, pos + 2 + u16(d, pos));
        pos += 2;
        while (pos + 4 <= extEnd) {
            int type = u16(d, pos), elen = u16(d, pos + 2);
            pos += 4;
            if (type == 0) { // server_name: list length, then entries of (type, length, name)
                int p = pos + 2, listEnd = Math.min(extEnd, pos + elen);
                while (p + 3 <= listEnd) {
                    int nt = d[p] & 0xFF, nl = u16(d, p + 1);
                    p += 3;
                    if (p + nl > listEnd) {
                        return -1;
                    }
                    if (nt == 0) {
                        return (long) p << 32 | nl;
                    }
                    p += nl;
                }
                return -1;
            }
            pos += elen;
        }
        return -1;
    }

    private static int u16(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }
}
