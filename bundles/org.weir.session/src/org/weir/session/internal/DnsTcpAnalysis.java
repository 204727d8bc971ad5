package org.weir.session.internal;

/**
 * Zeek's DNS analyzer on a TCP connection (attached by the responder port, 53): each direction's stream is framed as
 * Zeek's {@code Contents_DNS} frames it, a two-byte length and then the message, and each message is judged as on
 * UDP: more questions than {@code dns_max_queries} mark the history with {@code X} (once) and are a violation, which in
 * the connection's first 10 KiB removes the analyzer (its service too); the first message whose questions and answers
 * parse confirms {@code dns}, and a name with too many compression pointers marks {@code X} too. A message shorter
 * than a DNS header is passed over.
 *
 * <p>The framer takes what the reassembly delivers, in order, as Zeek's does ({@link InOrderStream}): a retransmission
 * adds only its new bytes, data that arrives ahead of a hole is held until the hole fills, and data after a content gap
 * follows on as if the stream were contiguous ({@code Contents_DNS} does not handle gaps), also for a partial
 * connection, whose stream begins wherever the capture does.
 *
 * <p>As on UDP, a first message that is a response delivered as the originator's flips the roles (not towards a
 * multicast responder): non-DNS payloads on port 53 do that as often as their third byte has its top bit set. The
 * framers are Zeek's support analyzers and swap with the roles, so each keeps framing its host's stream. Each
 * {@code ConnectionClosed} (a FIN, a RST, a close deferred until the data was delivered) makes both framers hand on a
 * message they hold in part, as Zeek's {@code Contents_DNS::Flush} does: parsed for what it is (never flipping), and
 * framing restarts with the next byte; a message whose announced length never arrives is judged that way, most
 * often by its question count (a non-DNS payload's {@code X}).
 */
final class DnsTcpAnalysis {

    private static final int LENGTH_HIGH = 0, LENGTH_LOW = 1, MESSAGE = 2, STOPPED = 3;
    private static final int HEADER = 12;

    /** One direction's framer. */
    private final class Framer implements InOrderStream.Receiver {
        final InOrderStream stream = new InOrderStream();
        int state = LENGTH_HIGH;
        int size;
        byte[] message;
        int filled;

        @Override
        public void deliver(byte[] d, int o, int n) {
            frame(this, d, o, n);
        }
    }

    private Framer orig = new Framer(), resp = new Framer();
    private boolean confirmed;
    /** Zeek's {@code first_message}: no message of at least a header's length was parsed yet. */
    private boolean firstMessage = true;
    /** While a segment is framed: its connection, its sender, and how its messages are judged. */
    private TcpConnection tcp;
    private boolean fromOrig;
    private DnsConfirmation parser;
    private int maxQueries;

    /** What Zeek's parser is told of a message's sender: the originator, the responder, or unknown (a flush). */
    private static final int FROM_RESP = 0, FROM_ORIG = 1, FROM_UNKNOWN = 2;

    boolean confirmed() {
        return confirmed;
    }

    /**
     * A payload taken by its sender's reassembly at relative sequence {@code dataSeq}: bytes [off, off + len) of
     * {@code d}, of which the stream has delivered what lies below {@code delivered} (exclusive, relative).
     */
    void segment(TcpConnection tcp, boolean fromOrig, long dataSeq, byte[] d, int off, int len, long delivered,
            DnsConfirmation parser, int maxQueries) {
        Framer f = fromOrig ? orig : resp;
        if (f.state == STOPPED) {
            return;
        }
        this.tcp = tcp;
        this.fromOrig = fromOrig;
        this.parser = parser;
        this.maxQueries = maxQueries;
        f.stream.segment(dataSeq, d, off, len, delivered, f);
        if (f.stream.lost()) {
            f.state = STOPPED;
        }
        this.tcp = null;
        this.parser = null;
    }

    /**
     * Zeek's {@code ConnectionClosed} reached the analyzer: each framer holding part of a message hands it on as it is
     * ({@code Contents_DNS::Flush}). The framer then expects no more of it, so its next byte starts a new length
     * (the part is handed on again at a later close if none came).
     */
    void connectionClosed(TcpConnection tcp, DnsConfirmation parser, int maxQueries) {
        this.tcp = tcp;
        this.parser = parser;
        this.maxQueries = maxQueries;
        flush(orig);
        flush(resp);
        this.tcp = null;
        this.parser = null;
    }

    private void flush(Framer f) {
        if (f.state == MESSAGE && f.filled > 0) {
            f.size = 0;
            message(f.message, f.filled, FROM_UNKNOWN);
        }
    }

    /** The reassembly gave up on bytes [seq, seq + len) of a side: framing goes on after them. */
    void contentGap(boolean fromOrig, long seq, long len) {
        (fromOrig ? orig : resp).stream.skip(seq, len);
    }

    private void frame(Framer f, byte[] d, int i, int n) {
        int end = i + n;
        while (i < end && f.state != STOPPED) {
            switch (f.state) {
                case LENGTH_HIGH -> {
                    f.size = (d[i++] & 0xFF) << 8;
                    f.state = LENGTH_LOW;
                }
                case LENGTH_LOW -> {
                    f.size |= d[i++] & 0xFF;
                    f.filled = 0;
                    if (f.message == null || f.message.length < f.size) {
                        f.message = new byte[Math.max(f.size, HEADER)];
                    }
                    f.state = MESSAGE;
                }
                default -> {
                    int take = Math.max(0, Math.min(f.size - f.filled, end - i)); // none after a flush
                    System.arraycopy(d, i, f.message, f.filled, take);
                    f.filled += take;
                    i += take;
                }
            }
            if (f.state == MESSAGE && f.filled >= f.size) {
                f.state = LENGTH_HIGH;
                message(f.message, f.size, fromOrig ? FROM_ORIG : FROM_RESP);
            }
        }
    }

    private void message(byte[] m, int size, int sender) {
        if (size < HEADER) {
            return; // Zeek: DNS_truncated_len_lt_hdr_len
        }
        if (firstMessage && tcp.dnsFirstMessageFlips(sender == FROM_ORIG, m[2])) {
            tcp.analyzerFlip();
            Framer t = orig; // Zeek's support analyzers swap with the roles
            orig = resp;
            resp = t;
        }
        firstMessage = false;
        int questions = (m[4] & 0xFF) << 8 | (m[5] & 0xFF);
        if (maxQueries > 0 && questions > maxQueries) {
            tcp.checkHistory(Conn.HIST_LIMIT, 'X'); // DNS_Conn_count_too_large: a violation, not parsed further
            if (tcp.violationRemovesAnalyzer()) {
                removed(); // by the DPD framework, in the connection's first 10 KiB
            }
            return;
        }
        if (parser.confirms(m, 0, size, false)) {
            confirmed = true;
        }
        if (parser.chainTooDeep()) {
            tcp.checkHistory(Conn.HIST_LIMIT, 'X'); // DNS_max_compression_chain_depth_exceeded
        }
    }

    /** Zeek's DPD framework removed the analyzer: its service goes, and neither stream is framed any more. */
    private void removed() {
        confirmed = false;
        orig.state = STOPPED;
        resp.state = STOPPED;
    }
}
