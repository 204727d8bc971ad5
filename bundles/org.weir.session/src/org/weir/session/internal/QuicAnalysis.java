package org.weir.session.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;

import org.weir.core.TlsServerName;

/**
 * Zeek's QUIC analysis of one UDP connection, as far as conn.log shows it: {@code quic} in {@code service} once an
 * Initial packet decrypts, and {@code ssl} too once the client's ClientHello, carried in its Initial packets' CRYPTO
 * frames, confirms Zeek's SSL analyzer ({@code quic,ssl}, as Zeek logs it). The hello's server name is kept as the
 * session's {@code serverName()}: the names enricher, which reads a TCP ClientHello itself, names the responder by
 * it, since only this analysis decrypts a QUIC one.
 *
 * <p>Each datagram is read as Zeek's Spicy grammar reads it: packet after packet, a long header (first byte with the
 * fixed bit, a version it knows, connection ids, then by type: an Initial's token and length, a 0-RTT or Handshake
 * packet's length, a Retry to the datagram's end), a short header or a packet without the fixed bit ending the
 * datagram. An Initial is decrypted ({@link QuicInitialProtection}) with the keys of the client's first destination
 * connection id, a client's as soon as it comes, a server's once the client's has set that id, each side's until its
 * CRYPTO data holds its first handshake message; a Retry makes the next client Initial's id the one. Its frames
 * are read as far as Zeek reads them (padding, ping, ACK, CRYPTO, CONNECTION_CLOSE; any other type ends the
 * datagram, as its parser fails there), CRYPTO data gathered by offset. Anything that fails Zeek's parser (an
 * unknown version, a length that runs past the datagram, a packet that does not decrypt) ends the datagram.
 *
 * <p>Attached by the responder port (443) or, elsewhere, by its DPD signatures (a datagram that begins like a
 * version 1 or 2 Initial while DPD's buffer still held everything before it).
 */
final class QuicAnalysis {

    /** The most of a side's CRYPTO data gathered: Zeek's bound on the first handshake message, with its header. */
    private static final int MAX_CRYPTO = (1 << 14) + 256;
    /** Long header packet types, as version 1 numbers them (0-RTT is 1, Handshake 2). */
    private static final int INITIAL = 0, RETRY = 3;

    /** One side's CRYPTO data, from offset 0, until it holds the first handshake message. */
    private static final class CryptoStream {
        byte[] data;
        BitSet filled;
        /** The handshake message was complete (or could never be): this side's Initials are not decrypted. */
        boolean finished;

        void write(long offset, byte[] d, int o, int n) {
            if (finished || offset >= MAX_CRYPTO) {
                return;
            }
            int to = (int) Math.min(MAX_CRYPTO, offset + n);
            if (data == null) {
                data = new byte[Math.max(to, 2048)];
                filled = new BitSet();
            } else if (data.length < to) {
                data = Arrays.copyOf(data, to);
            }
            for (int i = (int) offset; i < to; i++) {
                if (!filled.get(i)) { // the first data to arrive for an offset stays
                    data[i] = d[o + i - (int) offset];
                }
            }
            filled.set((int) offset, to);
        }

        /** The first handshake message's size with its header, once its header is in; -1 before. */
        int messageSize() {
            if (filled == null || filled.nextClearBit(0) < 4) {
                return -1;
            }
            return 4 + ((data[1] & 0xFF) << 16 | (data[2] & 0xFF) << 8 | (data[3] & 0xFF));
        }

        boolean complete(int size) {
            return filled.nextClearBit(0) >= size;
        }

        void release() {
            data = null;
            filled = null;
        }
    }

    private byte[] initialDcid;
    private CryptoStream client = new CryptoStream(), server = new CryptoStream();
    private boolean quic, ssl;
    /** The server name of the client's ClientHello, once SSL confirmed it. */
    private String serverName;

    /** Zeek's {@code service} for the connection: {@code quic,ssl}, {@code quic}, or nothing. */
    String service() {
        return !quic ? "" : ssl ? "quic,ssl" : "quic";
    }

    /** The server name the client's ClientHello carries (as sent), or null. */
    String serverName() {
        return serverName;
    }

    /** Whether a datagram that begins with these bytes matches Zeek's DPD signatures for QUIC. */
    static boolean signature(byte[] d, int o, int n) {
        if (n < 5) {
            return false;
        }
        int first = d[o] & 0xF0, version = readInt(d, o + 1);
        return (first == 0xC0 && version == QuicInitialProtection.VERSION_1)
                || (first == 0xD0 && version == QuicInitialProtection.VERSION_2);
    }

