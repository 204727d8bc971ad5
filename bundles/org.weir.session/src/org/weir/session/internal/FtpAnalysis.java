package org.weir.session.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Zeek's FTP analysis of one TCP connection, as far as conn.log shows it: {@code ftp} in {@code service} once the
 * analyzer confirmed, {@code X} in the history for a command longer than {@code FTP::max_command_length} after that,
 * the interactive services' hour of inactivity ({@code inactivity.zeek}), and the data channels that PORT and EPRT
 * commands and 227 and 229 replies announce, which give the connections that use them {@code ftp-data}
 * ({@link FtpDataChannels}).
 *
 * <p>As Zeek's analyzer reads the streams: lines as its NVT splits them for FTP (a line ends at LF, a CR before the
 * LF is dropped, a lone CR stays; the first NUL of a side is dropped, later ones stay; Telnet's IAC sequences are
 * taken out, IAC IAC leaves one 0xFF). An originator's line whose first word has three or more printable characters
 * is a command and confirms the protocol, unless the word is longer than 100 characters, which after a
 * confirmation writes {@code X}. A responder's line must begin with a reply code of 100 or more followed by a space,
 * a hyphen (a multi-line reply, whose lines up to the one with the same code and a space are passed over) or
 * nothing; anything else is a violation, which in the connection's first 10 KiB disables the analyzer and takes
 * {@code ftp} out of the service again ({@code DPD::ignore_violations_after}). After a content gap the lines go on
 * as if the stream were contiguous, as the NVT's buffer does; partial connections are analysed from where the
 * capture begins.
 *
 * <p>Data channels are announced as Zeek's FTP script does: a valid PORT or EPRT argument at once (the server
 * connects to that address and port), a 227 or 229 reply when the pending command that Zeek's
 * {@code get_pending_cmd} matches it to is PASV or EPSV (the client connects to the server's address and port; a
 * 229 without an address means the control connection's server). After AUTH TLS answered by 234 the streams are
 * TLS: the client's ClientHello gives {@code ftp,ssl} ({@link StartTlsHello}).
 *
 * <p>Attached by the responder port (21, 2811) or elsewhere by the DPD signatures: the responder's stream begins
 * with a 120 or 220 reply and has a 230 or 331 reply at the start of a later line, the originator's has
 * {@code USER } at the start of a line, while DPD's buffer held at most {@link ZeekConfig#DPD_BUFFER_SIZE} bytes
 * before each delivery that matched. Looked at from the responder's first data on (in FTP the server speaks first).
 */
final class FtpAnalysis extends LineAnalysis {

    /** {@code FTP::max_command_length}. */
    static final int MAX_COMMAND_LENGTH = 100;
    /** The NVT's largest line ({@code ContentLine}'s maximum): a longer one is cut and writes {@code X}. */
    static final int MAX_LINE_LENGTH = 16 * 1024 * 1024 - 100;
    /** {@code FTP::max_pending_commands}. */
    private static final int MAX_PENDING_COMMANDS = 20;
    /** The bytes of a line kept for its command, argument or reply text. */
    private static final int KEPT = 1024;
    private static final int IAC = 255, SB = 250, SE = 240, WILL = 251, DONT = 254;
    /** Telnet option states of a side. */
    private static final int TEXT = 0, AFTER_IAC = 1, OPTION = 2, SUBOPTION = 3, SUBOPTION_IAC = 4;

    /** One side's NVT and the lines it gives. */
    private final class NvtSide extends ByteSide {
        byte[] line;
        /** The current line's length as the NVT buffers it; its first {@link #KEPT} bytes are in {@link #line}. */
        int length;
        int lastChar = -1;
        boolean nulDropped;
        int telnet = TEXT;
        /** The server's DPD scan: the login reply it reads (230 or 331). */
        String reply;

        NvtSide(boolean fromOrig) {
            super(fromOrig);
        }

        @Override
        void take(int c) {
            switch (telnet) {
                case AFTER_IAC -> {
                    if (c == IAC) {
                        store(IAC); // IAC IAC: one 0xFF
                        lastChar = IAC;
                        telnet = TEXT;
                    } else if (c == SB) {
                        telnet = SUBOPTION;
                    } else if (c >= WILL && c <= DONT) {
                        telnet = OPTION;
                    } else {
                        telnet = TEXT; // a two-byte command: both bytes dropped
                    }
                    return;
                }
                case OPTION -> {
                    telnet = TEXT; // the option byte of WILL, WONT, DO, DONT
                    return;
                }
                case SUBOPTION -> {
                    if (c == IAC) {
                        telnet = SUBOPTION_IAC;
                    }
                    return;
                }
                case SUBOPTION_IAC -> {
                    // IAC IAC stays in the suboption, IAC SE ends it; any other byte ends it badly and the IAC
                    // begins a new sequence
                    telnet = c == IAC ? SUBOPTION : c == SE ? TEXT : AFTER_IAC;
                    if (telnet == AFTER_IAC) {
                        take(c);
                    }
                    return;
                }
                default -> {
                }
            }
            if (length >= MAX_LINE_LENGTH) {
                limitReached(); // nvt_line_size_exceeded: the line is delivered as it is, this byte passed over
                lineEnd(this);
                return;
            }
            switch (c) {
                case '\n' -> {
                    if (lastChar == '\r') {
                        length--; // the CR of CRLF
                    }
                    lineEnd(this);
                }
                case 0 -> {
                    if (lastChar != '\r') {
                        if (nulDropped) {
                            store(0);
                        }
                        nulDropped = true;
                    }
                }
                case IAC -> {
                    telnet = AFTER_IAC;
                    return; // the byte before the sequence stays the last
                }
                default -> store(c);
            }
            lastChar = c;
        }

        private void store(int c) {
            if (length < KEPT) {
                if (line == null) {
                    line = new byte[KEPT];
                }
                line[length] = (byte) c;
            }
            length++;
        }

        /** The kept bytes of the current line. */
        int kept() {
            return Math.min(length, KEPT);
        }
    }

    /** A command waiting for its reply, as the FTP script queues it ({@code add_pending_cmd}). */
    private record Pending(long seq, String command, String arg) {
    }

    private boolean limitPending;
    /** The argument of the last AUTH command ({@code auth_requested}). */
    private String authRequested = "";
    private int pendingReply;
    private final List<Pending> pending = new ArrayList<>();
    private long commandSeq;
    /** The command the last reply was matched to ({@code c$ftp$cmdarg}) and whether it got a reply code. */
    private Pending matched;

    /** The table and time of the segment being taken. */
    private FtpDataChannels channels;
    private long now;

    /**
     * @param port attached by the responder port; otherwise only DPD can attach it, and the responder's first data,
     *             which made this, began as its signature wants
     */
    FtpAnalysis(boolean port) {
        super(port);
        pending.add(new Pending(++commandSeq, "<init>", "")); // the script's shim for the server's greeting
    }

    /** Whether DPD's server signature can match a responder stream that begins with these bytes. */
    static boolean serverSignatureStart(byte[] d, int o, int n) {
        int i = o, end = o + n;
        while (i < end && (d[i] == '\n' || d[i] == '\r' || d[i] == ' ')) {
            i++;
        }
        return end - i >= 4 && (d[i] == '1' || d[i] == '2') && d[i + 1] == '2' && d[i + 2] == '0'
                && !isDigit(d[i + 3]);
    }

    /**
     * Zeek's {@code service}: {@code ftp} when the attached analyzer confirmed and was not disabled since,
     * {@code ftp,ssl} when a ClientHello followed AUTH TLS; empty otherwise.
     */
    String service() {
        return service("ftp");
    }

    @Override
    Side side(boolean fromOrig) {
        return new NvtSide(fromOrig);
    }

    /**
     * A payload taken by its sender's reassembly at relative sequence {@code dataSeq}: bytes [o, o + n) of
     * {@code d}, with the stream delivered up to {@code delivered} (exclusive) after it.
     */
    void segment(TcpConnection tcp, FtpDataChannels channels, boolean fromOrig, long dataSeq, byte[] d, int o,
            int n, long delivered, long now) {
        this.channels = channels;
        this.now = now;
        segment(tcp, fromOrig, dataSeq, d, o, n, delivered);
        this.channels = null;
    }

    @Override
    void taken() {
        if (limitPending && signaturesMatched()) {
            limitPending = false;
            tcp.checkHistory(Conn.HIST_LIMIT, 'X');
        }
        if (confirmed() && !disabled && !port) {
            tcp.interactiveServiceConfirmed();
        }
    }

    // ---- DPD --------------------------------------------------------------------------------------------------

    /** Where a side's signature scan is: the server's greeting, a line's start, a word being matched, elsewhere. */
    private static final int PREFIX = 0, LINE_START = 1, WORD = 2, MID_LINE = 3;
    private static final byte[] USER = {'u', 's', 'e', 'r', ' '};

    /**
     * The signatures over a delivery, while DPD's buffer held at most its size before it: the originator's
     * {@code (|.*[\n\r]) *[uU][sS][eE][rR] } ("USER " at the start of a line, after spaces), the responder's
     * {@code [\n\r ]*(120|220)[^0-9].*[\n\r] *(230|331)[^0-9]} (a greeting, then a later line beginning with a login
     * reply), which counts only once the originator's has matched ({@code requires-reverse-signature}).
     */
    @Override
    void match(Side side, byte[] d, int o, int n) {
        NvtSide s = (NvtSide) side;
        if (s.scanDone || !dpdBuffering(n)) {
            return;
        }
        for (int i = o; i < o + n && !s.scanDone; i++) {
            scan(s, d[i] & 0xFF);
        }
    }

    /** One byte of a side's scan for a word at a line's start (the client's stream begins with one). */
    private void scan(NvtSide s, int c) {
        if (s.scan == PREFIX && !s.fromOrig) {
            greeting(s, c);
            return;
        }
        boolean newline = c == '\n' || c == '\r';
        switch (s.scan) {
            case PREFIX, LINE_START -> {
                if (c == ' ' || newline) {
                    s.scan = LINE_START;
                } else if (wordByte(s, 0, c)) {
                    s.scan = WORD;
                    s.index = 1;
                } else {
                    s.scan = MID_LINE;
                }
            }
            case WORD -> {
                if (!wordByte(s, s.index, c)) {
                    s.scan = newline ? LINE_START : MID_LINE;
                } else if (++s.index == (s.fromOrig ? USER.length : 4)) {
                    s.signature = s.fromOrig || orig.signature;
                    s.scanDone = true;
                }
            }
            default -> {
                if (newline) {
                    s.scan = LINE_START;
                }
            }
        }
    }

    /** Whether byte {@code index} of the word fits: the client's "USER ", the server's 230 or 331 and a non-digit. */
    private static boolean wordByte(NvtSide s, int index, int c) {
        if (s.fromOrig) {
            return USER[index] == ' ' ? c == ' ' : (c | 0x20) == USER[index];
        }
        if (index == 0) {
            s.reply = c == '2' ? "230" : c == '3' ? "331" : null;
            return s.reply != null;
        }
        return index < 3 ? c == s.reply.charAt(index) : !isDigit((byte) c);
    }

    /**
     * The server's {@code [\n\r ]*(120|220)[^0-9]}, which its first data was checked for when this was made; then
     * the scan goes on in the greeting's line.
     */
    private static void greeting(NvtSide s, int c) {
        if (s.index == 0 && (c == '\n' || c == '\r' || c == ' ')) {
            return;
        }
        boolean ok = s.index == 0 ? c == '1' || c == '2' : s.index == 1 ? c == '2' : s.index == 2 ? c == '0'
                : !isDigit((byte) c);
        if (!ok) {
            s.scanDone = true; // cannot match
        } else if (++s.index == 4) {
            s.scan = MID_LINE;
            s.index = 0;
        }
    }

    // ---- lines ------------------------------------------------------------------------------------------------

    private void lineEnd(NvtSide s) {
        int length = s.length, kept = s.kept();
        s.length = 0;
        if (length == 0) {
            return;
        }
        if (s.fromOrig) {
            command(s.line, kept, length);
        } else {
            reply(s.line, kept, length);
        }
    }

    /** An originator's line: {@code FTP_Analyzer::DeliverStream} and the script's {@code ftp_request}. */
    private void command(byte[] line, int kept, int length) {
        int i = skipSpace(line, 0, kept);
        int end = i;
        while (end < kept && line[end] != 0 && !isSpace(line[end])) {
            end++;
        }
        int words = end - i + (end == kept && kept < length ? length - kept : 0);
        boolean printable = words >= 3;
        for (int k = i; k < end && printable; k++) {
            printable = line[k] >= 0x20 && line[k] < 0x7F;
        }
        if (!printable) {
            return; // FTP_invalid_command
        }
        if (words > MAX_COMMAND_LENGTH) {
            if (confirmed) {
                limitReached(); // FTP_max_command_length_exceeded
            }
            return;
        }
        confirmed = true;
        if (signaturesMatched()) {
            tcp.interactiveServiceConfirmed();
        }
        String command = ascii(line, i, end).toUpperCase(Locale.ROOT);
        int a = skipSpace(line, end, kept);
        String arg = ascii(line, a, kept);
        if (matched != null && pending.remove(matched)) {
            matched = null; // the previous command, answered, is logged and dropped
        }
        if ("AUTH".startsWith(command)) {
            authRequested = arg; // FTP.cc compares the word with AUTH for the word's length
        }
        if (pending.size() < MAX_PENDING_COMMANDS) {
            pending.add(new Pending(++commandSeq, command, arg));
        }
        if (command.equals("PORT") || command.equals("EPRT")) {
            long[] h = new long[2];
            int p = command.equals("PORT") ? FtpDataChannels.parsePort(arg, h) : FtpDataChannels.parseEprt(arg, h);
            if (p >= 0 && signaturesMatched()) {
                // the server connects to the client's address and port
                channels.expect(tcp.respHi(), tcp.respLo(), h[0], h[1], p, now);
            }
        }
    }

    /** A responder's line: {@code FTP_Analyzer::DeliverStream} and the script's {@code ftp_reply}. */
    private void reply(byte[] line, int kept, int length) {
        int code = length >= 3 && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2])
                ? (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0') : 0;
        boolean more;
        int msg;
        if (pendingReply != 0) {
            if (code == pendingReply && length > 3 && line[3] == ' ') {
                msg = skipSpace(line, 3, kept);
                pendingReply = 0;
                more = false;
            } else {
                more = true;
                code = 0;
                msg = 0;
            }
        } else if (code < 100 || (length > 3 && line[3] != '-' && line[3] != ' ')) {
            violation(); // a non-numeric or too small reply code, or no space after it
            return;
        } else if (length > 3 && line[3] == '-') {
            pendingReply = code;
            more = true;
            msg = skipSpace(line, 4, kept);
        } else {
            more = false;
            msg = Math.min(kept, skipSpace(line, 3, kept));
        }
        if (code == 234 && authRequested.equals("TLS")) {
            startTls();
            return;
        }
        if (pending.isEmpty()) {
            return; // the script has no command to match the reply to
        }
        String text = ascii(line, msg, kept);
        matched = matchReply(code, text);
        if (more) {
            return;
        }
        if ((code == 227 || code == 229) && (matched.command.equals("PASV") || matched.command.equals("EPSV"))) {
            long[] h = new long[2];
            int p = code == 227 ? FtpDataChannels.parsePasv(text, h) : FtpDataChannels.parseEpsv(text, h);
            if (p >= 0 && signaturesMatched()) {
                if (code == 229 && h[0] == 0 && h[1] == 0) {
                    h[0] = tcp.respHi(); // no address: the control connection's server
                    h[1] = tcp.respLo();
                }
                // the client connects to the server's address and port
                channels.expect(tcp.origHi(), tcp.origLo(), h[0], h[1], p, now);
            }
        }
        if (pending.size() > 1) {
            pending.remove(matched);
            matched = null;
        }
    }

    /** The script's {@code get_pending_cmd}: the pending command that best fits the reply. */
    private Pending matchReply(int code, String text) {
        Pending best = null;
        int bestScore = -1;
        for (Pending p : pending) {
            int score = code == 500 || fits(p.command, code) ? 100 : 0;
            if (text.contains(p.command)) {
                score += 20;
            }
            if (text.contains(p.arg)) {
                score += 10;
            }
            if (score > bestScore || (score == bestScore && p.seq < best.seq)) {
                best = p;
                bestScore = score;
            }
        }
        return best;
    }

    /** {@code FTP::cmd_reply_code} as far as it decides a data channel: PASV's 227, EPSV's 229. */
    private static boolean fits(String command, int code) {
        return code == 227 ? command.equals("PASV") : code == 229 && command.equals("EPSV");
    }

    private void limitReached() {
        if (signaturesMatched()) {
            tcp.checkHistory(Conn.HIST_LIMIT, 'X');
        } else {
            limitPending = true;
        }
    }

    private static int skipSpace(byte[] b, int i, int end) {
        while (i < end && isSpace(b[i])) {
            i++;
        }
        return i;
    }

    private static String ascii(byte[] b, int from, int to) {
        return from >= to ? "" : new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
