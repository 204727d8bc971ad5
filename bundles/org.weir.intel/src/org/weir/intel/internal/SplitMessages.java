package org.weir.intel.internal;

/**
 * Messages that span segments, until they are complete: a client's TLS ClientHello record, a DNS server's message over
 * TCP, an HTTP request's head up to its Host header. A message begins a segment and says its own length (a request's
 * head: at most {@link #MAX_LENGTH}, its reader says when it has enough); it is keyed by its flow as its sender sent
 * it, with the sequence number its next segment must have. A ClientHello with a post-quantum key share (about 1.8 KB)
 * takes two segments, and browsers that shuffle their extensions put the server name in the second one about as often
 * as in the first; a DNS answer over TCP is often larger than a segment.
 *
 * <p>Direct-mapped by the flow's hash: a new message takes its slot from any other (the table holds few at a time, as
 * each waits for its flow's next segment only). A message's bytes are allocated once, never per packet; at most
 * {@link #MAX_LENGTH} bytes each, so the table holds at most {@code slots × MAX_LENGTH} bytes. Single-threaded (the
 * pipeline thread).
 */
final class SplitMessages {

    /**
     * A full TLS record (a ClientHello longer than that spans records); DNS messages and request heads up to that
     * length too.
     */
    static final int MAX_LENGTH = 5 + 16384;

    private final int mask;
    private final long[] cHi, cLo, sHi, sLo;
    private final int[] ports, nextSeq, filled;
    private final byte[][] bytes;
    private int pending;

    SplitMessages(int slots) {
        int n = Integer.highestOneBit(Math.max(2, slots - 1)) << 1;
        mask = n - 1;
        cHi = new long[n];
        cLo = new long[n];
        sHi = new long[n];
        sLo = new long[n];
        ports = new int[n];
        nextSeq = new int[n];
        filled = new int[n];
        bytes = new byte[n][];
    }

    /** How many messages are waiting for their next segment. */
    int pending() {
        return pending;
    }

    private int slot(long ch, long cl, long sh, long sl, int p) {
        return FlowNames.hash(ch, cl, sh, sl, p) & mask;
    }

    /** The slot of the flow's waiting message, -1 when it has none. */
    int find(long ch, long cl, int cport, long sh, long sl, int sport) {
        int p = cport << 16 | sport;
        int i = slot(ch, cl, sh, sl, p);
        return bytes[i] != null && ports[i] == p && cLo[i] == cl && sLo[i] == sl && cHi[i] == ch && sHi[i] == sh
                ? i : -1;
    }

    /**
     * Starts gathering a message of {@code length} bytes (its own header included) from the segment that begins it,
     * bytes [off, off + len) of {@code d} at sequence number {@code seq}.
     */
    void start(long ch, long cl, int cport, long sh, long sl, int sport, int seq, byte[] d, int off, int len,
            int length) {
        int p = cport << 16 | sport;
        int i = slot(ch, cl, sh, sl, p);
        if (bytes[i] == null) {
            pending++;
        }
        cHi[i] = ch;
        cLo[i] = cl;
        sHi[i] = sh;
        sLo[i] = sl;
        ports[i] = p;
        byte[] b = new byte[length];
        System.arraycopy(d, off, b, 0, len);
        bytes[i] = b;
        filled[i] = len;
        nextSeq[i] = seq + len;
    }

    /**
     * The flow's next segment, bytes [off, off + len) at sequence number {@code seq}: appended when it is the one
     * expected; a retransmission of gathered bytes changes nothing; a later one (a segment missed) ends the
     * gathering.
     *
     * @return whether the message is now complete ({@link #bytes}), to be read and then {@link #remove}d
     */
    boolean append(int i, int seq, byte[] d, int off, int len) {
        int ahead = seq - nextSeq[i];
        if (ahead < 0) {
            return false;
        }
        if (ahead > 0) {
            remove(i);
            return false;
        }
        byte[] b = bytes[i];
        int n = Math.min(len, b.length - filled[i]);
        System.arraycopy(d, off, b, filled[i], n);
        filled[i] += n;
        nextSeq[i] += len;
        return filled[i] == b.length;
    }

    /** The slot's message (complete when {@link #append} said so), null when its gathering ended. */
    byte[] bytes(int i) {
        return bytes[i];
    }

    /** How many of the message's bytes have arrived. */
    int filled(int i) {
        return filled[i];
    }

    void remove(int i) {
        if (bytes[i] != null) {
            bytes[i] = null;
            pending--;
        }
    }
}
