package org.weir.session.internal;

/**
 * How Zeek's DHCP analyzer judges a datagram: its binpac grammar reads the 236 bytes of the BOOTP header, the magic
 * cookie and then options up to the END option, each as its parser in Zeek's {@code dhcp-options.pac} reads it; a
 * datagram that runs out first, or whose cookie is not DHCP's, is a violation, and the analyzer confirms every other
 * message; one without a message type option (or with type 0) is also reported as a violation, before the
 * confirmation.
 *
 * <p>Zeek's option parsers read some options at a fixed size whatever length they give (an address, a lease time,
 * the message type) and others by their length (lists of addresses in whole addresses); the next option starts where
 * the parser stopped, as here. The relay agent option's sub-options are read until their lengths add up to the
 * option's (Zeek keeps that sum across the options of a flow, which matters only for a second such option).
 */
final class DhcpConfirmation {

    /** What a message is to the analyzer. */
    enum Verdict {
        /** A violation, no confirmation. */
        VIOLATION,
        /** A violation (no message type), then a confirmation. */
        VIOLATION_AND_CONFIRMATION,
        /** A confirmation. */
        CONFIRMATION
    }

    private static final int FIXED_HEADER = 236, COOKIE = 0x63825363;
    private static final int PAD = 0, END = 255, MESSAGE_TYPE = 53, CLIENT_ID = 61, CLIENT_FQDN = 81,
            RELAY_AGENT = 82;

    private DhcpConfirmation() {
    }

    /** What bytes [off, off + len) of {@code d} are to Zeek's DHCP analyzer. */
    static Verdict judge(byte[] d, int off, int len) {
        int end = off + len;
        int i = off + FIXED_HEADER;
        if (end - i < 4) {
            return Verdict.VIOLATION;
        }
        int cookie = (d[i] & 0xFF) << 24 | (d[i + 1] & 0xFF) << 16 | (d[i + 2] & 0xFF) << 8 | (d[i + 3] & 0xFF);
        i += 4;
        int type = -1;
        while (true) {
            if (i >= end) {
                return Verdict.VIOLATION; // the options end before END
            }
            int code = d[i++] & 0xFF;
            if (code == END) {
                break;
            }
            if (code == PAD) {
                continue;
            }
            if (i >= end) {
                return Verdict.VIOLATION;
            }
            int length = d[i++] & 0xFF;
            int read = valueBytes(code, length, d, i, end);
            if (read < 0 || read > end - i) {
                return Verdict.VIOLATION;
            }
            if (code == MESSAGE_TYPE && type < 0) {
                type = d[i] & 0xFF;
            }
            i += read;
        }
        if (cookie != COOKIE) {
            return Verdict.VIOLATION;
        }
        return type > 0 ? Verdict.CONFIRMATION : Verdict.VIOLATION_AND_CONFIRMATION;
    }

    /** How many bytes Zeek's parser for option {@code code} reads after the length byte; -1 when it fails. */
    private static int valueBytes(int code, int length, byte[] d, int at, int end) {
        return switch (code) {
            case 19, MESSAGE_TYPE, 116 -> 1; // forwarding, message type, auto-configure
            case 57 -> 2; // maximum message size
            case 1, 2, 28, 50, 51, 54, 58, 59 -> 4; // subnet mask, time offset, broadcast, addresses, times
            case 3, 4, 5, 6, 42, 44 -> length / 4 * 4; // lists of addresses
            case CLIENT_ID -> length >= 1 ? length : -1; // hardware type, then length - 1 bytes
            case CLIENT_FQDN -> length >= 3 ? length : -1; // flags, two rcodes, then length - 3 bytes
            case RELAY_AGENT -> relayAgentBytes(length, d, at, end);
            default -> length; // names, lists of bytes, unknown options: as long as they say
        };
    }

    private static int relayAgentBytes(int length, byte[] d, int at, int end) {
        int sum = 0, i = at;
        do {
            if (end - i < 2) {
                return -1;
            }
            int n = 2 + (d[i + 1] & 0xFF);
            sum += n;
            i += n;
        } while ((sum & 0xFF) != length);
        return i - at;
    }
}
