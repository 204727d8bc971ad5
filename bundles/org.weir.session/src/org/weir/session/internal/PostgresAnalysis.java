package org.weir.session.internal;

import java.util.Arrays;

/**
 * Zeek's PostgreSQL analysis of one TCP connection (its Spicy analyzer, attached by the responder port 5432 or by its
 * DPD signatures), as far as conn.log shows it: {@code postgresql} in {@code service} once the analyzer confirmed,
 * {@code postgresql,ssl} when the server accepted TLS and the client then sent a ClientHello, nothing when a violation
 * disabled it in the connection's first {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes.
 *
 * <p>As the grammar reads them: the client's stream begins with a length (at least 8) and a version or magic number.
 * An SSLRequest (length 8, 80877103) waits for the server's answer, a byte {@code S} (the streams are TLS from there)
 * or {@code N} (plain messages follow); anything else must be protocol 3, and is then re-read as a StartupMessage:
 * a length of at least 9, version 3, parameters ({@code [-_/A-Za-z0-9]+} NUL {@code [\x20-\x7e]+} NUL) filling the
 * length less 9, and a NUL. A StartupMessage read whole, or the server's {@code S} or {@code N}, confirms. Then each
 * side is typed messages (a type byte and a length of at least 4); the server's are checked as the grammar checks them
 * (an authentication request's identifier at most 12, AuthenticationOk with no data; a parameter status of a name and a
 * printable value; ReadyForQuery's status I, T or E; key data of eight bytes; error and notice fields up to their
 * NUL), the client's simple queries must hold their NUL. A stream that does not parse so is a violation, and so is a
 * side that sends a fifth delivery while the other's first bytes, which the grammar waits for, have not come (a
 * server that speaks first). A server byte other than {@code S} or {@code N} after an SSLRequest ends the server's
 * reading without a violation (the grammar's error stays in its sink).
 *
 * <p>Partial connections are read (the Spicy analyzer does not skip them), a content gap ends the reading as a parse
 * error, and nothing is read once the connection has carried more than {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER}
 * bytes, after which a violation no longer counts.
 *
 * <p>Elsewhere DPD attaches it when the originator's stream begins with an SSLRequest and the responder's with
 * {@code S} or {@code N}, or the originator's with a StartupMessage of protocol 3.0
 * ({@code ^....\x00\x03\x00.{0,256}user\x00}) and the responder's with what may be a message
 * ({@code ^[a-zA-Z0-9]\x00\x00..}), the responder's signature requiring the originator's, while DPD's buffer holds
 * them ({@code .} is any byte but a newline, as in Zeek's patterns).
 */
final class PostgresAnalysis extends LineAnalysis {

    private static final Malformed MALFORMED = Malformed.INSTANCE;
    /** The grammar's {@code MAX_BUFFERED}: deliveries kept while the other side's state is not known. */
    private static final int MAX_BUFFERED = 4;
    private static final int SSL_REQUEST_CODE = 80877103;

    /** The client's state as the server's side needs it: not known yet, SSL requested, or not. */
    private static final int UNKNOWN = 0, REQUESTED = 1, NOT_REQUESTED = 2;
    /** The server's answer to an SSLRequest as the client's side needs it: not known yet, TLS, or plain. */
    private static final int ANSWER_S = 1, ANSWER_N = 2;
    private int frontendState = UNKNOWN, backendState = UNKNOWN;
    /** Nothing more is read (a parse error, a gap, or past the bytes where violations count). */
    private boolean done;

    /** One side's stream: its first bytes, then messages each read whole. */
    private abstract class MessageSide extends Side {
        /** The message being gathered and how many of its bytes came. */
        byte[] message = new byte[64];
        int filled;
        /** Deliveries kept while the other side's state is not known, and their bytes. */
        int bufferedDeliveries;
        byte[] buffered;
        int bufferedLength;
        /** This side's reading ended (its grammar unit failed without a violation). */
        boolean dead;

        MessageSide(boolean fromOrig) {
            super(fromOrig);
        }

        @Override
        final void take(byte[] d, int o, int n) {
            if (done || dead || n == 0) {
                return;
            }
            try {
                delivery(d, o, n);
            } catch (Malformed e) {
                done = true;
                violation();
            }
        }

