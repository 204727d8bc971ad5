package org.weir.session.internal;

import java.util.Arrays;

/**
 * The flow table's timer entries, (deadline, session) pairs, polled in deadline order as packet time advances.
 *
 * <p>Two levels, because one binary heap over every live session costs a cache miss per level of each sift at
 * hundreds of thousands of entries: entries due within the current window of about a second sit in a small
 * binary heap that stays in cache; later ones are appended to a wheel of one-window buckets and moved into the
 * heap when packet time reaches their window. Polling order is the same as a single heap's: the heap holds every
 * entry of the current window, and all other entries are later.
 *
 * <p>Entries are never moved in place (that would touch the session, a cache miss). An entry still on the wheel
 * can be cancelled where {@link #add} said it went (the connection keeps that slot); other stale entries are
 * dropped by the table when they surface, and by {@link #retain} when they are the majority. No allocation once
 * the arrays have grown to the table's size.
 */
final class TimerQueue {

    /** A window is 2^30 ns (1.07 s); the wheel spans 512 windows (9 minutes, more than Zeek's TCP inactivity). */
    private static final int WINDOW_SHIFT = 30, WHEEL_BITS = 9, WHEEL_SIZE = 1 << WHEEL_BITS;

    private Conn[] heap = new Conn[256];
    private long[] heapKey = new long[256];
    private int heapSize;

    private final Conn[][] bucket = new Conn[WHEEL_SIZE][];
    private final long[][] bucketKey = new long[WHEEL_SIZE][];
    private final int[] bucketSize = new int[WHEEL_SIZE];
    private int wheelSize;
    /** Window of the heap, as (deadline >> WINDOW_SHIFT); Long.MIN_VALUE until the first entry. */
    private long window = Long.MIN_VALUE;

    private long polledKey;

    /** The largest slot {@link #add} hands out (connections keep it in a {@code char}). */
    static final int MAX_SLOT = Character.MAX_VALUE;

    int size() {
        return heapSize + wheelSize;
    }

    /**
     * Adds an entry; returns its slot for {@link #cancel} (its index in its wheel bucket + 1), or 0 when it cannot
     * be cancelled (it went into the heap, or the bucket is too large for a slot number).
     */
    int add(Conn c, long key) {
        long w = key >> WINDOW_SHIFT;
        if (window == Long.MIN_VALUE) {
            window = w;
        }
        if (w <= window) {
            heapPush(c, key);
            return 0;
        }
        int slot = bucketAdd((int) (w & (WHEEL_SIZE - 1)), c, key) + 1;
        return slot <= MAX_SLOT ? slot : 0;
    }

    /**
     * Cancels {@code c}'s entry at {@code key} in {@code slot}, if it is still there (it is not when its window has
     * reached the heap, or when housekeeping moved it): its place is left empty and never surfaces. Reads the
     * bucket, not the session.
     */
    boolean cancel(Conn c, long key, int slot) {
        long w = key >> WINDOW_SHIFT;
        if (slot == 0 || w <= window) {
            return false;
        }
        int b = (int) (w & (WHEEL_SIZE - 1)), i = slot - 1;
        if (i >= bucketSize[b] || bucket[b][i] != c || bucketKey[b][i] != key) {
            return false;
        }
        bucket[b][i] = null;
        wheelSize--;
        return true;
    }

    /**
     * Removes and returns the entry with the smallest deadline if that deadline is at or before {@code now},
     * otherwise null; {@link #polledKey()} is then its deadline.
     */
    Conn pollDue(long now) {
        while (true) {
            if (heapSize > 0) {
                if (heapKey[0] > now) {
                    return null;
                }
                Conn c = heap[0];
                polledKey = heapKey[0];
                heapPop();
                return c;
            }
            if (wheelSize == 0 || (now >> WINDOW_SHIFT) <= window) {
                return null;
            }
            advance(now >> WINDOW_SHIFT);
        }
    }

    long polledKey() {
        return polledKey;
    }

    /** Moves the heap to the next window that has entries, no further than {@code target}. */
    private void advance(long target) {
        if (target - window > WHEEL_SIZE) {
            // A jump past the whole wheel (a gap in the capture): every entry is refiled once.
            rebase(target);
            return;
        }
        while (heapSize == 0 && window < target) {
            window++;
            drain((int) (window & (WHEEL_SIZE - 1)));
        }
    }

