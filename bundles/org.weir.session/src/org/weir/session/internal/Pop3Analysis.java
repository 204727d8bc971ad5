package org.weir.session.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Zeek's POP3 analysis of one TCP connection, as far as conn.log shows it: {@code pop3} in {@code service} once the
 * analyzer confirmed, {@code pop3,ssl} when a ClientHello followed STLS, and nothing when a violation disabled it in
 * the connection's first 10 KiB.
 *
 * <p>Zeek registers no port for POP3: only DPD attaches it, when the responder's stream begins with {@code +OK} and
 * the originator's has {@code USER} or {@code APOP} and white space, {@code CAPA}, {@code AUTH} or {@code STLS} (any
 * case) at the start of a line, after white space, while DPD's buffer holds them. Its analyzer reads lines as its
 * {@code ContentLine} splits them (CR, LF and CRLF end a line, NULs stay in it) and each as a C string (up to its
 * first NUL), with leading blanks dropped and runs of spaces made one; a line's first word, upper-cased after a
 * leading {@code +} or {@code -}, is its command. Client commands wait in a queue and are taken in turn as the server
 * answers; the state machine of Zeek's {@code POP3_Analyzer} follows them. The server's {@code +OK} confirms only when
 * it answers {@code USER} in the authorization phase, {@code CAPA}, or {@code STLS} (after which the streams are TLS).
 * A server line whose first word is no POP3 command (an empty one too) is a violation, outside multi-line replies and
 * authentication exchanges; so is each unknown client command after the tenth. Partial connections are not looked
 * at.
 */
final class Pop3Analysis extends LineAnalysis {

    /** The commands of Zeek's {@code POP3_cmd.def}, in its order (the order its parser tries them). */
    private static final String[] COMMANDS = {"OK", "ERR", "USER", "PASS", "APOP", "AUTH", "STAT", "LIST", "RETR",
        "DELE", "RSET", "NOOP", "LAST", "QUIT", "TOP", "CAPA", "UIDL", "STLS", "XSENDER"};
    private static final int OK = 0, ERR = 1, USER = 2, PASS = 3, APOP = 4, AUTH = 5, STAT = 6, LIST = 7, RETR = 8,
            DELE = 9, RSET = 10, NOOP = 11, LAST = 12, QUIT = 13, TOP = 14, CAPA = 15, UIDL = 16, STLS = 17,
            XSENDER = 18;
    /** States of the exchange beyond the commands' (Zeek's {@code detail::POP3_State} but the commands). */
    private static final int START = -1, AUTH_PLAIN = -2, AUTH_LOGIN = -3, AUTH_CRAM_MD5 = -4;
    /** Zeek's {@code POP3_MasterState}. */
    private static final int M_START = 0, M_AUTHORIZATION = 1, M_TRANSACTION = 2, M_UPDATE = 3, M_FINISHED = 4;
    /** {@code POP3::max_pending_commands}, {@code POP3::max_unknown_client_commands}. */
    private static final int MAX_PENDING = 10, MAX_UNKNOWN = 10;
    /** The bytes of a line kept: its command, and enough of its argument for what the state machine looks at. */
    private static final int KEPT = 1024;

    /** One side's line splitter. */
    private final class LineSide extends ContentLineSide {
        /** The length of the line as a C string: up to its first NUL. */
        int cLength = -1;

        LineSide(boolean fromOrig) {
            super(fromOrig, KEPT);
        }

        @Override
        boolean keeps(int c) {
            if (c == 0 && cLength < 0) {
                cLength = length;
            }
            return true;
        }

        @Override
        void lineEnd(int n) {
            String text = new String(line, 0, Math.min(KEPT, cLength < 0 ? n : cLength), StandardCharsets.ISO_8859_1);
            cLength = -1;
            if (fromOrig) {
                request(n, text);
            } else {
                reply(n, text);
            }
        }
    }

    private int masterState = M_START, state = START, lastState = START;
    private boolean guessing, waitingForAuthentication, requestForMultiLine, multiLine;
    private int unknownClientCommands;
    private final ArrayDeque<String> commands = new ArrayDeque<>();

    /** Made by DPD, whose server signature matched on the responder's first data ({@link #serverSignature}). */
    Pop3Analysis() {
        super(false);
        resp.signature = true;
        resp.scanDone = true;
    }

    @Override
    Side side(boolean fromOrig) {
        return new LineSide(fromOrig);
    }

    /** Whether DPD's server signature {@code ^\+OK} matches a stream beginning so. */
    static boolean serverSignature(byte[] d, int o, int n) {
        return n >= 3 && d[o] == '+' && d[o + 1] == 'O' && d[o + 2] == 'K';
    }

    @Override
    String service() {
        return service("pop3");
    }

    // ---- DPD --------------------------------------------------------------------------------------------------

