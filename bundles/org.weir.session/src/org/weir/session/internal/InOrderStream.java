package org.weir.session.internal;

import java.util.Arrays;

/**
 * One direction of a TCP connection as Zeek's reassembler hands it to a stream analyzer: each stream byte once, in
 * order, in deliveries. The table's own reassembly keeps only ranges, so the segments that arrive ahead of a hole are
 * held here (up to {@link #MAX_HELD} bytes) until the hole fills; bytes the reassembly delivered that this never saw
 * or could not hold make the stream {@link #lost()}.
 */
final class InOrderStream {

    /** The most held of segments that arrived ahead of a hole. */
    static final int MAX_HELD = 64 * 1024;

    /** What an analyzer does with a delivery. */
    interface Receiver {
        /** Bytes [o, o + n) of {@code d} are the stream's next ones; one call is one delivery of the reassembler. */
        void deliver(byte[] d, int o, int n);
    }

    /** The relative sequence number of the next stream byte to deliver (the first byte is 1). */
    private long next = 1;
    /** Segments held ahead of a hole: the stream from {@link #heldBase} on, up to {@link #heldEnd} (null: none). */
    private byte[] held;
    private long heldBase, heldEnd;
    /** Something was delivered (a stream's first delivery may begin after its first byte). */
    private boolean begun;
    private boolean lost;

    /** The stream can no longer be followed (and delivers nothing more). */
    boolean lost() {
        return lost;
    }

    /** Stops following the stream, and lets go of what is held. */
    void lose() {
        lost = true;
        held = null;
    }

    /**
     * A segment's payload taken by the sender's reassembly at relative sequence {@code dataSeq}: bytes [o, o + n) of
     * {@code d}, with the stream delivered up to {@code delivered} (exclusive, relative) after it. Hands the receiver
     * what this makes deliverable: what was held before the segment, the segment's new bytes, then what was held
     * behind it, each as a delivery of its own. A stream whose first delivery does not begin at its first byte (a
     * partial connection's) begins there.
     */
    void segment(long dataSeq, byte[] d, int o, int n, long delivered, Receiver to) {
        if (lost) {
            return;
        }
        long end = dataSeq + n;
        if (end <= next) {
            return; // a retransmission of delivered bytes
        }
        if (delivered < end) {
            hold(dataSeq, d, o, n);
            return;
        }
        if (dataSeq > next) {
            // The bytes before the segment were delivered already: held here (after a content gap), or never seen.
            if (held != null && heldBase <= next && heldEnd >= dataSeq) {
                long from = next;
                next = dataSeq;
                to.deliver(held, (int) (from - heldBase), (int) (dataSeq - from));
            } else if (!begun) {
                next = dataSeq;
            } else {
                lose();
                return;
            }
        }
        begun = true;
        int from = (int) (next - dataSeq);
        next = end;
        to.deliver(d, o + from, n - from);
        if (delivered > end && !lost) {
            // The segment filled a hole: what was held behind it is delivered with it.
            if (held == null || delivered > heldEnd) {
                lose();
                return;
            }
            next = delivered;
            to.deliver(held, (int) (end - heldBase), (int) (delivered - end));
        }
        if (held != null && next >= heldEnd) {
            held = null;
        }
    }

    /**
     * The reassembly gave up on bytes [seq, seq + len) (a content gap): what follows them is delivered next, after
     * what came before.
     */
    void skip(long seq, long len) {
        if (!lost && seq <= next && seq + len > next) {
            next = seq + len;
            begun = true;
        }
    }

    private void hold(long dataSeq, byte[] d, int o, int n) {
        long to = dataSeq + n;
        if (held == null) {
            heldBase = next;
            heldEnd = next;
            held = new byte[(int) Math.min(MAX_HELD, Math.max(2048, to - next))];
        }
        if (to - heldBase > MAX_HELD) {
            lose(); // too far ahead to follow
            return;
        }
        if (to - heldBase > held.length) {
            held = Arrays.copyOf(held, (int) Math.min(MAX_HELD, Math.max(to - heldBase, 2L * held.length)));
        }
        int skip = (int) Math.max(0, heldBase - dataSeq);
        System.arraycopy(d, o + skip, held, (int) (dataSeq + skip - heldBase), n - skip);
        heldEnd = Math.max(heldEnd, to);
    }
}
