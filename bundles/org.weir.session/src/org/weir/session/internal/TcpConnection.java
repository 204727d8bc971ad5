package org.weir.session.internal;

import java.util.Arrays;

import static org.weir.session.internal.TcpEndpoint.CLOSED;
import static org.weir.session.internal.TcpEndpoint.ESTABLISHED;
import static org.weir.session.internal.TcpEndpoint.INACTIVE;
import static org.weir.session.internal.TcpEndpoint.PARTIAL;
import static org.weir.session.internal.TcpEndpoint.RESET;
import static org.weir.session.internal.TcpEndpoint.SYN_ACK_SENT;
import static org.weir.session.internal.TcpEndpoint.SYN_SENT;

/**
 * A TCP connection, following Zeek's TCP session adapter: per-packet sequence bookkeeping, the history letters,
 * the endpoint state machine that {@code conn_state} is derived from, close handling (which decides when the
 * connection is removed and a later SYN starts a new one), connection reuse and Zeek's analyzer timers.
 *
 * <p>A subclass of the table's {@link Conn} rather than an object it points to: a TCP packet then reaches its
 * endpoints one dependent load after the session instead of two, and each connection is one object fewer.
 */
final class TcpConnection extends Conn {

    static final int FIN = 0x01, SYN = 0x02, RST = 0x04, ACK = 0x10;

    // History masks of Zeek's TCP endpoint (the responder's are shifted left by 16).
    private static final int HIST_SYN = 0x1, HIST_FIN = 0x2, HIST_RST = 0x4, HIST_FIN_RST = 0x8, HIST_DATA = 0x10,
            HIST_ACK = 0x20, HIST_MULTI_FLAG = 0x40;

    /** Zeek's TOO_LARGE_SEQ_DELTA: sequence jumps beyond this on SYN/RST are not trusted. */
    private static final int TOO_LARGE_SEQ_DELTA = 1048576;

    /**
     * {@link #firstPacketSeen}: Zeek's first-packet marks of the two sides, and whether the next segment's partial
     * status was settled before the roles flipped ({@link #flipAfterSynAck}).
     */
    private static final int FIRST_ORIG = 1, FIRST_RESP = 2, PARTIAL_STATUS_SETTLED = 4;

    /** The two sides while the connection is live; null once it closed ({@link #endpointState} keeps their states). */
    TcpEndpoint orig, resp;
    /** A closed connection's endpoint states, the originator's in the low four bits. */
    private byte closedStates;

    boolean isPartial, isActive = true, closeDeferred, deferredGenEvent;
    /** The handshake is done: the TCP inactivity timeout applies, UDP's before. */
    private boolean handshakeDone;
    /** Zeek's conn/inactivity.zeek gave this connection the interactive services' inactivity timeout. */
    private boolean interactive;
    private byte firstPacketSeen;
    /**
     * Zeek's HTTP analysis of this connection, in {@link Conn#analyzers} (a TCP connection has no UDP analyzer; the
     * bits leave out 0x1, so that {@link Conn#analyzer()} is never {@link Conn#DNS}, which the timers test): attached
     * by the responder port ({@link #HTTP_PORT}), what the first bytes of the originator's stream were
     * ({@link #ORIG_SEEN}: a request line {@link #ORIG_REQUEST}, the DPD signature's methods {@link #ORIG_GET}) and of
     * the responder's ({@link #RESP_SEEN}: {@code HTTP/} and a digit, {@link #RESP_HTTP}), and whether it confirmed
     * the protocol ({@link Conn#CONFIRMED}).
     */
    static final int HTTP_PORT = 0x2, ORIG_SEEN = 0x4, ORIG_REQUEST = 0x8, ORIG_GET = 0x10, RESP_SEEN = 0x40,
            RESP_HTTP = 0x80;

    /** Whether these HTTP bits say Zeek's analyzer is attached: by the responder port, or by both DPD signatures. */
    static boolean httpAttached(int a) {
        return (a & HTTP_PORT) != 0 || (a & (ORIG_GET | RESP_HTTP)) == (ORIG_GET | RESP_HTTP);
    }

