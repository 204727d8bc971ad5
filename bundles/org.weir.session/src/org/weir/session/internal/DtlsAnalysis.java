package org.weir.session.internal;

/**
 * Zeek's DTLS analysis of one UDP connection, as far as conn.log shows it: {@code dtls} in {@code service} once a
 * ClientHello (from either side) parses with a version Zeek's {@code version_ok} takes, and nothing when a
 * violation disabled the analyzer before.
 *
 * <p>Each datagram is read as Zeek's binpac grammar reads it, record after record: a record whose version is not
 * DTLS 1.0 or 1.2 swallows the rest of the datagram (before the confirmation Zeek only counts those); one whose
 * length runs past the datagram is a violation; with epoch 0, a handshake record's message is taken whole or, when
 * fragmented, gathered by fragment offset up to its length (at most {@link #MAX_HANDSHAKE} bytes); a record of an
 * unknown content type is a violation, other plaintext records and encrypted ones pass. A ClientHello is judged as
 * TLS's ({@link TlsStreamStart#clientHelloBody}, the DTLS cookie included): it confirms, or is a violation. A STUN
 * message sharing the connection is passed over, as Zeek's analyzer does. Zeek 7.2's DPD framework disables the
 * analyzer at its first violation while the connection has carried at most
 * {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes; a parse error also ends the datagram, and a ClientHello of a
 * version Zeek does not take ends the analysis ({@code SetSkip}).
 *
 * <p>Attached by the responder port (443, beside QUIC) when a datagram begins with a DTLS record, or elsewhere by
 * DPD's signature: a datagram that begins with a DTLS 1.0 or 1.2 handshake record of epoch 0 and sequence number
 * below 256 carrying a ClientHello of version DTLS 1.0 or 1.2. Not emulated: the analysis after the confirmation
 * (Zeek's violations for records of another version then, which need the negotiated version to tell DTLS 1.3's
 * unified headers apart), the eleven records of another version after which Zeek stops reading an unconfirmed
 * connection, and reassembly by record sequence numbers (fragments are placed by their offsets).
 */
final class DtlsAnalysis {

    private static final int CHANGE_CIPHER_SPEC = 20, HEARTBEAT = 24, HANDSHAKE = 22, CLIENT_HELLO = 1;
    private static final int DTLS_10 = 0xFEFF, DTLS_12 = 0xFEFD;
    /** Zeek's {@code MAX_DTLS_HANDSHAKE_RECORD}: a longer fragmented message is a violation. */
    static final int MAX_HANDSHAKE = 100_000;

    private boolean confirmed, disabled;
    /** The payload bytes of the connection before the datagram being read. */
    private long carried;
    /** The fragmented ClientHello being gathered, its length and the bytes received so far. */
    private byte[] hello;
    private int helloMessageSeq = -1;
    private int helloReceived;
    private boolean[] helloCovered;

    /** Whether a datagram begins with a DTLS 1.0 or 1.2 record (what a DTLS analyzer on the port would read). */
    static boolean recordStart(byte[] d, int o, int n) {
        return n >= 13 && dtlsVersion(TlsStreamStart.u16(d, o + 1)) && !stun(d, o, n);
    }

    /**
     * Zeek's DPD signature {@code ^\x16\xfe[\xff\xfd]\x00{7}...\x01...........\xfe[\xff\xfd]}: a handshake record of
     * DTLS 1.0 or 1.2 with epoch 0 and a sequence number below 256 whose message is a ClientHello of DTLS 1.0 or 1.2.
     */
    static boolean signature(byte[] d, int o, int n) {
        if (n < 27 || d[o] != HANDSHAKE || !dtlsVersion(TlsStreamStart.u16(d, o + 1)) || d[o + 13] != CLIENT_HELLO) {
            return false;
        }
        for (int k = 3; k < 10; k++) {
            if (d[o + k] != 0) {
                return false;
            }
        }
        return dtlsVersion(TlsStreamStart.u16(d, o + 25));
    }

    /** Zeek's {@code service} as far as this analysis gives it. */
    String service() {
        return confirmed && !disabled ? "dtls" : "";
    }

