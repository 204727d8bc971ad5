package org.weir.detect;

import java.util.Set;

import org.weir.core.PacketView;
import org.weir.core.SessionBatch;

/**
 * One run of a detector over one stream of traffic. All callbacks come from the pipeline thread, in time order.
 * {@link #onPacket} is on the hot path: it must not allocate, lock or log per call.
 */
public interface DetectorRun {

    /** The packets this run wants to see; empty for session-only detectors. */
    default Set<PacketInterest> packetInterests() {
        return Set.of();
    }

    /** A packet matching one of {@link #packetInterests()}; the view is valid only during the call. */
    default void onPacket(PacketView packet) {
    }

    /** Session events; closed sessions may be tagged ({@code Session.addTag}) here, before sinks see them. */
    void onSessions(SessionBatch batch);

    /** Capture time moved forward (called about once per second of capture time): time-window checks. */
    default void onTime(long nowNanos) {
    }

    /** End of input: report what is still pending. */
    default void finish() {
    }
}