    /**
     * These HTTP bits after a violation made Zeek's DPD remove the analyzer: its confirmation goes, and no request
     * line can bring it back.
     */
    static int httpRemoved(int a) {
        return (a | ORIG_SEEN) & ~(ORIG_REQUEST | CONFIRMED);
    }
    /** Zeek's SSL analysis of this connection: {@link TlsAnalysis}'s bits. */
    byte ssl;
    /**
     * Analyzers that Zeek attached by the responder port, and whether SSH's DPD has looked: their state
     * ({@link RareState#dnsTcp}, {@link RareState#ssh}) is made with the first payload, so that a flood of handshakes
     * to their ports costs nothing more.
     */
    byte portAnalyzers;
    /** {@link #portAnalyzers}: the DNS analyzer (port 53), the SSH analyzer (port 22). */
    static final int DNS_PORT = 0x1, SSH_PORT = 0x2;
    /** {@link #portAnalyzers}: the first payload was looked at for SSH (made its analysis, or did not). */
    static final int SSH_LOOKED = 0x4;
    /**
     * {@link #portAnalyzers}: the responder's first payload was looked at for the DPD of FTP, SMTP and POP3 (their
     * servers greet first); the connection is an FTP data channel ({@code ftp-data}).
     */
    static final int GREETING_LOOKED = 0x8, FTP_DATA = 0x10;
    /**
     * {@link #portAnalyzers}: the line analyzer the responder port attaches ({@link ZeekConfig#linePortTcp}'s
     * {@code FTP}, {@code SMTP}, {@code IMAP}, {@code IRC}), in the bits of this mask.
     */
    static final int LINE_PORT = 0xE0, LINE_PORT_SHIFT = 5;

    /**
     * Zeek's analyzer timers of this connection (the table's timer queue orders sessions by the earliest): the
     * first three in fields, the others in an array of (deadline, type) pairs. Three, because a connection whose
     * first side has closed within five seconds of its SYN holds that many at once (the SYN's expire and attempt
     * timers, and the session timer of the half close): most completed connections of a capture.
     */
    private long timerAt0, timerAt1, timerAt2;
    private byte timerType0, timerType1, timerType2;
    private long[] moreTimers;
    private short timers;
    /**
     * Where the table's timer queue holds this connection's entry, as {@link TimerQueue#add} returned it (0: not
     * known), so that the entry can be cancelled when the deadline moves instead of surfacing early.
     */
    char queuedSlot;

    TcpConnection(TableContext context) {
        super(context);
        orig = new TcpEndpoint(this);
        resp = new TcpEndpoint(this);
    }

    /**
     * An application analyzer's flip while the stream is delivered (Zeek's DNS analyzer on a TCP connection): every
     * counter and the endpoints swap with the roles, as in any TCP flip, but Zeek's TCP adapter keeps its partial
     * status and its first-packet marks, which only its own flips (before any payload) reset.
     */
    @Override
    void analyzerFlip() {
        boolean partial = isPartial;
        byte first = firstPacketSeen;
        flipRoles();
        isPartial = partial;
        firstPacketSeen = first;
    }

    /** The endpoints swap with the connection's roles. */
    @Override
    void swapRoles() {
        super.swapRoles();
        TcpEndpoint t = resp;
        resp = orig;
        orig = t;
        // The checksum counts are the endpoints'.
        RareState r = rare;
        if (r != null) {
            int o = r.origChecksumErrors;
            r.origChecksumErrors = r.respChecksumErrors;
            r.respChecksumErrors = o;
        }
        firstPacketSeen = (byte) (((firstPacketSeen & FIRST_ORIG) != 0 ? FIRST_RESP : 0)
                | ((firstPacketSeen & FIRST_RESP) != 0 ? FIRST_ORIG : 0));
        isPartial = false;
    }

    @Override
    long inactivityNanos() {
        return interactive ? config().interactiveInactivityNanos
                : handshakeDone ? config().tcpInactivityNanos : config().udpInactivityNanos;
    }

    /**
     * Zeek's {@code connection_established} event, as base/protocols/conn/inactivity.zeek handles it: a connection
     * to an interactive service port (the originator's port when only it is a likely server port and the
     * originator has sent nothing yet) gets the longer inactivity timeout.
     */
    private void connectionEstablished() {
        ZeekConfig config = config();
        int servicePort = respPort();
        if (orig.state == INACTIVE && !config.likelyTcp.get(servicePort) && config.likelyTcp.get(origPort())) {
            servicePort = origPort();
        }
        if (config.interactiveTcp.get(servicePort)) {
            interactiveServiceConfirmed();
        }
    }

    /**
     * Zeek's {@code analyzer_confirmation_info} as base/protocols/conn/inactivity.zeek handles it: a connection whose
     * SSH (or FTP) analyzer confirmed gets the interactive services' inactivity timeout, whatever its port; and the
     * same for {@link #connectionEstablished} on their ports.
     */
    void interactiveServiceConfirmed() {
        if (!interactive) {
            long before = inactivityNanos();
            interactive = true;
            inactivityChanged(before);
        }
    }

    /** Switches to the TCP inactivity timeout (Zeek gives TCP the UDP timeout until the handshake is done). */
    void handshakeDone() {
        if (!handshakeDone) {
            long before = inactivityNanos();
            handshakeDone = true;
            inactivityChanged(before);
        }
    }

