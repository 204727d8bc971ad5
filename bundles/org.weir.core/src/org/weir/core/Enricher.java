package org.weir.core;

import java.util.EnumSet;
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

    /**
     * The parts of the enrichment this enricher adds. It runs in an analysis when one of them is read there; the
     * default, all of them, makes it run whenever anything is read.
     */
    default Set<Enrichment> produces() {
        return EnumSet.allOf(Enrichment.class);
    }

    /**
     * The parts of the enrichment this enricher reads from those before it in the chain: an analysis that runs it
     * computes them too. The default is none.
     */
    default Set<Enrichment> reads() {
        return Set.of();
    }

    Run start();

    /**
     * Starts a run for one analysis with its options (feeds named for this analysis, see
     * {@link AnalysisOptions#intel()}; what is read there, {@link IntelOptions#reads}, so that parts nobody reads
     * are left out). The default ignores the options.
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
