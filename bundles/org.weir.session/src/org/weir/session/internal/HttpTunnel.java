package org.weir.session.internal;

/**
 * Zeek's HTTP analyzer on a connection whose first request is a CONNECT, as far as conn.log shows it: once a reply
 * of code 200 answers the CONNECT, the streams after that reply's header are a tunnel, which Zeek hands to DPD of
 * its own (a {@code PIA_TCP} under the HTTP analyzer, matching from the tunnel's first bytes with a fresh buffer).
 * Of what DPD can find there, SSL is followed: the originator's tunnel begins with {@code dpd_ssl_client}'s bytes,
 * the responder's with {@code dpd_ssl_server}'s while DPD still buffers the originator's first
 * {@link ZeekConfig#DPD_BUFFER_SIZE} tunnel bytes, and the ClientHello confirms by the rules of a stream's start
 * ({@link StartTlsHello}): the service becomes {@code http,ssl}, in the order of the confirmations.
 *
 * <p>The responder's replies are read from the stream's start as Zeek's analyzer reads them: lines end at CR, LF
 * or CRLF; a reply line, its header, and a body framed by {@code Content-Length} (none after a 1xx, 204 or 304). Any
 * reply code but 200 cancels the CONNECT it answers (Zeek's {@code connect_request}, which the next CONNECT request
 * sets again, as after a proxy's 407); the tunnel begins at the empty line that ends the header of a 200 that
 * answers one. Until then the originator's bytes are requests ({@link HttpRequests}), so a client that does not
 * wait for the 200 has its ClientHello read as "not a http request line", a violation, and no tunnel. After a body
 * that runs to the stream's end, or a later reply line that is none ("not a http reply line", a violation), no
 * more replies are read and the requests go on; a chunked body or a content gap before the tunnel ends the reading
 * of both streams (where Zeek's would go is not known). Not emulated: the other protocols DPD could find in a
 * tunnel (SMTP, SSH, HTTP, ...), and CONNECT requests after other requests on the same connection (their replies
 * would have to be framed as Zeek frames every reply).
 */
final class HttpTunnel implements InOrderStream.Receiver {

    /**
     * What the responder's stream is read as next; after the tunnel, the two ends: Zeek reads no more replies (the
     * requests go on), or where Zeek's analysis goes is not known (nothing more is read).
     */
    private static final byte REPLY_LINE = 0, HEADER = 1, BODY = 2, TUNNEL = 3, NO_MORE_REPLIES = 4, LOST = 5;
    /** The bytes of a line kept for its parse; longer lines are counted, not kept. */
    private static final int LINE_KEPT = 256;

    private final InOrderStream replies = new InOrderStream();
    private byte state = REPLY_LINE;
    /** A CONNECT request waits for its reply (Zeek's {@code connect_request}). */
    private boolean connectPending;
    /** A reply line was read (the first is judged where the stream begins, {@link HttpStreamStart}). */
    private boolean replySeen;
    /** The reply being read: its code, its {@code Content-Length} (-1: none), a chunked transfer. */
    private int code;
    private long contentLength;
    private boolean chunked;
    private long bodyLeft;
    /** The line that a delivery did not end: its first bytes and its length. */
    private final byte[] line = new byte[LINE_KEPT];
    private int lineLength;
    private boolean afterCr;

    /**
     * DPD in the tunnel: the first bytes of each side, gathered across deliveries as Zeek's signature engine matches
     * them (as many as the SSL signatures look at), whether they were judged, and which signatures matched.
     */
    private final byte[] origStart = new byte[CLIENT_SIGNATURE_BYTES], respStart = new byte[SERVER_SIGNATURE_BYTES];
    private int origStartLength, respStartLength;
    private boolean origJudged, respJudged, clientSignature, serverSignature;
    /** The bytes {@code dpd_ssl_client} and {@code dpd_ssl_server} (an alert record before the hello) look at. */
    private static final int CLIENT_SIGNATURE_BYTES = 11, SERVER_SIGNATURE_BYTES = 18;
    /** The originator's tunnel bytes so far (DPD buffers the first {@link ZeekConfig#DPD_BUFFER_SIZE}). */
    private long origTunnelBytes;
    /** The originator's ClientHello, gathered from the tunnel's first byte. */
    private StartTlsHello hello;