    boolean anyEndpointClosed() {
        return orig.didClose || resp.didClose;
    }

    /**
     * Zeek's {@code TCPSessionAdapter::IsReuse}: a SYN (or, on a half connection, a SYN-ACK) that does not belong
     * to this connection, so the old connection ends and a new one starts.
     */
    boolean isReuse(int flags, int seq, long now) {
        if ((flags & SYN) == 0) {
            return false;
        }
        TcpEndpoint connOrig = orig;
        if ((flags & ACK) != 0) {
            if (orig.state != INACTIVE) {
                return false; // not a half connection
            }
            connOrig = resp;
        }
        if (!anyEndpointClosed()) {
            if (seq == connOrig.startSeq) {
                return false; // a retransmission
            }
            // A SYN that matches a SYN/SYN-ACK reversal: the state machine flips the roles instead.
            return !((flags & ACK) == 0 && connOrig.state == SYN_ACK_SENT && resp.state == INACTIVE
                    && seq == resp.startSeq);
        }
        return true;
    }

    /**
     * Whether Zeek's DPD could still match the responder's first data, arriving now: its buffer holds every stream
     * byte delivered before (the originator's, as a client speaks first) up to {@link ZeekConfig#DPD_BUFFER_SIZE}.
     */
    boolean dpdStillBuffering() {
        return orig.lastReassemSeq - 1 <= ZeekConfig.DPD_BUFFER_SIZE;
    }

    /**
     * Zeek's {@code service}: {@code http}, {@code ssl}, {@code ssh}, {@code dns} or a stream protocol's
     * ({@link LineAnalysis}: {@code ftp}, {@code smtp}, {@code mysql}, ...) once their analyzer confirmed the protocol
     * ({@code ftp,ssl}, {@code smtp,ssl}, {@code mysql,ssl} after their switch to TLS; {@code http,ssl},
     * {@code http,ssh}, {@code http,smtp}, ... for those protocols in a CONNECT's tunnel, {@code http,websocket} after
     * an upgrade, {@link HttpTunnel}), or
     * {@code ftp-data} for an FTP data channel. One at most: HTTP needs the originator's stream to begin with a
     * request line, SSL with a TLS record, SSH with a line and then a key exchange in SSH's packets, FTP's and SMTP's
     * servers greet with a reply code that none of these is, DNS is attached to port 53 only, and FTP and SMTP both
     * only where DPD matched both of their signature pairs, a USER and an EHLO, which this leaves to FTP.
     */
    @Override
    public String service() {
        RareState kept = rare;
        if (kept != null && kept.closedService != null) {
            return kept.closedService; // closed
        }
        if ((portAnalyzers & FTP_DATA) != 0) {
            return "ftp-data";
        }
        if ((analyzers & CONFIRMED) != 0) {
            return rare != null && rare.httpTunnel != null ? "http" + rare.httpTunnel.services() : "http";
        }
        if (TlsAnalysis.confirmed(ssl)) {
            return "ssl";
        }
        RareState r = rare;
        if (r == null) {
            return "";
        }
        if (r.ssh != null && r.ssh.confirmed()) {
            return "ssh";
        }
        for (int k = 0; k < RareState.LINES; k++) {
            LineAnalysis line = r.line(k);
            if (line != null && !line.service().isEmpty()) {
                return line.service();
            }
        }
        return r.dnsTcp != null && r.dnsTcp.confirmed() ? "dns" : "";
    }

    /** A content gap of a side, for the analyses of line protocols, HTTP's requests and DNS's framing. */
    void lineContentGap(boolean fromOrig, long seq, long len) {
        if (rare != null && rare.dnsTcp != null) {
            rare.dnsTcp.contentGap(fromOrig, seq, len);
        }
        if (rare != null && rare.httpTunnel != null) {
            rare.httpTunnel.gap();
        }
        if (fromOrig && rare != null && rare.httpRequests != null) {
            rare.httpRequests.gap(seq, len);
            if (rare.httpRequests.stopped()) {
                rare.httpRequests = null;
            }
        }
        for (int k = 0; rare != null && k < RareState.LINES; k++) {
            LineAnalysis line = rare.line(k);
            if (line != null) {
                line.contentGap(this, fromOrig, seq, len);
            }
        }
    }

    /** A content gap in either direction ends Zeek's SSH analysis, even before its first payload. */
    void sshContentGap() {
        if ((portAnalyzers & SSH_PORT) != 0 || (rare != null && rare.ssh != null)) {
            RareState r = rare();
            if (r.ssh == null) {
                r.ssh = SshAnalysis.stoppedByGap();
            } else {
                r.ssh.stop();
            }
        }
    }

