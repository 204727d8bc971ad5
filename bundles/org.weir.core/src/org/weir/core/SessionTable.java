package org.weir.core;

import java.util.function.Consumer;

/**
 * Builds sessions from decoded packets. Fed on one thread (the pipeline's); it is a {@link PacketHandler}.
 * Time advances with packet timestamps: inactivity timeouts are checked against the newest packet seen.
 */
public interface SessionTable extends PacketHandler {

    void addListener(SessionListener listener);

    void removeListener(SessionListener listener);

    /** Closes every open session (end of input), emits the events and delivers the last batch. */
    void closeAll();

    /** Delivers pending events to the listeners now. */
    void flush();

    /** Number of sessions currently open. */
    int liveCount();

    /** Sessions closed because the live-session bound was reached. */
    long evictedCount();

    /** A counter that grows with every change; each session records the version of its last change. */
    long version();

    /**
     * Calls {@code action} with a snapshot of every open session that changed after {@code sinceVersion}.
     * Must be called on the pipeline thread (or while it is paused).
     */
    void changedSince(long sinceVersion, Consumer<Session> action);
}
