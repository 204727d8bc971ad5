package org.weir.intel.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Many lists of address ranges folded into one sorted array of disjoint segments over the 128-bit address
 * space (IPv4 as IPv4-mapped), each segment pointing to the set of lists covering it. A lookup is one binary
 * search; the answer lists are interned per distinct set of lists, so a lookup allocates nothing.
 */
final class RangeIndex {

    static final RangeIndex EMPTY = new Builder().build();

    private final long[] startHi, startLo, endHi, endLo;
    private final int[] setOf;
    /** The IPv4-mapped part again, clipped to 32 bits (unsigned ints), its starts indexed by /16. */
    private final int[] v4End, v4Set;
    private final Ipv4Starts v4Starts;
    private final List<List<String>> namesBySet;
    private final List<List<String>> tagsBySet;
    private final int[] rangesPerList;
    private final int totalSegments;

    private RangeIndex(long[] startHi, long[] startLo, long[] endHi, long[] endLo, int[] setOf,
            List<List<String>> namesBySet, List<List<String>> tagsBySet, int[] rangesPerList) {
        // IPv4 addresses are answered from the int arrays below; the 128-bit arrays keep only the segments an
        // IPv6 address can fall into (those not wholly inside ::ffff:0:0/96), so IPv6 searches stay short.
        this.totalSegments = startHi.length;
        int keep = 0;
        for (int i = 0; i < startHi.length; i++) {
            boolean v4Only = compare(startHi[i], startLo[i], 0, V4_FIRST) >= 0
                    && compare(endHi[i], endLo[i], 0, V4_LAST) <= 0;
            if (!v4Only) {
                keep++;
            }
        }
        this.startHi = new long[keep];
        this.startLo = new long[keep];
        this.endHi = new long[keep];
        this.endLo = new long[keep];
        this.setOf = new int[keep];
        for (int i = 0, k = 0; i < startHi.length; i++) {
            if (compare(startHi[i], startLo[i], 0, V4_FIRST) >= 0 && compare(endHi[i], endLo[i], 0, V4_LAST) <= 0) {
                continue;
            }
            this.startHi[k] = startHi[i];
            this.startLo[k] = startLo[i];
            this.endHi[k] = endHi[i];
            this.endLo[k] = endLo[i];
            this.setOf[k++] = setOf[i];
        }
        this.namesBySet = namesBySet;
        this.tagsBySet = tagsBySet;
        this.rangesPerList = rangesPerList;
        // Most lookups are IPv4: a search over int arrays touches a quarter of the memory.
        int count = 0;
        int[] vs = new int[startHi.length], ve = new int[startHi.length], vset = new int[startHi.length];
        for (int i = 0; i < startHi.length; i++) {
            if (compare(endHi[i], endLo[i], 0, V4_FIRST) < 0 || compare(startHi[i], startLo[i], 0, V4_LAST) > 0) {
                continue;
            }
            long s = compare(startHi[i], startLo[i], 0, V4_FIRST) < 0 ? V4_FIRST : startLo[i];
            long e = compare(endHi[i], endLo[i], 0, V4_LAST) > 0 ? V4_LAST : endLo[i];
            vs[count] = (int) s;
            ve[count] = (int) e;
            vset[count] = setOf[i];
            count++;
        }
        v4Starts = new Ipv4Starts(Arrays.copyOf(vs, count));
        v4End = Arrays.copyOf(ve, count);
        v4Set = Arrays.copyOf(vset, count);
    }

    private static final long V4_FIRST = 0x0000_FFFF_0000_0000L;
    private static final long V4_LAST = 0x0000_FFFF_FFFF_FFFFL;

