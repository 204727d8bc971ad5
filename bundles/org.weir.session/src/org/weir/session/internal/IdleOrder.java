package org.weir.session.internal;

/**
 * Live sessions in the order of their last relink, head first, with the packet time of that relink: the eviction
 * order of the table's live bound. A doubly linked list over the slots of arrays rather than links in the sessions,
 * because it exists only while the bound is in play: a session holds just its slot number
 * ({@link Conn#idleSlot}), 4 bytes instead of two links and a time in every session.
 */
final class IdleOrder {

    private static final int NONE = -1;

    private final Conn[] sessions;
    private final int[] prev, next;
    private final long[] stamp;
    private int head = NONE, tail = NONE;
    /** Unused slots below {@link #used}, chained through {@link #next}. */
    private int free = NONE, used;

    /** For at most {@code capacity} sessions: the table's live sessions when its bound was reached, its maximum. */
    IdleOrder(int capacity) {
        sessions = new Conn[capacity];
        prev = new int[capacity];
        next = new int[capacity];
        stamp = new long[capacity];
    }

    /** The longest idle session; the order is not empty. */
    Conn head() {
        return sessions[head];
    }

    long headStamp() {
        return stamp[head];
    }

    boolean isTail(Conn c) {
        return c.idleSlot == tail;
    }

    /** Packet time of the session's last relink. */
    long stamp(Conn c) {
        return stamp[c.idleSlot];
    }

    void append(Conn c, long time) {
        int i = free;
        if (i != NONE) {
            free = next[i];
        } else {
            i = used++;
        }
        sessions[i] = c;
        c.idleSlot = i;
        linkAtTail(i, time);
    }

    void moveToTail(Conn c, long time) {
        int i = c.idleSlot;
        unlink(i);
        linkAtTail(i, time);
    }

    void remove(Conn c) {
        int i = c.idleSlot;
        unlink(i);
        sessions[i] = null;
        next[i] = free;
        free = i;
    }

    private void linkAtTail(int i, long time) {
        stamp[i] = time;
        prev[i] = tail;
        next[i] = NONE;
        if (tail != NONE) {
            next[tail] = i;
        } else {
            head = i;
        }
        tail = i;
    }

    private void unlink(int i) {
        int p = prev[i], n = next[i];
        if (p != NONE) {
            next[p] = n;
        } else {
            head = n;
        }
        if (n != NONE) {
            prev[n] = p;
        } else {
            tail = p;
        }
    }
}
