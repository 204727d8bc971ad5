package org.weir.engine.internal;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.weir.core.AnalysisOptions;
import org.weir.core.Enricher;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.SessionBatch;

/**
 * Runs the enrichers of one analysis: starts one {@link Enricher.Run} per enricher in ascending
 * {@link Enricher#order()}, routes packets to the runs that asked for them and hands every session batch to the
 * runs in order, before detectors and sinks see it ({@link PluginHost}, shared with the {@link DetectionHost}).
 *
 * <p>The enrichers present when the analysis starts take part in it; one that arrives later joins the next
 * analysis. A run that throws is disabled with a message in {@link #problems()} and the analysis carries on.
 */
public final class EnrichmentHost extends PluginHost<Enricher, Enricher.Run> {

    private final AnalysisOptions options;

    /**
     * Starts a run of each enricher.
     *
     * @throws UncheckedIOException when an enricher cannot use a feed named in the options (the message names
     *     the file); runs already started are dropped
     * @throws IllegalArgumentException when an option does not fit (e.g. an unknown whitelist profile)
     */
    public EnrichmentHost(Collection<? extends Enricher> enrichers, AnalysisOptions options) {
        super("enricher", false);
        this.options = options;
        List<Enricher> sorted = new ArrayList<>(enrichers);
        sorted.sort(Comparator.comparingInt(Enricher::order).thenComparing(Enricher::id));
        for (Enricher e : sorted) {
            join(e);
        }
        applyChanges(); // now: a feed that cannot be used stops the analysis before it starts
    }

    /** True when no enricher runs (the pipeline then leaves the host out). */
    public boolean isEmpty() {
        return slots().length == 0;
    }

    /** The composite handler for the decoder: {@code first} (the table), then the enrichers' packet hooks. */
    @Override
    public PacketHandler after(PacketHandler first) {
        for (Slot<Enricher, Enricher.Run> s : slots()) {
            if (s.mask != 0) {
                return super.after(first);
            }
        }
        return first; // no run wants packets
    }

    @Override
    Slot<Enricher, Enricher.Run> start(Enricher e) {
        Enricher.Run run;
        try {
            run = e.start(options);
        } catch (UncheckedIOException | IllegalArgumentException failure) {
            throw failure; // bad input: the caller reports it
        } catch (RuntimeException | LinkageError failure) {
            problem("enricher '" + e.id() + "' did not start: " + failure);
            return null;
        }
        if (run == null) {
            return null; // nothing to do for this analysis (e.g. no whitelist configured)
        }
        Slot<Enricher, Enricher.Run> s = new Slot<>(e, e.id());
        s.run = run;
        try {
            s.mask = PacketClasses.maskOf(run.packetInterests());
        } catch (RuntimeException failure) {
            problem("enricher '" + e.id() + "' did not start: " + failure);
            return null;
        }
        return s;
    }

    @Override
    void packet(Enricher.Run run, PacketView p) {
        run.onPacket(p);
    }

    @Override
    void sessions(Enricher.Run run, SessionBatch batch) {
        run.onSessions(batch);
    }

    @Override
    Throwable passOn(Throwable e) {
        return e instanceof RuntimeException ? null : e; // an Error or a checked exception is not a run's failure
    }
}
