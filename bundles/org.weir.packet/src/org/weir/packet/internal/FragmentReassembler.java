package org.weir.packet.internal;

import java.util.Arrays;
import java.util.function.LongConsumer;

import org.weir.packet.internal.Stats.Reason;

/**
 * IPv4 and IPv6 fragment reassembly with a memory bound and a timeout. Slots and their buffers are kept and reused,
 * so a steady state allocates nothing; when the bound is hit the oldest incomplete datagram is dropped and counted.
 * Overlapping data is resolved first-come (what arrived first wins), with the overlap counted.
 */
final class FragmentReassembler {

    private static final int MAX_SLOTS = 1024;
    private static final int MAX_PAYLOAD = 65535;
    private static final int BLOCKS = (MAX_PAYLOAD + 7) / 8 + 1;

    private static final class Slot {
        boolean used;
        int version;
        long srcHi, srcLo, dstHi, dstLo;
        int id, proto;
        long firstSeen;
        /** Unfragmentable part (IPv4 header, IPv6 header and extension headers before the fragment header). */
        byte[] header = new byte[64];
        int headerLength = -1;
        /** IPv6: offset in {@link #header} of the next-header field that named the fragment header. */
        int nextField;
        int nextProto;
        byte[] payload = new byte[2048];
        final long[] blocks = new long[(BLOCKS + 63) / 64];
        int blocksSet;
        int totalPayload = -1;
        int held;
        /** Frame numbers of the fragments taken, in arrival order. */
        long[] frames = new long[8];
        int frameCount;

        void reset() {
            used = false;
            frameCount = 0;
            headerLength = -1;
            totalPayload = -1;
            blocksSet = 0;
            held = 0;
            Arrays.fill(blocks, 0);
        }
    }

    private final int maxBytes;
    private final long timeoutNanos;
    private final Stats stats;
    private final Slot[] slots = new Slot[MAX_SLOTS];
    private int slotCount;
    private int held;

    /** The last completed datagram. */
    byte[] out = new byte[2048];
    int outLength;
    /**
     * Frame numbers of the fragments of the datagrams completed while the decoder decoded its frame number
     * {@link #completedAt} ({@link Stats#frames}: the decoder's count, which no two frames share); kept so, rather
     * than cleared for every frame, as few frames complete a datagram.
     */
    private long[] completedFrames = new long[8];
    private int completedCount;
    private long completedAt = -1;

    FragmentReassembler(int maxBytes, long timeoutNanos, Stats stats) {
        this.maxBytes = Math.max(0, maxBytes);
        this.timeoutNanos = timeoutNanos;
        this.stats = stats;
    }

    /** Bytes of fragment data currently held. */
    int held() {
        return held;
    }

    /** Calls {@code action} with the frame numbers of the fragments of the datagrams the frame decoded completed. */
    void completedFrames(LongConsumer action) {
        for (int i = 0, n = completedAt == stats.frames ? completedCount : 0; i < n; i++) {
            action.accept(completedFrames[i]);
        }
    }

    /**
     * Adds an IPv4 fragment of frame {@code frame}; true when it completed its datagram, which is then in
     * {@link #out}.
     */
    boolean addV4(byte[] d, int p, int hl, int total, long now, long frame) {
        int frag = Bytes.be16(d, p + 6);
        int offset = (frag & 0x1FFF) * 8;
        boolean more = (frag & 0x2000) != 0;
        int src = Bytes.be32(d, p + 12), dst = Bytes.be32(d, p + 16);
        int id = Bytes.be16(d, p + 4);
        int proto = d[p + 9] & 0xFF;
        Slot s = find(4, 0, src, 0, dst, id, proto, now);
        if (s == null) {
            return false;
        }
        takeFrame(s, frame);
        // Like Zeek, the datagram keeps the header of the fragment that arrived first.
        if (s.headerLength < 0) {
            s.header = ensure(s.header, hl);
            System.arraycopy(d, p, s.header, 0, hl);
            s.headerLength = hl;
        }
        if (!addData(s, d, p + hl, total - hl, offset, more)) {
            return false;
        }
        // Rebuild the header: whole length, no fragment bits (DF kept), fresh checksum.
        int len = s.headerLength + s.totalPayload;
        out = ensure(out, len);
        System.arraycopy(s.header, 0, out, 0, s.headerLength);
        System.arraycopy(s.payload, 0, out, s.headerLength, s.totalPayload);
        out[2] = (byte) (len >>> 8);
        out[3] = (byte) len;
        out[6] &= 0x40;
        out[7] = 0;
        out[10] = out[11] = 0;
        int sum = ~Checksum.fold(Checksum.sum(out, 0, s.headerLength, 0)) & 0xFFFF;
        out[10] = (byte) (sum >>> 8);
        out[11] = (byte) sum;
        outLength = len;
        complete(s);
        return true;
    }

