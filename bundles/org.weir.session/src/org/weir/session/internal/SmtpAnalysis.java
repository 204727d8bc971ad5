package org.weir.session.internal;

import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Set;

/**
 * Zeek's SMTP analysis of one TCP connection, as far as conn.log shows it: {@code smtp} in {@code service} once the
 * analyzer confirmed, and not any more when a violation disabled it in the connection's first 10 KiB.
 *
 * <p>As Zeek's analyzer reads the streams: lines as its {@code ContentLine} splits them for SMTP (CR, LF and
 * CRLF end a line; a side's first NUL is dropped, later ones stay). An originator's line that begins with one of
 * the SMTP commands Zeek knows (any case, up to white space) confirms the protocol, outside message data and
 * authentication exchanges. A responder's line must begin with a reply code from 100 to 599, else it is a
 * violation, which in the connection's first 10 KiB disables the analyzer and takes {@code smtp} out of the
 * service again ({@code DPD::ignore_violations_after}). Replies are matched to the commands in order, as Zeek's
 * queue of pending commands does, for what changes how the streams are read: DATA answered by 354 makes the
 * originator's lines message data until a line with a single dot; AUTH or its answers answered by 334 make them
 * answers; STARTTLS answered by 220 ends the line analysis: the rest is TLS, and the client's ClientHello gives
 * {@code smtp,ssl} ({@link StartTlsHello}). Message data goes to Zeek's MIME parser ({@link MimeEntities}), whose
 * limits (a header's size, the nesting of parts) are limit-reached weirds, {@code X} in the history. After a content
 * gap the originator's lines are passed over until the responder's next valid reply, which confirms too; the line
 * being split goes on with the bytes after the gap. Partial connections are not looked at ({@code SetSkipPartial}).
 *
 * <p>Attached by the responder port (25, 587) or elsewhere by the DPD signatures: the responder's stream begins with
 * a 220 reply, and the originator's has HELO or EHLO (any case) at the start of a line, after white space, while
 * DPD's buffer held at most {@link ZeekConfig#DPD_BUFFER_SIZE} bytes before each delivery that matched. Not emulated:
 * BDAT's chunks, TURN's swap of the sender, and violations of the SSL analyzer after its confirmation.
 */
final class SmtpAnalysis extends LineAnalysis {

    /** The commands of Zeek's {@code SMTP_cmd.def} (with its internal names, which a client could send too). */
    private static final Set<String> COMMANDS = Set.of("EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT", "RSET",
            "VRFY", "EXPN", "HELP", "NOOP", "STARTTLS", "X_ANONYMOUSTLS", "X-ANONYMOUSTLS", "CONN_ESTABLISHMENT",
            "END_OF_DATA", "SEND", "SOML", "SAML", "TURN", "BDAT", "ETRN", "AUTH", "AUTH_ANSWER");
    /** Pseudo-commands of the queue: the greeting, a message's end, an answer in an authentication exchange. */
    private static final String GREETING = "CONN_ESTABLISHMENT", END_OF_DATA = "END_OF_DATA",
            AUTH_ANSWER = "AUTH_ANSWER";
    /** The bytes of a line kept for its command word or reply code, and of the client's for MIME besides. */
    private static final int KEPT = 64, MIME_KEPT = 1024;

    /** How the originator's lines are read. */
    private enum State { COMMANDS, IN_DATA, IN_AUTH, AFTER_GAP }

    /** One side's line splitter. */
    private final class LineSide extends ContentLineSide {
        boolean nulDropped;
        /** The client's DPD scan: the first four letters of a line's word. */
        int word;

        LineSide(boolean fromOrig) {
            super(fromOrig, fromOrig ? MIME_KEPT : KEPT);
        }

        @Override
        boolean keeps(int c) {
            if (c == 0 && !nulDropped) {
                nulDropped = true; // NUL_in_line: the first is dropped
                return false;
            }
            return true;
        }

        @Override
        void lineEnd(int n) {
            if (fromOrig) {
                command(line, Math.min(n, MIME_KEPT), n);
            } else {
                reply(line, Math.min(n, KEPT), n);
            }
        }
    }

    private State state = State.COMMANDS;
    /** The mail being sent, as Zeek's MIME parser reads it. */
    private final MimeEntities mail = new MimeEntities(false);
    private final ArrayDeque<String> pending = new ArrayDeque<>();

    /**
     * @param port attached by the responder port; otherwise only DPD can attach it, and the responder's first data,
     *             which made this, began with a 220 reply
     */
    SmtpAnalysis(boolean port) {
        super(port);
        pending.add(GREETING);
    }

    @Override
    Side side(boolean fromOrig) {
        return new LineSide(fromOrig);
    }

    /** Whether DPD's server signature {@code ^[[:space:]]*220[[:space:]-]} matches a stream beginning so. */
    static boolean serverSignature(byte[] d, int o, int n) {
        int i = o, end = o + n;
        while (i < end && isSpace(d[i])) {
            i++;
        }
        return end - i >= 4 && d[i] == '2' && d[i + 1] == '2' && d[i + 2] == '0'
                && (isSpace(d[i + 3]) || d[i + 3] == '-');
    }