    /** The connection whose responder segment is being taken. */
    private TcpConnection tcp;

    /** The originator sent a CONNECT request (its line was read). */
    void connectRequested() {
        if (state < TUNNEL) {
            connectPending = true;
        }
    }

    /** Whether the tunnel has begun: the originator's bytes are the tunnel's, not requests. */
    boolean started() {
        return state == TUNNEL;
    }

    /** Whether the replies could not be followed: where a tunnel would begin is not known. */
    boolean gaveUp() {
        return state == LOST;
    }

    /** SSL in the tunnel: both DPD signatures matched and the ClientHello confirmed. */
    boolean sslConfirmed() {
        return clientSignature && serverSignature && hello.confirmed();
    }

    /**
     * A responder payload taken by its reassembly at relative sequence {@code dataSeq}: bytes [o, o + n) of
     * {@code d}, with the stream delivered up to {@code delivered} (exclusive) after it.
     */
    void respSegment(TcpConnection tcp, long dataSeq, byte[] d, int o, int n, long delivered) {
        this.tcp = tcp;
        replies.segment(dataSeq, d, o, n, delivered, this);
        this.tcp = null;
    }

    /** A content gap of either side: what follows is not emulated, and the tunnel's SSL analyzer reads no more. */
    void gap() {
        if (state < TUNNEL || (state == TUNNEL && (hello == null || !hello.decided()))) {
            end(LOST);
        }
    }

    /** A delivery of the originator's tunnel bytes. */
    void origDelivery(byte[] d, int o, int n) {
        if (state != TUNNEL || n <= 0) {
            return;
        }
        if (!origJudged) {
            int k = Math.min(n, CLIENT_SIGNATURE_BYTES - origStartLength);
            System.arraycopy(d, o, origStart, origStartLength, k);
            origStartLength += k;
            if (hello == null) {
                hello = new StartTlsHello();
            }
            if (origStartLength == CLIENT_SIGNATURE_BYTES) {
                origJudged = true;
                clientSignature = TlsStreamStart.clientSignature(origStart, 0, origStartLength);
            }
        }
        origTunnelBytes += n;
        if (clientSignature || !origJudged) {
            hello.deliver(d, o, n);
        }
    }

    @Override
    public void deliver(byte[] d, int o, int n) {
        int end = o + n;
        for (int i = o; i < end && state < TUNNEL; ) {
            if (afterCr) {
                afterCr = false;
                if (d[i] == '\n') {
                    i++; // the LF of CRLF: the CR ended the line
                    continue;
                }
            }
            if (state == BODY) {
                int take = (int) Math.min(bodyLeft, end - i);
                i += take;
                bodyLeft -= take;
                if (bodyLeft == 0) {
                    state = REPLY_LINE;
                }
                continue;
            }
            int eol = HttpRequests.endOfLine(d, i, end);
            keep(d, i, eol - i);
            if (eol == end) {
                return; // the line goes on in the next delivery
            }
            afterCr = d[eol] == '\r';
            i = eol + 1;
            int length = lineLength;
            lineLength = 0;
            lineEnd(length);
            if (state == TUNNEL) {
                if (afterCr && i < end && d[i] == '\n') {
                    i++; // the LF of the header's last CRLF
                }
                afterCr = false;
                respDelivery(d, i, end - i);
                return;
            }
        }
        if (state == TUNNEL) {
            respDelivery(d, o, n);
        }
    }

    private void keep(byte[] d, int o, int n) {
        int k = Math.max(0, Math.min(n, LINE_KEPT - lineLength));
        System.arraycopy(d, o, line, Math.min(lineLength, LINE_KEPT), k);
        lineLength += n;
    }