    /**
     * Adds an IPv6 fragment.
     *
     * @param fragHeader offset of the fragment header
     * @param nextField offset of the next-header field that names the fragment header
     */
    boolean addV6(byte[] d, int p, int fragHeader, int nextField, int total, long now, long frame) {
        int off = Bytes.be16(d, fragHeader + 2);
        int offset = off & 0xFFF8;
        boolean more = (off & 0x1) != 0;
        int id = Bytes.be32(d, fragHeader + 4);
        long srcHi = be64(d, p + 8), srcLo = be64(d, p + 16), dstHi = be64(d, p + 24), dstLo = be64(d, p + 32);
        Slot s = find(6, srcHi, srcLo, dstHi, dstLo, id, 0, now);
        if (s == null) {
            return false;
        }
        takeFrame(s, frame);
        int unfragmentable = fragHeader - p;
        if (s.headerLength < 0) {
            s.header = ensure(s.header, unfragmentable);
            System.arraycopy(d, p, s.header, 0, unfragmentable);
            s.headerLength = unfragmentable;
            s.nextField = nextField - p;
        }
        if (offset == 0) {
            s.nextProto = d[fragHeader] & 0xFF; // what follows comes from the first fragment's header
        }
        int dataStart = fragHeader + 8;
        if (!addData(s, d, dataStart, p + total - dataStart, offset, more)) {
            return false;
        }
        int len = s.headerLength + s.totalPayload;
        if (len - 40 > MAX_PAYLOAD) {
            stats.count(Reason.excessively_large_fragment);
            release(s);
            return false;
        }
        out = ensure(out, len);
        System.arraycopy(s.header, 0, out, 0, s.headerLength);
        System.arraycopy(s.payload, 0, out, s.headerLength, s.totalPayload);
        out[4] = (byte) ((len - 40) >>> 8);
        out[5] = (byte) (len - 40);
        out[s.nextField] = (byte) s.nextProto;
        outLength = len;
        complete(s);
        return true;
    }

    private static void takeFrame(Slot s, long frame) {
        if (s.frameCount == s.frames.length) {
            s.frames = Arrays.copyOf(s.frames, s.frameCount * 2);
        }
        s.frames[s.frameCount++] = frame;
    }

    /** The datagram of the slot is out: its frames are noted, the slot is free. */
    private void complete(Slot s) {
        if (completedAt != stats.frames) {
            completedAt = stats.frames;
            completedCount = 0;
        }
        if (completedCount + s.frameCount > completedFrames.length) {
            completedFrames = Arrays.copyOf(completedFrames, Math.max(completedFrames.length * 2,
                    completedCount + s.frameCount));
        }
        System.arraycopy(s.frames, 0, completedFrames, completedCount, s.frameCount);
        completedCount += s.frameCount;
        release(s);
    }

