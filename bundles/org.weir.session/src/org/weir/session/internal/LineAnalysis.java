package org.weir.session.internal;

/**
 * What Zeek's analyses of line protocols (FTP, SMTP, POP3, IMAP, IRC) and of the other stream protocols read the same
 * way (syslog's framing over TCP, MySQL's and PostgreSQL's messages) share as far as conn.log shows it: attached by a
 * port or by DPD signatures over both streams while DPD's buffer holds them; confirmed by what a side says; disabled,
 * and its service taken back, by a violation in the connection's first {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER}
 * bytes; the end of the streams when the connection goes; and a switch to TLS, after which the client's ClientHello
 * adds {@code ssl} ({@link StartTlsHello}). Each side's stream is taken in order ({@link InOrderStream}), byte by byte
 * unless an analysis reads whole deliveries.
 *
 * <p>An analysis that DPD may attach reads the streams from their start before its signatures matched, as Zeek's
 * analyzer reads DPD's buffer when they match: a violation in that part counts once they have.
 */
abstract class LineAnalysis {

    /** One side's stream and the state of its DPD signature's scan. */
    abstract class Side implements InOrderStream.Receiver {
        final boolean fromOrig;
        final InOrderStream stream = new InOrderStream();
        /** DPD: whether this side's signature matched, whether its scan is over, and how far it is. */
        boolean signature, scanDone;
        int scan, index;

        Side(boolean fromOrig) {
            this.fromOrig = fromOrig;
        }

        @Override
        public final void deliver(byte[] d, int o, int n) {
            if (tls != null) {
                if (fromOrig) {
                    tls.deliver(d, o, n);
                }
                return;
            }
            if (!port && !signaturesMatched()) {
                match(this, d, o, n);
                attachedByDpd();
            }
            if (!disabled && tls == null) {
                take(d, o, n);
            }
        }

        /** A delivery of this side's stream, as the analyzer reads it. */
        abstract void take(byte[] d, int o, int n);
    }

    /** A side whose analyzer splits its stream into lines byte by byte. */
    abstract class ByteSide extends Side {

        ByteSide(boolean fromOrig) {
            super(fromOrig);
        }

        @Override
        final void take(byte[] d, int o, int n) {
            for (int i = o; i < o + n && !disabled && tls == null; i++) {
                take(d[i] & 0xFF);
            }
        }

        /** The next byte of this side's stream, as the analyzer's line splitter takes it. */
        abstract void take(int c);
    }

    /**
     * A side whose lines Zeek's {@code ContentLine} splits (SMTP's, POP3's, IRC's): CR, LF and CRLF end a line, also
     * a CRLF split across deliveries. A line's first bytes are kept, up to the buffer's size.
     */
    abstract class ContentLineSide extends ByteSide {
        final byte[] line;
        /** The current line's length so far (its bytes beyond the buffer's size counted, not kept). */
        int length;
        private boolean afterCr;

        ContentLineSide(boolean fromOrig, int kept) {
            super(fromOrig);
            line = new byte[kept];
        }

        @Override
        final void take(int c) {
            if (afterCr) {
                afterCr = false;
                if (c == '\n') {
                    return; // the LF of CRLF: the CR ended the line
                }
            }
            if (c == '\r' || c == '\n') {
                afterCr = c == '\r';
                int n = length;
                length = 0;
                lineEnd(n);
            } else if (keeps(c)) {
                if (length < line.length) {
                    line[length] = (byte) c;
                }
                length++;
            }
        }

        /** Whether a byte belongs to the line ({@link #length} is the length before it). */
        boolean keeps(int c) {
            return true;
        }

        /** A line of {@code n} bytes ended, its first ones in {@link #line}. */
        abstract void lineEnd(int n);
    }

    /** Attached by the responder port, not by DPD. */
    final boolean port;
    final Side orig, resp;
    boolean confirmed, disabled;
    /** A violation came while the DPD signatures had not matched yet. */
    private boolean violatedUnattached;
    /** The client's TLS after the protocol switched to it. */
    StartTlsHello tls;
    /** The connection of the segment being taken. */
    TcpConnection tcp;

    LineAnalysis(boolean port) {
        this.port = port;
        orig = side(true);
        resp = side(false);
    }

    abstract Side side(boolean fromOrig);

    /** DPD's signatures over a delivery of a side whose signature has not matched yet. */
    abstract void match(Side s, byte[] d, int o, int n);

    /** Zeek's {@code service} as far as this analysis gives it: its protocol's name (with {@code ssl}), or empty. */
    abstract String service();