        abstract void delivery(byte[] d, int o, int n);

        /** Keeps a delivery until the other side's state is known; a fifth is the grammar's error. */
        final void buffer(byte[] d, int o, int n) {
            if (++bufferedDeliveries > MAX_BUFFERED) {
                throw MALFORMED;
            }
            if (buffered == null) {
                buffered = new byte[Math.max(64, n)];
            } else if (bufferedLength + n > buffered.length) {
                buffered = Arrays.copyOf(buffered, Math.max(bufferedLength + n, 2 * buffered.length));
            }
            System.arraycopy(d, o, buffered, bufferedLength, n);
            bufferedLength += n;
        }

        /** Hands what was kept to {@link #read}, then lets it go. */
        final void flush() {
            if (bufferedLength > 0) {
                byte[] b = buffered;
                int n = bufferedLength;
                buffered = null;
                bufferedLength = 0;
                read(b, 0, n);
            }
        }

        /** Bytes of this side's stream once the other side's state is known. */
        abstract void read(byte[] d, int o, int n);

        /**
         * Gathers bytes [o, o + n) into messages, each of {@link #header} bytes that end with a 4-byte length counting
         * itself (at least {@link #least}), and hands each whole one to {@link #message}.
         */
        final void messages(byte[] d, int o, int n) {
            int i = o, end = o + n;
            while (i < end && !done && !dead && tls == null) {
                int header = header();
                long need = filled < header ? header : header - 4 + u32(message, header - 4);
                int take = (int) Math.min(need - filled, end - i);
                if (filled + take > message.length) {
                    message = Arrays.copyOf(message, Math.max(filled + take, 2 * message.length));
                }
                System.arraycopy(d, i, message, filled, take);
                filled += take;
                i += take;
                if (filled == header && u32(message, header - 4) < least()) {
                    throw MALFORMED; // the length's &requires
                }
                if (filled >= header && filled == header - 4 + u32(message, header - 4)) {
                    int size = filled;
                    filled = 0;
                    message(message, size);
                }
            }
        }

        /** The bytes before a message's body: a type byte (but for the StartupMessage) and the length. */
        int header() {
            return 5;
        }

        /** The least length the grammar allows. */
        long least() {
            return 4;
        }

        /** A whole message of {@code size} bytes, its header first. */
        abstract void message(byte[] m, int size);
    }

    /** The client's side. */
    private final class FrontendSide extends MessageSide {
        /** The length and version or magic number gathered so far, then whether a startup message was read. */
        private final byte[] peek = new byte[8];
        private int peeked;
        private boolean startupRead;

        FrontendSide() {
            super(true);
        }

        @Override
        void delivery(byte[] d, int o, int n) {
            int i = o, end = o + n;
            if (peeked < 8) {
                int take = Math.min(8 - peeked, n);
                System.arraycopy(d, o, peek, peeked, take);
                peeked += take;
                i += take;
                if (peeked < 8) {
                    return;
                }
                long length = u32(peek, 0);
                long magic = u32(peek, 4);
                if (length < 8) {
                    throw MALFORMED; // &requires=(self.length >= 8)
                }
                if (length == 8 && magic == SSL_REQUEST_CODE) {
                    frontendState = REQUESTED;
                } else {
                    frontendState = NOT_REQUESTED;
                    backendState = ANSWER_N;
                    if (magic >>> 16 != 3) {
                        throw MALFORMED; // "unsupported PostgreSQL major version"
                    }
                    buffered = peek.clone(); // read again as the StartupMessage
                    bufferedLength = 8;
                }
                if (i == end) {
                    return;
                }
            }
            if (backendState == UNKNOWN) {
                buffer(d, i, end - i);
                return;
            }
            if (backendState == ANSWER_S) {
                return; // TLS: the client's bytes go to the SSL analyzer (startTls)
            }
            flush();
            read(d, i, end - i);
        }

        /** The plain client messages: a StartupMessage, then typed messages. */
        @Override
        void read(byte[] d, int o, int n) {
            messages(d, o, n);
        }

        @Override
        int header() {
            return startupRead ? 5 : 4;
        }

