package org.weir.detect.rules.internal;

import java.util.Arrays;

/**
 * A table from a 128-bit key (two longs, e.g. an address) or a 256-bit key (four longs, e.g. a pair of addresses) to
 * a fixed number of long fields, for per-packet state without allocation: lookups, updates and {@link #retain}
 * allocate nothing; only growth (per {@value #CHUNK_ROWS} new keys) and shrinking a mostly emptied table do.
 *
 * <p>Entries are dense rows in insertion order (the key's longs, then the fields), found through a separate
 * open-addressing index of {@code int}s (row number and a few hash bits, so that a probe reads a row only when
 * those bits match). The rows take the space of the entries alone, not of a half-empty hash table, the index four
 * bytes per slot; entries made close in time are close in memory, and housekeeping scans only the rows in use.
 * Rows live in chunks of {@value #CHUNK_ROWS}: a growing table adds a chunk instead of copying all its rows into a
 * larger array, which would leave the old one as garbage in the old generation.
 *
 * <p>Slot (row) indices run from 0 to {@link #size()} - 1 in insertion order and stay valid until the next
 * {@link #retain} or {@link #clear}.
 */
final class KeyTable {

    /** Decides which entries survive {@link #retain}. */
    interface Keep {
        boolean keep(KeyTable table, int slot);
    }

    private static final int SHIFT = 10, CHUNK_ROWS = 1 << SHIFT, IN_CHUNK = CHUNK_ROWS - 1;
    private static final int MIN_ROWS = 64, MIN_INDEX = 64;

    private final int keys, stride;
    /**
     * Rows, {@code stride} longs each (the key's longs, then the fields), {@link #CHUNK_ROWS} per chunk; the first
     * chunk starts smaller and grows to a full one before a second is added. Rows at and after {@link #size} are all
     * zero.
     */
    private long[][] chunks;
    private int chunkCount, rowCapacity;
    /** At least one per row of {@link #rowCapacity}, created on the first {@link #object(int, Object)}. */
    private Object[] objects;
    /** Open addressing, load at most one half: 0 = empty, else the hash's top bits above row + 1. */
    private int[] index;
    private int mask;
    private final int rowBits, rowMask;
    private int size;
    private final int maxSize;
    /**
     * New keys refused because the table was full, and additions that a {@link Windows} counter could not hold: what
     * the table lost, for its detector to report (bounded memory may lose data, but not silently).
     */
    private long refused, saturated;

    /**
     * @param width long fields per entry
     * @param maxSize entries beyond which new keys are refused ({@link #put} returns -1), bounding memory
     */
    KeyTable(int width, int maxSize) {
        this(2, width, maxSize);
    }

    /**
     * @param keys longs per key: 2 ({@link #put(long, long)}) or 4 ({@link #put(long, long, long, long)})
     * @param width long fields per entry
     * @param maxSize entries beyond which new keys are refused ({@link #put} returns -1), bounding memory
     */
    KeyTable(int keys, int width, int maxSize) {
        if (keys != 2 && keys != 4) {
            throw new IllegalArgumentException("keys of 2 or 4 longs, not " + keys);
        }
        this.keys = keys;
        this.stride = width + keys;
        this.maxSize = maxSize;
        this.rowBits = 32 - Integer.numberOfLeadingZeros(maxSize); // row + 1 <= maxSize fits; at most 31 bits
        this.rowMask = (1 << rowBits) - 1;
        rowCapacity = Math.min(MIN_ROWS, Math.max(1, maxSize));
        chunks = new long[4][];
        chunks[0] = new long[rowCapacity * stride];
        chunkCount = 1;
        index = new int[MIN_INDEX];
        mask = MIN_INDEX - 1;
    }