    /** Zeek's {@code service}: {@code name} when confirmed and not disabled, {@code name,ssl} after a ClientHello. */
    final String service(String name) {
        if (!confirmed() || disabled) {
            return "";
        }
        return tls != null && tls.confirmed() ? name + ",ssl" : name;
    }

    /** Confirmed by an attached analyzer. */
    final boolean confirmed() {
        return confirmed && signaturesMatched();
    }

    /** Attached: by the port, or by both DPD signatures. */
    final boolean signaturesMatched() {
        return port || (orig.signature && resp.signature);
    }

    /**
     * A payload taken by its sender's reassembly at relative sequence {@code dataSeq}: bytes [o, o + n) of
     * {@code d}, with the stream delivered up to {@code delivered} (exclusive) after it.
     */
    final void segment(TcpConnection tcp, boolean fromOrig, long dataSeq, byte[] d, int o, int n, long delivered) {
        if (disabled || (tls != null && (!fromOrig || tls.decided()))) {
            return;
        }
        this.tcp = tcp;
        Side s = fromOrig ? orig : resp;
        s.stream.segment(dataSeq, d, o, n, delivered, s);
        taken();
        this.tcp = null;
    }

    /** After a segment was taken, with {@link #tcp} still set. */
    void taken() {
    }

    /**
     * For an analysis whose confirmation comes with the streams' first messages: stops reading once the connection
     * has carried more than {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes, when a violation no longer counts,
     * unless the streams switched to TLS (whose ClientHello may still add {@code ssl}). Whether it stopped.
     */
    final boolean stopPastViolations() {
        if (tcp.violationRemovesAnalyzer() || tls != null) {
            return false;
        }
        stop();
        return true;
    }

    /** A content gap of a side (Zeek's {@code Undelivered}) on connection {@code tcp}. */
    final void contentGap(TcpConnection tcp, boolean fromOrig, long seq, long len) {
        this.tcp = tcp;
        gap(fromOrig, seq, len);
        this.tcp = null;
    }

    /** A content gap of a side: the line being split goes on with the bytes after it. */
    void gap(boolean fromOrig, long seq, long len) {
        (fromOrig ? orig : resp).stream.skip(seq, len);
    }

    /** Connection {@code tcp} is removed, its streams end (Zeek's analyzers are {@code Done}). */
    final void connectionEnds(TcpConnection tcp) {
        this.tcp = tcp;
        endOfData();
        this.tcp = null;
    }

    /** What the analyzer makes of the end of both streams; most make nothing of it. */
    void endOfData() {
    }

    /** Whether DPD's buffer held at most its size before this delivery of {@code n} bytes. */
    final boolean dpdBuffering(int n) {
        return tcp.orig.lastReassemSeq - 1 - origBase + tcp.resp.lastReassemSeq - 1 - respBase - n
                <= ZeekConfig.DPD_BUFFER_SIZE;
    }

    /**
     * The bytes of the connection's sides before this analysis's streams began: none, but for an analysis of a
     * CONNECT's tunnel, whose DPD has a buffer of its own.
     */
    long origBase, respBase;

    /**
     * A violation: Zeek 7.2's DPD framework disables the analyzer at its first one while the connection has carried
     * at most {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes, taking its service back.
     */
    final void violation() {
        if (!signaturesMatched()) {
            violatedUnattached = true;
        } else if (tcp.violationRemovesAnalyzer()) {
            disabled = true;
            stop();
        }
    }

    /**
     * After a signature matched: once all have, DPD hands its buffer to the analyzer it attaches, so a violation in
     * what was read before happens now.
     */
    final void attachedByDpd() {
        if (violatedUnattached && signaturesMatched()) {
            violatedUnattached = false;
            violation();
        }
    }

    /** The streams are TLS from here on: the client's ClientHello is read, nothing else. */
    final void startTls() {
        tls = new StartTlsHello();
        resp.stream.lose();
    }

    /** Stops following the streams (the connection is gone); what was confirmed stays. */
    final void stop() {
        orig.stream.lose();
        resp.stream.lose();
    }

    static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** C's {@code toupper} in the C locale, as Zeek's analyzers upper-case a command: a to z only. */
    static String upperAscii(String s) {
        char[] c = s.toCharArray();
        for (int k = 0; k < c.length; k++) {
            if (c[k] >= 'a' && c[k] <= 'z') {
                c[k] -= 'a' - 'A';
            }
        }
        return new String(c);
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