    /** Stores one fragment's data; true when the datagram is complete. */
    private boolean addData(Slot s, byte[] d, int from, int length, int offset, boolean more) {
        if (length < 0) {
            length = 0;
        }
        int end = offset + length;
        if (end > MAX_PAYLOAD) {
            stats.count(Reason.excessively_large_fragment);
            return false;
        }
        if (!more) {
            if (s.totalPayload >= 0 && s.totalPayload != end) {
                stats.count(Reason.fragment_inconsistency);
            } else {
                s.totalPayload = end;
            }
        }
        if (length > 0) {
            if (!reserve(s, length)) {
                return false;
            }
            s.payload = ensure(s.payload, end);
            boolean overlap = false;
            for (int b = offset >>> 3, last = (end - 1) >>> 3; b <= last; b++) {
                long bit = 1L << (b & 63);
                if ((s.blocks[b >>> 6] & bit) != 0) {
                    overlap = true;
                    continue;
                }
                int bStart = Math.max(b << 3, offset);
                int bEnd = Math.min((b << 3) + 8, end);
                System.arraycopy(d, from + (bStart - offset), s.payload, bStart, bEnd - bStart);
                s.blocks[b >>> 6] |= bit;
                s.blocksSet++;
            }
            if (overlap) {
                stats.count(Reason.fragment_overlap);
            }
        }
        if (s.totalPayload < 0 || s.headerLength < 0) {
            return false;
        }
        int needed = (s.totalPayload + 7) >>> 3;
        if (s.blocksSet < needed) {
            return false;
        }
        // Blocks beyond the end (inconsistent fragments) may be counted too: check the range itself.
        for (int b = 0; b < needed; b++) {
            if ((s.blocks[b >>> 6] & (1L << (b & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Accounts for {@code n} more held bytes, dropping the oldest other datagrams when the bound requires. */
    private boolean reserve(Slot s, int n) {
        if (n > maxBytes) {
            stats.count(Reason.fragment_dropped_memory_bound);
            return false;
        }
        while (held + n > maxBytes) {
            Slot oldest = null;
            for (int i = 0; i < slotCount; i++) {
                Slot o = slots[i];
                if (o.used && o != s && (oldest == null || o.firstSeen < oldest.firstSeen)) {
                    oldest = o;
                }
            }
            if (oldest == null) {
                stats.count(Reason.fragment_dropped_memory_bound);
                return false;
            }
            stats.count(Reason.fragment_dropped_memory_bound);
            release(oldest);
        }
        s.held += n;
        held += n;
        return true;
    }

    private Slot find(int version, long srcHi, long srcLo, long dstHi, long dstLo, int id, int proto, long now) {
        Slot free = null;
        Slot oldest = null;
        for (int i = 0; i < slotCount; i++) {
            Slot s = slots[i];
            if (s.used && timeoutNanos > 0 && now - s.firstSeen > timeoutNanos) {
                stats.count(Reason.fragment_timeout);
                release(s);
            }
            if (!s.used) {
                if (free == null) {
                    free = s;
                }
                continue;
            }
            if (s.version == version && s.id == id && s.proto == proto && s.srcLo == srcLo && s.dstLo == dstLo
                    && s.srcHi == srcHi && s.dstHi == dstHi) {
                return s;
            }
            if (oldest == null || s.firstSeen < oldest.firstSeen) {
                oldest = s;
            }
        }
        if (free == null) {
            if (slotCount < MAX_SLOTS) {
                free = slots[slotCount++] = new Slot();
            } else {
                stats.count(Reason.fragment_dropped_memory_bound);
                release(oldest);
                free = oldest;
            }
        }
        free.used = true;
        free.version = version;
        free.srcHi = srcHi;
        free.srcLo = srcLo;
        free.dstHi = dstHi;
        free.dstLo = dstLo;
        free.id = id;
        free.proto = proto;
        free.firstSeen = now;
        return free;
    }

    private void release(Slot s) {
        held -= s.held;
        s.reset();
    }

    private static byte[] ensure(byte[] b, int n) {
        if (b.length >= n) {
            return b;
        }
        return Arrays.copyOf(b, Math.max(n, Math.min(MAX_PAYLOAD + 1024, b.length * 2)));
    }

    private static long be64(byte[] d, int p) {
        return ((long) Bytes.be32(d, p) << 32) | (Bytes.be32(d, p + 4) & 0xFFFF_FFFFL);
    }
}
