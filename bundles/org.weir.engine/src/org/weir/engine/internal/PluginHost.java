package org.weir.engine.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;

/**
 * What the hosts of one analysis's plugins share ({@link DetectionHost}: detectors, {@link EnrichmentHost}:
 * enrichers): one run per plugin; packets routed to the runs that asked for them ({@link PacketClasses}); every
 * session batch handed to every run, in the order the runs started; for a timed host, time advanced about once per
 * second of capture time; the runs finished at the end; plugins joining and leaving between packets; a run that
 * throws disabled with a message in {@link #problems()} while the analysis carries on.
 *
 * <p>Threading: every run callback happens on the pipeline thread (the one calling {@link #onPacket},
 * {@link #onSessions} and {@link #finish}). {@link #join} and {@link #leave} may be called from any thread (DS);
 * they queue a change that the pipeline thread applies before the next packet or batch, swapping in new routing
 * arrays (copy-on-write), so the packet path reads plain arrays: no allocation, lock, logging or service lookup
 * per packet.
 *
 * @param <P> the plugin
 * @param <R> its run
 */
public abstract sealed class PluginHost<P, R> implements PacketHandler, SessionListener
        permits DetectionHost, EnrichmentHost {

    private static final long SECOND = 1_000_000_000L;

    /** One plugin's run, and its routing state; pipeline thread only. */
    static class Slot<P, R> {
        final P plugin;
        final String id;
        R run;
        int mask;
        boolean disabled, finished;

        Slot(P plugin, String id) {
            this.plugin = plugin;
            this.id = id;
        }
    }

    private record Change<P>(P plugin, boolean join) {
    }

    private final String kind;
    private final boolean timed;
    private final Slot<P, R>[] none = newArray(0);
    private final ConcurrentLinkedQueue<Change<P>> pending = new ConcurrentLinkedQueue<>();
    /**
     * Plugins whose start failed (and was reported) in this analysis: a plugin joined again, as the registry does
     * to close a race, is not started and reported a second time unless it left in between. Pipeline thread.
     */
    private final Set<P> notStarted = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile boolean dirty;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile Consumer<String> problemListener = p -> {
    };

    // Pipeline-thread state.
    private Slot<P, R>[] slots = none;
    private final Slot<P, R>[][] byMask;
    private long nextTickNanos = Long.MIN_VALUE;
    private boolean finished;

    /**
     * @param kind what the plugins are, for problem messages ({@code detector})
     * @param timed whether the runs hear of time once per second of capture time ({@link #time})
     */
    @SuppressWarnings("unchecked")
    PluginHost(String kind, boolean timed) {
        this.kind = kind;
        this.timed = timed;
        byMask = (Slot<P, R>[][]) new Slot<?, ?>[PacketClasses.MASKS][];
        for (int m = 0; m < PacketClasses.MASKS; m++) {
            byMask[m] = none;
        }
    }

    // ---- what differs between plugins ---------------------------------------------------------------------

    /**
     * Starts a run of the plugin: a slot with its run and packet mask, or null when it does not take part (after
     * a {@link #problem} where that is one). May throw to stop the analysis.
     */
    abstract Slot<P, R> start(P plugin);

    /** Hands a packet to a run (hot path). */
    abstract void packet(R run, PacketView p);

    abstract void sessions(R run, SessionBatch batch);

    /** Capture time moved forward (timed hosts only). */
    void time(R run, long nowNanos) {
    }

    /** End of input. */
    void end(R run) {
    }

    /**
     * What to throw instead of disabling the run that threw {@code e}: null when {@code e} is the run's own
     * failure (the run is disabled), else the exception that must reach the pipeline.
     */
    abstract Throwable passOn(Throwable e);

    // ---- membership ---------------------------------------------------------------------------------------

    /** Receives each problem message as it happens (e.g. to print it); the default ignores them. */
    public void setProblemListener(Consumer<String> listener) {
        this.problemListener = listener == null ? p -> {
        } : listener;
    }

    /** Starts a run of this plugin before the next packet or batch (once: a plugin running already is left). Any thread. */
    final void join(P plugin) {
        pending.add(new Change<>(plugin, true));
        dirty = true;
    }

    /** Finishes and drops the run of this plugin before the next packet or batch. Any thread. */
    final void leave(P plugin) {
        pending.add(new Change<>(plugin, false));
        dirty = true;
    }

    /** Applies the queued joins and leaves now. Pipeline thread. */
    final void applyChanges() {
        dirty = false;
        List<Slot<P, R>> next = new ArrayList<>(List.of(slots));
        Change<P> c;
        boolean changed = false;
        while ((c = pending.poll()) != null) {
            if (c.join()) {
                if (finished || runs(next, c.plugin()) || notStarted.contains(c.plugin())) {
                    continue;
                }
                Slot<P, R> s = start(c.plugin());
                if (s != null) {
                    next.add(s);
                    changed = true;
                } else {
                    notStarted.add(c.plugin());
                }
            } else {
                notStarted.remove(c.plugin());
                for (int i = next.size() - 1; i >= 0; i--) {
                    Slot<P, R> s = next.get(i);
                    if (s.plugin == c.plugin()) {
                        next.remove(i);
                        changed = true;
                        if (!finished) {
                            finishRun(s);
                        }
                    }
                }
            }
        }
        if (changed) {
            slots = next.toArray(none);
            route();
        }
    }

    private static <P> boolean runs(List<? extends Slot<P, ?>> current, P plugin) {
        for (Slot<P, ?> s : current) {
            if (s.plugin == plugin) {
                return true;
            }
        }
        return false;
    }

    // ---- the pipeline's calls -----------------------------------------------------------------------------

    /**
     * The composite handler for the decoder: {@code first} (the session table), then the runs' packet hooks. What the
     * decoder reports about refused tunnels is the table's alone.
     */
    public PacketHandler after(PacketHandler first) {
        return new PacketHandler() {
            @Override
            public void onPacket(PacketView p) {
                first.onPacket(p);
                PluginHost.this.onPacket(p);
            }

            @Override
            public void onTunnelRefused(int tunnelType, boolean violation) {
                first.onTunnelRefused(tunnelType, violation);
            }
        };
    }

    /** The listener for the session table: the runs first (they tag sessions), then {@code downstream}. */
    public SessionListener before(SessionListener downstream) {
        return batch -> {
            onSessions(batch);
            downstream.onSessions(batch);
        };
    }

    @Override
    public final void onPacket(PacketView p) {
        if (dirty) {
            applyChanges();
        }
        long t = p.timestampNanos;
        if (t >= nextTickNanos) {
            tick(t);
        }
        for (Slot<P, R> s : byMask[PacketClasses.classify(p)]) {
            if (s.disabled) {
                continue;
            }
            try {
                packet(s.run, p);
            } catch (Throwable e) {
                fail(s, "onPacket", e);
            }
        }
    }

    @Override
    public final void onSessions(SessionBatch batch) {
        if (dirty) {
            applyChanges();
        }
        for (Slot<P, R> s : slots) {
            if (s.disabled) {
                continue;
            }
            try {
                sessions(s.run, batch);
            } catch (Throwable e) {
                fail(s, "onSessions", e);
            }
        }
    }

    /** End of input: finishes every run (they report what is pending). Further calls do nothing. */
    public final void finish() {
        if (dirty) {
            applyChanges();
        }
        if (finished) {
            return;
        }
        finished = true;
        for (Slot<P, R> s : slots) {
            finishRun(s);
        }
    }

    /**
     * Drops every run without finishing it, so that what they hold can be collected (the heap is exhausted). The
     * host then passes packets and batches on to nobody; {@link #finish} does nothing.
     */
    public final void abandon() {
        pending.clear();
        dirty = false;
        finished = true;
        slots = none;
        Arrays.fill(byMask, none);
    }

    // ---- state --------------------------------------------------------------------------------------------

    /** Problems met so far (a plugin that could not start or was disabled), in order. */
    public final List<String> problems() {
        return List.copyOf(problems);
    }

    /** Ids of the plugins running now (not disabled), in order. Pipeline thread, or after the run. */
    public final List<String> running() {
        List<String> ids = new ArrayList<>();
        for (Slot<P, R> s : slots) {
            if (!s.disabled) {
                ids.add(s.id);
            }
        }
        return ids;
    }

    /** The runs now, in order. Pipeline thread, or after the run. */
    final Slot<P, R>[] slots() {
        return slots;
    }

    /** Records a problem and tells the listener. */
    final void problem(String message) {
        problems.add(message);
        try {
            problemListener.accept(message);
        } catch (RuntimeException ignored) {
            // a broken listener must not break the analysis
        }
    }

    /** An exception for a problem message: its class, message and where it was thrown. */
    static String describe(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        return e + (st.length > 0 ? " at " + st[0] : "");
    }

    private void tick(long now) {
        if (!timed) {
            nextTickNanos = Long.MAX_VALUE; // never again
            return;
        }
        // Called about once per second of capture time, aligned to whole seconds.
        nextTickNanos = Math.floorDiv(now, SECOND) * SECOND + SECOND;
        for (Slot<P, R> s : slots) {
            if (s.disabled) {
                continue;
            }
            try {
                time(s.run, now);
            } catch (Throwable e) {
                fail(s, "onTime", e);
            }
        }
    }

    private void finishRun(Slot<P, R> s) {
        if (s.disabled || s.finished) {
            return;
        }
        s.finished = true;
        try {
            end(s.run);
        } catch (Throwable e) {
            fail(s, "finish", e);
        }
    }

    private void fail(Slot<P, R> s, String where, Throwable e) {
        Throwable other = passOn(e);
        if (other != null) {
            throw PluginHost.<RuntimeException>unchecked(other);
        }
        s.disabled = true;
        problem(kind + " '" + s.id + "' disabled after an error in " + where + ": " + describe(e));
        route();
    }

    private void route() {
        for (int m = 0; m < PacketClasses.MASKS; m++) {
            List<Slot<P, R>> list = new ArrayList<>();
            for (Slot<P, R> s : slots) {
                if (!s.disabled && (s.mask & m) != 0) {
                    list.add(s);
                }
            }
            byMask[m] = list.toArray(none);
        }
    }

    @SuppressWarnings("unchecked")
    private static <P, R> Slot<P, R>[] newArray(int n) {
        return (Slot<P, R>[]) new Slot<?, ?>[n];
    }

    /** Throws {@code e} as it is, checked or not (what a run threw passes through unchanged). */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T unchecked(Throwable e) throws T {
        throw (T) e;
    }
}
