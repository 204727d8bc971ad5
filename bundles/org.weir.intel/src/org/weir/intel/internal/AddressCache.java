package org.weir.intel.internal;

/**
 * A bounded cache from an address (two longs) to a value (its location, its endpoint record), two-way
 * set-associative: an address may sit in
 * either slot of its pair (one cache line), a new one goes into the first and moves the one there to the second,
 * whose entry is dropped. A hit reads at most two slots and allocates nothing. Two ways instead of one: on the
 * benchmark capture (151,681 addresses, 1.5 M lookups, 262,144 slots) a direct-mapped table missed 279,710 times, the
 * pairs 196,449 (each miss of the location cache is a database lookup). Entries are immutable, so concurrent readers see an old or a new
 * entry, never a torn one (at worst a miss).
 */
final class AddressCache<V> {

    private record Entry<V>(long hi, long lo, V value) {
    }

    private final Entry<V>[] slots;
    private final int mask;

    @SuppressWarnings("unchecked")
    AddressCache(int capacity) {
        int size = Integer.highestOneBit(Math.max(16, Math.min(capacity, 1 << 24)) - 1) << 1;
        slots = (Entry<V>[]) new Entry<?>[size];
        mask = size - 1;
    }

    /** The value cached for the address, or null. */
    V get(long hi, long lo) {
        int i = index(hi, lo);
        Entry<V> e = slots[i];
        if (e != null && e.hi == hi && e.lo == lo) {
            return e.value;
        }
        e = slots[i + 1];
        return e != null && e.hi == hi && e.lo == lo ? e.value : null;
    }

    void put(long hi, long lo, V value) {
        int i = index(hi, lo);
        slots[i + 1] = slots[i];
        slots[i] = new Entry<>(hi, lo, value);
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
        return (int) h & mask & ~1; // the first slot of the pair
    }
}
