package org.weir.session.internal;

import java.util.Arrays;

/**
 * What the first bytes of a TCP stream tell Zeek's SSL analysis: whether they match the halves of its DPD signatures
 * ({@code dpd_ssl_client}, {@code dpd_ssl_server}), whether the responder's first record header passes its record
 * layer's checks, and whether the originator's first handshake message is a ClientHello that its analyzer accepts,
 * which confirms the protocol.
 *
 * <p>The records are read as Zeek's {@code determine_ssl_record_layer} reads them: an SSLv2 ClientHello (length with
 * the high bit, message type 1, a version of SSL 2 to TLS 1.2), or a record of type 20 to 30 with a version of SSL 3
 * to TLS 1.2; anything else is a protocol violation. Handshake records are gathered into messages (a message may span
 * records); alerts and heartbeats before the ClientHello are passed over (if their fields fit), a ChangeCipherSpec
 * or application data ends what can be read in the clear. The ClientHello is read field by field as its binpac
 * grammar reads it (session id, DTLS cookie, cipher suites, compression methods, the extensions' length if present,
 * then extensions to the end of the message); a field that runs past the message is a violation, and the version
 * must be one Zeek's {@code version_ok} takes. Each extension's own content is not checked (Zeek's parsers for
 * server names, groups, key shares and the like fail only on extensions whose inner lengths contradict their own).
 */
final class TlsStreamStart {

    /** {@link #clientHello} results; a value of 0 or more is the number of stream bytes needed to say more. */
    static final int CONFIRMED = -1, VIOLATION = -2;

    private static final int HANDSHAKE = 22, CHANGE_CIPHER_SPEC = 20, ALERT = 21, APPLICATION_DATA = 23,
            HEARTBEAT = 24;
    private static final int CLIENT_HELLO = 1;
    private static final int DTLS_10 = 0xFEFF, DTLS_12 = 0xFEFD;

    private TlsStreamStart() {
    }

    /**
     * Reads the originator's stream from its first byte, bytes [off, off + len) of {@code d}, up to its first
     * ClientHello.
     *
     * @return {@link #CONFIRMED}, {@link #VIOLATION} (also when nothing more can be read in the clear), or how many
     *         bytes of the stream are needed before it can tell
     */
    static int clientHello(byte[] d, int off, int len) {
        int end = off + len;
        int pos = off;
        // Handshake bytes gathered from the records so far: in place while they come from one record, else copied.
        int hsOff = -1, hsLen = 0;
        byte[] hs = null;
        int msg = 0; // offset of the next handshake message in the gathered bytes
        while (true) {
            if (end - pos < 5) {
                return pos - off + 5;
            }
            int h0 = d[pos] & 0xFF, h1 = d[pos + 1] & 0xFF, h2 = d[pos + 2] & 0xFF, h3 = d[pos + 3] & 0xFF,
                    h4 = d[pos + 4] & 0xFF;
            if ((h0 & 0x80) != 0 && pos == off) {
                // Only while the record layer's version is unknown; after a TLS record it fails the checks below.
                return sslV2ClientHello(d, pos, end, h0, h1, h2, h3, h4, off);
            }
            if (!recordVersionOk(h1 << 8 | h2) || h0 < 20 || h0 > 30) {
                return VIOLATION;
            }
            int recordLength = h3 << 8 | h4;
            if (end - pos < 5 + recordLength) {
                return pos - off + 5 + recordLength;
            }
            int content = pos + 5;
            pos = content + recordLength;
            switch (h0) {
                case HANDSHAKE -> {
                    if (hsOff < 0 && hs == null) {
                        hsOff = content;
                        hsLen = recordLength;
                    } else {
                        if (hs == null) {
                            hs = new byte[hsLen + recordLength];
                            System.arraycopy(d, hsOff, hs, 0, hsLen);
                            hsOff = 0;
                        } else if (hsLen + recordLength > hs.length) {
                            hs = Arrays.copyOf(hs, hsLen + recordLength);
                        }
                        System.arraycopy(d, content, hs, hsLen, recordLength);
                        hsLen += recordLength;
                    }
                    byte[] b = hs != null ? hs : d;
                    int base = hs != null ? 0 : hsOff;
                    while (hsLen - msg >= 4) {
                        int type = b[base + msg] & 0xFF;
                        int msgLength = (b[base + msg + 1] & 0xFF) << 16 | (b[base + msg + 2] & 0xFF) << 8
                                | (b[base + msg + 3] & 0xFF);
                        if (hsLen - msg - 4 < msgLength) {
                            break; // the message continues in the next handshake record
                        }
                        if (type == CLIENT_HELLO) {
                            return clientHelloBody(b, base + msg + 4, msgLength) ? CONFIRMED : VIOLATION;
                        }
                        if (!isKnownHandshake(type)) {
                            return VIOLATION; // Zeek's unknown_handshake
                        }
                        msg += 4 + msgLength;
                    }
                }
                case ALERT -> {
                    if (recordLength % 2 != 0) {
                        return VIOLATION; // alerts are read two bytes at a time to the record's end
                    }
                }
                case HEARTBEAT -> {
                    if (recordLength > 0 && recordLength < 3) {
                        return VIOLATION; // type and payload length do not fit
                    }
                }
                case CHANGE_CIPHER_SPEC, APPLICATION_DATA -> {
                    return VIOLATION; // the originator's records are encrypted from here on
                }
                default -> {
                    return VIOLATION; // Zeek's unknown SSL record type
                }
            }
        }
    }

