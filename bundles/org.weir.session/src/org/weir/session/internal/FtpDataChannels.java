package org.weir.session.internal;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import org.weir.core.IpAddress;

/**
 * The FTP data channels announced on the table's control connections ({@link FtpAnalysis}), as Zeek's FTP script
 * keeps them: {@code ftp_data_expected} by the data connection's responder address and port, with the analyzer
 * scheduled for its originator ({@code Analyzer::schedule_analyzer}, five minutes). A new TCP connection from that
 * originator to that responder address and port is an {@code ftp-data} connection: Zeek's
 * {@code scheduled_analyzer_applied} adds the service, and no analyzer is attached by its port. The channel is
 * taken by the first connection that uses it (Zeek deletes the entry when that connection is removed).
 *
 * <p>Also the parsers of Zeek's {@code parse_ftp_port}, {@code parse_eftp_port}, {@code parse_ftp_pasv} and
 * {@code parse_ftp_epsv}. Allocates only when a channel is announced; a connection looks here only when some
 * channel to its responder port is expected.
 */
final class FtpDataChannels {

    /** The analyzer's schedule and the script table's expiry: five minutes. */
    static final long TIMEOUT_NANOS = 300 * ZeekConfig.SECOND;

    private record Responder(long hi, long lo, int port) {
    }

    private record Expected(long origHi, long origLo, long deadline) {
    }

    private final Map<Responder, Expected> expected = new HashMap<>();
    /** The responder ports of {@link #expected}. */
    private final BitSet ports = new BitSet(65536);

    /** A data channel from {@code orig} to {@code resp}:{@code port}, announced at {@code now}. */
    void expect(long origHi, long origLo, long respHi, long respLo, int port, long now) {
        expected.put(new Responder(respHi, respLo, port), new Expected(origHi, origLo, now + TIMEOUT_NANOS));
        ports.set(port);
    }

    /** Whether a new connection is an announced data channel (which it then takes). */
    boolean take(long origHi, long origLo, long respHi, long respLo, int respPort, long now) {
        if (!ports.get(respPort)) {
            return false;
        }
        Responder key = new Responder(respHi, respLo, respPort);
        Expected e = expected.get(key);
        if (e == null || e.origHi != origHi || e.origLo != origLo) {
            return false;
        }
        expected.remove(key);
        if (expected.keySet().stream().noneMatch(k -> k.port == respPort)) {
            ports.clear(respPort);
        }
        return now < e.deadline;
    }

    // ---- Zeek's parsers ---------------------------------------------------------------------------------------

    /**
     * {@code parse_ftp_port}: six decimal numbers of 0 to 255 separated by commas (each may have white space and a
     * sign before it; what follows is ignored), the address and the port's two bytes, in a text of at least 11
     * characters. Returns the port with the address in {@code address} (two longs), or -1 when not valid.
     */
    static int parsePort(String s, long[] address) {
        if (s.length() < 11) {
            return -1;
        }
        int[] b = new int[6];
        int[] at = {0};
        for (int k = 0; k < 6; k++) {
            if (k > 0) {
                if (at[0] >= s.length() || s.charAt(at[0]) != ',') {
                    return -1;
                }
                at[0]++;
            }
            long v = scanInt(s, at);
            if (v == Long.MIN_VALUE || v < 0 || v > 255) {
                return -1;
            }
            b[k] = (int) v;
        }
        IpAddress.parse(b[0] + "." + b[1] + "." + b[2] + "." + b[3], address);
        return b[4] << 8 | b[5];
    }

    /** {@code sscanf}'s {@code %d}: white space, a sign, digits; {@link Long#MIN_VALUE} when there are none. */
    private static long scanInt(String s, int[] at) {
        int i = at[0];
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long v = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = Math.min(v * 10 + (s.charAt(i) - '0'), Integer.MAX_VALUE);
            i++;
        }
        if (i == start) {
            return Long.MIN_VALUE;
        }
        at[0] = i;
        return negative ? -v : v;
    }

    /**
     * {@code parse_ftp_pasv}: the numbers after the first {@code (}, else five characters after {@code PORT}, else
     * from the digits before the first comma.
     */
    static int parsePasv(String s, long[] address) {
        if (s.isEmpty()) {
            return -1;
        }
        int i = s.indexOf('(');
        if (i >= 0) {
            i++;
        } else if ((i = s.indexOf("PORT")) >= 0) {
            i += 5;
        } else if ((i = s.indexOf(',')) >= 0) {
            while (i > 0 && Character.isDigit(s.charAt(i - 1))) {
                i--;
            }
        } else {
            return -1;
        }
        return i > s.length() ? -1 : parsePort(s.substring(i), address);
    }

    /** {@code parse_ftp_epsv}: {@link #parseEprt} of what follows the first {@code (}. */
    static int parseEpsv(String s, long[] address) {
        int i = s.indexOf('(');
        return i < 0 ? -1 : parseEprt(s.substring(i + 1), address);
    }

    /**
     * {@code parse_eftp_port} (RFC 2428's {@code |proto|address|port|} with any delimiter): an empty address is all
     * zeros, the protocol field is read but not used, and the address's validity decides as Zeek's parser lets it.
     */
    static int parseEprt(String s, long[] address) {
        address[0] = 0;
        address[1] = 0;
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= s.length()) {
            return -1;
        }
        char delimiter = s.charAt(i++);
        int[] at = {i};
        scanLong(s, at); // the protocol number: read, not used
        boolean good = at[0] < s.length() && s.charAt(at[0]) == delimiter;
        i = at[0] < s.length() ? at[0] + 1 : at[0];
        if (i < s.length() && s.charAt(i) != delimiter) {
            int end = s.indexOf(delimiter, i);
            String text = s.substring(i, end < 0 ? s.length() : end);
            long[] parsed = new long[2];
            good = convertAddress(text, parsed);
            if (good) {
                address[0] = parsed[0];
                address[1] = parsed[1];
            }
        }
        int next = s.indexOf(delimiter, i);
        long port = 0;
        if (next >= 0) {
            at[0] = next + 1;
            port = scanLong(s, at);
            if (at[0] >= s.length() || s.charAt(at[0]) != delimiter) {
                good = false;
            }
            if (port < 0 || port > 65535) {
                port = 0;
                good = false;
            }
        }
        return good ? (int) port : -1;
    }

    /** {@code strtol} in base 10: 0 and no characters taken when there are no digits. */
    private static long scanLong(String s, int[] at) {
        int before = at[0];
        long v = scanInt(s, at);
        if (v == Long.MIN_VALUE) {
            at[0] = before;
            return 0;
        }
        return v;
    }

    /** Zeek's {@code IPAddr::ConvertString}: IPv6 when the text has a colon, else four decimal numbers. */
    private static boolean convertAddress(String text, long[] address) {
        if (text.indexOf(':') >= 0) {
            try {
                IpAddress.parse(text, address);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            int[] at = {0};
            long v = scanInt(p, at);
            if (v == Long.MIN_VALUE || v < 0 || v > 255 || at[0] != p.length()) {
                return false;
            }
            b.append(b.length() == 0 ? "" : ".").append(v);
        }
        IpAddress.parse(b.toString(), address);
        return true;
    }
}