        @Override
        long least() {
            return startupRead ? 4 : 9;
        }

        @Override
        void message(byte[] m, int size) {
            if (startupRead) {
                frontendMessage(m, size);
            } else {
                startupMessage(m, size);
                startupRead = true;
            }
        }
    }

    /** The server's side. */
    private final class BackendSide extends MessageSide {
        private boolean answerRead;

        BackendSide() {
            super(false);
        }

        @Override
        void delivery(byte[] d, int o, int n) {
            if (frontendState == UNKNOWN) {
                buffer(d, o, n);
                return;
            }
            flush();
            read(d, o, n);
        }

        @Override
        void read(byte[] d, int o, int n) {
            if (dead || done || tls != null || n == 0) {
                return;
            }
            if (frontendState == REQUESTED && !answerRead) {
                answerRead = true;
                int answer = d[o] & 0xFF;
                if (answer != 'S' && answer != 'N') {
                    dead = true; // the sink's unit failed: no violation
                    return;
                }
                confirmed = true;
                if (answer == 'S') {
                    backendState = ANSWER_S;
                    startTls();
                    return;
                }
                backendState = ANSWER_N;
                o++;
                n--;
            }
            messages(d, o, n);
        }

        @Override
        void message(byte[] m, int size) {
            backendMessage(m, size);
        }
    }