    /** Whether later datagrams can no longer change the service. */
    boolean settled() {
        return confirmed || disabled;
    }

    /**
     * One datagram, bytes [o, o + n) of {@code d}, after the connection carried {@code carried} payload bytes (both
     * directions, this datagram included).
     */
    void datagram(byte[] d, int o, int n, long carried) {
        if (settled() || stun(d, o, n)) {
            return;
        }
        this.carried = carried;
        int end = o + n;
        int i = o;
        while (i < end && !settled()) {
            if (end - i < 13) {
                violation(); // the record header runs past the datagram: a parse error ends it
                return;
            }
            int type = d[i] & 0xFF, version = TlsStreamStart.u16(d, i + 1), epoch = TlsStreamStart.u16(d, i + 3),
                    length = TlsStreamStart.u16(d, i + 11);
            if (!dtlsVersion(version)) {
                return; // not DTLS: the rest of the datagram is swallowed
            }
            int body = i + 13;
            if (length > end - body) {
                violation();
                return;
            }
            i = body + length;
            if (epoch != 0) {
                continue; // encrypted
            }
            if (type < CHANGE_CIPHER_SPEC || type > HEARTBEAT) {
                violation(); // Zeek's unknown SSL record type: the record is passed over
            } else if (type == HANDSHAKE && !handshake(d, body, length)) {
                return;
            }
        }
    }

    /** A violation: Zeek 7.2's DPD framework disables the analyzer at the first in the connection's first 10 KiB. */
    private void violation() {
        if (carried <= ZeekConfig.IGNORE_VIOLATIONS_AFTER) {
            disabled = true;
        }
    }

    /** A handshake record's content, one message or a fragment of one: whether the datagram's parse goes on. */
    private boolean handshake(byte[] d, int o, int n) {
        if (n < 12) {
            violation();
            return false;
        }
        int msgType = d[o] & 0xFF, length = u24(d, o + 1), messageSeq = TlsStreamStart.u16(d, o + 4),
                offset = u24(d, o + 6), fragmentLength = u24(d, o + 9);
        int data = o + 12, dataLength = n - 12;
        if (msgType != CLIENT_HELLO) {
            return true;
        }
        if (offset == 0 && length == fragmentLength) {
            return clientHello(d, data, dataLength);
        }
        if (length > MAX_HANDSHAKE || dataLength != fragmentLength || offset + fragmentLength > length) {
            violation();
            return true;
        }
        if (hello == null || helloMessageSeq != messageSeq || hello.length != length) {
            hello = new byte[length];
            helloCovered = new boolean[length];
            helloMessageSeq = messageSeq;
            helloReceived = 0;
        }
        System.arraycopy(d, data, hello, offset, fragmentLength);
        for (int k = offset; k < offset + fragmentLength; k++) {
            if (!helloCovered[k]) {
                helloCovered[k] = true;
                helloReceived++;
            }
        }
        if (helloReceived == length) {
            byte[] whole = hello;
            hello = null;
            helloCovered = null;
            return clientHello(whole, 0, length);
        }
        return true;
    }

    /** A whole ClientHello: it confirms, or it is a violation that ends the analysis. */
    private boolean clientHello(byte[] d, int o, int n) {
        if (TlsStreamStart.clientHelloBody(d, o, n)) {
            confirmed = true;
        } else {
            violation();
            disabled = true; // a parse error, or a version Zeek does not take (then SetSkip)
        }
        return false;
    }

    /** Drops the fragments gathered (the connection is gone). */
    void release() {
        hello = null;
        helloCovered = null;
    }

    /** A STUN message (its magic cookie), which Zeek's DTLS analyzer passes over. */
    private static boolean stun(byte[] d, int o, int n) {
        return n > 20 && d[o + 4] == 0x21 && d[o + 5] == 0x12 && d[o + 6] == (byte) 0xA4 && d[o + 7] == 0x42;
    }

    private static boolean dtlsVersion(int v) {
        return v == DTLS_10 || v == DTLS_12;
    }

    private static int u24(byte[] d, int i) {
        return (d[i] & 0xFF) << 16 | (d[i + 1] & 0xFF) << 8 | (d[i + 2] & 0xFF);
    }
}
