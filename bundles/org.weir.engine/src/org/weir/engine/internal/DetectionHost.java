package org.weir.engine.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;
import org.weir.detect.Alert;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;

/**
 * Runs the detectors of one analysis: starts a {@link DetectorRun} per detector, routes packets to the runs that
 * asked for them, forwards session batches, advances time about once per second of capture time and finishes the
 * runs at the end.
 *
 * <p>Threading: every run callback happens on the pipeline thread (the one calling {@link #onPacket},
 * {@link #onSessions} and {@link #finish}). {@link #addDetector} and {@link #removeDetector} may be called from any
 * thread (DS); they queue a change that the pipeline thread applies before the next packet or batch, swapping in
 * new routing arrays (copy-on-write), so the packet path reads plain arrays without locks.
 *
 * <p>A run that throws is disabled with a message in {@link #problems()}; the pipeline carries on.
 */
public final class DetectionHost implements PacketHandler, SessionListener {

    // Packet classes, one bit each (PacketClasses); a run's mask is the OR of its interests.
    private static final int MASKS = PacketClasses.MASKS;
    private static final long SECOND = 1_000_000_000L;
    private static final Slot[] NO_SLOTS = new Slot[0];

    private final AlertSink sink;
    private final Map<String, Map<String, String>> overrides;
    private final ConcurrentLinkedQueue<Change> pending = new ConcurrentLinkedQueue<>();
    private volatile boolean dirty;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile Consumer<String> problemListener = p -> {
    };

    // Pipeline-thread state.
    private Slot[] slots = NO_SLOTS;
    private final Slot[][] byMask = new Slot[MASKS][];
    private long nextTickNanos = Long.MIN_VALUE;
    private boolean finished;

    /**
     * @param detectors the detectors present now (more may come through {@link #addDetector})
     * @param overrides parameter values by detector id and parameter name
     * @param sink where alerts go, on the pipeline thread
     * @throws IllegalArgumentException when an override names an unknown detector or parameter or has a bad value
     */
    public DetectionHost(Collection<? extends Detector> detectors, Map<String, Map<String, String>> overrides,
            AlertSink sink) {
        DetectorParameters.validate(detectors, overrides);
        this.overrides = Map.copyOf(overrides);
        this.sink = sink;
        for (int m = 0; m < MASKS; m++) {
            byMask[m] = NO_SLOTS;
        }
        for (Detector d : detectors) {
            addDetector(d);
        }
    }

    /** Receives each problem message as it happens (e.g. to print it); the default ignores them. */
    public void setProblemListener(Consumer<String> listener) {
        this.problemListener = listener == null ? p -> {
        } : listener;
    }

    /** Starts a run of this detector before the next packet or batch. Any thread. */
    public void addDetector(Detector detector) {
        pending.add(new Change(detector, true));
        dirty = true;
    }

    /** Finishes and drops the run of this detector before the next packet or batch. Any thread. */
    public void removeDetector(Detector detector) {
        pending.add(new Change(detector, false));
        dirty = true;
    }

    /** The composite handler for the decoder: the session table first, then the detectors. */
    public PacketHandler after(PacketHandler table) {
        return p -> {
            table.onPacket(p);
            onPacket(p);
        };
    }

    /** The listener for the session table: detectors first (they tag sessions), then {@code downstream} (sinks). */
    public SessionListener before(SessionListener downstream) {
        return batch -> {
            onSessions(batch);
            downstream.onSessions(batch);
        };
    }

    @Override
    public void onPacket(PacketView p) {
        if (dirty) {
            applyChanges();
        }
        long t = p.timestampNanos;
        if (t >= nextTickNanos) {
            tick(t);
        }
        Slot[] targets = byMask[classify(p)];
        for (Slot s : targets) {
            if (s.disabled) {
                continue;
            }
            try {
                s.run.onPacket(p);
            } catch (Throwable e) {
                fail(s, "onPacket", e);
            }
        }
    }

    @Override
    public void onSessions(SessionBatch batch) {
        if (dirty) {
            applyChanges();
        }
        for (Slot s : slots) {
            if (s.disabled) {
                continue;
            }
            try {
                s.run.onSessions(batch);
            } catch (Throwable e) {
                fail(s, "onSessions", e);
            }
        }
    }

    /** End of input: finishes every run (they report what is pending). Further calls do nothing. */
    public void finish() {
        if (dirty) {
            applyChanges();
        }
        if (finished) {
            return;
        }
        finished = true;
        for (Slot s : slots) {
            finishRun(s);
        }
    }

    /** Problems met so far (a detector that could not start or was disabled), in order. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Ids of the detectors running now (not disabled). Pipeline thread, or after the run. */
    public List<String> running() {
        List<String> ids = new ArrayList<>();
        for (Slot s : slots) {
            if (!s.disabled) {
                ids.add(s.id);
            }
        }
        return ids;
    }

