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
import org.weir.core.SessionListener;

/**
 * Runs the enrichers of one analysis: starts one {@link Enricher.Run} per enricher in ascending
 * {@link Enricher#order()}, routes packets to the runs that asked for them (the same packet classes as
 * {@link DetectionHost}, {@link PacketClasses}) and hands every session batch to the runs in order, before
 * detectors and sinks see it.
 *
 * <p>The enrichers present when the analysis starts take part in it; one that arrives later joins the next
 * analysis. Every callback happens on the pipeline thread; routing reads plain arrays. A run that throws is
 * disabled with a message in {@link #problems()} and the analysis carries on.
 */
public final class EnrichmentHost implements PacketHandler, SessionListener {

    private static final Slot[] NO_SLOTS = new Slot[0];

    private final Slot[] slots;
    private final Slot[][] byMask = new Slot[PacketClasses.MASKS][];
    private final List<String> problems = new ArrayList<>();

    /**
     * Starts a run of each enricher.
     *
     * @throws UncheckedIOException when an enricher cannot use a feed named in the options (the message names
     *     the file); runs already started are dropped
     * @throws IllegalArgumentException when an option does not fit (e.g. an unknown whitelist profile)
     */
    public EnrichmentHost(Collection<? extends Enricher> enrichers, AnalysisOptions options) {
        List<Enricher> sorted = new ArrayList<>(enrichers);
        sorted.sort(Comparator.comparingInt(Enricher::order).thenComparing(Enricher::id));
        List<Slot> started = new ArrayList<>();
        for (Enricher e : sorted) {
            Enricher.Run run;
            try {
                run = e.start(options);
            } catch (UncheckedIOException | IllegalArgumentException failure) {
                throw failure; // bad input: the caller reports it
            } catch (RuntimeException | LinkageError failure) {
                problems.add("enricher '" + e.id() + "' did not start: " + failure);
                continue;
            }
            if (run == null) {
                continue; // nothing to do for this analysis (e.g. no whitelist configured)
            }
            Slot s = new Slot(e.id(), run);
            try {
                s.mask = PacketClasses.maskOf(run.packetInterests());
            } catch (RuntimeException failure) {
                problems.add("enricher '" + e.id() + "' did not start: " + failure);
                continue;
            }
            started.add(s);
        }
        slots = started.toArray(NO_SLOTS);
        route();
    }

    /** True when no enricher runs (the pipeline then leaves the host out). */
    public boolean isEmpty() {
        return slots.length == 0;
    }

    /** Ids of the enrichers running now, in order. */
    public List<String> running() {
        List<String> ids = new ArrayList<>();
        for (Slot s : slots) {
            if (!s.disabled) {
                ids.add(s.id);
            }
        }
        return ids;
    }

    /** The composite handler for the decoder: {@code first} (the table), then the enrichers' packet hooks. */
    public PacketHandler after(PacketHandler first) {
        if (isEmptyForPackets()) {
            return first;
        }
        return p -> {
            first.onPacket(p);
            onPacket(p);
        };
    }

    /** The listener for the session table: the enrichers first, then {@code downstream} (detectors, sinks). */
    public SessionListener before(SessionListener downstream) {
        return batch -> {
            onSessions(batch);
            downstream.onSessions(batch);
        };
    }

    private boolean isEmptyForPackets() {
        for (Slot s : slots) {
            if (s.mask != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void onPacket(PacketView p) {
        Slot[] targets = byMask[PacketClasses.classify(p)];
        for (Slot s : targets) {
            if (s.disabled) {
                continue;
            }
            try {
                s.run.onPacket(p);
            } catch (RuntimeException e) {
                fail(s, "onPacket", e);
            }
        }
    }

    @Override
    public void onSessions(SessionBatch batch) {
        for (Slot s : slots) {
            if (s.disabled) {
                continue;
            }
            try {
                s.run.onSessions(batch);
            } catch (RuntimeException e) {
                fail(s, "onSessions", e);
            }
        }
    }

    /** Problems met (an enricher that could not start or was disabled), in order. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void fail(Slot s, String where, RuntimeException e) {
        s.disabled = true;
        StackTraceElement[] st = e.getStackTrace();
        problems.add("enricher '" + s.id + "' disabled after an error in " + where + ": " + e
                + (st.length > 0 ? " at " + st[0] : ""));
        route();
    }

    private void route() {
        for (int m = 0; m < PacketClasses.MASKS; m++) {
            List<Slot> list = new ArrayList<>();
            for (Slot s : slots) {
                if (!s.disabled && (s.mask & m) != 0) {
                    list.add(s);
                }
            }
            byMask[m] = list.toArray(NO_SLOTS);
        }
    }

    private static final class Slot {
        final String id;
        final Enricher.Run run;
        int mask;
        boolean disabled;

        Slot(String id, Enricher.Run run) {
            this.id = id;
            this.run = run;
        }
    }
}
