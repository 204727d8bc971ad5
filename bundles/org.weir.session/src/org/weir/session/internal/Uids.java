package org.weir.session.internal;

import java.nio.charset.StandardCharsets;

/**
 * Zeek-style connection uids ("C" + base62 of 96 bits), deterministic for a given seed: the n-th uid of a table is
 * always the same, so repeated analyses of a capture give the same uids.
 */
final class Uids {

    private static final byte[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .getBytes(StandardCharsets.ISO_8859_1);
    /** "C", then up to 11 base62 digits of 64 bits and up to 6 of 32 bits. */
    private static final int MAX_LENGTH = 18;

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
        // Digits from the right into a buffer of the longest uid; the string copies what was written, once.
        byte[] out = new byte[MAX_LENGTH];
        int start = prependDigits(out, prependDigits(out, MAX_LENGTH, lo), hi) - 1;
        out[start] = 'C';
        return new String(out, start, MAX_LENGTH - start, StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code v} (unsigned) in base62 to the left of {@code end}; returns the index of its first digit. */
    private static int prependDigits(byte[] out, int end, long v) {
        int i = end;
        do {
            out[--i] = DIGITS[(int) Long.remainderUnsigned(v, 62)];
            v = Long.divideUnsigned(v, 62);
        } while (v != 0);
        return i;
    }

    /** SplitMix64 finaliser. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