    /** Whether a datagram begins with a long header packet of a version Zeek's grammar handles. */
    static boolean longHeader(byte[] d, int o, int n) {
        return n >= 7 && (d[o] & 0xC0) == 0xC0 && packetType(readInt(d, o + 1), 0) >= 0;
    }

    /** Whether later datagrams can no longer change the service. */
    boolean settled() {
        return quic && client.finished;
    }

    /** One datagram, bytes [o, o + n) of {@code d}, from the client (the originator) or from the server. */
    void datagram(boolean fromClient, byte[] d, int o, int n, QuicInitialProtection protection) {
        int end = o + n;
        int i = o;
        while (i < end) {
            int first = d[i] & 0xFF;
            if ((first & 0x40) == 0 || (first & 0x80) == 0) {
                return; // without the fixed bit: discarded; a short header: nothing Zeek reads
            }
            int next = longHeaderPacket(fromClient, d, i, end, protection);
            if (next < 0) {
                return; // Zeek's parser failed: the rest of the datagram is lost
            }
            i = next;
        }
    }

    /** A long header packet at {@code start}: where the next packet begins, or -1 when the parser fails. */
    private int longHeaderPacket(boolean fromClient, byte[] d, int start, int end, QuicInitialProtection protection) {
        if (end - start < 7) {
            return -1;
        }
        int version = readInt(d, start + 1);
        int type = packetType(version, (d[start] >> 4) & 0x3);
        if (type < 0) {
            return -1; // a version Zeek's grammar does not handle
        }
        int p = start + 5;
        int dcidLength = d[p++] & 0xFF;
        if (p + dcidLength >= end) {
            return -1;
        }
        int dcid = p;
        p += dcidLength;
        int scidLength = d[p++] & 0xFF;
        p += scidLength;
        if (p > end) {
            return -1;
        }
        if (type == RETRY) {
            // The server asks for another Initial: its next destination id sets the keys.
            initialDcid = null;
            client = new CryptoStream();
            server = new CryptoStream();
            return end;
        }
        long[] v = varint;
        if (type == INITIAL) {
            if (!readVarint(d, p, end, v) || p + v[1] + v[0] > end) {
                return -1;
            }
            p += (int) (v[1] + v[0]); // the token
        }
        if (!readVarint(d, p, end, v)) {
            return -1;
        }
        long length = v[0];
        p += (int) v[1];
        if ((type == INITIAL && length < 20) || p + length > end) {
            return -1;
        }
        int packetEnd = (int) (p + length);
        if (type == INITIAL && !initial(fromClient, d, start, dcid, dcidLength, p - start, (int) length,
                version, protection)) {
            return -1;
        }
        return packetEnd;
    }

    /** Decrypts an Initial packet and reads its frames, as far as Zeek would; false when its parser fails. */
    private boolean initial(boolean fromClient, byte[] d, int start, int dcid, int dcidLength, int pnOffset,
            int length, int version, QuicInitialProtection protection) {
        CryptoStream crypto = fromClient ? client : server;
        if (crypto.finished || (!fromClient && initialDcid == null)) {
            return true; // Zeek does not try to decrypt it
        }
        if (fromClient && initialDcid == null) {
            initialDcid = Arrays.copyOfRange(d, dcid, dcid + dcidLength);
        }
        if (!QuicInitialProtection.decryptable(version)) {
            return false;
        }
        byte[] frames = protection.open(protection.keys(version, initialDcid, fromClient), d, start, pnOffset,
                length);
        if (frames == null) {
            return false;
        }
        quic = true;
        return frames(frames, crypto, fromClient);
    }