    /** Alerts raised by the run of this detector id so far. Pipeline thread, or after the run. */
    public long alertCount(String detectorId) {
        long n = 0;
        for (Slot s : slots) {
            if (s.id.equals(detectorId)) {
                n += s.alerts;
            }
        }
        return n;
    }

    /** The packet class bits of the layer in {@code p} (see {@link PacketClasses}). */
    static int classify(PacketView p) {
        return PacketClasses.classify(p);
    }

    static int maskOf(Set<PacketInterest> interests) {
        return PacketClasses.maskOf(interests);
    }

    private void tick(long now) {
        // Called about once per second of capture time, aligned to whole seconds.
        nextTickNanos = Math.floorDiv(now, SECOND) * SECOND + SECOND;
        for (Slot s : slots) {
            if (s.disabled) {
                continue;
            }
            try {
                s.run.onTime(now);
            } catch (Throwable e) {
                fail(s, "onTime", e);
            }
        }
    }

    private void applyChanges() {
        dirty = false;
        List<Slot> next = new ArrayList<>(List.of(slots));
        Change c;
        boolean changed = false;
        while ((c = pending.poll()) != null) {
            if (c.add) {
                if (finished) {
                    continue;
                }
                Slot s = start(c.detector, next);
                if (s != null) {
                    next.add(s);
                    changed = true;
                }
            } else {
                for (int i = next.size() - 1; i >= 0; i--) {
                    Slot s = next.get(i);
                    if (s.detector == c.detector) {
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
            slots = next.toArray(NO_SLOTS);
            route();
        }
    }

    private Slot start(Detector d, List<Slot> current) {
        String id = "?";
        try {
            DetectorInfo info = d.info();
            id = info.id();
            for (Slot s : current) {
                if (s.detector == d) {
                    return null; // already running
                }
            }
            Map<String, String> params = DetectorParameters.resolve(info, overrides.get(id));
            Slot slot = new Slot(d, id);
            slot.run = d.start(params, slot);
            if (slot.run == null) {
                problem("detector '" + id + "' did not start: start() returned null");
                return null;
            }
            slot.mask = maskOf(slot.run.packetInterests());
            if (finished) {
                return null;
            }
            return slot;
        } catch (SinkFailure e) {
            throw e.unwrap();
        } catch (Throwable e) {
            rethrowFatal(e);
            problem("detector '" + id + "' did not start: " + describe(e));
            return null;
        }
    }

    private void finishRun(Slot s) {
        if (s.disabled || s.finished) {
            return;
        }
        s.finished = true;
        try {
            s.run.finish();
        } catch (Throwable e) {
            fail(s, "finish", e);
        }
    }

    private void fail(Slot s, String where, Throwable e) {
        if (e instanceof SinkFailure f) {
            throw f.unwrap(); // the sink's failure, not the detector's: let the pipeline see it
        }
        rethrowFatal(e);
        s.disabled = true;
        problem("detector '" + s.id + "' disabled after an error in " + where + ": " + describe(e));
        route();
    }

    private void problem(String message) {
        problems.add(message);
        try {
            problemListener.accept(message);
        } catch (RuntimeException ignored) {
            // a broken listener must not break detection
        }
    }

    private void route() {
        for (int m = 0; m < MASKS; m++) {
            List<Slot> list = new ArrayList<>();
            for (Slot s : slots) {
                if (!s.disabled && (s.mask & m) != 0) {
                    list.add(s);
                }
            }
            byMask[m] = list.toArray(NO_SLOTS);
        }
    }

    private static void rethrowFatal(Throwable e) {
        if (e instanceof VirtualMachineError v) {
            throw v;
        }
    }

    private static String describe(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        String at = st.length > 0 ? " at " + st[0] : "";
        return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + at;
    }

    private record Change(Detector detector, boolean add) {
    }

    /** One running detector; also the run's sink, counting its alerts. */
    private final class Slot implements AlertSink {
        final Detector detector;
        final String id;
        DetectorRun run;
        int mask;
        long alerts;
        boolean disabled, finished;

        Slot(Detector detector, String id) {
            this.detector = detector;
            this.id = id;
        }

        @Override
        public void raise(Alert alert) {
            if (disabled) {
                return;
            }
            alerts++;
            try {
                sink.raise(alert);
            } catch (RuntimeException e) {
                throw new SinkFailure(e);
            }
        }
    }

    /** Marks an exception of the downstream sink so that it is not blamed on the detector that raised the alert. */
    private static final class SinkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SinkFailure(RuntimeException cause) {
            super(cause);
        }

        RuntimeException unwrap() {
            return (RuntimeException) getCause();
        }
    }
}