    /** The interned set id of the lists holding the address, -1 when none. */
    int find(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xFFFF) {
            int key = (int) lo;
            int found = v4Starts.floor(key);
            return found < 0 || Integer.compareUnsigned(key, v4End[found]) > 0 ? -1 : v4Set[found];
        }
        int found = floor(startHi, startLo, hi, lo);
        if (found < 0 || compare(hi, lo, endHi[found], endLo[found]) > 0) {
            return -1;
        }
        return setOf[found];
    }

    List<String> names(int set) {
        return set < 0 ? List.of() : namesBySet.get(set);
    }

    List<String> tags(int set) {
        return set < 0 ? List.of() : tagsBySet.get(set);
    }

    int segments() {
        return totalSegments;
    }

    int rangesOf(int list) {
        return rangesPerList[list];
    }

    /** The index of the last of the ascending 128-bit {@code starts} at or before (hi, lo), or -1 when none is. */
    static int floor(long[] startHi, long[] startLo, long hi, long lo) {
        int low = 0, high = startHi.length - 1, found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(startHi[mid], startLo[mid], hi, lo) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Unsigned order of 128-bit addresses. */
    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** Collects ranges per list, then folds them. Not thread-safe; one builder per load. */
    static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<String> tags = new ArrayList<>();
        private long[] sHi = new long[1024], sLo = new long[1024], eHi = new long[1024], eLo = new long[1024];
        private int[] list = new int[1024];
        private int n;

        int addList(String name, String tag) {
            names.add(name);
            tags.add(tag);
            return names.size() - 1;
        }

        int lists() {
            return names.size();
        }

        void add(int listIndex, long startHi, long startLo, long endHi, long endLo) {
            if (compare(startHi, startLo, endHi, endLo) > 0) {
                throw new IllegalArgumentException("range start after end");
            }
            if (n == sHi.length) {
                int cap = n * 2;
                sHi = Arrays.copyOf(sHi, cap);
                sLo = Arrays.copyOf(sLo, cap);
                eHi = Arrays.copyOf(eHi, cap);
                eLo = Arrays.copyOf(eLo, cap);
                list = Arrays.copyOf(list, cap);
            }
            sHi[n] = startHi;
            sLo[n] = startLo;
            eHi[n] = endHi;
            eLo[n] = endLo;
            list[n] = listIndex;
            n++;
        }

        RangeIndex build() {
            // 1. Per list: sort by start and merge overlapping or touching ranges, so each list is disjoint.
            int[] idx = identity(n);
            sort(idx, (a, b) -> {
                int c = Integer.compare(list[a], list[b]);
                return c != 0 ? c : compare(sHi[a], sLo[a], sHi[b], sLo[b]);
            });
            int[] rangesPerList = new int[names.size()];
            long[] mSHi = new long[n], mSLo = new long[n], mEHi = new long[n], mELo = new long[n];
            int[] mList = new int[n];
            int m = 0;
            for (int k = 0; k < n; k++) {
                int i = idx[k];
                if (m > 0 && mList[m - 1] == list[i] && touches(mEHi[m - 1], mELo[m - 1], sHi[i], sLo[i])) {
                    if (compare(eHi[i], eLo[i], mEHi[m - 1], mELo[m - 1]) > 0) {
                        mEHi[m - 1] = eHi[i];
                        mELo[m - 1] = eLo[i];
                    }
                    continue;
                }
                mSHi[m] = sHi[i];
                mSLo[m] = sLo[i];
                mEHi[m] = eHi[i];
                mELo[m] = eLo[i];
                mList[m] = list[i];
                rangesPerList[list[i]]++;
                m++;
            }
            // 2. Sweep: a start event at each range start, an end event just after each range end.
            long[] pHi = new long[2 * m], pLo = new long[2 * m];
            int[] ev = new int[2 * m]; // list index for a start, ~list index for an end
            int e = 0;
            for (int i = 0; i < m; i++) {
                pHi[e] = mSHi[i];
                pLo[e] = mSLo[i];
                ev[e++] = mList[i];
                if (!(mEHi[i] == -1L && mELo[i] == -1L)) {
                    long lo = mELo[i] + 1;
                    pHi[e] = lo == 0 ? mEHi[i] + 1 : mEHi[i];
                    pLo[e] = lo;
                    ev[e++] = ~mList[i];
                }
            }
            int[] order = identity(e);
            sort(order, (a, b) -> compare(pHi[a], pLo[a], pHi[b], pLo[b]));
            BitSet active = new BitSet(names.size());
            Map<BitSet, Integer> setIds = new HashMap<>();
            List<List<String>> namesBySet = new ArrayList<>();
            List<List<String>> tagsBySet = new ArrayList<>();
            long[] oSHi = new long[e], oSLo = new long[e], oEHi = new long[e], oELo = new long[e];
            int[] oSet = new int[e];
            int segs = 0;
            int k = 0;
            while (k < e) {
                long hi = pHi[order[k]], lo = pLo[order[k]];
                while (k < e && pHi[order[k]] == hi && pLo[order[k]] == lo) {
                    int v = ev[order[k]];
                    if (v >= 0) {
                        active.set(v);
                    } else {
                        active.clear(~v);
                    }
                    k++;
                }
                if (active.isEmpty()) {
                    continue;
                }
                long endHi, endLo;
                if (k < e) { // segment runs to just before the next event
                    long nHi = pHi[order[k]], nLo = pLo[order[k]];
                    endLo = nLo - 1;
                    endHi = nLo == 0 ? nHi - 1 : nHi;
                } else {
                    endHi = -1L;
                    endLo = -1L;
                }
                int set = setIds.computeIfAbsent((BitSet) active.clone(), bs -> {
                    LinkedHashSet<String> nm = new LinkedHashSet<>();
                    LinkedHashSet<String> tg = new LinkedHashSet<>();
                    for (int b = bs.nextSetBit(0); b >= 0; b = bs.nextSetBit(b + 1)) {
                        nm.add(names.get(b));
                        tg.add(tags.get(b));
                    }
                    namesBySet.add(List.copyOf(nm));
                    tagsBySet.add(List.copyOf(tg));
                    return namesBySet.size() - 1;
                });
                if (segs > 0 && oSet[segs - 1] == set && touches(oEHi[segs - 1], oELo[segs - 1], hi, lo)) {
                    oEHi[segs - 1] = endHi;
                    oELo[segs - 1] = endLo;
                    continue;
                }
                oSHi[segs] = hi;
                oSLo[segs] = lo;
                oEHi[segs] = endHi;
                oELo[segs] = endLo;
                oSet[segs] = set;
                segs++;
            }
            return new RangeIndex(Arrays.copyOf(oSHi, segs), Arrays.copyOf(oSLo, segs), Arrays.copyOf(oEHi, segs),
                    Arrays.copyOf(oELo, segs), Arrays.copyOf(oSet, segs), List.copyOf(namesBySet),
                    List.copyOf(tagsBySet), rangesPerList);
        }

        /** Whether a range starting at {@code s} overlaps or directly follows one ending at {@code end}. */
        private static boolean touches(long endHi, long endLo, long sHi, long sLo) {
            if (endHi == -1L && endLo == -1L) {
                return true;
            }
            long nLo = endLo + 1;
            long nHi = nLo == 0 ? endHi + 1 : endHi;
            return compare(sHi, sLo, nHi, nLo) <= 0;
        }

        private static int[] identity(int size) {
            int[] a = new int[size];
            for (int i = 0; i < size; i++) {
                a[i] = i;
            }
            return a;
        }

        interface IntComparator {
            int compare(int a, int b);
        }

        /** Stable merge sort of an index permutation (no boxing for hundreds of thousands of ranges). */
        static void sort(int[] a, IntComparator c) {
            int[] tmp = new int[a.length];
            for (int width = 1; width < a.length; width *= 2) {
                for (int lo = 0; lo < a.length - width; lo += 2 * width) {
                    int mid = lo + width, hi = Math.min(lo + 2 * width, a.length);
                    if (c.compare(a[mid - 1], a[mid]) <= 0) {
                        continue; // already in order
                    }
                    int i = lo, j = mid, t = lo;
                    while (i < mid && j < hi) {
                        tmp[t++] = c.compare(a[i], a[j]) <= 0 ? a[i++] : a[j++];
                    }
                    while (i < mid) {
                        tmp[t++] = a[i++];
                    }
                    while (j < hi) {
                        tmp[t++] = a[j++];
                    }
                    System.arraycopy(tmp, lo, a, lo, hi - lo);
                }
            }
        }
    }
}
