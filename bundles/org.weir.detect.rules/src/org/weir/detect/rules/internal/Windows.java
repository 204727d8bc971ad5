package org.weir.detect.rules.internal;

/**
 * Sliding-window counts without per-event memory: each counter keeps the current and the previous fixed window, and
 * the estimate weighs the previous one by how much of it still overlaps the sliding window (the usual rate-limiter
 * approximation). Fields in a {@link KeyTable} entry: {@code base} = window start, then {@code cur, prev} per counter.
 */
final class Windows {

    private Windows() {
    }

    /** Moves the entry's windows forward to {@code now}; counters are pairs after {@code base}. */
    static void roll(KeyTable t, int slot, int base, int counters, long now, long window) {
        long start = t.get(slot, base);
        if (start == 0) {
            t.set(slot, base, now);
            return;
        }
        long elapsed = now - start;
        if (elapsed < window) {
            return;
        }
        boolean keepPrevious = elapsed < 2 * window;
        for (int c = 0; c < counters; c++) {
            int cur = base + 1 + 2 * c;
            t.set(slot, cur + 1, keepPrevious ? t.get(slot, cur) : 0);
            t.set(slot, cur, 0);
        }
        t.set(slot, base, keepPrevious ? start + window : now);
    }

    /** Estimated count of counter {@code c} in the window ending at {@code now}. */
    static double estimate(KeyTable t, int slot, int base, int c, long now, long window) {
        long start = t.get(slot, base);
        int cur = base + 1 + 2 * c;
        double overlap = 1.0 - (double) (now - start) / window;
        if (overlap < 0) {
            overlap = 0;
        }
        return t.get(slot, cur + 1) * overlap + t.get(slot, cur);
    }

    /** IPv4 multicast/broadcast or IPv6 multicast: many senders, no replies, and nothing wrong with that. */
    static boolean isGroupAddress(long hi, long lo) {
        if (hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == 0x0000_FFFF_0000_0000L) {
            int v4 = (int) lo;
            int first = (v4 >>> 24) & 0xFF;
            return (first >= 224 && first <= 239) || v4 == -1;
        }
        return (hi >>> 56) == 0xFF;
    }
}
