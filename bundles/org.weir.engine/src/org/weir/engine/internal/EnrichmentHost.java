package org.weir.engine.internal;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.weir.core.AnalysisOptions;
import org.weir.core.Enricher;
import org.weir.core.Enrichment;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.SessionBatch;

/**
 * Runs the enrichers of one analysis: starts one {@link Enricher.Run} per enricher in ascending
 * {@link Enricher#order()}, routes packets to the runs that asked for them and hands every session batch to the
 * runs in order, before detectors and sinks see it ({@link PluginHost}, shared with the {@link DetectionHost}).
 *
 * <p>Only the enrichers whose work is read take part: those that produce a part of the enrichment the options read
 * ({@link org.weir.core.IntelOptions#read()}), and those that produce what the runs of these read in turn; each is
 * told what is read, so that it can leave out the rest of its own work. The enrichers present when the analysis starts
 * take part in it; one that arrives later joins the next analysis. A run that throws is disabled with a message in
 * {@link #problems()} and the analysis carries on.
 */
public final class EnrichmentHost extends PluginHost<Enricher, Enricher.Run> {

    /** The runs started for this analysis, until {@link #start} hands each to its slot. */
    private final Map<Enricher, Enricher.Run> started = new IdentityHashMap<>();

    /**
     * Starts a run of each enricher whose work is read.
     *
     * @throws UncheckedIOException when an enricher cannot use a feed named in the options (the message names
     *     the file); runs already started are dropped
     * @throws IllegalArgumentException when an option does not fit (e.g. an unknown whitelist profile)
     */
    public EnrichmentHost(Collection<? extends Enricher> enrichers, AnalysisOptions options) {
        super("enricher", false);
        List<Enricher> sorted = new ArrayList<>(enrichers);
        sorted.sort(Comparator.comparingInt(Enricher::order).thenComparing(Enricher::id));
        // From the end of the chain back: an enricher runs when what it produces is read, by the options or by an
        // enricher after it that started a run (one with nothing to do, such as verdicts without a whitelist,
        // reads nothing), and what it reads is then read too. Each is told what is read when it starts: all of
        // its own parts that anything reads, as only enrichers after it read them.
        Set<Enrichment> read = EnumSet.noneOf(Enrichment.class);
        if (options.intel().enrichment()) {
            read.addAll(options.intel().read());
        }
        List<Enricher> running = new ArrayList<>();
        for (int i = sorted.size() - 1; i >= 0; i--) {
            Enricher e = sorted.get(i);
            if (Collections.disjoint(e.produces(), read)) {
                continue;
            }
            Enricher.Run run = startRun(e, read.equals(options.intel().read()) ? options
                    : options.withIntel(options.intel().withRead(read)));
            if (run != null) {
                started.put(e, run);
                running.add(0, e);
                read.addAll(e.reads());
            }
        }
        for (Enricher e : running) {
            join(e);
        }
        applyChanges();
    }

    /** Starts one run: null when the enricher has nothing to do or failed to start (noted in the problems). */
    private Enricher.Run startRun(Enricher e, AnalysisOptions options) {
        try {
            return e.start(options);
        } catch (UncheckedIOException | IllegalArgumentException failure) {
            throw failure; // bad input, such as a feed that cannot be used: the caller reports it
        } catch (RuntimeException | LinkageError failure) {
            problem("enricher '" + e.id() + "' did not start: " + failure);
            return null;
        }
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
        Enricher.Run run = started.remove(e);
        if (run == null) {
            return null;
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
