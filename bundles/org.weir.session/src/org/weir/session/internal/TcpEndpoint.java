package org.weir.session.internal;

import java.util.Arrays;

/**
 * One side of a TCP connection as Zeek's TCP analyzer models it (endpoint state, sequence space with wrap counts,
 * FIN/RST bookkeeping, the repeat counters of the scaled history letters), together with the part of Zeek's stream
 * reassembler that conn.log depends on: which sequence ranges were seen, so that an acknowledgement above a hole
 * reports a content gap (history {@code G}, {@code missed_bytes}). Payload bytes themselves are not kept.
 *
 * <p>Sequence numbers are 32-bit values held in {@code int}s and compared with wrap-around arithmetic; "relative"
 * sequence numbers are 64-bit offsets from the start sequence (the SYN, or a guessed one), as in Zeek.
 */
final class TcpEndpoint {

    static final int INACTIVE = 0, SYN_SENT = 1, SYN_ACK_SENT = 2, PARTIAL = 3, ESTABLISHED = 4, CLOSED = 5,
            RESET = 6;

    /** Zeek's {@code tcp_max_initial_window}, {@code tcp_max_above_hole_without_any_acks}. */
    private static final long MAX_INITIAL_WINDOW = 16384, MAX_ABOVE_HOLE_WITHOUT_ACKS = 16384;
    /** Zeek's {@code tcp_excessive_data_without_further_acks}. */
    private static final long EXCESSIVE_DATA_WITHOUT_ACKS = 10L * 1024 * 1024;

    /** The connection; which side this endpoint is, and its peer, follow from the connection's two fields. */
    final TcpConnection tcp;

    byte state = INACTIVE, prevState = INACTIVE;
    int startSeq, lastSeq, ackSeq;
    int seqWraps, ackWraps;
    /** A FIN was sent; {@link #finSeq} is the relative sequence after the last one. */
    boolean finSeen;
    long finSeq;
    boolean didClose;
    long histLastSyn, histLastFin, histLastRst;

    // Scaled history entries (Zeek's ScaledHistoryEntry): the letter at 1, 10, 100, ... occurrences (bad
    // checksums: counted in the connection, Conn#checksumError).
    int rxmtCount, win0Count, gapCount;

    // ---- reassembly bookkeeping (relative sequence numbers, starting at 1) --------------------------------
    /**
     * Sorted, non-overlapping received ranges [lo, hi) not yet trimmed by acknowledgements. In-order data that is
     * acknowledged as it flows never holds more than one, so the first is kept in fields (no object to allocate or
     * to miss in the cache on the next packet); further ones, interleaved lo/hi, in {@link #moreBlocks}.
     */
    private long firstLo, firstHi;
    private long[] moreBlocks;
    private int blocks;
    /** Bytes in the ranges, Zeek's {@code DataBlockList::DataSize}, kept as ranges come and go. */
    private long blockBytes;
    long lastReassemSeq = 1, trimSeq = 1;
    boolean skipDeliveries, didEof;

    TcpEndpoint(TcpConnection tcp) {
        this.tcp = tcp;
    }

    /** The originator's endpoint (the endpoints swap with the connection's roles). */
    boolean isOrig() {
        return tcp.orig == this;
    }

    TcpEndpoint peer() {
        TcpConnection c = tcp;
        return c.orig == this ? c.resp : c.orig;
    }

    // ---- sequence space ------------------------------------------------------------------------------------

    static long full(int seq, int wraps) {
        return ((long) wraps << 32) + (seq & 0xFFFF_FFFFL);
    }

    long startSeqI64() {
        return startSeq & 0xFFFF_FFFFL;
    }

    long toRelative(int seq, int wraps) {
        return full(seq, wraps) - startSeqI64();
    }

    void updateLastSeq(int seq) {
        if (Integer.compareUnsigned(seq, lastSeq) < 0) {
            seqWraps++;
        }
        lastSeq = seq;
    }

    void updateAckSeq(int seq) {
        if (Integer.compareUnsigned(seq, ackSeq) < 0) {
            ackWraps++;
        }
        ackSeq = seq;
    }

    boolean noDataAcked() {
        long ack = full(ackSeq, ackWraps);
        long start = startSeqI64();
        return ack == start || ack == start + 1;
    }

    boolean isActive() {
        return state != INACTIVE && !didClose;
    }

    void setState(int newState) {
        if (newState != state) {
            // Finishing the handshake switches the connection to the TCP inactivity timeout.
            if (!isHandshake(newState) && isHandshake(state) && isHandshake(peer().state)) {
                tcp.handshakeDone();
            }
            prevState = state;
            state = (byte) newState;
        }
    }

