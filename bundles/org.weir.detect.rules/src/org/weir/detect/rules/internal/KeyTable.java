package org.weir.detect.rules.internal;

import java.util.Arrays;

/**
 * An open-addressing table from a 128-bit key (two longs, e.g. an address) to a fixed number of long fields, for
 * per-packet state without allocation: lookups, updates and {@link #retain} allocate nothing; only growth
 * (amortised, per new key) and shrinking a mostly emptied table do.
 *
 * <p>Slot indices are valid until the next {@link #put} or {@link #retain}.
 */
final class KeyTable {

    /** Decides which entries survive {@link #retain}. */
    interface Keep {
        boolean keep(KeyTable table, int slot);
    }

    private final int width, stride;
    /**
     * Keys and fields interleaved, {@code stride} longs per slot (key, key, fields...), so a lookup and the
     * updates that follow touch one or two cache lines instead of one per array. An all-zero key marks an empty
     * slot; the key (0, 0) itself lives in the extra slot {@code cap}.
     */
    private long[] table;
    private Object[] objects;
    private boolean zeroUsed;
    private int size, mask, cap;
    private final int maxSize;

    /**
     * @param width long fields per entry
     * @param maxSize entries beyond which new keys are refused ({@link #put} returns -1), bounding memory
     */
    KeyTable(int width, int maxSize) {
        this.width = width;
        this.stride = width + 2;
        this.maxSize = maxSize;
        allocate(64);
    }

    private void allocate(int capacity) {
        table = new long[(capacity + 1) * stride];
        objects = new Object[capacity + 1];
        cap = capacity;
        mask = capacity - 1;
        zeroUsed = false;
        size = 0;
    }

    private static int hash(long a, long b) {
        long h = a * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(b * 0xC2B2AE3D27D4EB4FL, 31);
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    int size() {
        return size;
    }

    /** Slot indices run from 0 to {@code capacity() - 1}; check {@link #used} when iterating. */
    int capacity() {
        return cap + 1;
    }

    /** The slot of the key, or -1. */
    int get(long a, long b) {
        if ((a | b) == 0) {
            return zeroUsed ? cap : -1;
        }
        long[] t = table;
        int i = hash(a, b) & mask;
        while (true) {
            int o = i * stride;
            long x = t[o], y = t[o + 1];
            if (x == a && y == b) {
                return i;
            }
            if ((x | y) == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** The slot of the key, created with zero fields when absent; -1 when the table is full. */
    int put(long a, long b) {
        if ((a | b) == 0) {
            if (zeroUsed) {
                return cap;
            }
            if (size >= maxSize) {
                return -1;
            }
            zeroUsed = true;
            size++;
            return cap;
        }
        long[] t = table;
        int i = hash(a, b) & mask;
        while (true) {
            int o = i * stride;
            long x = t[o], y = t[o + 1];
            if (x == a && y == b) {
                return i;
            }
            if ((x | y) == 0) {
                break;
            }
            i = (i + 1) & mask;
        }
        if (size >= maxSize) {
            return -1;
        }
        if ((size + 1) * 2 > cap) {
            grow();
            return put(a, b);
        }
        int o = i * stride;
        t[o] = a;
        t[o + 1] = b;
        size++;
        return i;
    }

    boolean used(int slot) {
        if (slot == cap) {
            return zeroUsed;
        }
        int o = slot * stride;
        return (table[o] | table[o + 1]) != 0;
    }

    long key1(int slot) {
        return table[slot * stride];
    }

    long key2(int slot) {
        return table[slot * stride + 1];
    }

    long get(int slot, int field) {
        return table[slot * stride + 2 + field];
    }

    void set(int slot, int field, long value) {
        table[slot * stride + 2 + field] = value;
    }

    long add(int slot, int field, long delta) {
        return table[slot * stride + 2 + field] += delta;
    }

    Object object(int slot) {
        return objects[slot];
    }

    void object(int slot, Object o) {
        objects[slot] = o;
    }

    /**
     * Keeps only the entries {@code keep} accepts. Entries are deleted in place (backward shift), so the
     * once-per-second housekeeping allocates nothing unless the table has become mostly empty and is shrunk.
     */
    void retain(Keep keep) {
        if (zeroUsed && !keep.keep(this, cap)) {
            clearSlot(cap);
            zeroUsed = false;
            size--;
        }
        long[] t = table;
        int e = 0;
        while ((t[e * stride] | t[e * stride + 1]) != 0) {
            e++; // an empty slot exists: the load stays at most one half
        }
        // Scanning from just after an empty slot, no cluster wraps around the scan's start: a deletion only
        // pulls entries not yet visited back into the current slot, which is then examined again.
        int i = (e + 1) & mask;
        for (int n = 0; n < cap;) {
            int o = i * stride;
            if ((t[o] | t[o + 1]) != 0 && !keep.keep(this, i)) {
                delete(i);
                continue;
            }
            i = (i + 1) & mask;
            n++;
        }
        if (cap > 64 && size * 8 < cap) {
            int c = 64;
            while (c < size * 2) {
                c <<= 1;
            }
            boolean[] all = new boolean[cap + 1];
            for (int k = 0; k <= cap; k++) {
                all[k] = used(k);
            }
            rehash(c, all);
        }
    }

    /** Removes the entry in {@code slot}, moving later entries of its cluster back so that probes still find them. */
    private void delete(int slot) {
        long[] t = table;
        int hole = slot;
        for (int j = (slot + 1) & mask;; j = (j + 1) & mask) {
            int oj = j * stride;
            long a = t[oj], b = t[oj + 1];
            if ((a | b) == 0) {
                break;
            }
            int home = hash(a, b) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) { // the hole lies between its home and j
                System.arraycopy(t, oj, t, hole * stride, stride);
                objects[hole] = objects[j];
                hole = j;
            }
        }
        clearSlot(hole);
        size--;
    }

    private void clearSlot(int slot) {
        Arrays.fill(table, slot * stride, slot * stride + stride, 0);
        objects[slot] = null;
    }

    private void grow() {
        int n = cap + 1;
        boolean[] all = new boolean[n];
        for (int i = 0; i < n; i++) {
            all[i] = used(i);
        }
        rehash(cap * 2, all);
    }

    private void rehash(int capacity, boolean[] copy) {
        long[] old = table;
        Object[] oobj = objects;
        int oldCap = cap;
        allocate(capacity);
        for (int i = 0; i <= oldCap; i++) {
            if (copy[i]) {
                int o = i * stride;
                long a = i == oldCap ? 0 : old[o], b = i == oldCap ? 0 : old[o + 1];
                int s = put(a, b);
                System.arraycopy(old, o + 2, table, s * stride + 2, width);
                objects[s] = oobj[i];
            }
        }
    }

    void clear() {
        Arrays.fill(table, 0);
        Arrays.fill(objects, null);
        zeroUsed = false;
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