    /** SSLv2's record: the analyzer takes a ClientHello (type 1) of a version it knows, whose fields fit the record. */
    private static int sslV2ClientHello(byte[] d, int pos, int end, int h0, int h1, int h2, int h3, int h4, int off) {
        if (h2 != CLIENT_HELLO || !(recordVersionOk(h3 << 8 | h4) || (h3 << 8 | h4) == 0x0002)) {
            return VIOLATION;
        }
        int length = ((h0 & 0x7F) << 8 | h1) - 3;
        if (length < 6) {
            return VIOLATION;
        }
        if (end - pos < 5 + length) {
            return pos - off + 5 + length;
        }
        int c = pos + 5;
        int fields = u16(d, c) + u16(d, c + 2) + u16(d, c + 4);
        return 6 + fields <= length ? CONFIRMED : VIOLATION;
    }

    /** A ClientHello's body as the binpac grammar reads it; true when it parses and its version is accepted. */
    static boolean clientHelloBody(byte[] b, int o, int n) {
        int end = o + n;
        int i = o;
        if (end - i < 2 + 4 + 28 + 1) {
            return false;
        }
        int version = u16(b, i);
        i += 2 + 4 + 28;
        i += 1 + (b[i] & 0xFF); // session id
        if (version == DTLS_10 || version == DTLS_12) {
            if (i >= end) {
                return false;
            }
            i += 1 + (b[i] & 0xFF); // cookie
        }
        if (end - i < 2) {
            return false;
        }
        i += 2 + u16(b, i) / 2 * 2; // cipher suites: uint16[csuit_len / 2]
        if (end - i < 1) {
            return false;
        }
        i += 1 + (b[i] & 0xFF); // compression methods
        if (i > end) {
            return false;
        }
        if (i < end) {
            if (end - i < 2) {
                return false;
            }
            i += 2; // the extensions' total length: read, not used
        }
        while (i < end) {
            if (end - i < 4) {
                return false;
            }
            i += 4 + u16(b, i + 2);
        }
        return i == end && versionOk(version);
    }

    /** The handshake message types Zeek's grammar knows; any other is an unknown handshake message. */
    private static boolean isKnownHandshake(int type) {
        return type <= 4 || type >= 11 && type <= 16 || type >= 20 && type <= 22;
    }

    /** Record layer versions {@code determine_ssl_record_layer} takes: SSL 3 to TLS 1.2. */
    static boolean recordVersionOk(int v) {
        return v >= 0x0300 && v <= 0x0303;
    }

    /** Zeek's {@code version_ok}: SSL 2 and 3, TLS 1.0 to 1.2, DTLS 1.0 and 1.2. */
    private static boolean versionOk(int v) {
        return v == 0x0002 || recordVersionOk(v) || v == DTLS_10 || v == DTLS_12;
    }

    /**
     * Whether the responder's first record header (bytes [off, off + len)) passes the record layer's checks: an
     * SSLv2 ServerHello, or a record of type 20 to 30 with a version of SSL 3 to TLS 1.2. Fewer than five bytes
     * pass (the rest of the header is not judged).
     */
    static boolean responderRecordOk(byte[] d, int off, int len) {
        if (len < 5) {
            return true;
        }
        int h0 = d[off] & 0xFF;
        if ((h0 & 0x80) != 0) {
            return d[off + 2] == 4 && (d[off + 4] & 0xFF) < 2;
        }
        return recordVersionOk(u16(d, off + 1)) && h0 >= 20 && h0 <= 30;
    }

    /**
     * Whether bytes [off, off + len) match {@code dpd_ssl_client}: a TLS record with a ClientHello of SSL 3 to
     * TLS 1.2 ({@code \x16\x03[\x00-\x03]..\x01...\x03[\x00-\x03]}), or an SSLv2-style hello
     * ({@code ...?\x01[\x00\x03][\x00-\x03]}).
     */
    static boolean clientSignature(byte[] d, int off, int len) {
        if (len >= 11 && d[off] == 0x16 && d[off + 1] == 3 && low(d[off + 2]) && d[off + 5] == 1 && d[off + 9] == 3
                && low(d[off + 10])) {
            return true;
        }
        for (int p = 2; p <= 3; p++) {
            if (len >= p + 3 && d[off + p] == 1 && (d[off + p + 1] == 0 || d[off + p + 1] == 3)
                    && low(d[off + p + 2])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether bytes [off, off + len) match {@code dpd_ssl_server}: a TLS record with a ServerHello of SSL 3 to
     * TLS 1.2, possibly after an alert record ({@code (\x15\x03[\x00-\x03]....)?\x16\x03[\x00-\x03]..\x02...\x03
     * [\x00-\x03]}), or an SSLv2 ServerHello ({@code ...?\x04..\x00\x02}).
     */
    static boolean serverSignature(byte[] d, int off, int len) {
        if (serverHelloRecord(d, off, len)) {
            return true;
        }
        if (len >= 7 && d[off] == 0x15 && d[off + 1] == 3 && low(d[off + 2])
                && serverHelloRecord(d, off + 7, len - 7)) {
            return true;
        }
        for (int p = 2; p <= 3; p++) {
            if (len >= p + 5 && d[off + p] == 4 && d[off + p + 3] == 0 && d[off + p + 4] == 2) {
                return true;
            }
        }
        return false;
    }

    private static boolean serverHelloRecord(byte[] d, int off, int len) {
        return len >= 11 && d[off] == 0x16 && d[off + 1] == 3 && low(d[off + 2]) && d[off + 5] == 2
                && d[off + 9] == 3 && low(d[off + 10]);
    }

    private static boolean low(byte b) {
        return b >= 0 && b <= 3;
    }

    /** A big-endian 16-bit field (DTLS's records are read with it too). */
    static int u16(byte[] d, int i) {
        return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
    }
}
