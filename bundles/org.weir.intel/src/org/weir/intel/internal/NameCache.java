package org.weir.intel.internal;

/**
 * A bounded map from an address to the names it was seen under, for the names enricher: set-associative
 * (4 ways), least recently used way replaced. Each entry keeps the latest name and the one before it with the
 * capture time each was first seen, so that a session gets the name of the answer that preceded it even when a
 * later answer gave the address another name. Names are offered as bytes (ASCII, lower case) and kept as bytes in
 * per-entry buffers that are reused, so a steady stream of answers allocates nothing; the text and its registrable
 * domain are made when a session first asks for them. Single-threaded (the pipeline thread).
 *
 * <p>A way's fields live in one object, and a set's tags and use counts in arrays of their own: a lookup that
 * misses reads one line of tags, a hit or an answer a few lines more (one array per field would make an answer
 * touch about eighteen lines at random).
 */
final class NameCache {

    private static final int WAYS = 4;

    /** Registrable part of a new name (computed only when a name is stored). */
    interface Registrar {
        String registeredDomain(String name);
    }

    /** One way: its address and its two names. */
    private static final class Entry {
        long hi, lo;
        /** Capture times the latest and the previous name were first seen. */
        long time0, time1;
        /** Name lengths; -1 when absent. */
        int len0, len1;
        byte[] bytes0, bytes1;
        /** Text and registrable domain, made on first lookup (null until then). */
        String name0, reg0, src0, name1, reg1, src1;
    }

    private final int setMask;
    /** A 16-bit tag of each way's address hash (0: the way is empty), checked before its entry. */
    private final short[] tags;
    /** When each way was last used, for the choice of the way to replace. */
    private final long[] used;
    private final Entry[] entries;
    private final Registrar registrar;
    private long clock;
    private int size;

    /** @param capacity entries, rounded up to a power of two (at least {@value #WAYS}) */
    NameCache(int capacity, Registrar registrar) {
        this.registrar = registrar;
        int sets = Integer.highestOneBit(Math.max(1, capacity / WAYS - 1)) << 1;
        setMask = sets - 1;
        int n = sets * WAYS;
        tags = new short[n];
        used = new long[n];
        entries = new Entry[n];
    }

    int capacity() {
        return entries.length;
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

    /** 16 bits of the hash the set index does not use (never 0, the tag of a way never filled). */
    private static short tag(long x) {
        return (short) ((x >>> 48) | 1);
    }

    private int find(long h, long l, int base, short t) {
        for (int w = base; w < base + WAYS; w++) {
            // Tags first: most addresses asked about have no name, and their lookup then reads only the tags.
            if (tags[w] == t) {
                Entry e = entries[w];
                if (e.hi == h && e.lo == l) {
                    return w;
                }
            }
        }
        return -1;
    }

    /** Records that {@code name} (bytes [0, len) of {@code buf}) names the address since {@code nanos}. */
    void put(long h, long l, byte[] buf, int len, long nanos, String source) {
        long x = hash(h, l);
        int base = ((int) x & setMask) * WAYS;
        short t = tag(x);
        int w = find(h, l, base, t);
        Entry e;
        if (w < 0) {
            w = base;
            for (int i = base; i < base + WAYS; i++) {
                if (tags[i] == 0) {
                    w = i;
                    break;
                }
                if (used[i] < used[w]) {
                    w = i;
                }
            }
            e = entries[w];
            if (e == null) {
                e = entries[w] = new Entry();
            }
            if (tags[w] == 0) {
                size++;
            }
            tags[w] = t;
            e.hi = h;
            e.lo = l;
            e.len0 = e.len1 = -1;
        } else {
            e = entries[w];
            if (e.len0 == len && java.util.Arrays.equals(e.bytes0, 0, len, buf, 0, len)) {
                used[w] = ++clock;
                return; // the same name again: keep the time it was first seen
            }
        }
        // The latest name becomes the previous one: swap the buffers rather than copy.
        byte[] spare = e.bytes1;
        e.bytes1 = e.bytes0;
        e.len1 = e.len0;
        e.name1 = e.name0;
        e.reg1 = e.reg0;
        e.src1 = e.src0;
        e.time1 = e.time0;
        if (spare == null || spare.length < len) {
            spare = new byte[Math.max(len, 32)];
        }
        System.arraycopy(buf, 0, spare, 0, len);
        e.bytes0 = spare;
        e.len0 = len;
        e.name0 = null;
        e.reg0 = null;
        e.src0 = source;
        e.time0 = nanos;
        used[w] = ++clock;
    }

    /**
     * The entry slot for the name the address had at {@code nanos}: the latest name seen at or before then, else
     * the latest name seen at all; -1 when the address is unknown. Read the result with {@link #name},
     * {@link #registered} and {@link #source}; a negative slot of the older name is {@code -2 - slot}.
     */
    int lookup(long h, long l, long nanos) {
        long x = hash(h, l);
        int w = find(h, l, ((int) x & setMask) * WAYS, tag(x));
        if (w < 0) {
            return -1;
        }
        used[w] = ++clock;
        Entry e = entries[w];
        if (e.time0 <= nanos || e.len1 < 0 || e.time1 > nanos) {
            return w;
        }
        return -2 - w;
    }

    String name(int slot) {
        if (slot >= 0) {
            Entry e = entries[slot];
            if (e.name0 == null) {
                e.name0 = ascii(e.bytes0, e.len0);
                e.reg0 = registrar.registeredDomain(e.name0);
            }
            return e.name0;
        }
        Entry e = entries[-2 - slot];
        if (e.name1 == null) {
            e.name1 = ascii(e.bytes1, e.len1);
            e.reg1 = registrar.registeredDomain(e.name1);
        }
        return e.name1;
    }

    String registered(int slot) {
        name(slot);
        return slot >= 0 ? entries[slot].reg0 : entries[-2 - slot].reg1;
    }

    String source(int slot) {
        return slot >= 0 ? entries[slot].src0 : entries[-2 - slot].src1;
    }

    @SuppressWarnings("deprecation")
    static String ascii(byte[] buf, int len) {
        return new String(buf, 0, 0, len); // bytes are ASCII (names are validated by the parsers)
    }
}
