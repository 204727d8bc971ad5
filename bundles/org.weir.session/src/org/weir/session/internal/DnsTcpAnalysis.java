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
 * connection, whose stream begins wherever the capture does. The DNS analyzer's flip of a connection whose first
 * message is a response from the originator is not emulated on TCP (a connection to port 53 is oriented towards it by
 * the likely server ports already).
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

    private final Framer orig = new Framer(), resp = new Framer();
    private boolean confirmed;
    /** While a segment is framed: its connection, and how its messages are judged. */
    private TcpConnection tcp;
    private DnsConfirmation parser;
    private int maxQueries;

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
        this.parser = parser;
        this.maxQueries = maxQueries;
        f.stream.segment(dataSeq, d, off, len, delivered, f);
        if (f.stream.lost()) {
            f.state = STOPPED;
        }
        this.tcp = null;
        this.parser = null;
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
                    int take = Math.min(f.size - f.filled, end - i);
                    System.arraycopy(d, i, f.message, f.filled, take);
                    f.filled += take;
                    i += take;
                }
            }
            if (f.state == MESSAGE && f.filled == f.size) {
                f.state = LENGTH_HIGH;
                message(f.message, f.size);
            }
        }
    }

    private void message(byte[] m, int size) {
        if (size < HEADER) {
            return; // Zeek: DNS_truncated_len_lt_hdr_len
        }
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
