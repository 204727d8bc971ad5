package org.weir.session.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Zeek's HTTP analysis of a client's stream after its first request line, as far as conn.log shows it: the MIME
 * limits its messages can reach ({@link MimeEntities}), each an {@code X} in the history.
 *
 * <p>The stream is read as Zeek's HTTP analyzer reads it: in order ({@link InOrderStream}), split into lines at CR,
 * LF or CRLF except where a message's framing takes bytes whole; a request line (as {@link HttpStreamStart} judges
 * it; empty lines before it are skipped) begins a message, which ends with its body; anything else where a request
 * line is due is a violation ({@link #violated}) once Zeek's {@code keep_alive} is set ({@link #keepAlive}), after
 * which Zeek reads nothing more of the stream, and otherwise "crud" that is passed over. A content gap inside a
 * body of known length is passed over; any other ends the analysis, as does a body that runs to the stream's end.
 * Replies are not read (but the first reply line's version), so the stream is not followed past a CONNECT or a
 * request that asks to upgrade the protocol, unless it was the connection's first ({@link HttpTunnel} then reads
 * the replies and tells when the switch comes): once the server agrees, Zeek's analysis forwards what follows to
 * another protocol's.
 */
final class HttpRequests implements InOrderStream.Receiver {

    /** The most bytes of a line kept (its length is counted beyond), and the buffer a line begins with. */
    private static final int LINE_KEPT = 8192, FIRST_LINE_BUFFER = 128;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final InOrderStream stream = new InOrderStream();
    private final MimeEntities message = new MimeEntities(true);
    /** The start of a line that a delivery did not end (made on first need). */
    private byte[] line;
    private int length;
    private boolean afterCr, inMessage;
    /** A limit was reached while Zeek's analyzer was not attached yet (its DPD signatures had not matched). */
    private boolean limitPending;
    /** A line where a request line was due was none: Zeek's analyzer reports a violation. */
    private boolean violated;
    /** The message being read is a CONNECT request. */
    private boolean connect;
    /** The request lines read so far. */
    private int requests;
    /**
     * Zeek's {@code keep_alive}: a version above 1.0 in a request line or a reply line read so far, or a request's
     * {@code Connection: keep-alive}. Only then is a line that is no request line, where one is due, a violation
     * (Zeek's {@code RequestExpected}, once a request was made); otherwise it is "crud" and the next line is tried.
     */
    private boolean keepAlive;
    /** The replies and the switch of a connection whose first request is a CONNECT or an upgrade (null for others). */
    private HttpTunnel tunnel;
    /**
     * The first request line was cut by the stream's first segment, so it is judged here, whole: not yet, found
     * (a request, of HTTP/0.9 or not), or {@link #violated}.
     */
    private byte firstLine;
    static final byte FIRST_LINE_JUDGED = 0, FIRST_LINE_PENDING = 1, FIRST_LINE_REQUEST = 2, FIRST_LINE_09 = 3;

    /** @param firstLineCut the stream's first segment ended inside what may be its request line */
    HttpRequests(boolean firstLineCut) {
        firstLine = firstLineCut ? FIRST_LINE_PENDING : FIRST_LINE_JUDGED;
    }

    /**
     * Once, after the first request line that the first segment cut was read whole: {@link #FIRST_LINE_REQUEST} or
     * {@link #FIRST_LINE_09} if it was one; {@link #FIRST_LINE_JUDGED} otherwise.
     */
    byte takeFirstLine() {
        byte f = firstLine;
        if (f == FIRST_LINE_PENDING) {
            return FIRST_LINE_JUDGED;
        }
        firstLine = FIRST_LINE_JUDGED;
        return f;
    }
    /** The connection of the segment being taken, and whether Zeek's analyzer is attached to it. */
    private TcpConnection tcp;
    private boolean attached;

    /**
     * A payload taken by the originator's reassembly at relative sequence {@code dataSeq}: bytes [o, o + n) of
     * {@code d}, with the stream delivered up to {@code delivered} (exclusive) after it.
     */
    void segment(TcpConnection tcp, boolean attached, long dataSeq, byte[] d, int o, int n, long delivered) {
        this.tcp = tcp;
        this.attached = attached;
        stream.segment(dataSeq, d, o, n, delivered, this);
        this.tcp = null;
    }

    private static final byte[] LINE_FEED = {'\n'};

    /**
     * The originator's stream ended (Zeek's {@code EndpointEOF}): its line reader hands over a line that the stream
     * did not end, as if a line feed followed it (not once the stream switched to another protocol).
     */
    void endOfStream(TcpConnection tcp, boolean attached) {
        if (length > 0 && !stream.lost() && (tunnel == null || !tunnel.started())) {
            this.tcp = tcp;
            this.attached = attached;
            deliver(LINE_FEED, 0, 1);
            this.tcp = null;
        }
    }

    /** A reply line of a version above 1.0 was read: Zeek's analyzer expects more requests. */
    void replyKeepsAlive() {
        keepAlive = true;
    }

    /** Zeek's analyzer was attached (both DPD signatures matched): a limit it read before is reached now. */
    void attached(TcpConnection tcp) {
        if (limitPending) {
            limitPending = false;
            tcp.checkHistory(Conn.HIST_LIMIT, 'X');
        }
    }

    /**
     * A content gap of the originator's stream (Zeek's {@code Undelivered}): passed over inside a body of known
     * length, the end of the analysis anywhere else.
     */
    void gap(long seq, long len) {
        if (stream.lost()) {
            return;
        }
        if (inMessage && message.gap(len)) {
            stream.skip(seq, len);
            messageGoesOn();
        } else {
            stop();
        }
    }

    /** Zeek's analyzer is gone (a violation, the connection's end): nothing more is read. */
    void stop() {
        stream.lose();
        line = null;
    }

    /** Whether nothing more of the stream is read. */
    boolean stopped() {
        return stream.lost();
    }

    /** Whether a later request line was none (a violation, after which nothing more is read). */
    boolean violated() {
        return violated;
    }

    @Override
    public void deliver(byte[] d, int o, int n) {
        if (tunnel != null) {
            if (tunnel.started()) {
                tunnel.origDelivery(tcp, d, o, n); // Zeek's analyzer forwards the stream: no requests any more
                return;
            }
            if (tunnel.gaveUp()) {
                stop(); // where a tunnel would begin is not known: requests are not read any more
                return;
            }
        }
        int end = o + n;
        for (int i = o; i < end && !stream.lost(); ) {
            if (afterCr) {
                // The LF of CRLF: the CR ended the line. Zeek's line reader compresses CRLF before it hands bytes
                // over whole, so the LF after a header's last line is not the body's first byte.
                afterCr = false;
                if (d[i] == '\n') {
                    i++;
                    continue;
                }
            }
            long plain = inMessage ? message.plain() : 0;
            if (plain > 0) {
                int take = (int) Math.min(plain, end - i);
                limit(message.bytes(d, i, take));
                i += take;
                messageGoesOn();
                continue;
            }
            int eol = endOfLine(d, i, end);
            if (eol == end) {
                keep(d, i, end - i); // the line goes on in the next delivery
                return;
            }
            afterCr = d[eol] == '\r';
            if (length == 0) {
                lineEnd(d, i, eol - i, eol - i); // the whole line is in this delivery
            } else {
                keep(d, i, eol - i);
                int total = length;
                length = 0;
                lineEnd(line, 0, Math.min(total, line.length), total);
            }
            i = eol + 1;
        }
    }

    /** Where the first CR or LF in bytes [i, end) is ({@code end}: none); eight bytes a step. */
    static int endOfLine(byte[] d, int i, int end) {
        for (; i + 8 <= end; i += 8) {
            long v = (long) LONG.get(d, i);
            long cr = v ^ 0x0D0D0D0D0D0D0D0DL, lf = v ^ 0x0A0A0A0A0A0A0A0AL;
            // A zero byte of cr or lf is a CR or LF; the lowest flagged byte is exact (flags above it may not be).
            long zero = ((cr - 0x0101010101010101L) & ~cr | (lf - 0x0101010101010101L) & ~lf) & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        while (i < end && d[i] != '\r' && d[i] != '\n') {
            i++;
        }
        return i;
    }

    /** Keeps the next bytes of a line that a delivery does not end (up to {@link #LINE_KEPT}). */
    private void keep(byte[] d, int o, int n) {
        int room = LINE_KEPT - length;
        if (room > 0 && n > 0) {
            int k = Math.min(n, room);
            if (line == null) {
                line = new byte[Math.max(FIRST_LINE_BUFFER, k)];
            } else if (length + k > line.length) {
                line = Arrays.copyOf(line, Math.min(LINE_KEPT, Math.max(length + k, 2 * line.length)));
            }
            System.arraycopy(d, o, line, length, k);
        }
        length += n;
    }

    /** A line of {@code total} bytes ended, its first {@code kept} at {@code o} in {@code b}. */
    private void lineEnd(byte[] b, int o, int kept, int total) {
        if (inMessage) {
            limit(message.line(b, o, kept, total));
            messageGoesOn();
        } else if (total > 0) { // empty lines before a request line are passed over
            int version = HttpStreamStart.requestVersion(b, o, kept);
            if (version == HttpStreamStart.NOT_A_REQUEST) {
                if (firstLine != FIRST_LINE_PENDING && !keepAlive && !message.keepAlive()) {
                    return; // crud_trailing_HTTP_request: no violation, and the next line may be a request
                }
                violated = firstLine != FIRST_LINE_PENDING; // not a http request line (the first: nothing to undo)
                firstLine = FIRST_LINE_JUDGED;
                stop();
                return;
            }
            keepAlive |= version >= 0 && HttpStreamStart.versionAbove10(b, version, o + kept);
            if (firstLine == FIRST_LINE_PENDING) {
                firstLine = version == HttpStreamStart.NO_VERSION ? FIRST_LINE_09 : FIRST_LINE_REQUEST;
            }
            message.begin(version >= 0 && HttpStreamStart.http11(b, version, o + kept));
            inMessage = true;
            connect = kept >= 8 && HttpStreamStart.isConnect(b, o);
            requests++;
            if (tunnel != null) {
                tunnel.requestMade(connect);
            } else if (connect) {
                followReplies(true);
            }
        }
    }

    /**
     * The connection's first request is a CONNECT, or asks to upgrade the protocol: with nothing from the responder
     * yet, its replies are followed to find where the switch comes ({@link HttpTunnel}).
     */
    private void followReplies(boolean connect) {
        if (requests == 1 && tcp.resp.lastReassemSeq == 1) {
            tunnel = new HttpTunnel();
            tcp.rare().httpTunnel = tunnel;
            tunnel.requestMade(connect);
        }
    }

    private void messageGoesOn() {
        if (message.opaque()) {
            stop();
        } else if (message.ended()) {
            inMessage = false;
            if (message.upgrade() && tunnel == null) {
                followReplies(false);
            }
            if ((connect || message.upgrade()) && tunnel == null) {
                // A tunnel or another protocol follows once the server agrees, and the replies that say so are
                // not read: nothing more is read as requests.
                stop();
                return;
            }
            if (line != null && line.length > FIRST_LINE_BUFFER) {
                line = null; // a long line's buffer is not kept for the connection's life
            }
        }
    }

    private void limit(boolean reached) {
        if (!reached) {
            return;
        }
        if (attached) {
            tcp.checkHistory(Conn.HIST_LIMIT, 'X');
        } else {
            limitPending = true;
        }
    }
}
