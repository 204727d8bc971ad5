package org.weir.session.internal;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Zeek's IRC analysis of one TCP connection, as far as conn.log shows it: {@code irc} in {@code service} once the
 * analyzer confirmed, {@code irc,ssl} when a ClientHello followed the STARTTLS reply, and nothing when a violation
 * disabled it in the connection's first 10 KiB.
 *
 * <p>As Zeek (7.2 on) reads the streams, partial connections too: lines as its {@code ContentLine} splits them (CR,
 * LF and CRLF end a line, NULs stay); a line longer than 512 bytes, or shorter than 3 after its leading spaces, is
 * passed over; IRCv3 message tags ({@code @...}) and a {@code :prefix} are taken off. What remains must be 3 bytes at
 * least, and if it begins with a digit, a three-digit numeric reply and a space; else it is a violation. The
 * originator's first line whose command (upper-cased) is one of the client commands Zeek accepts confirms. More than
 * 20 lines with a command longer than 20 bytes are a violation each. The numeric 670 (RPL_STARTTLS), from either
 * side, switches the streams to TLS.
 *
 * <p>Attached by the responder ports 6666 to 6669, or elsewhere by DPD while its buffer holds the streams: the
 * originator registers with a {@code USER} line and a {@code NICK} line next to each other (either first, any case,
 * after spaces at a line's start) and the responder sends a numeric reply at a line's start (after a
 * {@code :prefix} or not). Zeek's signatures would find the registration anywhere in the originator's first KiB; here
 * DPD looks at connections whose originator opens with a registration command ({@code CAP}, {@code PASS},
 * {@code NICK}, {@code USER}), as IRC clients do, so that other connections cost nothing. Not emulated: the
 * server-to-server signatures ({@code SERVER} lines from both sides), DCC's expected data connections, and where
 * Zeek's {@code ContentLine} cuts a line of more than 1000 bytes (such a line is passed over whole here).
 */
final class IrcAnalysis extends LineAnalysis {

    /**
     * The client commands whose line confirms (Zeek's {@code IsValidClientCommand} as its pull request shows it; the
     * commands of that list that sort before INFO could not be read and are left out).
     */
    private static final Set<String> CLIENT_COMMANDS = Set.of("INFO", "INVITE", "JOIN", "KICK", "LIST", "MOVE",
            "NAMES", "NICK", "NOTICE", "PASS", "PART", "PING", "PRIVMSG", "SERVER", "SETNAME", "TOPIC", "USER", "WHOIS",
            "WHOWAS", "STARTTLS", "PONG");
    /** The longest line read; longer ones are passed over ({@code irc_line_size_exceeded}). */
    private static final int MAX_LINE = 512;
    /** Lines with a command longer than this are invalid; more than as many of them are violations. */
    private static final int MAX_COMMAND = 20, MAX_INVALID = 20;
    /** The client's registration lines, for its DPD signatures: a USER line, a NICK line (each with an argument). */
    private static final int OTHER_LINE = 0, USER_LINE = 1, NICK_LINE = 2;

    /** One side's line splitter. */
    private final class LineSide extends ContentLineSide {
        /** The client's DPD: the registration line just before ({@link #USER_LINE}, {@link #NICK_LINE}). */
        int previous = OTHER_LINE;
        /** DPD's buffer held at most its size before the delivery being taken. */
        boolean dpdOpen;

        LineSide(boolean fromOrig) {
            super(fromOrig, MAX_LINE);
        }

        @Override
        void lineEnd(int n) {
            if (n > MAX_LINE) {
                return; // irc_line_size_exceeded
            }
            if (!port && !signaturesMatched() && dpdOpen) {
                signature(this, n);
            }
            line(fromOrig, line, n);
        }
    }

    private int invalidLines;

    /**
     * @param port attached by the responder port; otherwise DPD made it with the originator's first data, which
     *             opened with a registration command
     */
    IrcAnalysis(boolean port) {
        super(port);
    }

    @Override
    Side side(boolean fromOrig) {
        return new LineSide(fromOrig);
    }

    @Override
    String service() {
        return service("irc");
    }

    /** Whether a stream begins (after spaces) with CAP, PASS, NICK or USER (any case) and a space or a line's end. */
    static boolean opensRegistration(byte[] d, int o, int n) {
        int i = o, end = o + n;
        while (i < end && d[i] == ' ') {
            i++;
        }
        int w = i;
        while (i < end && i - w < 4 && d[i] >= 'A' && (d[i] | 0x20) <= 'z') {
            i++;
        }
        if (i == end || !(d[i] == ' ' || d[i] == '\r' || d[i] == '\n')) {
            return false;
        }
        int word = word(d, w, i - w);
        return word == CAP || word == PASS || word == NICK || word == USER;
    }

    /** The {@code n} bytes (at most 4) of a word from {@code i}, lower-cased and packed into an int. */
    private static int word(byte[] d, int i, int n) {
        int word = 0;
        for (int k = i; k < i + n; k++) {
            word = word << 8 | (d[k] | 0x20);
        }
        return word;
    }

    /** The registration commands as {@link #word} packs them. */
    private static final int CAP = 'c' << 16 | 'a' << 8 | 'p', PASS = 'p' << 24 | 'a' << 16 | 's' << 8 | 's',
            NICK = 'n' << 24 | 'i' << 16 | 'c' << 8 | 'k', USER = 'u' << 24 | 's' << 16 | 'e' << 8 | 'r';

    // ---- DPD --------------------------------------------------------------------------------------------------

    /** Notes whether DPD's buffer held at most its size before this delivery: its lines may match the signatures. */
    @Override
    void match(Side s, byte[] d, int o, int n) {
        ((LineSide) s).dpdOpen = dpdBuffering(n);
    }

    /**
     * A line of a side for its DPD signature. The originator's: {@code (|.*[\r\n]) *USER +.+[\n\r]+ *NICK +.*[\r\n]}
     * or {@code (|.*[\r\n]) *NICK +.+[\r\n]+ *USER +.+[\r\n]} (the words in any case); the responder's:
     * {@code ^(|.*[\n\r])(:[^ \n\r]+ )?[0-9][0-9][0-9] }.
     */
    private void signature(LineSide s, int n) {
        byte[] l = s.line;
        if (!s.fromOrig) {
            int i = 0;
            if (n > 0 && l[0] == ':') {
                i = 1;
                while (i < n && l[i] != ' ') {
                    i++;
                }
                i = i > 1 ? i + 1 : n; // a prefix of one byte at least, and one space
            }
            s.signature |= n - i >= 4 && isDigit(l[i]) && isDigit(l[i + 1]) && isDigit(l[i + 2]) && l[i + 3] == ' ';
        } else if (n > 0) {
            int i = 0;
            while (i < n && l[i] == ' ') {
                i++;
            }
            int kind = OTHER_LINE, rest = n - i - 4;
            if (rest >= 1 && l[i + 4] == ' ') {
                int word = word(l, i, 4);
                kind = word == USER ? USER_LINE : word == NICK ? NICK_LINE : OTHER_LINE;
            }
            if ((kind == NICK_LINE && s.previous == USER_LINE) || (kind == USER_LINE && rest >= 2
                    && s.previous == NICK_LINE)) {
                s.signature = true;
            }
            s.previous = rest >= 2 ? kind : OTHER_LINE; // the first of the two lines needs " +.+"
        }
        if (s.signature) {
            s.scanDone = true;
            attachedByDpd();
        }
    }

    // ---- lines ------------------------------------------------------------------------------------------------

    /** A line of at most {@link #MAX_LINE} bytes: Zeek's {@code IRC_Analyzer::DeliverStream}. */
    private void line(boolean fromOrig, byte[] l, int n) {
        int i = skipSpaces(l, 0, n);
        if (n - i < 3) {
            return; // irc_line_too_short
        }
        if (l[i] == '@') { // IRCv3 message tags
            int space = indexOf(l, i, n, (byte) ' ');
            if (space < 0) {
                return;
            }
            i = skipSpaces(l, space + 1, n);
        }
        if (i < n && l[i] == ':') { // the prefix
            int space = indexOf(l, i, n, (byte) ' ');
            if (space < 0) {
                return; // irc_invalid_line
            }
            i = skipSpaces(l, space + 1, n);
        }
        if (n - i < 3) {
            violation(); // line too short
            return;
        }
        if (isDigit(l[i])) {
            if (n - i < 4 || !isDigit(l[i + 1]) || !isDigit(l[i + 2]) || l[i + 3] != ' ') {
                violation(); // invalid reply number
                return;
            }
            int code = (l[i] - '0') * 100 + (l[i + 1] - '0') * 10 + (l[i + 2] - '0');
            if (code == 670) {
                startTls(); // RPL_STARTTLS
            }
            return;
        }
        int space = indexOf(l, i, n, (byte) ' ');
        int end = space < 0 ? n : space;
        if (end - i > MAX_COMMAND) {
            if (++invalidLines > MAX_INVALID) {
                violation(); // too many long lines
            }
            return;
        }
        if (fromOrig && !confirmed) {
            confirmed = CLIENT_COMMANDS.contains(upperAscii(new String(l, i, end - i, StandardCharsets.ISO_8859_1)));
        }
    }

    private static int skipSpaces(byte[] l, int i, int n) {
        while (i < n && l[i] == ' ') {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] l, int from, int n, byte b) {
        for (int i = from; i < n; i++) {
            if (l[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
