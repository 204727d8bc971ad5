package org.weir.intel.internal;

/**
 * A bounded map from an address to the names it was seen under, for the names enricher: set-associative
 * (4 ways), least recently used way replaced, arrays only. Each entry keeps the latest name and the one before
 * it with the capture time each was first seen, so that a session gets the name of the answer that preceded it
 * even when a later answer gave the address another name. Names are offered as bytes (ASCII, lower case); a
 * name equal to the current one allocates nothing. Single-threaded (the pipeline thread).
 */
final class NameCache {

    private static final int WAYS = 4;

    /** Registrable part of a new name (computed only when a name is stored). */
    interface Registrar {
        String registeredDomain(String name);
    }

    private final int setMask;
    private final long[] hi, lo, used, time0, time1;
    private final String[] name0, reg0, src0, name1, reg1, src1;
    private final boolean[] full;
    private long clock;
    private int size;

    /** @param capacity entries, rounded up to a power of two (at least {@value #WAYS}) */
    NameCache(int capacity) {
        int sets = Integer.highestOneBit(Math.max(1, capacity / WAYS - 1)) << 1;
        setMask = sets - 1;
        int n = sets * WAYS;
        hi = new long[n];
        lo = new long[n];
        used = new long[n];
        time0 = new long[n];
        time1 = new long[n];
        name0 = new String[n];
        reg0 = new String[n];
        src0 = new String[n];
        name1 = new String[n];
        reg1 = new String[n];
        src1 = new String[n];
        full = new boolean[n];
    }

    int capacity() {
        return hi.length;
    }

    int size() {
        return size;
    }

    private int set(long h, long l) {
        long x = h * 0x9E3779B97F4A7C15L ^ l;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        return ((int) x & setMask) * WAYS;
    }

    private int find(long h, long l) {
        int base = set(h, l);
        for (int w = base; w < base + WAYS; w++) {
            if (full[w] && hi[w] == h && lo[w] == l) {
                return w;
            }
        }
        return -1;
    }

    /** Records that {@code name} (bytes [0, len) of {@code buf}) names the address since {@code nanos}. */
    void put(long h, long l, byte[] buf, int len, long nanos, String source, Registrar registrar) {
        int w = find(h, l);
        if (w < 0) {
            int base = set(h, l);
            w = base;
            for (int i = base; i < base + WAYS; i++) {
                if (!full[i]) {
                    w = i;
                    break;
                }
                if (used[i] < used[w]) {
                    w = i;
                }
            }
            if (!full[w]) {
                size++;
            }
            full[w] = true;
            hi[w] = h;
            lo[w] = l;
            name0[w] = name1[w] = null;
            reg0[w] = reg1[w] = src0[w] = src1[w] = null;
        } else if (equals(name0[w], buf, len)) {
            used[w] = ++clock;
            return; // the same name again: keep the time it was first seen
        }
        String name = ascii(buf, len);
        name1[w] = name0[w];
        reg1[w] = reg0[w];
        src1[w] = src0[w];
        time1[w] = time0[w];
        name0[w] = name;
        reg0[w] = registrar.registeredDomain(name);
        src0[w] = source;
        time0[w] = nanos;
        used[w] = ++clock;
    }

    /**
     * The entry slot for the name the address had at {@code nanos}: the latest name seen at or before then, else
     * the latest name seen at all; -1 when the address is unknown. Read the result with {@link #name},
     * {@link #registered} and {@link #source}; a negative slot of the older name is {@code -2 - slot}.
     */
    int lookup(long h, long l, long nanos) {
        int w = find(h, l);
        if (w < 0) {
            return -1;
        }
        used[w] = ++clock;
        if (time0[w] <= nanos || name1[w] == null || time1[w] > nanos) {
            return w;
        }
        return -2 - w;
    }

    String name(int slot) {
        return slot >= 0 ? name0[slot] : name1[-2 - slot];
    }

    String registered(int slot) {
        return slot >= 0 ? reg0[slot] : reg1[-2 - slot];
    }

    String source(int slot) {
        return slot >= 0 ? src0[slot] : src1[-2 - slot];
    }

    static boolean equals(String s, byte[] buf, int len) {
        if (s == null || s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != (buf[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("deprecation")
    static String ascii(byte[] buf, int len) {
        return new String(buf, 0, 0, len); // bytes are ASCII (names are validated by the parsers)
    }
}