    /** How much of a stream's beginning the signatures look at: the StartupMessage's 7 bytes, 256, and "user\0". */
    private static final int SIGNATURE_PREFIX = 7 + 256 + 5;
    private static final byte[] SSL_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xD2, 0x16, 0x2F};
    private static final byte[] USER = {'u', 's', 'e', 'r', 0};
    /** The beginning of each stream while DPD's signatures look at it, and which client signature matched. */
    private byte[] origPrefix, respPrefix;
    private int origPrefixLength, respPrefixLength;
    private boolean sslSignature, startupSignature;

    PostgresAnalysis(boolean port) {
        super(port);
    }

    @Override
    Side side(boolean fromOrig) {
        return fromOrig ? new FrontendSide() : new BackendSide();
    }

    /**
     * Whether an originator's first payload may begin one of the client signatures: an SSLRequest, or a length and
     * protocol 3.0 (DPD then makes the analysis, which reads the streams from their start).
     */
    static boolean clientSignatureStart(byte[] d, int o, int n) {
        for (int i = 0; i < Math.min(n, 8); i++) {
            boolean ssl = d[o + i] == SSL_REQUEST[i];
            boolean startup = i < 4 ? d[o + i] != '\n' : i > 6 || d[o + i] == (i == 5 ? 3 : 0);
            if (!ssl && !startup) {
                return false;
            }
        }
        return true;
    }

    @Override
    void match(Side s, byte[] d, int o, int n) {
        if (!dpdBuffering(n)) {
            return;
        }
        if (s.fromOrig) {
            if (origPrefix == null) {
                origPrefix = new byte[SIGNATURE_PREFIX];
            }
            origPrefixLength = append(origPrefix, origPrefixLength, d, o, n);
            sslSignature |= origPrefixLength >= 8 && Arrays.equals(origPrefix, 0, 8, SSL_REQUEST, 0, 8);
            startupSignature |= startupSignature(origPrefix, origPrefixLength);
            s.signature = sslSignature || startupSignature;
        } else {
            if (respPrefix == null) {
                respPrefix = new byte[5];
            }
            // Each server signature is judged once, when its bytes have come: the originator's must have matched then.
            int before = respPrefixLength;
            respPrefixLength = append(respPrefix, respPrefixLength, d, o, n);
            byte[] r = respPrefix;
            s.signature |= sslSignature && before < 1 && (r[0] == 'S' || r[0] == 'N')
                    || startupSignature && before < 5 && respPrefixLength >= 5 && isAlnum(r[0]) && r[1] == 0
                            && r[2] == 0 && r[3] != '\n' && r[4] != '\n';
        }
        if (signaturesMatched()) {
            origPrefix = null;
            respPrefix = null;
        }
    }

    private static int append(byte[] prefix, int length, byte[] d, int o, int n) {
        int take = Math.min(n, prefix.length - length);
        System.arraycopy(d, o, prefix, length, take);
        return length + take;
    }

    /** {@code ^....\x00\x03\x00.{0,256}user\x00} over a stream's first bytes. */
    private static boolean startupSignature(byte[] p, int length) {
        if (length < 12 || p[4] != 0 || p[5] != 3 || p[6] != 0) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (p[i] == '\n') {
                return false;
            }
        }
        for (int at = 7; at <= 7 + 256 && at + USER.length <= length; at++) {
            if (Arrays.equals(p, at, at + USER.length, USER, 0, USER.length)) {
                return true;
            }
            if (p[at] == '\n') {
                return false;
            }
        }
        return false;
    }

    private static boolean isAlnum(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9';
    }

    @Override
    String service() {
        return service("postgresql");
    }

    @Override
    void gap(boolean fromOrig, long seq, long len) {
        super.gap(fromOrig, seq, len);
        if (tls == null && !done) {
            done = true;
            violation(); // a gap in what Spicy parses is a parse error
            stop();
        }
    }

    @Override
    void taken() {
        done |= stopPastViolations();
    }

    // ---- the messages ------------------------------------------------------------------------------------------

    /** A StartupMessage of {@code size} bytes, its length first; confirms when it parses. */
    private void startupMessage(byte[] m, int size) {
        if (u32(m, 4) >>> 16 != 3) {
            throw MALFORMED; // &requires=($$.major == 3)
        }
        int i = 8, end = size - 1;
        while (i < end) {
            i = token(m, i, end, false, false);
            i = token(m, i, end, true, false);
        }
        if (m[size - 1] != 0) {
            throw MALFORMED; // the closing NUL
        }
        confirmed = true;
    }

    /**
     * A parameter's name ({@code [-_/A-Za-z0-9]+}) or value ({@code [\x20-\x7e]+}, or {@code *} where it may be
     * empty) and its NUL within [i, end): where it ends.
     */
    private static int token(byte[] m, int i, int end, boolean value, boolean mayBeEmpty) {
        int start = i;
        while (i < end && (value ? m[i] >= 0x20 && m[i] <= 0x7E : isNameByte(m[i]))) {
            i++;
        }
        if (i == start && !mayBeEmpty || i >= end || m[i] != 0) {
            throw MALFORMED;
        }
        return i + 1;
    }

    private static boolean isNameByte(byte b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '_'
                || b == '/';
    }

    /** A client message: a simple query must hold its NUL. */
    private static void frontendMessage(byte[] m, int size) {
        if (m[0] == 'Q' && indexOf0(m, 5, size) < 0) {
            throw MALFORMED;
        }
    }

    /** A server message, checked as the grammar checks its type. */
    private static void backendMessage(byte[] m, int size) {
        int body = size - 5;
        switch (m[0]) {
            case 'K' -> {
                if (body < 8) {
                    throw MALFORMED;
                }
            }
            case 'E', 'N' -> fields(m, 5, size);
            case 'R' -> {
                if (body < 4) {
                    throw MALFORMED;
                }
                long identifier = u32(m, 5);
                if (identifier > 12 || identifier == 0 && body != 4) {
                    throw MALFORMED;
                }
            }
            case 'S' -> token(m, token(m, 5, size, false, false), size, true, true); // ParameterStatus
            case 'D' -> {
                if (body < 2) {
                    throw MALFORMED;
                }
            }
            case 'Z' -> {
                if (body < 1 || m[5] != 'I' && m[5] != 'T' && m[5] != 'E') {
                    throw MALFORMED;
                }
            }
            default -> {
                // not read further
            }
        }
    }

    /** Error or notice fields (a code, a value up to its NUL) up to a NUL code. */
    private static void fields(byte[] m, int i, int end) {
        while (true) {
            if (i >= end) {
                throw MALFORMED;
            }
            if (m[i] == 0) {
                return;
            }
            int nul = indexOf0(m, i + 1, end);
            if (nul < 0) {
                throw MALFORMED;
            }
            i = nul + 1;
        }
    }

    private static int indexOf0(byte[] m, int from, int end) {
        for (int i = from; i < end; i++) {
            if (m[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static long u32(byte[] b, int i) {
        return (b[i] & 0xFFL) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }
}
