package org.weir.detect.rules.internal;

import java.util.Arrays;

/**
 * An open-addressing table from a 128-bit key (two longs, e.g. an address) to a fixed number of long fields, for
 * per-packet state without allocation: lookups and updates allocate nothing; only growth (amortised, per new key)
 * and {@link #retain} (called from once-per-second housekeeping) do.
 *
 * <p>Slot indices are valid until the next {@link #put} or {@link #retain}.
 */
final class KeyTable {

    /** Decides which entries survive {@link #retain}. */
    interface Keep {
        boolean keep(KeyTable table, int slot);
    }

    private final int width;
    private long[] k1, k2, data;
    private Object[] objects;
    private boolean[] used;
    private int size, mask;
    private final int maxSize;

    /**
     * @param width long fields per entry
     * @param maxSize entries beyond which new keys are refused ({@link #put} returns -1), bounding memory
     */
    KeyTable(int width, int maxSize) {
        this.width = width;
        this.maxSize = maxSize;
        allocate(64);
    }

    private void allocate(int capacity) {
        k1 = new long[capacity];
        k2 = new long[capacity];
        data = new long[capacity * width];
        objects = new Object[capacity];
        used = new boolean[capacity];
        mask = capacity - 1;
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

    int capacity() {
        return used.length;
    }

    /** The slot of the key, or -1. */
    int get(long a, long b) {
        int i = hash(a, b) & mask;
        while (used[i]) {
            if (k1[i] == a && k2[i] == b) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** The slot of the key, created with zero fields when absent; -1 when the table is full. */
    int put(long a, long b) {
        int i = hash(a, b) & mask;
        while (used[i]) {
            if (k1[i] == a && k2[i] == b) {
                return i;
            }
            i = (i + 1) & mask;
        }
        if (size >= maxSize) {
            return -1;
        }
        if ((size + 1) * 2 > used.length) {
            grow();
            return put(a, b);
        }
        used[i] = true;
        k1[i] = a;
        k2[i] = b;
        size++;
        return i;
    }

    boolean used(int slot) {
        return used[slot];
    }

    long key1(int slot) {
        return k1[slot];
    }

    long key2(int slot) {
        return k2[slot];
    }

    long get(int slot, int field) {
        return data[slot * width + field];
    }

    void set(int slot, int field, long value) {
        data[slot * width + field] = value;
    }

    long add(int slot, int field, long delta) {
        return data[slot * width + field] += delta;
    }

    Object object(int slot) {
        return objects[slot];
    }

    void object(int slot, Object o) {
        objects[slot] = o;
    }

    /** Keeps only the entries {@code keep} accepts (rebuilds the table). */
    void retain(Keep keep) {
        long[] ok1 = k1, ok2 = k2, odata = data;
        Object[] oobj = objects;
        boolean[] oused = used;
        int survivors = 0;
        boolean[] stays = new boolean[oused.length];
        for (int i = 0; i < oused.length; i++) {
            if (oused[i] && keep.keep(this, i)) {
                stays[i] = true;
                survivors++;
            }
        }
        if (survivors == size) {
            return;
        }
        int cap = 64;
        while (cap < survivors * 2) {
            cap <<= 1;
        }
        allocate(cap);
        for (int i = 0; i < oused.length; i++) {
            if (stays[i]) {
                int s = put(ok1[i], ok2[i]);
                System.arraycopy(odata, i * width, data, s * width, width);
                objects[s] = oobj[i];
            }
        }
    }

    private void grow() {
        long[] ok1 = k1, ok2 = k2, odata = data;
        Object[] oobj = objects;
        boolean[] oused = used;
        allocate(oused.length * 2);
        for (int i = 0; i < oused.length; i++) {
            if (oused[i]) {
                int s = put(ok1[i], ok2[i]);
                System.arraycopy(odata, i * width, data, s * width, width);
                objects[s] = oobj[i];
            }
        }
    }

    void clear() {
        Arrays.fill(used, false);
        Arrays.fill(objects, null);
        Arrays.fill(data, 0);
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
