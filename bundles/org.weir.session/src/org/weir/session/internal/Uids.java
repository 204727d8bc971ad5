package org.weir.session.internal;

/**
 * Zeek-style connection uids ("C" + base62 of 96 bits), deterministic for a given seed: the n-th uid of a table is
 * always the same, so repeated analyses of a capture give the same uids.
 */
final class Uids {

    private static final char[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();

    private long seed;
    private boolean seeded;
    private long counter;

    /** A fixed seed. */
    Uids(long seed) {
        this.seed = seed;
        this.seeded = true;
    }

    /** Seeded later by {@link #seedIfUnset}, from the first packet. */
    Uids() {
    }

    /**
     * Seeds from the input itself (first packet's time and flow), so uids are the same for the same input, and
     * tables that split one capture between them (each seeing other first packets) do not repeat each other's.
     */
    boolean seeded() {
        return seeded;
    }

    void seedIfUnset(long value) {
        if (!seeded) {
            seed = mix(value);
            seeded = true;
        }
    }

    /** The next uid's number; {@link #format} turns it into the uid, so live sessions need not hold a string. */
    long nextNumber() {
        return ++counter;
    }

    String next() {
        return format(nextNumber());
    }

    String format(long n) {
        long hi = mix(seed ^ mix(n));
        long lo = mix(hi + n) >>> 32;
        StringBuilder sb = new StringBuilder(20).append('C');
        append(sb, hi);
        append(sb, lo);
        return sb.toString();
    }

    private static void append(StringBuilder sb, long v) {
        int start = sb.length();
        do {
            sb.insert(start, DIGITS[(int) Long.remainderUnsigned(v, 62)]);
            v = Long.divideUnsigned(v, 62);
        } while (v != 0);
    }

    /** SplitMix64 finaliser. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