    /**
     * The originator's signature
     * {@code (|.*[\r\n])[[:space:]]*([uU][sS][eE][rR][[:space:]]|[aA][pP][oO][pP][[:space:]]|CAPA|AUTH|STLS)} (the
     * last three in any case too) over a delivery made while DPD's buffer held at most its size before it.
     */
    @Override
    void match(Side s, byte[] d, int o, int n) {
        if (s.scanDone || !dpdBuffering(n)) {
            return;
        }
        // scan: 0 at a line start (white space skipped), 1 reading a word (index letters so far), 2 elsewhere
        for (int i = o; i < o + n && !s.scanDone; i++) {
            byte b = d[i];
            boolean newline = b == '\n' || b == '\r';
            if (s.scan == 0 && isSpace(b)) {
                continue;
            }
            if (s.scan == 0) {
                s.scan = 1;
                s.index = 0;
            }
            if (s.scan == 1) {
                if (s.index == 4) {
                    s.signature = isSpace(b); // USER or APOP: white space after it
                    s.scanDone = s.signature;
                    s.scan = newline ? 0 : 2;
                    continue;
                }
                if (!newline && wordMatches(s.index, b)) {
                    if (++s.index == 4 && !wantsSpace()) {
                        s.signature = true;
                        s.scanDone = true;
                    }
                    continue;
                }
                s.scan = newline ? 0 : 2;
                continue;
            }
            if (newline) {
                s.scan = 0;
            }
        }
    }

    /** The words of the client's signature, in lower case; which one the scan follows is kept in {@link #word}. */
    private static final String[] SIGNATURE_WORDS = {"user", "apop", "capa", "auth", "stls"};
    /** The signature words still possible for the word being scanned, as bits of {@link #SIGNATURE_WORDS}. */
    private int word;

    private boolean wordMatches(int index, byte b) {
        if (index == 0) {
            word = (1 << SIGNATURE_WORDS.length) - 1;
        }
        int c = b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
        for (int k = 0; k < SIGNATURE_WORDS.length; k++) {
            if (SIGNATURE_WORDS[k].charAt(index) != c) {
                word &= ~(1 << k);
            }
        }
        return word != 0;
    }

    /** Whether the word scanned is USER or APOP, which need white space after them. */
    private boolean wantsSpace() {
        return (word & 0b11) != 0;
    }

    // ---- lines ------------------------------------------------------------------------------------------------

    /** A client's line: {@code ProcessRequest}; {@code length} counts its NULs, {@code text} ends before them. */
    private void request(int length, String text) {
        if (length == 0 || waitingForAuthentication) {
            return; // an empty line, or an answer in an authentication exchange
        }
        commands.add(text);
        if (commands.size() > MAX_PENDING) {
            clientCommand(); // no answer for too long: taken as it is
            commands.poll();
        }
        if (commands.size() == 1) {
            clientCommand();
        }
    }

    /** The client command at the head of the queue: {@code ProcessClientCmd}. */
    private void clientCommand() {
        String head = commands.peek();
        if (head == null) {
            return;
        }
        String[] tokens = tokens(head);
        int command = tokens.length > 0 ? command(tokens[0]) : -1;
        if (command < 0) {
            if (!waitingForAuthentication && ++unknownClientCommands > MAX_UNKNOWN) {
                violation();
            }
            return;
        }
        boolean noArgument = tokens.length < 2;
        boolean transaction = masterState == M_TRANSACTION;
        switch (command) {
            case USER -> {
                if (masterState == M_AUTHORIZATION) {
                    state = USER;
                }
            }
            case PASS -> {
                if (masterState == M_AUTHORIZATION && state == USER) {
                    state = PASS;
                }
            }
            case APOP -> {
                if (masterState == M_AUTHORIZATION) {
                    state = APOP;
                }
            }
            case AUTH -> {
                if (masterState == M_AUTHORIZATION) {
                    if (noArgument) {
                        requestForMultiLine = true; // the list of mechanisms
                        state = AUTH;
                    } else {
                        String mechanism = tokens[1];
                        state = mechanism.contains("LOGIN") ? AUTH_LOGIN : mechanism.contains("PLAIN") ? AUTH_PLAIN
                                : mechanism.contains("CRAM-MD5") ? AUTH_CRAM_MD5 : AUTH;
                        waitingForAuthentication = true;
                    }
                }
            }
            case LIST, UIDL -> {
                if (noArgument) {
                    requestForMultiLine = true;
                }
                transactionCommand(command, transaction);
            }
            case RETR, TOP -> {
                requestForMultiLine = true;
                transactionCommand(command, transaction);
            }
            case STAT, DELE, RSET, NOOP, LAST -> transactionCommand(command, transaction);
            case XSENDER -> {
                if (transaction) {
                    state = LAST; // as Zeek has it
                } else {
                    guess(XSENDER);
                }
            }
            case QUIT -> {
                if (masterState == M_AUTHORIZATION || transaction || masterState == M_START) {
                    state = QUIT;
                } else {
                    guess(LAST);
                }
            }
            case CAPA -> {
                state = CAPA;
                requestForMultiLine = true;
            }
            case STLS -> state = STLS;
            default -> {
                // OK and ERR from the client: a weird only
            }
        }
    }

