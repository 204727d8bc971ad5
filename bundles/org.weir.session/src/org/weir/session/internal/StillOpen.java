package org.weir.session.internal;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

import org.weir.core.Session;

/**
 * A batch's updated sessions: those that changed since the previous batch, less those closed meanwhile, filtered
 * when a listener first reads the list. The table does not touch the sessions again to build it: a listener
 * that does not read it costs nothing, and one that does reads the sessions anyway.
 */
final class StillOpen extends AbstractList<Session> implements RandomAccess {

    private final Conn[] changed;
    private int size;
    private boolean filtered;

    /** Takes over {@code changed}, the batch's changed sessions. */
    StillOpen(Conn[] changed) {
        this.changed = changed;
        this.size = changed.length;
    }

    private void filter() {
        if (!filtered) {
            int n = 0;
            for (int i = 0; i < size; i++) {
                Conn c = changed[i];
                if (!c.isClosed()) {
                    changed[n++] = c;
                }
            }
            size = n;
            filtered = true;
        }
    }

    @Override
    public Session get(int index) {
        filter();
        return changed[Objects.checkIndex(index, size)];
    }

    @Override
    public int size() {
        filter();
        return size;
    }
}
