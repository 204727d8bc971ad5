package org.weir.exchange;

import java.util.List;

import org.weir.core.LocalNetworks;
import org.weir.core.PolicyVerdict;
import org.weir.core.Session;

/**
 * How Zeek's {@code Conn::set_conn} turns a connection into conn.log values: which optional fields are set and
 * how times are printed. Shared by the TSV and JSON writers so both say the same.
 */
public final class ZeekValues {

    /** Zeek's mark for a field without a value (the header's {@code #unset_field}). */
    public static final String UNSET = "-";
    /** Between the elements of a set (the header's {@code #set_separator}). */
    public static final String SET_SEPARATOR = ",";

    private ZeekValues() {
    }

    /** A Zeek {@code bool}. */
    public static String bool(boolean value) {
        return value ? "T" : "F";
    }

    /** A Zeek set as one field: its elements joined by the set separator, unset when it is empty. */
    public static String set(List<String> elements) {
        return elements.isEmpty() ? UNSET : String.join(SET_SEPARATOR, elements);
    }

    /** Zeek logs duration and byte counts only when the duration is positive. */
    public static boolean hasDurationAndBytes(Session s) {
        return s.durationNanos() > 0;
    }

    /** Zeek's {@code service}: unset when no analyzer confirmed a protocol. */
    public static boolean hasService(Session s) {
        return s.service() != null && !s.service().isEmpty();
    }

    /**
     * Zeek's {@code history} as logged: the text, or null when it is empty (Zeek leaves the field unset). Asks the
     * session once: a session may make the text on every call.
     */
    public static String loggedHistory(Session s) {
        String history = s.history();
        return history == null || history.isEmpty() ? null : history;
    }

    public static boolean isLocalOrig(Session s, LocalNetworks local) {
        return local.isLocal(s.origHi(), s.origLo());
    }

    public static boolean isLocalResp(Session s, LocalNetworks local) {
        return local.isLocal(s.respHi(), s.respLo());
    }

    /** Appends a time in seconds with six decimals, as Zeek prints {@code time} and {@code interval} values. */
    public static void appendSeconds(StringBuilder sb, long nanos) {
        long micros = Math.floorDiv(nanos + 500, 1000);
        long seconds = Math.floorDiv(micros, 1_000_000);
        long fraction = Math.floorMod(micros, 1_000_000);
        sb.append(seconds).append('.');
        for (long d = 100_000; d > fraction && d > 1; d /= 10) {
            sb.append('0');
        }
        sb.append(fraction);
    }

    public static String seconds(long nanos) {
        StringBuilder sb = new StringBuilder(20);
        appendSeconds(sb, nanos);
        return sb.toString();
    }

    /** A link-layer address as conn.log logs it, or null when the session has none (negative). */
    public static String loggedMac(long mac) {
        return mac < 0 ? null : mac(mac);
    }

    /** The whitelist verdict as Weir's conn.log and JSON log it: {@code conforming}, {@code exception}, or null. */
    public static String verdict(Session s) {
        PolicyVerdict v = s.verdict();
        return v == null ? null : v.conforming() ? "conforming" : "exception";
    }

    /** A MAC address as Zeek prints it: lower-case, colon-separated. */
    public static String mac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        appendMac(sb, mac);
        return sb.toString();
    }

    /** Appends a MAC address as {@link #mac(long)} writes it. */
    public static void appendMac(StringBuilder sb, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
    }

    /** A double with up to six decimals, trailing zeros dropped (Zeek's ASCII writer for double values). */
    public static String decimal(double value) {
        String t = String.format(java.util.Locale.ROOT, "%.6f", value);
        int end = t.length();
        while (end > 0 && t.charAt(end - 1) == '0') {
            end--;
        }
        if (end > 0 && t.charAt(end - 1) == '.') {
            end--;
        }
        return t.substring(0, end);
    }
}