    private void transactionCommand(int command, boolean transaction) {
        if (transaction) {
            state = command;
        } else {
            guess(command);
        }
    }

    /** A transaction command before the authentication was seen to succeed: Zeek guesses that none was needed. */
    private void guess(int command) {
        guessing = true;
        lastState = command;
    }

    /** The server's answer ended the command at the head of the queue: the next one is taken. */
    private void finishClientCommand() {
        if (commands.poll() != null) {
            clientCommand();
        }
    }

    /** A server's line: {@code ProcessReply}. */
    private void reply(int length, String text) {
        if (multiLine) {
            if (length == 1 && text.equals(".")) {
                requestForMultiLine = false;
                multiLine = false;
                finishClientCommand();
            }
            return;
        }
        String[] tokens = tokens(text);
        int command = tokens.length > 0 ? command(tokens[0]) : -1;
        if (command < 0) {
            if (!waitingForAuthentication) {
                violation();
                finishClientCommand();
            }
            return;
        }
        if (command == OK) {
            if (ok()) {
                return; // STLS: TLS from here on
            }
        } else if (command == ERR) {
            err();
        } else {
            return; // a client's command from the server: a weird only
        }
        if (!multiLine) {
            finishClientCommand();
        }
    }

    /** {@code +OK}: whether the streams switched to TLS. */
    private boolean ok() {
        if (guessing) {
            masterState = M_TRANSACTION;
            guessing = false;
            state = lastState;
        }
        switch (state) {
            case START -> masterState = M_AUTHORIZATION;
            case USER -> {
                masterState = M_AUTHORIZATION;
                confirmed = true;
            }
            case PASS, APOP, NOOP, LAST, STAT, RSET, DELE, XSENDER -> masterState = M_TRANSACTION;
            case AUTH, AUTH_PLAIN, AUTH_CRAM_MD5, AUTH_LOGIN -> {
                multiLine |= requestForMultiLine;
                if (waitingForAuthentication) {
                    masterState = M_TRANSACTION;
                }
                waitingForAuthentication = false;
            }
            case CAPA -> {
                confirmed = true;
                multiLine |= requestForMultiLine;
            }
            case TOP, RETR, UIDL, LIST -> multiLine |= requestForMultiLine;
            case STLS -> {
                confirmed = true;
                startTls();
                return true;
            }
            case QUIT -> {
                if (masterState == M_AUTHORIZATION || masterState == M_START) {
                    masterState = M_FINISHED;
                } else if (masterState == M_TRANSACTION) {
                    masterState = M_UPDATE;
                }
            }
            default -> {
            }
        }
        return false;
    }

    /** {@code -ERR}. */
    private void err() {
        multiLine = false;
        requestForMultiLine = false;
        guessing = false;
        waitingForAuthentication = false;
        switch (state) {
            case USER, PASS, APOP, AUTH, AUTH_LOGIN, AUTH_PLAIN, AUTH_CRAM_MD5 -> {
                masterState = M_AUTHORIZATION;
                state = START;
            }
            case NOOP, LAST, STAT, RSET, DELE, LIST, RETR, UIDL, TOP, XSENDER -> masterState = M_TRANSACTION;
            case QUIT -> {
                if (masterState == M_AUTHORIZATION || masterState == M_TRANSACTION || masterState == M_START) {
                    masterState = M_FINISHED;
                }
            }
            default -> {
            }
        }
    }

    /**
     * A line's words as Zeek's {@code trim_whitespace} and {@code TokenizeLine} make them: leading blanks and tabs
     * dropped, runs of spaces made one, trailing spaces dropped; then the first word and the rest, or none.
     */
    static String[] tokens(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        String trimmed = line.substring(i).replaceAll(" +", " ");
        if (trimmed.endsWith(" ")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return new String[0];
        }
        int space = trimmed.indexOf(' ');
        return space < 0 ? new String[] {trimmed}
                : new String[] {trimmed.substring(0, space), trimmed.substring(space + 1)};
    }

    /**
     * Zeek's {@code ParseCmd}: the command a word names, or -1. Each command in turn is compared with the word
     * upper-cased, after the word lost a leading {@code +} or {@code -} (again before each comparison).
     */
    static int command(String word) {
        String w = word;
        for (int code = 0; code < COMMANDS.length; code++) {
            if (!w.isEmpty() && (w.charAt(0) == '+' || w.charAt(0) == '-')) {
                w = w.substring(1);
            }
            w = upperAscii(w);
            if (w.equals(COMMANDS[code])) {
                return code;
            }
        }
        return -1;
    }
}
