package org.weir.intel.internal;

import org.weir.intel.GeoInfo;

/**
 * A bounded, direct-mapped cache from an address (two longs) to its {@link GeoInfo}. A hit reads one array
 * slot and allocates nothing; a miss replaces whatever the slot held. Entries are immutable, so concurrent
 * readers see either the old or the new entry, never a torn one.
 */
final class GeoCache {

    private static final class Entry {
        final long hi, lo;
        final GeoInfo info;

        Entry(long hi, long lo, GeoInfo info) {
            this.hi = hi;
            this.lo = lo;
            this.info = info;
        }
    }

    private final Entry[] slots;
    private final int mask;

    GeoCache(int capacity) {
        int size = Integer.highestOneBit(Math.max(16, Math.min(capacity, 1 << 24)) - 1) << 1;
        slots = new Entry[size];
        mask = size - 1;
    }

    GeoInfo get(long hi, long lo) {
        Entry e = slots[index(hi, lo)];
        return e != null && e.hi == hi && e.lo == lo ? e.info : null;
    }

    void put(long hi, long lo, GeoInfo info) {
        slots[index(hi, lo)] = new Entry(hi, lo, info);
    }

    int capacity() {
        return slots.length;
    }

    private int index(long hi, long lo) {
        // murmur3 finaliser: neighbouring addresses spread over the whole table
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