    private static boolean isHandshake(int s) {
        return s == INACTIVE || s == SYN_SENT || s == SYN_ACK_SENT;
    }

    /** Payload bytes by sequence space, Zeek's {@code TCP_Endpoint::Size}. */
    long size() {
        if (prevState == SYN_SENT && state == RESET && peer().state == INACTIVE && !noDataAcked()) {
            // A half-open connection discovered and aborted: its sequence numbers say nothing about data.
            return 0;
        }
        long last = full(lastSeq, seqWraps);
        long ack = full(ackSeq, ackWraps);
        long size = (Long.compareUnsigned(last, ack) > 0 ? last : ack) - startSeqI64();
        if (size != 0) {
            size--; // the SYN octet
        }
        if (finSeen && size != 0) {
            size--; // the FIN octet
        }
        return size;
    }

    // ---- history letters -----------------------------------------------------------------------------------

    boolean checkHistory(int mask, char code) {
        if (!isOrig()) {
            mask <<= 16;
            code = Character.toLowerCase(code);
        }
        return tcp.checkHistory(mask, code);
    }

    void addHistory(char code) {
        tcp.addHistory(isOrig() ? code : Character.toLowerCase(code));
    }

    void didRxmit() {
        if (Conn.isScaledHistoryStep(++rxmtCount)) {
            tcp.addHistory(isOrig() ? 'T' : 't');
        }
    }

    void zeroWindow() {
        if (Conn.isScaledHistoryStep(++win0Count)) {
            tcp.addHistory(isOrig() ? 'W' : 'w');
        }
    }

    private void gapLetter() {
        if (Conn.isScaledHistoryStep(++gapCount)) {
            tcp.addHistory(isOrig() ? 'G' : 'g');
        }
    }

    // ---- reassembly ----------------------------------------------------------------------------------------

    private static boolean isClean(TcpEndpoint e) {
        return e.state == ESTABLISHED || (e.state == CLOSED && e.prevState == ESTABLISHED);
    }

    private void gap(long seq, long len) {
        TlsAnalysis.contentGap(tcp);
        tcp.sshContentGap();
        tcp.lineContentGap(isOrig(), seq, len);
        boolean clean = isClean(this) && isClean(peer());
        if (clean) {
            gapLetter();
        }
        if (clean || tcp.config().reportGapsForPartial) {
            tcp.addMissedBytes(len);
        }
    }

    /** Data sent by this endpoint at relative sequence {@code seq}; Zeek's {@code TCP_Reassembler::DataSent}. */
    void dataSent(long seq, int len) {
        if (skipDeliveries) {
            return;
        }
        long ack = toRelative(ackSeq, ackWraps);
        long upper = seq + len;
        if (seq < ack) {
            if (upper <= ack) {
                return; // already delivered and acknowledged
            }
            len -= (int) (ack - seq);
            seq = ack;
        }
        newBlock(seq, len);
        if (noDataAcked() && blocks > 0 && hi(blocks - 1) - lastReassemSeq > MAX_ABOVE_HOLE_WITHOUT_ACKS) {
            clearBlocks();
            skipDeliveries = true;
        }
        if (blockBytes > EXCESSIVE_DATA_WITHOUT_ACKS) {
            clearBlocks();
            skipDeliveries = true;
        }
    }

    private void newBlock(long seq, long len) {
        if (len <= 0) {
            return;
        }
        long upper = seq + len;
        if (upper <= trimSeq) {
            return;
        }
        if (seq < trimSeq) {
            seq = trimSeq;
        }
        boolean deliverable = seq <= lastReassemSeq && upper > lastReassemSeq;
        boolean appended = insertRange(seq, upper);
        if (!deliverable) {
            return;
        }
        if (appended) {
            lastReassemSeq = upper; // the new last range reaches past what was delivered; nothing follows it
        } else {
            blockInserted();
        }
        if (noDataAcked() && size() > MAX_INITIAL_WINDOW) {
            // Lots of data and none of it acked: the peer's acks are probably not visible; stop holding it.
            trimToSeq(lastReassemSeq);
        }
    }

