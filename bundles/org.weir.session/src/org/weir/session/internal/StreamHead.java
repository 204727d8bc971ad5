package org.weir.session.internal;

import java.util.Arrays;

/**
 * The first bytes of one side's TCP stream, held back from the analyses while they are too few for a DPD decision.
 * Zeek's signature engine matches each side's reassembled stream, so a signature matches whether its bytes came in one
 * segment or in several; Weir's DPD checks judge the bytes of a side's first delivery. A first segment shorter than
 * {@link #BYTES} that ends no line is therefore gathered with the side's next in-order segments, and the analyses get
 * them as one first delivery once they hold {@link #BYTES} bytes or a line end, or when the side ends, the other side
 * speaks, the stream goes on out of order, or the connection ends. Only one side can be held at a time: the other
 * side's first payload releases it.
 */
final class StreamHead {

    /** As many bytes as every DPD check of Weir's reads (the SSL server signature, an alert before a hello: 18). */
    static final int BYTES = 24;

    /** The side whose bytes these are (an endpoint keeps its side when Zeek flips the connection's roles). */
    final TcpEndpoint sender;
    byte[] bytes;
    int length;
    private boolean lineEnded;

    private StreamHead(TcpEndpoint sender, byte[] d, int o, int n) {
        this.sender = sender;
        this.bytes = Arrays.copyOfRange(d, o, o + Math.max(n, BYTES));
        this.length = n;
    }

    /**
     * A head for a side's first delivered segment, bytes [o, o + n) of {@code d}, when it is to be held; null when the
     * analyses can judge it as it is.
     */
    static StreamHead holding(TcpEndpoint sender, byte[] d, int o, int n) {
        return n >= BYTES || endsLine(d, o, n) ? null : new StreamHead(sender, d, o, n);
    }

    /** The side's next in-order segment; true when the head may go to the analyses now. */
    boolean append(byte[] d, int o, int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, length + n);
        }
        System.arraycopy(d, o, bytes, length, n);
        length += n;
        lineEnded |= endsLine(d, o, n);
        return lineEnded || length >= BYTES;
    }

    private static boolean endsLine(byte[] d, int o, int n) {
        for (int i = o; i < o + n; i++) {
            if (d[i] == '\n' || d[i] == '\r') {
                return true;
            }
        }
        return false;
    }
}
