package org.weir.detect.rules.internal;

/**
 * The distinct values (two longs each, e.g. an address, or a port and 0) among the events of a sliding window, in
 * primitive arrays: the events, in arrival order, in a ring of (time, value) triples, and how often each value
 * occurs among them in an open-addressing table, so that neither an event nor a value is an object of its own.
 * Events leave from the oldest arrival on, while that one started before the window.
 */
final class WindowValues {

    private static final int EVENT = 3;
    /** Ring of (time, a, b); capacity a power of two. */
    private long[] events;
    private int head, size;
    /** (a, b) per slot, with its count in {@link #counts} (0: empty slot); load at most one half. */
    private long[] keys;
    private int[] counts;
    private int distinct;

    WindowValues() {
        events = new long[2 * EVENT];
        keys = new long[2 * 4];
        counts = new int[4];
    }

    /** Adds an event, then drops the oldest arrivals that started before {@code windowStart}. */
    void add(long time, long a, long b, long windowStart) {
        if (size * EVENT == events.length) {
            growEvents();
        }
        int mask = events.length / EVENT - 1;
        int e = ((head + size) & mask) * EVENT;
        events[e] = time;
        events[e + 1] = a;
        events[e + 2] = b;
        size++;
        increment(a, b);
        while (size > 0 && events[head * EVENT] < windowStart) {
            int o = head * EVENT;
            decrement(events[o + 1], events[o + 2]);
            head = (head + 1) & mask;
            size--;
        }
    }

    /** Events in the window. */
    int size() {
        return size;
    }

    /** Distinct values among them. */
    int distinct() {
        return distinct;
    }

    /** The first long of each distinct value, in no particular order. */
    long[] firstOfValues() {
        long[] out = new long[distinct];
        int n = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                out[n++] = keys[2 * i];
            }
        }
        return out;
    }

    private void growEvents() {
        int capacity = events.length / EVENT;
        long[] grown = new long[events.length * 2];
        for (int i = 0; i < size; i++) {
            System.arraycopy(events, ((head + i) & (capacity - 1)) * EVENT, grown, i * EVENT, EVENT);
        }
        events = grown;
        head = 0;
    }

    private static int hash(long a, long b) {
        long h = a * 0x9E3779B97F4A7C15L + Long.rotateLeft(b * 0xC2B2AE3D27D4EB4FL, 31);
        return (int) (h ^ h >>> 29 ^ h >>> 47);
    }

    private void increment(long a, long b) {
        int mask = counts.length - 1;
        int i = hash(a, b) & mask;
        while (counts[i] != 0) {
            if (keys[2 * i] == a && keys[2 * i + 1] == b) {
                counts[i]++;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[2 * i] = a;
        keys[2 * i + 1] = b;
        counts[i] = 1;
        if (++distinct * 2 > counts.length) {
            rehash(counts.length * 2);
        }
    }

    private void decrement(long a, long b) {
        int mask = counts.length - 1;
        int i = hash(a, b) & mask;
        while (keys[2 * i] != a || keys[2 * i + 1] != b || counts[i] == 0) {
            i = (i + 1) & mask; // the value of a queued event is always present
        }
        if (--counts[i] > 0) {
            return;
        }
        distinct--;
        // Backward-shift deletion: move later entries of the probe run into the hole, so lookups need no tombstones.
        for (int hole = i, j = (i + 1) & mask; counts[j] != 0; j = (j + 1) & mask) {
            int home = hash(keys[2 * j], keys[2 * j + 1]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) { // home at or before the hole: may move there
                keys[2 * hole] = keys[2 * j];
                keys[2 * hole + 1] = keys[2 * j + 1];
                counts[hole] = counts[j];
                counts[j] = 0;
                hole = j;
            }
        }
        if (counts.length > 8 && distinct * 8 < counts.length) {
            rehash(counts.length / 2);
        }
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        keys = new long[2 * capacity];
        counts = new int[capacity];
        int mask = capacity - 1;
        for (int k = 0; k < oldCounts.length; k++) {
            if (oldCounts[k] != 0) {
                int i = hash(oldKeys[2 * k], oldKeys[2 * k + 1]) & mask;
                while (counts[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[2 * i] = oldKeys[2 * k];
                keys[2 * i + 1] = oldKeys[2 * k + 1];
                counts[i] = oldCounts[k];
            }
        }
    }
}