    private static int hash(long a, long b) {
        long h = a * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(b * 0xC2B2AE3D27D4EB4FL, 31);
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    private static int hash(long a, long b, long c, long d) {
        return hash(a + 0x632BE59BD9B4E019L * c, b + 0x85EBCA77C2B2AE63L * d);
    }

    /** The index entry's tag: the hash bits above those a row number needs. */
    private int tag(int h) {
        return h >>> rowBits;
    }

    int size() {
        return size;
    }

    /** The bound on entries ({@code maxSize}). */
    int maxSize() {
        return maxSize;
    }

    /** Calls of {@code put} that refused a new key because the table was full, since it was made. */
    long refused() {
        return refused;
    }

    /** Additions to a {@link Windows} counter of this table that it clamped at its maximum, since it was made. */
    long saturated() {
        return saturated;
    }

    void saturate() {
        saturated++;
    }

    /** Slot indices run from 0 to {@code capacity() - 1} (the entries in use; {@link #used} is true for all). */
    int capacity() {
        return size;
    }

    /** The slot of the key, or -1. */
    int get(long a, long b) {
        int r = probe(hash(a, b), a, b);
        return r >= 0 ? r : -1;
    }

    /** The slot of the four-long key, or -1. */
    int get(long a, long b, long c, long d) {
        int r = probe(hash(a, b, c, d), a, b, c, d);
        return r >= 0 ? r : -1;
    }

    /** The slot of the key, created with zero fields when absent; -1 when the table is full. */
    int put(long a, long b) {
        int h = hash(a, b);
        int r = probe(h, a, b);
        if (r >= 0) {
            return r;
        }
        r = append(h, ~r);
        if (r >= 0) {
            long[] c = chunks[r >>> SHIFT];
            int o = (r & IN_CHUNK) * stride;
            c[o] = a;
            c[o + 1] = b;
        }
        return r;
    }

    /** The slot of the four-long key, created with zero fields when absent; -1 when the table is full. */
    int put(long a, long b, long c, long d) {
        int h = hash(a, b, c, d);
        int r = probe(h, a, b, c, d);
        if (r >= 0) {
            return r;
        }
        r = append(h, ~r);
        if (r >= 0) {
            long[] t = chunks[r >>> SHIFT];
            int o = (r & IN_CHUNK) * stride;
            t[o] = a;
            t[o + 1] = b;
            t[o + 2] = c;
            t[o + 3] = d;
        }
        return r;
    }

    /**
     * The key's row, or {@code ~i} for the empty index slot {@code i} where its probe ended. Two- and four-long keys
     * have a probe each: they are the detectors' per-packet lookups, compared field by field without a key array.
     */
    private int probe(int h, long a, long b) {
        int tag = tag(h);
        int[] idx = index;
        for (int i = h & mask;; i = (i + 1) & mask) {
            int e = idx[i];
            if (e == 0) {
                return ~i;
            }
            if (e >>> rowBits == tag) {
                int r = (e & rowMask) - 1;
                long[] c = chunks[r >>> SHIFT];
                int o = (r & IN_CHUNK) * stride;
                if (c[o] == a && c[o + 1] == b) {
                    return r;
                }
            }
        }
    }

    private int probe(int h, long a, long b, long c, long d) {
        int tag = tag(h);
        int[] idx = index;
        for (int i = h & mask;; i = (i + 1) & mask) {
            int e = idx[i];
            if (e == 0) {
                return ~i;
            }
            if (e >>> rowBits == tag) {
                int r = (e & rowMask) - 1;
                long[] t = chunks[r >>> SHIFT];
                int o = (r & IN_CHUNK) * stride;
                if (t[o] == a && t[o + 1] == b && t[o + 2] == c && t[o + 3] == d) {
                    return r;
                }
            }
        }
    }

    /** A new row for a key of hash {@code h} whose probe ended at the empty index slot {@code i}; -1 when full. */
    private int append(int h, int i) {
        if (size >= maxSize) {
            refused++;
            return -1;
        }
        if ((size + 1) * 2 > index.length) {
            reindex(index.length * 2);
            i = h & mask;
            while (index[i] != 0) {
                i = (i + 1) & mask;
            }
        }
        if (size == rowCapacity) {
            growRows();
        }
        int r = size++;
        index[i] = tag(h) << rowBits | (r + 1);
        return r;
    }

    private void growRows() {
        if (rowCapacity < CHUNK_ROWS) { // the first chunk, still partial: grow it
            int c = Math.min(CHUNK_ROWS, Math.min(maxSize, Math.max(MIN_ROWS, rowCapacity * 2)));
            chunks[0] = Arrays.copyOf(chunks[0], c * stride);
            rowCapacity = c;
        } else {
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunkCount * 2);
            }
            chunks[chunkCount++] = new long[CHUNK_ROWS * stride];
            rowCapacity += CHUNK_ROWS;
        }
        if (objects != null && objects.length < rowCapacity) {
            objects = Arrays.copyOf(objects, Math.max(rowCapacity, objects.length * 2));
        }
    }

    /** Rebuilds the index with {@code capacity} slots (a power of two) from the rows. */
    private void reindex(int capacity) {
        if (index.length != capacity) {
            index = new int[capacity];
        } else {
            Arrays.fill(index, 0);
        }
        mask = capacity - 1;
        int[] idx = index;
        for (int r = 0; r < size; r++) {
            long[] t = chunks[r >>> SHIFT];
            int o = (r & IN_CHUNK) * stride;
            int h = keys == 2 ? hash(t[o], t[o + 1]) : hash(t[o], t[o + 1], t[o + 2], t[o + 3]);
            int i = h & mask;
            while (idx[i] != 0) {
                i = (i + 1) & mask;
            }
            idx[i] = tag(h) << rowBits | (r + 1);
        }
    }

    boolean used(int slot) {
        return slot >= 0 && slot < size;
    }

    long key1(int slot) {
        return chunks[slot >>> SHIFT][(slot & IN_CHUNK) * stride];
    }

    long key2(int slot) {
        return chunks[slot >>> SHIFT][(slot & IN_CHUNK) * stride + 1];
    }

    long key3(int slot) {
        return chunks[slot >>> SHIFT][(slot & IN_CHUNK) * stride + 2];
    }

    long key4(int slot) {
        return chunks[slot >>> SHIFT][(slot & IN_CHUNK) * stride + 3];
    }

    long get(int slot, int field) {
        return chunks[slot >>> SHIFT][(slot & IN_CHUNK) * stride + keys + field];
    }

    void set(int slot, int field, long value) {
        chunks[slot >>> SHIFT][(slot & IN_CHUNK) * stride + keys + field] = value;
    }

    long add(int slot, int field, long delta) {
        return chunks[slot >>> SHIFT][(slot & IN_CHUNK) * stride + keys + field] += delta;
    }

    Object object(int slot) {
        return objects == null ? null : objects[slot];
    }

    void object(int slot, Object o) {
        if (objects == null) {
            if (o == null) {
                return;
            }
            objects = new Object[rowCapacity];
        }
        objects[slot] = o;
    }

    /**
     * Keeps only the entries {@code keep} accepts (called once per entry, in slot order). The survivors are moved
     * down in place, keeping their order, and the index is rebuilt, so the once-per-second housekeeping allocates
     * nothing unless the table has become mostly empty and is shrunk.
     */
    void retain(Keep keep) {
        int st = stride;
        Object[] obj = objects;
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (keep.keep(this, r)) {
                if (w != r) {
                    System.arraycopy(chunks[r >>> SHIFT], (r & IN_CHUNK) * st, chunks[w >>> SHIFT],
                            (w & IN_CHUNK) * st, st);
                    if (obj != null) {
                        obj[w] = obj[r];
                    }
                }
                w++;
            }
        }
        if (w == size) {
            return;
        }
        clearRows(w, size);
        size = w;
        int needed = Math.max(1, (size + CHUNK_ROWS - 1) >>> SHIFT);
        if (rowCapacity >= CHUNK_ROWS && chunkCount > needed + 1) { // keep one spare chunk against churn
            Arrays.fill(chunks, needed + 1, chunkCount, null);
            chunkCount = needed + 1;
            rowCapacity = chunkCount * CHUNK_ROWS;
            if (objects != null && objects.length > rowCapacity * 2) {
                objects = Arrays.copyOf(objects, rowCapacity);
            }
        }
        int c = index.length;
        if (c > MIN_INDEX && size * 8 < c) {
            c = MIN_INDEX;
            while (c < size * 2) {
                c <<= 1;
            }
        }
        reindex(c);
    }

    /** Zeroes rows {@code [from, to)} and their objects. */
    private void clearRows(int from, int to) {
        for (int r = from; r < to;) {
            int k = r >>> SHIFT;
            int end = Math.min(to, (k + 1) << SHIFT);
            Arrays.fill(chunks[k], (r & IN_CHUNK) * stride, ((end - 1) & IN_CHUNK) * stride + stride, 0);
            r = end;
        }
        if (objects != null) {
            Arrays.fill(objects, from, to, null);
        }
    }

    void clear() {
        clearRows(0, size);
        Arrays.fill(index, 0);
        size = 0;
    }

    // ---- small helpers for windowed counting ---------------------------------------------------------------

    /**
     * Linear-counting sketch update: sets one of 64 bits chosen by the hash of {@code (a, b)}. With
     * {@link #distinct(long)} it estimates how many different values were seen, up to a few hundred, in one long.
     */
    static long sketch(long bits, long a, long b) {
        return bits | (1L << (hash(a, b) & 63));
    }

    /** Estimated number of distinct values behind a 64-bit linear-counting sketch. */
    static double distinct(long bits) {
        int zeros = 64 - Long.bitCount(bits);
        if (zeros == 0) {
            return 64 * Math.log(64); // saturated: at least this many
        }
        return -64 * Math.log(zeros / 64.0);
    }
}