    /**
     * Zeek (5.1 on) flips a connection that began with a SYN-ACK when an ack or data follows, after the packet's
     * partial status was taken in the old roles (where it changes nothing: the SYN-ACK made the connection partial)
     * and before its state machine runs: the flip clears the partial status, and the packet does not set it again.
     * So the segments that follow reach the application analyzers, as Zeek's HTTP analysis shows on
     * {@code core.tcp.flip-without-syn}.
     */
    void flipAfterSynAck() {
        swapRoles();
        replaceHistory("^h");
        firstPacketSeen |= PARTIAL_STATUS_SETTLED;
    }

    private void setPartialStatus(int flags, boolean isOrigEndpoint) {
        boolean syn = (flags & SYN) != 0, ack = (flags & ACK) != 0;
        if (isOrigEndpoint) {
            if ((firstPacketSeen & FIRST_ORIG) == 0) {
                isPartial = !syn || ack;
            }
        } else if ((firstPacketSeen & FIRST_RESP) == 0 && !isPartial) {
            isPartial = !syn;
        }
    }

    private void setFirstPacketSeen(boolean isOrigEndpoint) {
        firstPacketSeen |= isOrigEndpoint ? FIRST_ORIG : FIRST_RESP;
    }

    /**
     * One TCP segment whose checksum was accepted.
     *
     * @param len payload length by the IP and TCP headers
     * @param payloadComplete the whole payload was captured (Zeek only reassembles complete payloads)
     * @return the relative sequence number at which the reassembler took the payload (1: the first bytes of its
     *         sender's stream), 0 when it took none; application analyzers look at what it took
     */
    long packet(long t, boolean isOrig, int flags, int seq, int ack, int window, int len,
            boolean payloadComplete) {
        TcpEndpoint endpoint = isOrig ? orig : resp;
        TcpEndpoint peer = isOrig ? resp : orig;
        boolean syn = (flags & SYN) != 0, fin = (flags & FIN) != 0, rst = (flags & RST) != 0,
                hasAck = (flags & ACK) != 0;

        if ((firstPacketSeen & PARTIAL_STATUS_SETTLED) != 0) {
            firstPacketSeen &= ~PARTIAL_STATUS_SETTLED;
        } else {
            setPartialStatus(flags, isOrig);
        }

        int segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);
        if (rst) {
            segLen -= len; // data on a RST is not part of the stream
        }
        int seqOnePast = seq + segLen;
        initEndpoint(endpoint, syn, seq, seqOnePast);

        long relSeq = relativeSeq(endpoint, seq, endpoint.lastSeq, endpoint.seqWraps);
        boolean seqUnderflow = relSeq < 0;

        updateHistory(flags, endpoint, relSeq, len);
        if (window == 0 && !rst && peer.state != CLOSED && endpoint.state != RESET) {
            endpoint.zeroWindow();
        }
        if (!orig.didClose || !resp.didClose) {
            touch(t);
        }
        if (fin) {
            endpoint.finSeen = true;
            endpoint.finSeq = relSeq + segLen;
        }

        long relAck = 0;
        if (hasAck) {
            if (peer.state == INACTIVE) {
                relAck = 1;
                // Number the peer's sequence space as if its SYN had been seen.
                peer.startSeq = ack - 1;
                peer.ackSeq = ack - 1;
                peer.lastSeq = ack - 1;
            } else {
                relAck = relativeSeq(peer, ack, peer.ackSeq, peer.ackWraps);
                if (relAck < 0) {
                    relAck = 0;
                } else if (!rst) {
                    // Acks on RSTs are not trusted. An ack of 0 far ahead is more likely broken than a wrap.
                    int deltaAck = ack - peer.ackSeq;
                    if (!(ack == 0 && deltaAck > TOO_LARGE_SEQ_DELTA) && deltaAck > 0) {
                        peer.updateAckSeq(ack);
                    }
                }
            }
        }

        int deltaLast = updateLastSeq(endpoint, seqOnePast, flags, len);

        int closing = switch (endpoint.state) {
            case INACTIVE -> updateInactive(t, endpoint, peer, seq, len, isOrig, flags);
            case SYN_SENT, SYN_ACK_SENT -> updateSynSent(endpoint, flags);
            case ESTABLISHED, PARTIAL -> updateEstablished(endpoint, peer, flags);
            case CLOSED -> updateClosed(t, endpoint, flags);
            default -> 0; // RESET: only weirds in Zeek
        };

        if (hasAck) {
            // After the state machine, so a gap revealed by the ack knows whether the connection is closing.
            peer.ackReceived(relAck);
        }

        // Zeek marks the side by the direction the packet arrived with, even if the roles flipped meanwhile.
        setFirstPacketSeen(isOrig);

