package org.weir.ui.sessions.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.BooleanSupplier;

import org.weir.core.Session;
import org.weir.filter.SessionFilter;

/**
 * The view's rows as indexes into the capture's snapshot: those a display filter passes, in the order of a column.
 * Indexes rather than the sessions themselves, so that each row knows its session's place in the snapshot, by which
 * the selection keeps its sessions ({@link SessionSelection}).
 */
final class RowOrder {

    /** Below this many rows a merge sort's run is sorted by insertion. */
    private static final int INSERTION = 7;

    private RowOrder() {
    }

    /** 0, 1, …, n - 1. */
    static int[] identity(int n) {
        int[] indexes = new int[n];
        for (int i = 0; i < n; i++) {
            indexes[i] = i;
        }
        return indexes;
    }

    /** The indexes of the sessions the filter passes, ascending; null as soon as {@code stale} says so. */
    static int[] filtered(Session[] all, SessionFilter filter, BooleanSupplier stale) {
        int[] out = new int[all.length];
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            if ((i & 0xFFFF) == 0 && stale.getAsBoolean()) {
                return null;
            }
            if (filter.test(all[i])) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The sessions at these indexes, in their order. */
    static Session[] sessions(Session[] all, int[] indexes) {
        Session[] rows = new Session[indexes.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = all[indexes[i]];
        }
        return rows;
    }

    /** Sorts the indexes by their sessions in this order, stably: equal sessions keep the order they had. */
    static void sort(int[] indexes, Session[] all, Comparator<Session> order) {
        int[] copy = indexes.clone();
        mergeSort(copy, indexes, 0, indexes.length, all, order);
    }

    /** Sorts {@code src[low, high)} into {@code dest[low, high)}; both hold the same indexes there on entry. */
    private static void mergeSort(int[] src, int[] dest, int low, int high, Session[] all, Comparator<Session> order) {
        if (high - low < INSERTION) {
            for (int i = low + 1; i < high; i++) {
                for (int j = i; j > low && order.compare(all[dest[j - 1]], all[dest[j]]) > 0; j--) {
                    int t = dest[j];
                    dest[j] = dest[j - 1];
                    dest[j - 1] = t;
                }
            }
            return;
        }
        int mid = (low + high) >>> 1;
        mergeSort(dest, src, low, mid, all, order);
        mergeSort(dest, src, mid, high, all, order);
        if (order.compare(all[src[mid - 1]], all[src[mid]]) <= 0) {
            System.arraycopy(src, low, dest, low, high - low); // already in order: a sorted column sorted again
            return;
        }
        for (int i = low, p = low, q = mid; i < high; i++) {
            if (q >= high || p < mid && order.compare(all[src[p]], all[src[q]]) <= 0) {
                dest[i] = src[p++];
            } else {
                dest[i] = src[q++];
            }
        }
    }
}