    /** Reads decrypted frames; false where Zeek's grammar fails (an unknown frame type, a field past the end). */
    private boolean frames(byte[] f, CryptoStream crypto, boolean fromClient) {
        long[] v = varint;
        int i = 0;
        while (i < f.length) {
            int type = f[i++] & 0xFF;
            switch (type) {
                case 0x00 -> {
                    while (i < f.length && f[i] == 0) {
                        i++;
                    }
                }
                case 0x01 -> {
                }
                case 0x02, 0x03 -> {
                    int fields = 4;
                    for (int k = 0; k < fields; k++) {
                        if (!readVarint(f, i, f.length, v)) {
                            return false;
                        }
                        i += (int) v[1];
                        if (k == 2) {
                            fields += 2 * (int) Math.min(v[0], f.length); // the ACK ranges
                        }
                    }
                    if (type == 0x03) {
                        for (int k = 0; k < 3; k++) { // ECN counts
                            if (!readVarint(f, i, f.length, v)) {
                                return false;
                            }
                            i += (int) v[1];
                        }
                    }
                }
                case 0x06 -> {
                    if (!readVarint(f, i, f.length, v)) {
                        return false;
                    }
                    long offset = v[0];
                    i += (int) v[1];
                    if (!readVarint(f, i, f.length, v) || i + v[1] + v[0] > f.length) {
                        return false;
                    }
                    i += (int) v[1];
                    crypto.write(offset, f, i, (int) v[0]);
                    i += (int) v[0];
                    cryptoProgress(crypto, fromClient);
                }
                case 0x1c -> {
                    if (!readVarint(f, i, f.length, v)) { // the error code
                        return false;
                    }
                    i += (int) v[1];
                    if (i < f.length && f[i] == 0) {
                        i++; // no frame type
                    } else if (readVarint(f, i, f.length, v)) {
                        i += (int) v[1];
                    } else {
                        return false;
                    }
                    if (!readVarint(f, i, f.length, v) || i + v[1] + v[0] > f.length) {
                        return false;
                    }
                    i += (int) (v[1] + v[0]); // the reason phrase
                }
                default -> {
                    return false; // Zeek: unhandled frame type
                }
            }
        }
        return true;
    }

    /** Once a side's first handshake message is complete: the client's ClientHello is judged as Zeek's SSL does. */
    private void cryptoProgress(CryptoStream crypto, boolean fromClient) {
        int size = crypto.messageSize();
        if (size < 0) {
            return;
        }
        if (size > MAX_CRYPTO) {
            crypto.finished = true; // too long for Zeek's CRYPTO unit: nothing reaches SSL
            crypto.release();
            return;
        }
        if (!crypto.complete(size)) {
            return;
        }
        crypto.finished = true;
        if (fromClient) {
            // Zeek hands it to its SSL analyzer as a TLS 1.2 handshake record.
            byte[] record = new byte[5 + size];
            record[0] = 22;
            record[1] = 3;
            record[2] = 3;
            record[3] = (byte) (size >>> 8);
            record[4] = (byte) size;
            System.arraycopy(crypto.data, 0, record, 5, size);
            if (TlsStreamStart.clientHello(record, 0, record.length) == TlsStreamStart.CONFIRMED) {
                ssl = true;
                long at = TlsServerName.find(record, 0, record.length);
                if (at >= 0 && serverName == null) {
                    serverName = new String(record, (int) (at >>> 32), (int) at, StandardCharsets.ISO_8859_1);
                }
            }
        }
        crypto.release();
    }

    /** Zeek's packet type of a long header, by the version's numbering; -1 for a version its grammar lacks. */
    private static int packetType(int version, int bits) {
        if (version == QuicInitialProtection.VERSION_2) {
            return (bits + 3) & 0x3; // RFC 9369: Initial 1, 0-RTT 2, Handshake 3, Retry 0
        }
        boolean v1 = version == QuicInitialProtection.VERSION_1 || (version >= 0xff000016 && version <= 0xff000022)
                || version == 0xfaceb001 || version == 0xfaceb002 || version == 0xfaceb00e
                || (version >= 0xfaceb011 && version <= 0xfaceb013);
        return v1 ? bits : -1;
    }

    /** A variable-length integer's value and size (RFC 9000 section 16), reused. */
    private final long[] varint = new long[2];

    private static boolean readVarint(byte[] d, int i, int end, long[] out) {
        if (i >= end) {
            return false;
        }
        int size = 1 << ((d[i] & 0xFF) >>> 6);
        if (i + size > end) {
            return false;
        }
        long value = d[i] & 0x3F;
        for (int k = 1; k < size; k++) {
            value = value << 8 | (d[i + k] & 0xFF);
        }
        out[0] = value;
        out[1] = size;
        return true;
    }

    private static int readInt(byte[] d, int i) {
        return (d[i] & 0xFF) << 24 | (d[i + 1] & 0xFF) << 16 | (d[i + 2] & 0xFF) << 8 | (d[i + 3] & 0xFF);
    }

    /** A closed connection keeps only its service. */
    void release() {
        client.release();
        server.release();
    }
}