        long relDataSeq = syn ? relSeq + 1 : relSeq;
        long taken = 0;
        if (len > 0 && !rst && !seqUnderflow && payloadComplete) {
            endpoint.dataSent(relDataSeq, len);
            taken = relDataSeq;
        }
        segmentDataTaken = true;
        endpoint.checkEof();
        if ((closing & CLOSE) != 0) {
            connectionClosed(endpoint, peer, (closing & GEN_EVENT) != 0);
        }
        segmentDataTaken = false;
        return taken;
    }

    /** What the state machine asks of a segment: the endpoint closed (Zeek's ConnectionClosed), with the event. */
    private static final int CLOSE = 1, GEN_EVENT = 2;

    /**
     * Zeek's {@code ConnectionClosed} was called while a segment was taken ({@link #takeClosedCalls}): before its
     * payload reached the reassembly (an ack that ended the peer's stream), or after (its own FIN or RST). Zeek's
     * application analyzers hear of every call, a deferred one too, whatever it then decides.
     */
    static final int CLOSED_BEFORE_DATA = 1, CLOSED_AFTER_DATA = 2;
    private byte closedCalls;
    private boolean segmentDataTaken;

    /** The {@link #CLOSED_BEFORE_DATA} and {@link #CLOSED_AFTER_DATA} calls of the last segment, then none. */
    int takeClosedCalls() {
        int c = closedCalls;
        closedCalls = 0;
        return c;
    }

    private static void initEndpoint(TcpEndpoint e, boolean syn, int firstSeq, int lastSeq) {
        switch (e.state) {
            case INACTIVE -> {
                if (syn) {
                    e.ackSeq = firstSeq;
                    e.startSeq = firstSeq;
                } else {
                    // A partial connection: number it as if a SYN had been seen, and do not treat the first
                    // packet as a retransmission.
                    e.ackSeq = firstSeq - 1;
                    e.startSeq = firstSeq - 1;
                    lastSeq = firstSeq;
                }
                e.lastSeq = lastSeq;
            }
            case SYN_SENT, SYN_ACK_SENT -> {
                if (syn && firstSeq != e.startSeq) {
                    e.startSeq = firstSeq;
                    e.ackSeq = firstSeq;
                    e.lastSeq = lastSeq;
                }
            }
            case ESTABLISHED, PARTIAL -> {
                if (syn) {
                    // Guess that the connection was not established and this SYN sets it up.
                    e.startSeq = firstSeq;
                    e.ackSeq = firstSeq;
                    e.lastSeq = lastSeq;
                }
            }
            case RESET -> {
                if (syn && e.prevState == INACTIVE) {
                    // The earlier RST that initialised the numbers may have been injected: trust the SYN.
                    e.startSeq = firstSeq;
                    e.ackSeq = firstSeq;
                    e.lastSeq = lastSeq;
                }
            }
            default -> {
            }
        }
    }

    /**
     * Zeek's {@code get_relative_seq}: negative exactly when Zeek sees an underflow (the value lies before the
     * start), as every later 32-bit space (wraps > 0) lies after the start.
     */
    private static long relativeSeq(TcpEndpoint e, int cur, int last, int wraps) {
        int delta = cur - last;
        if (delta < 0) {
            if (wraps != 0 && Integer.compareUnsigned(cur, last) > 0) {
                wraps--; // part of a previous 32-bit sequence space
            }
        } else if (delta > 0 && Integer.compareUnsigned(cur, last) < 0) {
            wraps++; // the sequence space wrapped
        }
        if (wraps == 0) {
            return cur - e.startSeq;
        }
        return e.toRelative(cur, wraps);
    }

    private static void updateHistory(int flags, TcpEndpoint e, long relSeq, int len) {
        boolean syn = (flags & SYN) != 0, fin = (flags & FIN) != 0, rst = (flags & RST) != 0;
        int bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        if (bits > 1) {
            if (fin && rst) {
                e.checkHistory(HIST_FIN_RST, 'I');
            } else {
                e.checkHistory(HIST_MULTI_FLAG, 'Q');
            }
        } else if (bits == 1) {
            // S, H, F and R repeat when the sequence number differs from the last one of the same kind.
            if (syn) {
                char code = (flags & ACK) != 0 ? 'H' : 'S';
                if (e.checkHistory(HIST_SYN, code) && relSeq != e.histLastSyn) {
                    e.addHistory(code);
                }
                e.histLastSyn = relSeq;
            }
            if (fin) {
                // A FIN's sequence number is at the end of its data.
                if (e.checkHistory(HIST_FIN, 'F') && relSeq + len != e.histLastFin) {
                    e.addHistory('F');
                }
                e.histLastFin = relSeq + len;
            }
            if (rst) {
                if (e.checkHistory(HIST_RST, 'R') && relSeq != e.histLastRst) {
                    e.addHistory('R');
                }
                e.histLastRst = relSeq;
            }
        } else if (len > 0) {
            e.checkHistory(HIST_DATA, 'D');
        } else if ((flags & ACK) != 0) {
            e.checkHistory(HIST_ACK, 'A');
        }
    }

    private static int updateLastSeq(TcpEndpoint e, int lastSeq, int flags, int len) {
        int deltaLast = lastSeq - e.lastSeq;
        if ((flags & (SYN | RST)) != 0 && (deltaLast > TOO_LARGE_SEQ_DELTA || deltaLast < -TOO_LARGE_SEQ_DELTA)) {
            // Outlandish SYN/RST sequence numbers are not trusted.
        } else if ((flags & FIN) != 0 && e.lastSeq == e.startSeq + 1) {
            // Only SYN and FIN seen (possibly > 2 GB apart): let the FIN move last_seq even backwards.
            e.updateLastSeq(lastSeq);
        } else if (e.state == RESET) {
            // After a RST, sequence numbers are not trusted.
        } else if (deltaLast > 0) {
            e.updateLastSeq(lastSeq);
        } else if (len > 0) {
            e.didRxmit();
        }
        return deltaLast;
    }

    private int updateInactive(long t, TcpEndpoint endpoint, TcpEndpoint peer, int seq, int len, boolean isOrig,
            int flags) {
        int closing = 0;
        boolean syn = (flags & SYN) != 0, hasAck = (flags & ACK) != 0;
        if (syn) {
            if (isOrig) {
                endpoint.setState(hasAck ? SYN_ACK_SENT : SYN_SENT);
                addTimer(Conn.TIMER_ATTEMPT, t + config().tcpAttemptDelayNanos);
            } else {
                if (!hasAck && peer.state == SYN_ACK_SENT && seq == endpoint.startSeq) {
                    // SYN and SYN-ACK seen in reverse order: flip the roles and establish.
                    isPartial = false;
                    flipRoles();
                    peer.setState(ESTABLISHED);
                    setFirstPacketSeen(true);
                }
                if (peer.state == SYN_SENT) {
                    peer.setState(ESTABLISHED);
                }
                endpoint.setState(ESTABLISHED);
                if (peer.state != PARTIAL) {
                    connectionEstablished();
                }
            }
        }
        if ((flags & FIN) != 0) {
            endpoint.setState(CLOSED);
            closing = CLOSE | GEN_EVENT;
        }
        if ((flags & RST) != 0) {
            endpoint.setState(RESET);
            boolean reject = isOrig ? peer.state == ESTABLISHED
                    : peer.state == SYN_SENT || peer.state == SYN_ACK_SENT;
            closing = reject ? CLOSE : CLOSE | GEN_EVENT;
        }
        if (endpoint.state == INACTIVE) {
            if (!isOrig && len == 0 && orig.state == SYN_SENT) {
                // Some stacks ack a SYN before answering it: not a partial connection.
            } else if (hasAck && peer.state == ESTABLISHED) {
                // SYN-ACK seen but not the SYN, and now an ack: the SYN was missed.
                endpoint.setState(ESTABLISHED);
                isPartial = false;
                setFirstPacketSeen(isOrig);
            } else {
                endpoint.setState(PARTIAL);
            }
        }
        return closing;
    }

    private int updateSynSent(TcpEndpoint endpoint, int flags) {
        int closing = 0;
        if ((flags & FIN) != 0) {
            endpoint.setState(CLOSED);
            closing = CLOSE | GEN_EVENT;
        }
        if ((flags & RST) != 0) {
            endpoint.setState(RESET);
            connectionReset();
            closing |= CLOSE;
        }
        return closing;
    }

    private int updateEstablished(TcpEndpoint endpoint, TcpEndpoint peer, int flags) {
        int closing = 0;
        if ((flags & SYN) != 0 && endpoint.state == PARTIAL && peer.state == INACTIVE && (flags & ACK) == 0) {
            endpoint.setState(SYN_SENT);
        }
        if ((flags & FIN) != 0 && (flags & RST) == 0) {
            endpoint.setState(CLOSED);
            if (peer.state == RESET && peer.prevState == CLOSED) {
                // FIN then RST from the peer was a normal termination.
                peer.setState(CLOSED);
            }
            closing = CLOSE | GEN_EVENT;
        }
        if ((flags & RST) != 0) {
            endpoint.setState(RESET);
            closing |= CLOSE;
            if (peer.state != RESET || peer.prevState != ESTABLISHED) {
                connectionReset();
            }
        }
        return closing;
    }

    private int updateClosed(long t, TcpEndpoint endpoint, int flags) {
        int closing = 0;
        // After a FIN exchange, a RST does not change the state any more.
        if ((flags & RST) != 0 && endpoint.peer().state != CLOSED) {
            endpoint.setState(RESET);
            if (!endpoint.didClose) {
                closing = CLOSE; // RST after FIN
            }
            if (config().connectionResetHandled) {
                addTimer(Conn.TIMER_RESET, t + config().tcpResetDelayNanos);
            }
        }
        return closing;
    }

    private void connectionReset() {
        isActive = false;
    }

    /** Zeek's {@code ConnectionClosed}: decides when a closed connection is finished and removed. */
    private void connectionClosed(TcpEndpoint endpoint, TcpEndpoint peer, boolean gen) {
        closedCalls |= segmentDataTaken ? CLOSED_AFTER_DATA : CLOSED_BEFORE_DATA;
        if (endpoint.dataPending()) {
            // Data still to deliver: close once it is (see endpointEof).
            closeDeferred = true;
            if (!deferredGenEvent) {
                deferredGenEvent = gen;
            }
            return;
        }
        closeDeferred = false;
        if (endpoint.didClose) {
            return;
        }
        endpoint.didClose = true;
        boolean complete = endpoint.state == RESET || peer.didClose || peer.state == INACTIVE;
        if (complete) {
            if (endpoint.prevState != INACTIVE || peer.state != INACTIVE) {
                if (deferredGenEvent) {
                    gen = true;
                    deferredGenEvent = false;
                }
                if (gen) {
                    isActive = false; // connection finished
                }
            }
            cancelTcpTimers();
            addTimer(Conn.TIMER_DELETE, lastNanos() + config().tcpCloseDelayNanos);
        } else if (endpoint.prevState != INACTIVE) {
            // Wait for the other side to close too.
            addTimer(Conn.TIMER_EXPIRE, lastNanos() + config().tcpSessionTimerNanos);
        }
    }

    /**
     * After HTTP's requests read what the originator delivered ({@link HttpRequests}), with the HTTP bits as they
     * were before: a first request line read whole confirms; a reading that stopped lets its buffers go, and its
     * violation ("not a http request line") in the first 10 KiB makes the DPD framework remove the analyzer.
     */
    void httpRequestsRead(HttpRequests requests, int analyzersBefore) {
        int a = analyzersBefore;
        byte first = requests.takeFirstLine();
        if (first != HttpRequests.FIRST_LINE_JUDGED) {
            // The request line that the first segment cut, read whole: the analyzer (attached by the port) confirms.
            a |= ORIG_REQUEST | CONFIRMED;
            analyzers = (byte) a;
            rare.http09 = first == HttpRequests.FIRST_LINE_09;
        }
        if (requests.stopped()) {
            rare.httpRequests = null; // its buffers go with it
            if (requests.violated() && httpAttached(analyzersBefore) && violationRemovesAnalyzer()) {
                analyzers = (byte) httpRemoved(a);
            }
        }
    }

    void endpointEof(TcpEndpoint e) {
        if (e == orig && rare != null && rare.httpRequests != null) {
            // Zeek's line reader hands over a line that the stream did not end (ContentLine's EndpointEOF).
            int a = analyzers;
            rare.httpRequests.endOfStream(this, httpAttached(a));
            httpRequestsRead(rare.httpRequests, a);
        }
        if (closeDeferred) {
            connectionClosed(e, e.peer(), deferredGenEvent);
            closeDeferred = false;
        }
    }

    /** Zeek's {@code AttemptTimer}: a SYN never answered ends the connection. */
    boolean attemptTimerRemoves() {
        if (!isActive) {
            return false;
        }
        if ((orig.state == SYN_SENT || orig.state == SYN_ACK_SENT) && resp.state == INACTIVE) {
            isActive = false;
            return true;
        }
        return false;
    }

    /** Zeek's {@code ExpireTimer}: true when the connection should be removed now. */
    int expireTimer(long now) {
        if (!isActive) {
            return 0;
        }
        if (lastNanos() + config().tcpConnectionLingerNanos < now) {
            if (orig.didClose || resp.didClose) {
                if ((orig.didClose && resp.didClose) || orig.state == RESET || resp.state == RESET
                        || orig.state == INACTIVE || resp.state == INACTIVE) {
                    isActive = false;
                    return 1;
                }
            }
            if (resp.state == INACTIVE && orig.state == INACTIVE) {
                return 1;
            }
        }
        return -1; // reschedule
    }

    // ---- Zeek's analyzer timers -------------------------------------------------------------------------------

    void addTimer(byte type, long at) {
        setTimer(timers++, at, type);
        timersChanged = true;
    }

    private long timerAt(int i) {
        return i == 0 ? timerAt0 : i == 1 ? timerAt1 : i == 2 ? timerAt2 : moreTimers[2 * i - 6];
    }

    private byte timerType(int i) {
        return i == 0 ? timerType0 : i == 1 ? timerType1 : i == 2 ? timerType2 : (byte) moreTimers[2 * i - 5];
    }

    private void setTimer(int i, long at, byte type) {
        if (i == 0) {
            timerAt0 = at;
            timerType0 = type;
        } else if (i == 1) {
            timerAt1 = at;
            timerType1 = type;
        } else if (i == 2) {
            timerAt2 = at;
            timerType2 = type;
        } else {
            int j = 2 * i - 6;
            if (moreTimers == null) {
                moreTimers = new long[4];
            } else if (j == moreTimers.length) {
                moreTimers = Arrays.copyOf(moreTimers, j * 2);
            }
            moreTimers[j] = at;
            moreTimers[j + 1] = type;
        }
    }

    @Override
    void cancelTcpTimers() {
        timers = 0;
        super.cancelTcpTimers();
    }

    @Override
    byte popDueTimer(long now) {
        int n = timers, best = -1;
        long bestAt = 0;
        for (int i = 0; i < n; i++) {
            long at = timerAt(i);
            if (at <= now && (best < 0 || at < bestAt)) {
                best = i;
                bestAt = at;
            }
        }
        if (best < 0) {
            return 0;
        }
        byte type = timerType(best);
        timers = (short) --n;
        setTimer(best, timerAt(n), timerType(n));
        timersChanged = true;
        return type;
    }

    @Override
    long earliestTimer() {
        long min = Long.MAX_VALUE;
        for (int i = 0, n = timers; i < n; i++) {
            min = Math.min(min, timerAt(i));
        }
        return min;
    }

    // ---- Conn's derived values and close -----------------------------------------------------------------------

    @Override
    void materializeBytes() {
        origBytes = orig.size();
        respBytes = resp.size();
    }

    @Override
    void releaseLiveState() {
        for (int k = 0; rare != null && k < RareState.LINES; k++) {
            LineAnalysis line = rare.line(k);
            if (line != null) {
                line.connectionEnds(this); // before the endpoints, which its violations' size check reads, go
            }
        }
        timers = 0;
        moreTimers = null;
        // The endpoints go too (their sequence space and reassembly are a live connection's); their states stay.
        closedStates = (byte) (orig.state | resp.state << 4);
        orig = null;
        resp = null;
        if (rare != null) {
            // What the analyses decided stays as the service; they go with their buffers, for listeners may keep
            // millions of closed sessions.
            rare.closedService = service();
            rare.tlsStream = null;
            rare.dnsTcp = null;
            rare.ssh = null;
            rare.httpRequests = null;
            rare.httpTunnel = null;
            rare.dropLineAnalyses();
        }
    }

    /** Zeek's endpoint state of a side ({@code c$orig$state}, {@code c$resp$state}), also once closed. */
    int endpointState(boolean ofOrig) {
        if (orig != null) {
            return ofOrig ? orig.state : resp.state;
        }
        return ofOrig ? closedStates & 0xF : closedStates >> 4 & 0xF;
    }

    /** Zeek's {@code conn_state} for TCP, from the endpoint states (and the history, made only for RSTOS0). */
    @Override
    String computeConnState() {
        int os = orig.state, rs = resp.state;
        boolean oInactive = os == INACTIVE || os == PARTIAL;
        boolean rInactive = rs == INACTIVE || rs == PARTIAL;
        if (rs == RESET) {
            if (os == SYN_SENT || os == SYN_ACK_SENT || (os == RESET && orig.size() == 0 && resp.size() == 0)) {
                return "REJ";
            }
            return oInactive ? "RSTRH" : "RSTR";
        }
        if (os == RESET) {
            if (rInactive) {
                return isSynThenReset(historyString()) ? "RSTOS0" : "OTH";
            }
            return "RSTO";
        }
        if (rs == CLOSED && os == CLOSED) {
            return "SF";
        }
        if (os == CLOSED) {
            return rInactive ? "SH" : "S2";
        }
        if (rs == CLOSED) {
            return oInactive ? "SHR" : "S3";
        }
        if (os == SYN_SENT && rs == INACTIVE) {
            return "S0";
        }
        if (os == ESTABLISHED && rs == ESTABLISHED) {
            return "S1";
        }
        return "OTH";
    }

    /** The history matches Zeek's {@code /\^?S[^HAFGIQ]*R.* /}: an originator SYN, later its RST, no answer. */
    static boolean isSynThenReset(CharSequence h) {
        int i = 0;
        if (i < h.length() && h.charAt(i) == '^') {
            i++;
        }
        if (i >= h.length() || h.charAt(i) != 'S') {
            return false;
        }
        for (i++; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c == 'R') {
                return true;
            }
            if ("HAFGIQ".indexOf(c) >= 0) {
                return false;
            }
        }
        return false;
    }
}
