package org.weir.session.internal;

/**
 * What Zeek's analyses of line protocols whose server greets first (FTP, SMTP) share as far as conn.log shows it:
 * attached by a port or by DPD signatures over both streams while DPD's buffer holds them; confirmed by a client
 * line; disabled, and its service taken back, by a violation in the connection's first
 * {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes; and a switch to TLS, after which the client's ClientHello adds
 * {@code ssl} ({@link StartTlsHello}). Each side's stream is taken in order ({@link InOrderStream}) byte by byte.
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
            }
            for (int i = o; i < o + n && !disabled && tls == null; i++) {
                take(d[i] & 0xFF);
            }
        }

        /** The next byte of this side's stream, as the analyzer's line splitter takes it. */
        abstract void take(int c);
    }

    /** Attached by the responder port, not by DPD. */
    final boolean port;
    final Side orig, resp;
    boolean confirmed, disabled;
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

    /** A content gap of a side: the line being split goes on with the bytes after it. */
    void gap(boolean fromOrig, long seq, long len) {
        (fromOrig ? orig : resp).stream.skip(seq, len);
    }

    /** Whether DPD's buffer held at most its size before this delivery of {@code n} bytes. */
    final boolean dpdBuffering(int n) {
        return tcp.orig.lastReassemSeq - 1 + tcp.resp.lastReassemSeq - 1 - n <= ZeekConfig.DPD_BUFFER_SIZE;
    }

    /**
     * A violation: Zeek 7.2's DPD framework disables the analyzer at its first one while the connection has carried
     * at most {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes, taking its service back.
     */
    final void violation() {
        if (tcp.orig.size() + tcp.resp.size() <= ZeekConfig.IGNORE_VIOLATIONS_AFTER && signaturesMatched()) {
            disabled = true;
            stop();
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

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
