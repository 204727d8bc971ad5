package org.weir.session.internal;

/**
 * Zeek's syslog analysis of one UDP connection (its Spicy analyzer {@code Syslog}, attached by the responder port),
 * as far as conn.log shows it: each state is where the analysis stands, and a datagram moves it on.
 *
 * <p>Each datagram, from either side, is parsed on its own as a {@code Syslog::Message}: an optional priority (a
 * {@code <}, decimal digits, a {@code >}), then anything up to the datagram's end, an empty datagram included. One
 * that parses confirms {@code syslog}. One that begins with {@code <} not followed by digits and a {@code >} is a
 * parse error: Zeek's Spicy glue reports a violation and the analyzer reads nothing more of the connection; Zeek
 * 7.2's DPD framework takes a confirmed service back when the connection has carried at most
 * {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes.
 */
enum SyslogDatagrams {
    /** Attached, nothing confirmed yet. */
    ATTACHED,
    /** Confirmed; a violation while the connection is young still takes the service back. */
    CONFIRMED,
    /** Confirmed for good: a violation now ends the analysis but leaves the service. */
    CONFIRMED_SETTLED,
    /** Ended by a violation; no service (before its confirmation, or taken back). */
    FAILED;

    /**
     * The state after one datagram, bytes [o, o + n) of {@code d}, when the connection has carried {@code carried}
     * payload bytes (both directions, this datagram included).
     */
    SyslogDatagrams datagram(byte[] d, int o, int n, long carried) {
        if (this == CONFIRMED_SETTLED || this == FAILED) {
            return this;
        }
        boolean young = carried <= ZeekConfig.IGNORE_VIOLATIONS_AFTER;
        if (!message(d, o, n)) {
            return this == CONFIRMED && !young ? CONFIRMED_SETTLED : FAILED;
        }
        return young ? CONFIRMED : CONFIRMED_SETTLED;
    }

    /** Whether later datagrams can no longer change the service. */
    boolean settled() {
        return this == CONFIRMED_SETTLED || this == FAILED;
    }

    /** Zeek's {@code service} as far as this analysis gives it. */
    String service() {
        return this == CONFIRMED || this == CONFIRMED_SETTLED ? "syslog" : "";
    }

    /**
     * Whether bytes [o, o + n) parse as {@code Syslog::Message}: when they begin with {@code <}, digits and a
     * {@code >} must follow (any number of digits: Spicy's conversion does not check their value).
     */
    static boolean message(byte[] d, int o, int n) {
        if (n == 0 || d[o] != '<') {
            return true;
        }
        int i = o + 1, end = o + n;
        while (i < end && LineAnalysis.isDigit(d[i])) {
            i++;
        }
        return i > o + 1 && i < end && d[i] == '>';
    }
}