    /**
     * Adds the parts of [lo, hi) not already covered, keeping the ranges sorted and disjoint; true when it became
     * one new last range (in order after all others, as most segments come).
     */
    private boolean insertRange(long lo, long hi) {
        if (blocks == 0 || hi(blocks - 1) <= lo) {
            insertAt(blocks, lo, hi);
            return true;
        }
        int i = 0;
        while (i < blocks && hi(i) <= lo) {
            i++;
        }
        while (lo < hi) {
            if (i >= blocks || hi <= lo(i)) {
                insertAt(i, lo, hi);
                return false;
            }
            if (lo < lo(i)) {
                insertAt(i, lo, lo(i));
                i++;
            }
            lo = Math.max(lo, hi(i));
            i++;
        }
        return false;
    }

    private long lo(int i) {
        return i == 0 ? firstLo : moreBlocks[2 * i - 2];
    }

    private long hi(int i) {
        return i == 0 ? firstHi : moreBlocks[2 * i - 1];
    }

    private void set(int i, long lo, long hi) {
        if (i == 0) {
            firstLo = lo;
            firstHi = hi;
        } else {
            moreBlocks[2 * i - 2] = lo;
            moreBlocks[2 * i - 1] = hi;
        }
    }

    private void insertAt(int i, long lo, long hi) {
        if (blocks > 0) {
            if (moreBlocks == null) {
                moreBlocks = new long[8];
            } else if (2 * blocks > moreBlocks.length) {
                moreBlocks = Arrays.copyOf(moreBlocks, 4 * blocks);
            }
            for (int j = blocks; j > i; j--) {
                set(j, lo(j - 1), hi(j - 1));
            }
        }
        set(i, lo, hi);
        blocks++;
        blockBytes += hi - lo;
    }

    /** Drops the first {@code n} blocks. */
    private void dropFirst(int n) {
        for (int j = 0; j < n; j++) {
            blockBytes -= hi(j) - lo(j);
        }
        for (int j = n; j < blocks; j++) {
            set(j - n, lo(j), hi(j));
        }
        blocks -= n;
    }

    /** Delivers whatever is now contiguous from {@link #lastReassemSeq}. */
    private void blockInserted() {
        for (int i = 0; i < blocks; i++) {
            if (lo(i) > lastReassemSeq) {
                break;
            }
            if (hi(i) > lastReassemSeq) {
                lastReassemSeq = hi(i);
            }
        }
    }

    private void clearBlocks() {
        blocks = 0;
        blockBytes = 0;
    }

    boolean hasBlocks() {
        return blocks > 0;
    }

    /** The peer acknowledged up to relative {@code seq}: report holes below it, drop what is acked. */
    void ackReceived(long seq) {
        if (finSeen && seq >= finSeq) {
            seq = finSeq - 1;
        }
        if (seq <= trimSeq) {
            return;
        }
        trimToSeq(seq);
        checkEof();
    }

    private void trimToSeq(long seq) {
        if (seq > lastReassemSeq) {
            undelivered(seq);
        }
        int drop = 0;
        while (drop < blocks && hi(drop) <= seq) {
            drop++;
        }
        if (drop > 0) {
            dropFirst(drop);
        }
        if (blocks > 0 && firstLo == lastReassemSeq) {
            blockInserted();
        }
        trimSeq = seq;
    }

    /** Zeek's {@code TCP_Reassembler::Undelivered}: everything below {@code upTo} that never arrived is a gap. */
    private void undelivered(long upTo) {
        if (upTo <= 2 && tcp.isPartial) {
            // The faked initial sequence of a partial connection: not a real hole.
            return;
        }
        if (!skipDeliveries) {
            for (int i = 0; i < blocks; i++) {
                long lo = lo(i);
                if (lo < lastReassemSeq) {
                    continue;
                }
                if (lo >= upTo) {
                    break;
                }
                gap(lastReassemSeq, lo - lastReassemSeq);
                lastReassemSeq = lo;
                blockInserted();
            }
            if (upTo > lastReassemSeq) {
                gap(lastReassemSeq, upTo - lastReassemSeq);
            }
        }
        if (upTo > lastReassemSeq) {
            lastReassemSeq = upTo;
        }
    }

    /** Zeek's {@code TCP_Reassembler::DataPending}. */
    boolean dataPending() {
        if (skipDeliveries) {
            return false;
        }
        long delivered = startSeqI64() + lastReassemSeq;
        long last = full(lastSeq, seqWraps);
        if (last < delivered) {
            return false;
        }
        if (delivered != last - 1 && delivered != last) {
            return true;
        }
        return state != RESET && peer().hasBlocks();
    }

    void checkEof() {
        if (!didEof && (finSeen || state == CLOSED || state == RESET) && !dataPending()) {
            didEof = true;
            tcp.endpointEof(this);
        }
    }
}
