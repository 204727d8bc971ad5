package org.weir.detect.rules.internal;

import java.util.Arrays;

/**
 * A table from a 128-bit key (two longs, e.g. an address) or a 256-bit key (four longs, e.g. a pair of addresses) to
 * a fixed number of long fields, for per-packet state
 * without allocation: lookups, updates and {@link #retain} allocate nothing; only growth (amortised, per new key)
 * and shrinking a mostly emptied table do.
 *
 * <p>Entries are dense rows in insertion order (key, key, fields... in one {@code long[]}), found through a
 * separate open-addressing index of {@code int}s (row number and a few hash bits, so that a probe reads a row only
 * when those bits match). The rows take the space of the entries alone, not of a half-empty hash table, the
 * index four bytes per slot; entries made close in time are close in memory, and housekeeping scans only the
 * rows in use.
 *
 * <p>Slot (row) indices run from 0 to {@link #size()} - 1 in insertion order and stay valid until the next
 * {@link #retain} or {@link #clear}.
 */
final class KeyTable {

    /** Decides which entries survive {@link #retain}. */
    interface Keep {
        boolean keep(KeyTable table, int slot);
    }

    private static final int MIN_ROWS = 64, MIN_INDEX = 64;

    private final int keys, stride;
    /** Rows: {@code stride} longs each (the key's longs, then the fields); rows at and after {@link #size} are all zero. */
    private long[] rows;
    private int rowCapacity;
    /** Created on the first {@link #object(int, Object)}. */
    private Object[] objects;
    /** Open addressing, load at most one half: 0 = empty, else the hash's top bits above row + 1. */
    private int[] index;
    private int mask;
    private final int rowBits, rowMask;
    private int size;
    private final int maxSize;

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
        rows = new long[rowCapacity * stride];
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

    private int rowHash(long[] t, int o) {
        return keys == 2 ? hash(t[o], t[o + 1]) : hash(t[o], t[o + 1], t[o + 2], t[o + 3]);
    }

    /** The index entry's tag: the hash bits above those a row number needs. */
    private int tag(int h) {
        return h >>> rowBits;
    }

    int size() {
        return size;
    }

    /** Slot indices run from 0 to {@code capacity() - 1} (the entries in use; {@link #used} is true for all). */
    int capacity() {
        return size;
    }

    /** The slot of the key, or -1. */
    int get(long a, long b) {
        int h = hash(a, b);
        int tag = tag(h);
        int[] idx = index;
        long[] t = rows;
        for (int i = h & mask;; i = (i + 1) & mask) {
            int e = idx[i];
            if (e == 0) {
                return -1;
            }
            if (e >>> rowBits == tag) {
                int r = (e & rowMask) - 1;
                int o = r * stride;
                if (t[o] == a && t[o + 1] == b) {
                    return r;
                }
            }
        }
    }

    /** The slot of the key, created with zero fields when absent; -1 when the table is full. */
    int put(long a, long b) {
        int h = hash(a, b);
        int tag = tag(h);
        int[] idx = index;
        long[] t = rows;
        int i = h & mask;
        for (;; i = (i + 1) & mask) {
            int e = idx[i];
            if (e == 0) {
                break;
            }
            if (e >>> rowBits == tag) {
                int r = (e & rowMask) - 1;
                int o = r * stride;
                if (t[o] == a && t[o + 1] == b) {
                    return r;
                }
            }
        }
        if (size >= maxSize) {
            return -1;
        }
        if ((size + 1) * 2 > idx.length) {
            reindex(idx.length * 2);
            idx = index;
            i = h & mask;
            while (idx[i] != 0) {
                i = (i + 1) & mask;
            }
        }
        if (size == rowCapacity) {
            growRows();
            t = rows;
        }
        int r = size++;
        int o = r * stride;
        t[o] = a;
        t[o + 1] = b;
        idx[i] = tag << rowBits | (r + 1);
        return r;
    }

    /** The slot of the four-long key, or -1. */
    int get(long a, long b, long c, long d) {
        int h = hash(a, b, c, d);
        int tag = tag(h);
        int[] idx = index;
        long[] t = rows;
        for (int i = h & mask;; i = (i + 1) & mask) {
            int e = idx[i];
            if (e == 0) {
                return -1;
            }
            if (e >>> rowBits == tag) {
                int r = (e & rowMask) - 1;
                int o = r * stride;
                if (t[o] == a && t[o + 1] == b && t[o + 2] == c && t[o + 3] == d) {
                    return r;
                }
            }
        }
    }

    /** The slot of the four-long key, created with zero fields when absent; -1 when the table is full. */
    int put(long a, long b, long c, long d) {
        int h = hash(a, b, c, d);
        int tag = tag(h);
        int[] idx = index;
        long[] t = rows;
        int i = h & mask;
        for (;; i = (i + 1) & mask) {
            int e = idx[i];
            if (e == 0) {
                break;
            }
            if (e >>> rowBits == tag) {
                int r = (e & rowMask) - 1;
                int o = r * stride;
                if (t[o] == a && t[o + 1] == b && t[o + 2] == c && t[o + 3] == d) {
                    return r;
                }
            }
        }
        if (size >= maxSize) {
            return -1;
        }
        if ((size + 1) * 2 > idx.length) {
            reindex(idx.length * 2);
            idx = index;
            i = h & mask;
            while (idx[i] != 0) {
                i = (i + 1) & mask;
            }
        }
        if (size == rowCapacity) {
            growRows();
            t = rows;
        }
        int r = size++;
        int o = r * stride;
        t[o] = a;
        t[o + 1] = b;
        t[o + 2] = c;
        t[o + 3] = d;
        idx[i] = tag << rowBits | (r + 1);
        return r;
    }

    private void growRows() {
        int c = (int) Math.min((long) maxSize, Math.max(MIN_ROWS, rowCapacity + (rowCapacity >> 1)));
        rows = Arrays.copyOf(rows, c * stride);
        if (objects != null) {
            objects = Arrays.copyOf(objects, c);
        }
        rowCapacity = c;
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
        long[] t = rows;
        for (int r = 0; r < size; r++) {
            int h = rowHash(t, r * stride);
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
        return rows[slot * stride];
    }

    long key2(int slot) {
        return rows[slot * stride + 1];
    }

    long key3(int slot) {
        return rows[slot * stride + 2];
    }

    long key4(int slot) {
        return rows[slot * stride + 3];
    }

    long get(int slot, int field) {
        return rows[slot * stride + keys + field];
    }

    void set(int slot, int field, long value) {
        rows[slot * stride + keys + field] = value;
    }

    long add(int slot, int field, long delta) {
        return rows[slot * stride + keys + field] += delta;
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
        long[] t = rows;
        int st = stride;
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (keep.keep(this, r)) {
                if (w != r) {
                    System.arraycopy(t, r * st, t, w * st, st);
                    if (objects != null) {
                        objects[w] = objects[r];
                    }
                }
                w++;
            }
        }
        if (w == size) {
            return;
        }
        Arrays.fill(t, w * st, size * st, 0);
        if (objects != null) {
            Arrays.fill(objects, w, size, null);
        }
        size = w;
        if (rowCapacity > MIN_ROWS && size * 4 < rowCapacity) {
            int c = Math.max(MIN_ROWS, size * 2);
            rows = Arrays.copyOf(rows, c * st);
            if (objects != null) {
                objects = Arrays.copyOf(objects, c);
            }
            rowCapacity = c;
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

    void clear() {
        Arrays.fill(rows, 0, size * stride, 0);
        if (objects != null) {
            Arrays.fill(objects, 0, size, null);
        }
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
