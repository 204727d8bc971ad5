package org.weir.session.internal;

/**
 * Zeek's HTTP analyzer on a connection whose first request is a CONNECT or asks to upgrade the protocol, as far as
 * conn.log shows it: the server's answer switches the streams to another protocol, which Zeek analyzes on the same
 * connection, and its service follows {@code http} in the order of the confirmations.
 *
 * <p>A reply of code 200 to a CONNECT makes the streams after its header a tunnel, which Zeek hands to DPD of its own
 * (a {@code PIA_TCP} under the HTTP analyzer, matching from the tunnel's first bytes with a fresh buffer). Of what DPD
 * can find there, SSL and SSH are followed. SSL: the originator's tunnel begins with {@code dpd_ssl_client}'s bytes,
 * the responder's with {@code dpd_ssl_server}'s while DPD still buffers the originator's first {@link
 * ZeekConfig#DPD_BUFFER_SIZE} tunnel bytes, and the ClientHello confirms by the rules of a stream's start ({@link
 * StartTlsHello}): {@code http,ssl}. SSH: both sides' first tunnel bytes match its signature, and its analyzer follows
 * their version lines and packets to the end of the key exchange ({@link SshAnalysis}): {@code http,ssh}, with the
 * interactive services' inactivity timeout. A reply of code 101 whose {@code Connection} header begins with {@code
 * upgrade} and whose {@code Upgrade} header names a protocol, while one request is unanswered, upgrades the connection
 * after its header (Zeek's {@code HTTP_Upgrade}): to Zeek's WebSocket analyzer for {@code websocket} ({@link
 * WebSocketFrames}, whose first whole message confirms: {@code http,websocket}), to DPD as above for others.
 *
 * <p>The responder's replies are read from the stream's start as Zeek's analyzer reads them: lines end at CR, LF or
 * CRLF; a reply line, its header, and a body framed by {@code Content-Length} (none after a 1xx, 204 or 304). Any reply
 * code but 200 cancels the CONNECT it answers (Zeek's {@code connect_request}, which the next CONNECT request sets
 * again, as after a proxy's 407). Until the switch the originator's bytes are requests ({@link HttpRequests}), so a
 * client that does not wait for the answer has its first bytes of the other protocol read as requests (a ClientHello is
 * "not a http request line", a violation), and they are not the other protocol's. After a body that runs to the
 * stream's end, or a later reply line that is none ("not a http reply line", a violation), no more replies are read and
 * the requests go on; a chunked body or a content gap before the switch ends the reading of both streams (where Zeek's
 * would go is not known). Not emulated: the other protocols DPD could find (SMTP, HTTP, ...), any in WebSocket
 * messages, and a first request that is neither (the replies of other connections are not framed as Zeek frames every
 * reply).
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
    /** Requests made that no final reply answered yet (Zeek's {@code unanswered_requests}). */
    private int unanswered;
    /**
     * A reply's {@code Connection} header began with {@code upgrade} (Zeek's {@code upgrade_connection}), and the
     * protocol the last {@code Upgrade} header began with: none, WebSocket, or another.
     */
    private boolean upgradeConnection;
    private byte upgradeProtocol;
    private static final byte NO_PROTOCOL = 0, WEBSOCKET = 1, OTHER_PROTOCOL = 2;
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
    /** Each side's tunnel bytes so far (DPD buffers the originator's first {@link ZeekConfig#DPD_BUFFER_SIZE}). */
    private long origTunnelBytes, respTunnelBytes;
    /**
     * Zeek's SSH analyzer in the tunnel, made when the first tunnel bytes of the side that speaks first, gathered
     * across its deliveries as Zeek's signature engine matches them, match its DPD signature (the other side's must
     * too); whether those first bytes were judged, and the bytes so far.
     */
    private SshAnalysis ssh;
    private boolean sshLooked;
    private final byte[] sshStart = new byte[SshAnalysis.SIGNATURE_BYTES];
    private int sshStartLength;
    private boolean sshStartFromOrig;
    /** The originator's ClientHello, gathered from the tunnel's first byte. */
    private StartTlsHello hello;
    /** The tunnel's line protocols (after a CONNECT or an upgrade to another protocol than WebSocket). */
    private TunnelLines lines;
    /** After an upgrade to WebSocket: Zeek's WebSocket analyzer on each side (null otherwise). */
    private WebSocketFrames webSocketOrig, webSocketResp;
    /** The WebSocket analyzer confirmed, or a violation in the connection's first 10 KiB removed it. */
    private boolean webSocketConfirmed, webSocketRemoved;

    /** The connection whose responder segment is being taken. */
    private TcpConnection tcp;

    /** The originator made a request (its line was read), a CONNECT or not. */
    void requestMade(boolean connect) {
        unanswered++;
        if (connect && state < TUNNEL) {
            connectPending = true;
        }
    }

    /** Whether the switch was made: the originator's bytes are the other protocol's, not requests. */
    boolean started() {
        return state == TUNNEL;
    }

    /** Whether the replies could not be followed: where a tunnel would begin is not known. */
    boolean gaveUp() {
        return state == LOST;
    }

    /**
     * The services after {@code http}: {@code ,ssl}, {@code ,ssh}, {@code ,websocket} or those of the tunnel's line
     * protocols ({@code ,smtp}, ...) once confirmed, or none.
     */
    String services() {
        if (clientSignature && serverSignature && hello.confirmed()) {
            return ",ssl"; // both DPD signatures matched, the ClientHello confirmed
        }
        if (ssh != null && ssh.confirmed()) {
            return ",ssh";
        }
        if (webSocketConfirmed && !webSocketRemoved) {
            return ",websocket";
        }
        return lines == null ? "" : lines.services();
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

    /**
     * A content gap of either side: what follows is not emulated, and the tunnel's SSL analyzer and the WebSocket
     * analyzer read no more.
     */
    void gap() {
        if (lines != null) {
            lines.lose();
        }
        if (state < TUNNEL || (state == TUNNEL && (hello == null || !hello.decided()))) {
            end(LOST);
        }
    }

    /** A delivery of the originator's bytes after the switch, of the connection {@code tcp}. */
    void origDelivery(TcpConnection tcp, byte[] d, int o, int n) {
        if (state != TUNNEL || n <= 0) {
            return;
        }
        if (webSocketOrig != null) {
            webSocket(tcp, webSocketOrig, d, o, n);
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
        if (clientSignature || !origJudged) {
            hello.deliver(d, o, n);
        }
        ssh(tcp, true, d, o, n);
        lines.deliver(tcp, true, d, o, n);
        origTunnelBytes += n;
    }

    /**
     * The tunnel's bytes of a side to Zeek's SSH analyzer, whose DPD signatures want both sides' first bytes; its
     * confirmation gives the connection the interactive services' inactivity timeout, as on a connection of its own.
     */
    private void ssh(TcpConnection tcp, boolean fromOrig, byte[] d, int o, int n) {
        if (!sshLooked) {
            if (sshStartLength == 0) {
                sshStartFromOrig = fromOrig;
            }
            int before = sshStartLength;
            if (fromOrig == sshStartFromOrig) {
                int k = Math.min(n, sshStart.length - before);
                System.arraycopy(d, o, sshStart, before, k);
                sshStartLength += k;
                if (sshStartLength < sshStart.length) {
                    return; // too few bytes for the signature yet
                }
            }
            sshLooked = true;
            if (!SshAnalysis.signature(sshStart, 0, sshStartLength)) {
                return;
            }
            ssh = new SshAnalysis(false, sshStartFromOrig);
            if (fromOrig == sshStartFromOrig && before > 0) {
                sshDelivery(tcp, fromOrig, 0, sshStart, 0, before); // the side's earlier deliveries
            }
        }
        if (ssh != null) {
            sshDelivery(tcp, fromOrig, fromOrig ? origTunnelBytes : respTunnelBytes, d, o, n);
        }
    }

    /** A side's tunnel bytes [o, o + n) of {@code d} to the SSH analyzer, at tunnel offset {@code at}. */
    private void sshDelivery(TcpConnection tcp, boolean fromOrig, long at, byte[] d, int o, int n) {
        long other = fromOrig ? respTunnelBytes : origTunnelBytes;
        if (ssh.segment(fromOrig, at + 1, d, o, n, at + n + 1, other + 1)) {
            tcp.interactiveServiceConfirmed();
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
            code = HttpStreamStart.replyCode(line, 0, kept);
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
        } else if (connectPending || (code == 101 && unanswered == 1 && upgradeConnection
                && upgradeProtocol != NO_PROTOCOL)) {
            // The header of the CONNECT's 200, or of a 101 that upgrades, ended: the streams switch, if the HTTP
            // analyzer is still there.
            if ((tcp.analyzers & Conn.CONFIRMED) == 0) {
                end(LOST);
                return;
            }
            state = TUNNEL;
            if (!connectPending && upgradeProtocol == WEBSOCKET) {
                webSocketOrig = new WebSocketFrames();
                webSocketResp = new WebSocketFrames();
            } else {
                lines = new TunnelLines();
            }
            connectPending = false;
        } else if (code < 200) {
            state = REPLY_LINE; // no body, and the request waits for its final reply
        } else {
            unanswered = Math.max(0, unanswered - 1); // a final reply answers the oldest request
            if (code == 204 || code == 304) {
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
    }

    private void header(int kept) {
        if (startsWithIgnoreCase(line, kept, "content-length:")) {
            long n = MimeEntities.contentLength(line, "content-length:".length(), kept);
            if (n >= 0) {
                contentLength = n; // a value without a token leaves the length unknown, as in HTTP's entities
            }
        } else if (startsWithIgnoreCase(line, kept, "transfer-encoding:")) {
            chunked = true; // any transfer coding: Zeek frames only chunks, which are not followed here
        } else if (startsWithIgnoreCase(line, kept, "connection:")) {
            upgradeConnection |= firstTokenIs(kept, "connection:".length(), "upgrade");
        } else if (startsWithIgnoreCase(line, kept, "upgrade:")) {
            int i = "upgrade:".length();
            upgradeProtocol = firstTokenIs(kept, i, "websocket") ? WEBSOCKET
                    : firstTokenIs(kept, i, "") ? NO_PROTOCOL : OTHER_PROTOCOL;
        }
    }

    /**
     * Whether the header value from {@code i} begins with the token {@code lower} (any case; "" for none), as Zeek's
     * MIME parser takes a value's first token.
     */
    private boolean firstTokenIs(int kept, int i, String lower) {
        long t = MimeEntities.token(line, i, kept, false);
        return t < 0 ? lower.isEmpty() : MimeEntities.nameIs(line, (int) (t >>> 32), (int) t, lower);
    }

    private static boolean startsWithIgnoreCase(byte[] b, int n, String prefix) {
        return n >= prefix.length() && MimeEntities.nameIs(b, 0, prefix.length(), prefix);
    }

    /**
     * A delivery of the responder's tunnel bytes: the server signature is judged on its first bytes, while DPD still
     * buffers the originator's, and requires the client signature.
     */
    private void respDelivery(byte[] d, int o, int n) {
        if (webSocketResp != null) {
            if (n > 0) {
                webSocket(tcp, webSocketResp, d, o, n);
            }
            return;
        }
        if (n <= 0) {
            return;
        }
        if (!respJudged) {
            int k = Math.min(n, SERVER_SIGNATURE_BYTES - respStartLength);
            System.arraycopy(d, o, respStart, respStartLength, k);
            respStartLength += k;
            if (respStartLength == SERVER_SIGNATURE_BYTES || TlsStreamStart.serverSignature(respStart, 0,
                    respStartLength)) {
                respJudged = true;
                serverSignature = clientSignature && origTunnelBytes <= ZeekConfig.DPD_BUFFER_SIZE
                        && TlsStreamStart.serverSignature(respStart, 0, respStartLength);
            }
        }
        ssh(tcp, false, d, o, n);
        lines.deliver(tcp, false, d, o, n);
        respTunnelBytes += n;
        if (respJudged && (ssh == null || ssh.stopped()) && !lines.following()) {
            replies.lose(); // nothing more of the responder's stream matters
        }
    }

    /**
     * A side's bytes to Zeek's WebSocket analyzer: a message's end confirms; a violation in the connection's first
     * 10 KiB removes the analyzer (its service too), a later one ends that side's reading.
     */
    private void webSocket(TcpConnection tcp, WebSocketFrames side, byte[] d, int o, int n) {
        if (webSocketRemoved) {
            return;
        }
        side.deliver(d, o, n);
        webSocketConfirmed |= side.messageEnded();
        if (side.violated() && tcp.violationRemovesAnalyzer()) {
            webSocketRemoved = true;
        }
    }

    private void end(byte how) {
        state = how;
        connectPending = false;
        replies.lose();
    }
}