    /** A line of {@code length} bytes ended (its first {@link #LINE_KEPT} in {@link #line}). */
    private void lineEnd(int length) {
        int kept = Math.min(length, LINE_KEPT);
        if (state == REPLY_LINE) {
            if (length == 0) {
                return; // empty lines before a reply line are passed over
            }
            code = replyCode(line, kept);
            if (code < 0) {
                // "not a http reply line": Zeek's analyzer reads no more replies, and in the connection's first 10 KiB
                // the DPD framework removes it (the first reply line's violation was judged where the stream began).
                if (replySeen && tcp.violationRemovesAnalyzer()) {
                    tcp.analyzers = (byte) TcpConnection.httpRemoved(tcp.analyzers);
                    end(LOST);
                } else {
                    end(NO_MORE_REPLIES);
                }
                return;
            }
            replySeen = true;
            if (connectPending && code != 200) {
                connectPending = false; // the request failed: no tunnel
            }
            contentLength = -1;
            chunked = false;
            state = HEADER;
        } else if (length > 0) {
            header(kept);
        } else if (connectPending) {
            // The header of the CONNECT's 200 ended: the tunnel begins, if the HTTP analyzer is still there.
            if ((tcp.analyzers & Conn.CONFIRMED) != 0) {
                state = TUNNEL;
            } else {
                end(LOST);
            }
        } else if (code < 200 || code == 204 || code == 304) {
            state = REPLY_LINE; // no body
        } else if (chunked) {
            end(LOST); // chunks are not followed
        } else if (contentLength < 0) {
            end(NO_MORE_REPLIES); // the body runs to the stream's end
        } else {
            bodyLeft = contentLength;
            state = contentLength == 0 ? REPLY_LINE : BODY;
        }
    }

    private void header(int kept) {
        if (startsWithIgnoreCase(line, kept, "content-length:")) {
            long v = 0;
            int i = "content-length:".length();
            while (i < kept && (line[i] == ' ' || line[i] == '\t')) {
                i++;
            }
            int digits = 0;
            for (; i < kept && line[i] >= '0' && line[i] <= '9' && v < Long.MAX_VALUE / 10; i++, digits++) {
                v = v * 10 + (line[i] - '0');
            }
            contentLength = digits > 0 ? v : -1;
        } else if (startsWithIgnoreCase(line, kept, "transfer-encoding:")) {
            chunked = true; // any transfer coding: Zeek frames only chunks, which are not followed here
        }
    }

    /** Zeek's reply line: {@code HTTP/} (any case), a version, a blank, a code; the code, or -1 if it is none. */
    static int replyCode(byte[] b, int n) {
        if (!startsWithIgnoreCase(b, n, "http/")) {
            return -1;
        }
        int i = 5;
        while (i < n && b[i] != ' ' && b[i] != '\t') {
            i++;
        }
        while (i < n && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        if (i + 3 > n) {
            return -1;
        }
        int c = 0;
        for (int k = 0; k < 3; k++) {
            byte x = b[i + k];
            if (x < '0' || x > '9') {
                return 0; // Zeek takes a code that is no number as 0
            }
            c = c * 10 + (x - '0');
        }
        return c;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int n, String prefix) {
        if (n < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            int x = b[k];
            if (x >= 'A' && x <= 'Z') {
                x += 'a' - 'A';
            }
            if (x != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A delivery of the responder's tunnel bytes: the server signature is judged on its first bytes, while DPD still
     * buffers the originator's, and requires the client signature.
     */
    private void respDelivery(byte[] d, int o, int n) {
        if (n <= 0 || respJudged) {
            return;
        }
        int k = Math.min(n, SERVER_SIGNATURE_BYTES - respStartLength);
        System.arraycopy(d, o, respStart, respStartLength, k);
        respStartLength += k;
        if (respStartLength == SERVER_SIGNATURE_BYTES || TlsStreamStart.serverSignature(respStart, 0,
                respStartLength)) {
            respJudged = true;
            replies.lose(); // nothing more of the responder's stream matters
            serverSignature = clientSignature && origTunnelBytes <= ZeekConfig.DPD_BUFFER_SIZE
                    && TlsStreamStart.serverSignature(respStart, 0, respStartLength);
        }
    }

    private void end(byte how) {
        state = how;
        connectPending = false;
        replies.lose();
    }
}
