package org.weir.intel.internal;

/**
 * A bounded map from an address to the names it was seen under, for the names enricher: set-associative
 * (4 ways), least recently used way replaced, arrays only. Each entry keeps the latest name and the one before
 * it with the capture time each was first seen, so that a session gets the name of the answer that preceded it
 * even when a later answer gave the address another name. Names are offered as bytes (ASCII, lower case) and
 * kept as bytes in per-entry buffers that are reused, so a steady stream of answers allocates nothing; the text
 * and its registrable domain are made when a session first asks for them. Single-threaded (the pipeline thread).
 */
final class NameCache {

    private static final int WAYS = 4;

    /** Registrable part of a new name (computed only when a name is stored). */
    interface Registrar {
        String registeredDomain(String name);
    }

    private final int setMask;
    /** Address of each way, hi and lo side by side, so a set's four keys take one or two cache lines. */
    private final long[] keys;
    /** A 16-bit tag of each way's address hash, checked before its key. */
    private final short[] tags;
    private final long[] used, time0, time1;
    /** Name bytes of the latest and the previous name; lengths -1 when absent. */
    private final byte[][] bytes0, bytes1;
    private final int[] len0, len1;
    /** Text and registrable domain, made on first lookup (null until then). */
    private final String[] name0, reg0, src0, name1, reg1, src1;
    private final boolean[] full;
    private final Registrar registrar;
    private long clock;
    private int size;

    /** @param capacity entries, rounded up to a power of two (at least {@value #WAYS}) */
    NameCache(int capacity, Registrar registrar) {
        this.registrar = registrar;
        int sets = Integer.highestOneBit(Math.max(1, capacity / WAYS - 1)) << 1;
        setMask = sets - 1;
        int n = sets * WAYS;
        keys = new long[2 * n];
        tags = new short[n];
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
        bytes0 = new byte[n][];
        bytes1 = new byte[n][];
        len0 = new int[n];
        len1 = new int[n];
    }

    int capacity() {
        return full.length;
    }

    int size() {
        return size;
    }

    private static long hash(long h, long l) {
        long x = h * 0x9E3779B97F4A7C15L ^ l;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        return x;
    }

    private int set(long h, long l) {
        return ((int) hash(h, l) & setMask) * WAYS;
    }

    /** 16 bits of the hash the set index does not use (never 0, the tag of a way never filled). */
    private static short tag(long x) {
        return (short) ((x >>> 48) | 1);
    }

    private int find(long h, long l) {
        long x = hash(h, l);
        int base = ((int) x & setMask) * WAYS;
        short t = tag(x);
        short[] tg = tags;
        long[] k = keys;
        for (int w = base; w < base + WAYS; w++) {
            // Tags first: most addresses asked about have no name, and their lookup then reads only the small
            // tag array, not the keys (a cache miss each on a large capture).
            if (tg[w] == t && k[2 * w] == h && k[2 * w + 1] == l && full[w]) {
                return w;
            }
        }
        return -1;
    }

    /** Records that {@code name} (bytes [0, len) of {@code buf}) names the address since {@code nanos}. */
    void put(long h, long l, byte[] buf, int len, long nanos, String source) {
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
            keys[2 * w] = h;
            keys[2 * w + 1] = l;
            tags[w] = tag(hash(h, l));
            len0[w] = len1[w] = -1;
        } else if (len0[w] == len && java.util.Arrays.equals(bytes0[w], 0, len, buf, 0, len)) {
            used[w] = ++clock;
            return; // the same name again: keep the time it was first seen
        }
        // The latest name becomes the previous one: swap the buffers rather than copy.
        byte[] spare = bytes1[w];
        bytes1[w] = bytes0[w];
        len1[w] = len0[w];
        name1[w] = name0[w];
        reg1[w] = reg0[w];
        src1[w] = src0[w];
        time1[w] = time0[w];
        if (spare == null || spare.length < len) {
            spare = new byte[Math.max(len, 32)];
        }
        System.arraycopy(buf, 0, spare, 0, len);
        bytes0[w] = spare;
        len0[w] = len;
        name0[w] = null;
        reg0[w] = null;
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
        if (time0[w] <= nanos || len1[w] < 0 || time1[w] > nanos) {
            return w;
        }
        return -2 - w;
    }

    String name(int slot) {
        if (slot >= 0) {
            if (name0[slot] == null) {
                name0[slot] = ascii(bytes0[slot], len0[slot]);
                reg0[slot] = registrar.registeredDomain(name0[slot]);
            }
            return name0[slot];
        }
        int w = -2 - slot;
        if (name1[w] == null) {
            name1[w] = ascii(bytes1[w], len1[w]);
            reg1[w] = registrar.registeredDomain(name1[w]);
        }
        return name1[w];
    }

    String registered(int slot) {
        name(slot);
        return slot >= 0 ? reg0[slot] : reg1[-2 - slot];
    }

    String source(int slot) {
        return slot >= 0 ? src0[slot] : src1[-2 - slot];
    }

    @SuppressWarnings("deprecation")
    static String ascii(byte[] buf, int len) {
        return new String(buf, 0, 0, len); // bytes are ASCII (names are validated by the parsers)
    }
}
