package org.weir.core;

import java.util.Set;

import org.weir.detect.PacketInterest;

/**
 * DS service that adds knowledge to sessions (location, owner, names, vendors, verdicts) before detectors and
 * sinks see them. The engine starts one {@link Run} per analysis, in ascending {@link #order()}: names first (10),
 * then address intelligence (20), then policy (30), which may use what came before.
 */
public interface Enricher {

    /** Stable identifier, e.g. {@code names}. */
    String id();

    /** Position in the enrichment chain; lower runs first. */
    int order();

    Run start();

    /**
     * Starts a run for one analysis with its options (feeds named for this analysis, see
     * {@link AnalysisOptions#intel()}). The default ignores the options.
     *
     * @throws java.io.UncheckedIOException when a feed named in the options cannot be used (its message names
     *     file, line and column); the analysis does not start
     */
    default Run start(AnalysisOptions options) {
        return start();
    }

    /** One run over one stream of traffic; all callbacks on the pipeline thread. */
    interface Run {

        /** The packets this run wants to see; empty when it works on sessions only. */
        default Set<PacketInterest> packetInterests() {
            return Set.of();
        }

        /** A packet matching the interests; on the hot path: no allocation, lock or logging per call. */
        default void onPacket(PacketView packet) {
        }

        /** Enrich the sessions of the batch (opened, updated and closed ones as needed). */
        void onSessions(SessionBatch batch);
    }
}