    /** Moves the entries of the heap's window out of a bucket; entries of later rounds stay. */
    private void drain(int b) {
        int n = bucketSize[b];
        if (n == 0) {
            return;
        }
        Conn[] cs = bucket[b];
        long[] ks = bucketKey[b];
        int kept = 0, moved = 0;
        for (int i = 0; i < n; i++) {
            long k = ks[i];
            if (cs[i] == null) {
                continue; // cancelled, and no longer counted
            }
            if (k >> WINDOW_SHIFT <= window) {
                heapPush(cs[i], k);
                moved++;
            } else {
                cs[kept] = cs[i];
                ks[kept++] = k;
            }
        }
        Arrays.fill(cs, kept, n, null);
        bucketSize[b] = kept;
        wheelSize -= moved;
    }

    private void rebase(long target) {
        Conn[] cs = new Conn[wheelSize];
        long[] ks = new long[wheelSize];
        int n = 0;
        for (int b = 0; b < WHEEL_SIZE; b++) {
            for (int i = 0; i < bucketSize[b]; i++) {
                if (bucket[b][i] != null) {
                    cs[n] = bucket[b][i];
                    ks[n++] = bucketKey[b][i];
                }
            }
            clearBucket(b);
        }
        wheelSize = 0;
        window = target;
        for (int i = 0; i < n; i++) {
            add(cs[i], ks[i]);
        }
    }

    /** Keeps the entries {@code live} accepts; linear in the entries. */
    void retain(EntryFilter live) {
        int n = 0;
        for (int i = 0; i < heapSize; i++) {
            if (live.keep(heap[i], heapKey[i])) {
                heap[n] = heap[i];
                heapKey[n++] = heapKey[i];
            }
        }
        Arrays.fill(heap, n, heapSize, null);
        heapSize = n;
        for (int i = (n >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i], heapKey[i]);
        }
        for (int b = 0; b < WHEEL_SIZE; b++) {
            int size = bucketSize[b], kept = 0, dropped = 0;
            Conn[] cs = bucket[b];
            long[] ks = bucketKey[b];
            for (int i = 0; i < size; i++) {
                if (cs[i] == null) {
                    continue; // cancelled, and no longer counted
                }
                if (live.keep(cs[i], ks[i])) {
                    cs[kept] = cs[i];
                    ks[kept++] = ks[i];
                } else {
                    dropped++;
                }
            }
            if (size > 0) {
                Arrays.fill(cs, kept, size, null);
            }
            bucketSize[b] = kept;
            wheelSize -= dropped;
        }
    }

    interface EntryFilter {
        boolean keep(Conn c, long key);
    }

    /** Forgets every entry and gives the grown arrays back. */
    void clear() {
        heap = new Conn[256];
        heapKey = new long[256];
        heapSize = 0;
        for (int b = 0; b < WHEEL_SIZE; b++) {
            clearBucket(b);
        }
        wheelSize = 0;
        window = Long.MIN_VALUE;
    }

    private void clearBucket(int b) {
        bucket[b] = null;
        bucketKey[b] = null;
        bucketSize[b] = 0;
    }

    private int bucketAdd(int b, Conn c, long key) {
        int n = bucketSize[b];
        if (bucket[b] == null) {
            bucket[b] = new Conn[64];
            bucketKey[b] = new long[64];
        } else if (n == bucket[b].length) {
            bucket[b] = Arrays.copyOf(bucket[b], n * 2);
            bucketKey[b] = Arrays.copyOf(bucketKey[b], n * 2);
        }
        bucket[b][n] = c;
        bucketKey[b][n] = key;
        bucketSize[b] = n + 1;
        wheelSize++;
        return n;
    }

    // ---- binary heap of the current window ---------------------------------------------------------------------

    private void heapPush(Conn c, long key) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heapSize * 2);
            heapKey = Arrays.copyOf(heapKey, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heapKey[parent] <= key) {
                break;
            }
            heap[i] = heap[parent];
            heapKey[i] = heapKey[parent];
            i = parent;
        }
        heap[i] = c;
        heapKey[i] = key;
    }

    private void heapPop() {
        int n = --heapSize;
        Conn last = heap[n];
        long lastKey = heapKey[n];
        heap[n] = null;
        if (n > 0) {
            siftDown(0, last, lastKey);
        }
    }

    private void siftDown(int i, Conn c, long k) {
        int n = heapSize;
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && heapKey[child + 1] < heapKey[child]) {
                child++;
            }
            if (heapKey[child] >= k) {
                break;
            }
            heap[i] = heap[child];
            heapKey[i] = heapKey[child];
            i = child;
        }
        heap[i] = c;
        heapKey[i] = k;
    }
}
