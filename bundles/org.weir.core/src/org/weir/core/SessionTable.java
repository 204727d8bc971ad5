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

    /**
     * The serial number of the session that the layer delivered last went to: the table numbers its sessions (and
     * the IP tunnels it names) 1, 2, … as it makes them, the same for the same input and options. 0 when the layer
     * went to none (not IP, the outer layer of an IP tunnel, a cut transport header). Lets a tool follow frames to
     * their sessions, as the export of chosen sessions' packets does.
     */
    long lastSerial();

    /** The uid that serial number stands for: {@link Session#uid()} of the session made {@code serial}-th. */
    String uid(long serial);
}