    /**
     * Zeek's {@code service}: {@code smtp} when the attached analyzer confirmed and was not disabled since,
     * {@code smtp,ssl} when a ClientHello followed STARTTLS; empty otherwise.
     */
    String service() {
        return service("smtp");
    }

    /** A content gap of a side: the originator's lines are passed over until the responder's next reply. */
    @Override
    void gap(boolean fromOrig, long seq, long len) {
        super.gap(fromOrig, seq, len);
        if (tls == null) {
            state = State.AFTER_GAP;
            pending.clear();
        }
    }

    // ---- DPD --------------------------------------------------------------------------------------------------

    /**
     * The originator's signature {@code (|.*[\n\r])[[:space:]]*([hH][eE][lL][oO]|[eE][hH][lL][oO])} over a delivery
     * made while DPD's buffer held at most its size before it; it requires the responder's, checked on its first
     * data when this was made.
     */
    @Override
    void match(Side side, byte[] d, int o, int n) {
        LineSide s = (LineSide) side;
        if (s.scanDone) {
            return;
        }
        if (!s.fromOrig) {
            s.signature = true; // the greeting this was made with
            s.scanDone = true;
            return;
        }
        if (!dpdBuffering(n)) {
            return;
        }
        // scan: 0 at a line start (white space skipped), 1 reading a word's first four letters, 2 elsewhere
        for (int i = o; i < o + n && !s.scanDone; i++) {
            int c = d[i] & 0xFF;
            boolean newline = c == '\n' || c == '\r';
            if (s.scan == 0) {
                if (isSpace((byte) c)) {
                    continue;
                }
                s.scan = 1;
                s.index = 0;
                s.word = 0;
            }
            if (s.scan == 1 && !newline) {
                s.word = s.word << 8 | (c | 0x20);
                if (++s.index == 4) {
                    if (s.word == HELO || s.word == EHLO) {
                        s.signature = resp.signature; // requires-reverse-signature dpd_smtp_server
                        s.scanDone = true;
                    }
                    s.scan = 2;
                }
                continue;
            }
            s.scan = newline ? 0 : 2;
        }
    }

    /** HELO and EHLO in lower case, as {@link #match} packs a word's first four letters. */
    private static final int HELO = 'h' << 24 | 'e' << 16 | 'l' << 8 | 'o',
            EHLO = 'e' << 24 | 'h' << 16 | 'l' << 8 | 'o';

    // ---- lines ------------------------------------------------------------------------------------------------

    /** An originator's line: {@code SMTP_Analyzer::ProcessLine} for the sender. */
    private void command(byte[] line, int kept, int length) {
        switch (state) {
            case AFTER_GAP -> {
                return; // kept for later, not parsed
            }
            case IN_DATA -> {
                if (length == 1 && line[0] == '.') {
                    pending.add(END_OF_DATA);
                    state = State.COMMANDS;
                } else {
                    mailLine(line, kept, length);
                }
                return;
            }
            case IN_AUTH -> {
                pending.add(AUTH_ANSWER);
                return;
            }
            default -> {
            }
        }
        kept = Math.min(kept, KEPT);
        int n = 0; // the word from the line's first byte: white space before it makes it empty
        while (n < kept && line[n] != 0 && !isSpace(line[n])) {
            n++;
        }
        if ((n == kept && kept < length) || (n != 4 && n != 8 && n != 11 && n != 14 && n != 18)) {
            return; // no command has this length
        }
        String word = new String(line, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                .toUpperCase(Locale.ROOT);
        if (!COMMANDS.contains(word)) {
            return; // an unknown command: smtp_unexpected, no violation
        }
        pending.add(word);
        confirm();
    }

    /** A responder's line: {@code SMTP_Analyzer::ProcessLine} for the receiver, and {@code NewReply}. */
    private void reply(byte[] line, int kept, int length) {
        int code = length >= 3 && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2])
                ? (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0') : -1;
        if (code < 100 || code > 599) {
            violation();
            return;
        }
        if (length > 3 && line[3] == '-') {
            return; // a line of a multi-line reply
        }
        if (state == State.AFTER_GAP) {
            confirm(); // NewReply after a gap: the reply is taken as the answer to an unknown command
            state = State.COMMANDS;
            return;
        }
        String command = pending.poll();
        if (command == null) {
            return;
        }
        switch (command) {
            case "DATA" -> {
                if (code == 354) {
                    state = State.IN_DATA;
                    mail.begin(false);
                }
            }
            case "AUTH", AUTH_ANSWER -> state = code == 334 ? State.IN_AUTH : State.COMMANDS;
            case "STARTTLS", "X-ANONYMOUSTLS", "X_ANONYMOUSTLS" -> {
                if (code == 220) {
                    startTls();
                }
            }
            default -> {
            }
        }
    }

    /** A line of message data as Zeek's MIME parser takes it: a leading dot of SMTP's dot-stuffing removed. */
    private void mailLine(byte[] line, int kept, int length) {
        int from = length > 1 && line[0] == '.' ? 1 : 0;
        if (mail.line(line, from, kept - from, length - from) && signaturesMatched()) {
            tcp.checkHistory(Conn.HIST_LIMIT, 'X');
        }
    }

    private void confirm() {
        confirmed = true;
    }
}
