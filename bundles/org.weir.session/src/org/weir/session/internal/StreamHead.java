package org.weir.session.internal;

import java.util.Arrays;

/**
 * The first bytes of one side's TCP stream, held back from the analyses while they are too few for a DPD decision.
 * Zeek's signature engine matches each side's reassembled stream, so a signature matches whether its bytes came in one
 * segment or in several, in order or not; Weir's DPD checks judge a side's first delivery. A first segment shorter than
 * {@link #BYTES} that ends no line is therefore held with the side's next segments until the stream's first bytes hold
 * {@link #BYTES} or a line end, or the side ends, the other side speaks, or the connection ends; the analyses then get
 * them as one first delivery. Segments that arrive ahead of the first one (which was lost or reordered) are noted here
 * too and go to the analyses as they come (those already attached hold them until the hole fills): the first delivery
 * then holds everything the reassembly delivers with the first segment, as Zeek's analyzers, attached by DPD, see the
 * stream from its start. Only one side can be held at a time: the other side's payload releases it.
 */
final class StreamHead {

    /** As many bytes as every DPD check of Weir's reads (the SSL server signature, an alert before a hello: 18). */
    static final int BYTES = 24;
    /** The most noted ahead of the stream's first byte (as the analyses' own streams hold, {@link InOrderStream}). */
    static final int MAX_AHEAD = InOrderStream.MAX_HELD;

    /** The side whose bytes these are (an endpoint keeps its side when Zeek flips the connection's roles). */
    final TcpEndpoint sender;
    /** The stream from its first byte: {@link #length} bytes delivered in order, then bytes noted ahead of a hole. */
    byte[] bytes = new byte[BYTES];
    int length;
    private boolean lineEnded;
    /** The stream's first segment came and is held (otherwise only bytes ahead of it were noted). */
    boolean holding;
    /** More than {@link #MAX_AHEAD} came ahead of a first segment that never came: nothing is noted or held. */
    boolean abandoned;

    StreamHead(TcpEndpoint sender) {
        this.sender = sender;
    }

    /** Whether a side's first segment, bytes [o, o + n) of {@code d}, can go to the analyses as it is. */
    static boolean judgeable(byte[] d, int o, int n) {
        return n >= BYTES || endsLine(d, o, n);
    }

    /**
     * A segment of the side at relative sequence {@code dataSeq}, after which the reassembly has delivered the stream
     * up to {@code delivered} (exclusive): its bytes are kept where they belong, and the bytes in order from the first
     * grow to what was delivered. False when they would reach past {@link #MAX_AHEAD}: the head is given up.
     */
    boolean add(long dataSeq, byte[] d, int o, int n, long delivered) {
        long at = dataSeq - 1, end = at + n;
        if (end > MAX_AHEAD) {
            return false;
        }
        if (end > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_AHEAD, Math.max(end, 2L * bytes.length)));
        }
        System.arraycopy(d, o, bytes, (int) at, n);
        // Every segment of the side since the first noted one is here, so what the reassembly delivered in order is.
        if (at <= length && delivered - 1 > length) {
            int inOrder = (int) Math.min(delivered - 1, bytes.length);
            lineEnded |= endsLine(bytes, length, inOrder - length);
            length = inOrder;
        }
        return true;
    }

    /** Gives up noting bytes for a first segment that did not come. */
    void abandon() {
        abandoned = true;
        bytes = null;
    }

    /** Whether the held bytes may go to the analyses: enough for every DPD check, or a line's end. */
    boolean complete() {
        return lineEnded || length >= BYTES;
    }

    static boolean endsLine(byte[] d, int o, int n) {
        for (int i = o; i < o + n; i++) {
            if (d[i] == '\n' || d[i] == '\r') {
                return true;
            }
        }
        return false;
    }
}
