package org.weir.session.internal;

/**
 * Zeek's syslog message over UDP (its Spicy analyzer {@code Syslog}, attached by the responder port): each datagram,
 * from either side, is parsed on its own as a {@code Syslog::Message}, an optional priority (a {@code <}, decimal
 * digits, a {@code >}) and then anything up to the datagram's end, an empty datagram included. One that parses
 * confirms {@code syslog}; one that begins with {@code <} not followed by digits and a {@code >} is a parse error,
 * after which Zeek's Spicy glue reads nothing more of the connection ({@link FlowTable} keeps the connection's state).
 */
final class SyslogMessage {

    private SyslogMessage() {
    }

    /**
     * Whether bytes [o, o + n) parse as {@code Syslog::Message}: when they begin with {@code <}, digits and a
     * {@code >} must follow (any number of digits: Spicy's conversion does not check their value).
     */
    static boolean parses(byte[] d, int o, int n) {
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
