package org.weir.session.internal;

/**
 * Zeek's syslog analysis of one TCP connection (its Spicy analyzer {@code Syslog_TCP}, attached by the responder port,
 * also to partial connections), as far as conn.log shows it: {@code syslog_tcp} in {@code service}.
 *
 * <p>Each side's stream is parsed as {@code Syslog::Frames}, a list of RFC 6587 frames up to the stream's end. A frame
 * that begins with a digit 1 to 9 is octet-counted: the length, a space, then that many bytes of a
 * {@code Syslog::Message} (an optional priority {@code <digits>}, then anything); it confirms once its last byte is
 * read. A frame that begins with {@code <} is non-transparent: the priority, at least one byte other than NUL, CR and
 * LF, then a run of those; it confirms once the run is over, that is with the next frame's first byte or at the end of
 * the stream. Anything else where a frame begins, a malformed priority, a frame cut by the stream's end and a content
 * gap are parse errors: Zeek's Spicy glue reports a violation and the analyzer reads nothing more of the connection;
 * Zeek 7.2's DPD framework takes a confirmed service back when the connection has carried at most
 * {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes. The streams end when the connection is removed (Zeek's analyzers
 * read the end of their input in {@code Done}).
 */
final class SyslogFrames extends LineAnalysis {

    /** Where a side's parser stands. */
    private static final int FRAME = 0, LENGTH = 1, MESSAGE = 2, MESSAGE_PRIORITY = 3, MESSAGE_PRIORITY_DIGITS = 4,
            MESSAGE_TEXT = 5, PRIORITY = 6, PRIORITY_DIGITS = 7, TEXT_FIRST = 8, TEXT = 9, TERMINATORS = 10;

    /** A parse error ended the analysis (on either side). */
    private boolean failed;

    SyslogFrames() {
        super(true);
    }

    @Override
    Side side(boolean fromOrig) {
        return new FrameSide(fromOrig);
    }

    @Override
    void match(Side s, byte[] d, int o, int n) {
        // attached by its port only: no DPD signature
    }

    @Override
    String service() {
        return service("syslog_tcp");
    }

    /** One side's parser, byte by byte. */
    private final class FrameSide extends ByteSide {
        private int state = FRAME;
        /** An octet-counted frame's length, then the bytes of its message still to come. */
        private long remaining;

        FrameSide(boolean fromOrig) {
            super(fromOrig);
        }

        @Override
        void take(int c) {
            if (failed) {
                return;
            }
            switch (state) {
                case FRAME -> frameStart(c);
                case LENGTH -> {
                    if (c >= '0' && c <= '9') {
                        remaining = remaining > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : remaining * 10 + c - '0';
                    } else if (c == ' ') {
                        state = MESSAGE;
                    } else {
                        fail();
                    }
                }
                case MESSAGE -> messageByte(c == '<' ? MESSAGE_PRIORITY : MESSAGE_TEXT);
                case MESSAGE_PRIORITY -> {
                    if (c >= '0' && c <= '9') {
                        messageByte(MESSAGE_PRIORITY_DIGITS);
                    } else {
                        fail();
                    }
                }
                case MESSAGE_PRIORITY_DIGITS -> {
                    if (c >= '0' && c <= '9' || c == '>') {
                        messageByte(c == '>' ? MESSAGE_TEXT : MESSAGE_PRIORITY_DIGITS);
                    } else {
                        fail();
                    }
                }
                case MESSAGE_TEXT -> messageByte(MESSAGE_TEXT);
                case PRIORITY -> expect(c >= '0' && c <= '9', PRIORITY_DIGITS);
                case PRIORITY_DIGITS -> expect(c >= '0' && c <= '9' || c == '>', c == '>' ? TEXT_FIRST
                        : PRIORITY_DIGITS);
                case TEXT_FIRST -> expect(!terminator(c), TEXT);
                case TEXT -> state = terminator(c) ? TERMINATORS : TEXT;
                default -> { // TERMINATORS
                    if (!terminator(c)) {
                        confirmed = true;
                        frameStart(c);
                    }
                }
            }
        }

        private void frameStart(int c) {
            if (c >= '1' && c <= '9') {
                remaining = c - '0';
                state = LENGTH;
            } else if (c == '<') {
                state = PRIORITY;
            } else {
                fail();
            }
        }

        private void expect(boolean ok, int next) {
            if (ok) {
                state = next;
            } else {
                fail();
            }
        }

        /**
         * A byte of an octet-counted frame's message, after which the message parser is at {@code next}: the frame's
         * last byte confirms, unless it leaves a priority unfinished.
         */
        private void messageByte(int next) {
            if (--remaining > 0) {
                state = next;
            } else if (next == MESSAGE_TEXT) {
                confirmed = true;
                state = FRAME;
            } else {
                fail();
            }
        }

        /** The end of this side's stream: only a frame's start or a non-transparent frame's terminators end well. */
        void end() {
            if (failed || stream.lost()) {
                return; // ended by a violation, or no longer followed
            }
            if (state == TERMINATORS) {
                confirmed = true;
            } else if (state != FRAME) {
                fail();
            }
        }
    }

    private static boolean terminator(int c) {
        return c == 0 || c == '\n' || c == '\r';
    }

    /** A parse error: a violation, after which nothing more of either stream is read. */
    private void fail() {
        failed = true;
        violation();
        stop();
    }

    @Override
    void gap(boolean fromOrig, long seq, long len) {
        if (!failed && !(fromOrig ? orig : resp).stream.lost()) {
            fail(); // the parser reaches the gap: Spicy's input has no bytes there
        }
    }

    @Override
    void endOfData() {
        ((FrameSide) orig).end(); // Zeek finishes the originator's parser first
        ((FrameSide) resp).end();
    }
}
