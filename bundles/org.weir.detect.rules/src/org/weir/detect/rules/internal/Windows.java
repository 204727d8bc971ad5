package org.weir.detect.rules.internal;

/**
 * Sliding-window counts without per-event memory: each counter keeps the current and the previous fixed window, and
 * the estimate weighs the previous one by how much of it still overlaps the sliding window (the usual rate-limiter
 * approximation). Fields in a {@link KeyTable} entry: {@code base} = window start, then one field per counter
 * holding both windows' counts as unsigned 32-bit halves (previous high, current low), which saturate at
 * {@value #MAX_COUNT} rather than wrap; the table counts each addition so clamped ({@link KeyTable#saturated}).
 */
final class Windows {

    /** The largest count a window holds. */
    static final long MAX_COUNT = 0xFFFF_FFFFL;

    private Windows() {
    }

    /** Moves the entry's windows forward to {@code now}; counters are the fields after {@code base}. */
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
        for (int c = base + 1; c <= base + counters; c++) {
            t.set(slot, c, keepPrevious ? t.get(slot, c) << 32 : 0); // the current window becomes the previous
        }
        t.set(slot, base, keepPrevious ? start + window : now);
    }

    /** Adds {@code delta} (not negative) to counter {@code c}'s current window. */
    static void add(KeyTable t, int slot, int base, int c, long delta) {
        int f = base + 1 + c;
        long v = t.get(slot, f);
        long current = (v & MAX_COUNT) + delta;
        if (current > MAX_COUNT) {
            current = MAX_COUNT;
            t.saturate();
        }
        t.set(slot, f, v & ~MAX_COUNT | current);
    }

    /** Estimated count of counter {@code c} in the window ending at {@code now}. */
    static double estimate(KeyTable t, int slot, int base, int c, long now, long window) {
        long start = t.get(slot, base);
        long v = t.get(slot, base + 1 + c);
        double overlap = 1.0 - (double) (now - start) / window;
        if (overlap < 0) {
            overlap = 0;
        }
        return (v >>> 32) * overlap + (v & MAX_COUNT);
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
