package org.weir.detect.eif;

import java.nio.charset.StandardCharsets;

/**
 * Maps a categorical value (process name, service) to a number in [0, 1) that is the same on every run, JVM and
 * machine: FNV-1a 64 over the UTF-8 bytes, then SplitMix64's finaliser. FNV-1a alone barely moves the high bits
 * for a change in the last byte ({@code tcp/443} and {@code tcp/444} would land next to each other); the
 * finaliser spreads them so that no ordinal closeness is invented between categories.
 */
public final class StableHash {

    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;

    private StableHash() {
    }

    /** FNV-1a 64 of the UTF-8 bytes. */
    public static long fnv1a64(String value) {
        long h = FNV_OFFSET;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return h;
    }

    /** The value's place in [0, 1). */
    public static double unit(String value) {
        return toUnit(fnv1a64(value));
    }

    /**
     * The same as {@code unit(ascii + "/" + number)} for an ASCII prefix and a number ≥ 0, without building the
     * string: for per-session features that must not allocate.
     */
    public static double unit(String ascii, int number) {
        long h = FNV_OFFSET;
        for (int i = 0; i < ascii.length(); i++) {
            h = (h ^ (ascii.charAt(i) & 0xFF)) * FNV_PRIME;
        }
        h = (h ^ '/') * FNV_PRIME;
        int div = 1;
        while (number / div >= 10) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            h = (h ^ ('0' + number / div % 10)) * FNV_PRIME;
        }
        return toUnit(h);
    }

    private static double toUnit(long fnv) {
        return (SplitMix.mix(fnv) >>> 11) * 0x1.0p-53;
    }
}
