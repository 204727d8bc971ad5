package org.weir.packet.internal;

import static org.weir.testsupport.Bytes.bytes;
import static org.weir.testsupport.Bytes.concat;

/** Builds link, tunnel and IP headers around packets taken from corpus captures (for link types it lacks). */
final class Wrap {

    /** Backbone destination and source addresses of a provider backbone (802.1ah) frame. */
    static final byte[] BACKBONE = concat(mac(0x0200_0000_00B1L), mac(0x0200_0000_00B2L));
    /** An 802.1ah I-TAG: priority and flags, then the 24-bit service instance (I-SID 0x0101). */
    static final byte[] I_TAG = bytes(0x00, 0x00, 0x01, 0x01);
    /** The first four bytes of a VN-Tag (direction, pointer, virtual interfaces); the next type follows. */
    static final byte[] VN_TAG = bytes(0x80, 0x01, 0x00, 0x02);

    private Wrap() {
    }

    static byte[] u16(int v) {
        return bytes(v >>> 8, v);
    }

    static byte[] u32(int v) {
        return bytes(v >>> 24, v >>> 16, v >>> 8, v);
    }

    static byte[] mac(long m) {
        return bytes((int) (m >>> 40), (int) (m >>> 32), (int) (m >>> 24), (int) (m >>> 16), (int) (m >>> 8),
                (int) m);
    }

    static byte[] ethernet(long dst, long src, int type, byte[] payload) {
        return concat(mac(dst), mac(src), u16(type), payload);
    }

    /** An IPv4 header (valid checksum, no options) around a payload. */
    static byte[] ipv4(int src, int dst, int proto, byte[] payload) {
        int total = 20 + payload.length;
        byte[] h = bytes(0x45, 0, total >>> 8, total, 0x12, 0x34, 0x40, 0, 64, proto, 0, 0);
        h = concat(h, u32(src), u32(dst));
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((h[i] & 0xFF) << 8) | (h[i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        sum = ~sum & 0xFFFF;
        h[10] = (byte) (sum >>> 8);
        h[11] = (byte) sum;
        return concat(h, payload);
    }

    static byte[] ipv6(byte[] src, byte[] dst, int next, byte[] payload) {
        return concat(bytes(0x60, 0, 0, 0), u16(payload.length), bytes(next, 64), src, dst, payload);
    }

    /** UDP with a zero checksum (legal over IPv4: not verified). */
    static byte[] udp(int sport, int dport, byte[] payload) {
        return concat(u16(sport), u16(dport), u16(8 + payload.length), u16(0), payload);
    }

    static int v4(String dotted) {
        String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8)
                | Integer.parseInt(p[3]);
    }
}
