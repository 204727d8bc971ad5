package org.weir.session.internal;

import java.util.Arrays;

/**
 * Zeek's IMAP analysis of one TCP connection, as far as conn.log shows it: {@code imap} in {@code service} once the
 * analyzer confirmed, {@code imap,ssl} when a ClientHello followed STARTTLS, and nothing when a violation disabled it
 * in the connection's first 10 KiB.
 *
 * <p>Zeek's analyzer (attached by the responder port 143 only: it has no DPD signature) is meant for the StartTLS
 * handshake and reads each delivery of a side as a whole, as a sequence of lines {@code TAG SP+ COMMAND SP* TEXT
 * NEWLINE+}, where a tag and a command are runs of printable characters other than space and the server's
 * {@code * CAPABILITY} line is a list of such words; a delivery that is not such a sequence (a line without a tag
 * and a command, a line cut by the delivery's end, a byte outside ASCII in a tag) is a violation. The server's
 * {@code * OK} (any case) confirms, so does the client's {@code capability} (lower case) or {@code STARTTLS} (any
 * case); the words {@code authenticate}, {@code login}, {@code examine}, {@code create}, {@code list} and
 * {@code fetch} (lower case, either side) confirm and end the analysis for the next deliveries, as the handshake is
 * over. A server's line with the STARTTLS command's tag and {@code OK} switches the streams to TLS. A content gap in
 * either direction ends the analysis; partial connections are not looked at.
 */
final class ImapAnalysis extends LineAnalysis {

    private static final byte[][] HANDSHAKE_OVER = words("authenticate", "login", "examine", "create", "list",
            "fetch");
    private static final byte[] STAR = {'*'}, OK = words("ok")[0], CAPABILITY = words("capability")[0],
            STARTTLS = words("starttls")[0];

    /** Zeek's {@code SetSkip}: the handshake is over, the next deliveries are not read. */
    private boolean skip;
    /** A content gap came: nothing more is read (but TLS after STARTTLS). */
    private boolean hadGap;
    /** The tag of the client's STARTTLS command. */
    private byte[] startTlsTag;

    /** One side's deliveries, each read as a sequence of lines. */
    private final class DeliverySide extends Side {

        DeliverySide(boolean fromOrig) {
            super(fromOrig);
        }

        @Override
        void take(byte[] d, int o, int n) {
            if (!skip && !hadGap) {
                delivery(fromOrig, d, o, o + n);
            }
        }
    }

    ImapAnalysis() {
        super(true);
    }

    @Override
    Side side(boolean fromOrig) {
        return new DeliverySide(fromOrig);
    }

    @Override
    void match(Side s, byte[] d, int o, int n) {
        // attached by the port only
    }

    @Override
    String service() {
        return service("imap");
    }

    @Override
    void gap(boolean fromOrig, long seq, long len) {
        super.gap(fromOrig, seq, len);
        hadGap = true;
    }

    /** A delivery of a side, bytes [i, end) of {@code d}: its lines in turn, until one does not parse. */
    private void delivery(boolean fromOrig, byte[] d, int i, int end) {
        while (i < end) {
            int tag = i;
            i = word(d, i, end);
            int tagEnd = i;
            int spaces = i;
            i = spaces(d, i, end);
            int command = i;
            i = word(d, i, end);
            int commandEnd = i;
            if (tagEnd == tag || i == spaces || commandEnd == command) {
                violation();
                return;
            }
            i = spaces(d, i, end);
            if (!fromOrig && equals(d, tag, tagEnd, STAR, false) && equals(d, command, commandEnd, CAPABILITY, true)) {
                // the capabilities: words, each with spaces after it, until one has a newline after it
                int newline;
                do {
                    int cap = i;
                    i = word(d, i, end);
                    if (i == cap) {
                        violation();
                        return;
                    }
                    i = spaces(d, i, end);
                    newline = i;
                    i = newlines(d, i, end);
                } while (i == newline);
            } else {
                while (i < end && d[i] != '\r' && d[i] != '\n') {
                    i++;
                }
                int newline = i;
                i = newlines(d, i, end);
                if (i == newline) {
                    violation(); // the delivery ends inside a line
                    return;
                }
            }
            token(fromOrig, d, tag, tagEnd, command, commandEnd);
        }
    }

    /** A line that parsed: Zeek's {@code proc_imap_token}. */
    private void token(boolean fromOrig, byte[] d, int tag, int tagEnd, int command, int commandEnd) {
        boolean ok = equals(d, command, commandEnd, OK, true);
        boolean startTls = equals(d, command, commandEnd, STARTTLS, true);
        if (!fromOrig && ok && equals(d, tag, tagEnd, STAR, false)) {
            confirmed = true;
        }
        if (fromOrig && (equals(d, command, commandEnd, CAPABILITY, false) || startTls)) {
            confirmed = true;
        }
        for (byte[] w : HANDSHAKE_OVER) {
            if (equals(d, command, commandEnd, w, false)) {
                confirmed = true;
                skip = true;
                return;
            }
        }
        if (fromOrig && startTls) {
            startTlsTag = Arrays.copyOfRange(d, tag, tagEnd);
        }
        if (!fromOrig && startTlsTag != null && tls == null && equals(d, tag, tagEnd, startTlsTag, false) && ok) {
            startTls();
        }
    }

    /** The end of a run of printable ASCII characters other than space ({@code [[:alnum:][:punct:]]+}) from i. */
    private static int word(byte[] d, int i, int end) {
        while (i < end && d[i] > ' ' && d[i] < 0x7F) {
            i++;
        }
        return i;
    }

    private static int spaces(byte[] d, int i, int end) {
        while (i < end && d[i] == ' ') {
            i++;
        }
        return i;
    }

    private static int newlines(byte[] d, int i, int end) {
        while (i < end && (d[i] == '\r' || d[i] == '\n')) {
            i++;
        }
        return i;
    }

    /** Whether bytes [from, to) of {@code d} are {@code word}, in its lower case only or in any case. */
    private static boolean equals(byte[] d, int from, int to, byte[] word, boolean anyCase) {
        if (to - from != word.length) {
            return false;
        }
        for (int k = 0; k < word.length; k++) {
            byte b = d[from + k];
            if (anyCase && b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != word[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[][] words(String... words) {
        byte[][] b = new byte[words.length][];
        for (int k = 0; k < words.length; k++) {
            b[k] = words[k].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return b;
    }
}
