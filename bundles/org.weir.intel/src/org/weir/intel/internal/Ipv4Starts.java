package org.weir.intel.internal;

/**
 * The ascending start addresses of IPv4 ranges (unsigned ints) with an index by /16 prefix, so that finding the
 * last range starting at or before an address searches only the ranges starting in the address's /16: a few
 * cache lines instead of ~19 scattered probes of a binary search over the whole table.
 */
final class Ipv4Starts {

    private final int[] starts;
    /** For each /16 prefix p, the first range whose start has a prefix of at least p (65,537 entries). */
    private final int[] byPrefix = new int[(1 << 16) + 1];

    /** Indexes {@code starts} (ascending as unsigned ints; kept, not copied). */
    Ipv4Starts(int[] starts) {
        this.starts = starts;
        for (int p = 0, i = 0; p <= 1 << 16; p++) {
            while (i < starts.length && (starts[i] >>> 16) < p) {
                i++;
            }
            byPrefix[p] = i;
        }
    }

    /** The index of the last range starting at or before {@code address}, or -1 when none does. */
    int floor(int address) {
        int p = address >>> 16;
        // Ranges before this /16's first all start below the address; those from the next /16's first above it.
        int low = byPrefix[p], high = byPrefix[p + 1] - 1, found = low - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Integer.compareUnsigned(starts[mid], address) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }
}
