package org.weir.engine.internal;

import java.util.Collection;
import java.util.Map;

import org.weir.core.PacketView;
import org.weir.core.SessionBatch;
import org.weir.detect.Alert;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;

/**
 * Runs the detectors of one analysis: starts a {@link DetectorRun} per detector with its parameters, routes packets
 * to the runs that asked for them, forwards session batches, advances time about once per second of capture time
 * and finishes the runs at the end ({@link PluginHost}, which also says the threading rules).
 *
 * <p>Detectors may join ({@link #addDetector}) and leave ({@link #removeDetector}) from any thread while the
 * analysis runs. A run that throws is disabled with a message in {@link #problems()}; the pipeline carries on. An
 * exception of the alert sink is not the detector's: it reaches the pipeline. A detector present at the start that
 * refuses values the caller set for it is bad input (the constructor throws); one refusing its defaults, or joining
 * later, is left out with a message in {@link #problems()}. What a run reports through
 * {@link AlertSink#warn} (e.g. a memory bound it reached) is in {@link #problems()} too, with the detector named.
 */
public final class DetectionHost extends PluginHost<Detector, DetectorRun> {

    private final AlertSink sink;
    private final Map<String, Map<String, String>> overrides;
    /** While the constructor starts the detectors present: a refusal of set values is thrown, not reported. */
    private boolean starting;
    private IllegalArgumentException refusedValues;

    /**
     * Starts a run of each detector present now, on the calling thread (the pipeline's).
     *
     * @param detectors the detectors present now (more may come through {@link #addDetector})
     * @param overrides parameter values by detector id and parameter name
     * @param sink where alerts go, on the pipeline thread
     * @throws IllegalArgumentException when an override names an unknown detector or parameter or has a bad value,
     *     or a detector refuses the values set for it ({@link Detector#start}); runs already started are dropped
     */
    public DetectionHost(Collection<? extends Detector> detectors, Map<String, Map<String, String>> overrides,
            AlertSink sink) {
        super("detector", true);
        DetectorParameters.validate(detectors, overrides);
        this.overrides = Map.copyOf(overrides);
        this.sink = sink;
        for (Detector d : detectors) {
            addDetector(d);
        }
        starting = true;
        applyChanges(); // now: values the user set that a detector refuses stop the analysis before it starts
        starting = false;
        if (refusedValues != null) {
            throw refusedValues;
        }
    }

    /** Starts a run of this detector before the next packet or batch. Any thread. */
    public void addDetector(Detector detector) {
        join(detector);
    }

    /** Finishes and drops the run of this detector before the next packet or batch. Any thread. */
    public void removeDetector(Detector detector) {
        leave(detector);
    }

    /** Alerts raised by the run of this detector id so far. Pipeline thread, or after the run. */
    public long alertCount(String detectorId) {
        long n = 0;
        for (Slot<Detector, DetectorRun> s : slots()) {
            if (s.id.equals(detectorId)) {
                n += ((Run) s).alerts;
            }
        }
        return n;
    }

    @Override
    Slot<Detector, DetectorRun> start(Detector d) {
        String id = "?";
        try {
            DetectorInfo info = d.info();
            id = info.id();
            Map<String, String> params = DetectorParameters.resolve(info, overrides.get(id));
            Run slot = new Run(d, id);
            slot.run = d.start(params, slot);
            if (slot.run == null) {
                problem("detector '" + id + "' did not start: start() returned null");
                return null;
            }
            slot.mask = PacketClasses.maskOf(slot.run.packetInterests());
            return slot;
        } catch (SinkFailure e) {
            throw e.unwrap();
        } catch (IllegalArgumentException e) {
            // Parameter values the detector cannot use (Detector#start): the message is for the user.
            if (starting && overrides.containsKey(id)) {
                if (refusedValues == null) {
                    refusedValues = new IllegalArgumentException("detector '" + id + "' refused its parameters: "
                            + e.getMessage(), e);
                }
            } else {
                problem("detector '" + id + "' did not start: " + e.getMessage());
            }
            return null;
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError v) {
                throw v;
            }
            problem("detector '" + id + "' did not start: " + describe(e));
            return null;
        }
    }

    @Override
    void packet(DetectorRun run, PacketView p) {
        run.onPacket(p);
    }

    @Override
    void sessions(DetectorRun run, SessionBatch batch) {
        run.onSessions(batch);
    }

    @Override
    void time(DetectorRun run, long nowNanos) {
        run.onTime(nowNanos);
    }

    @Override
    void end(DetectorRun run) {
        run.finish();
    }

    @Override
    Throwable passOn(Throwable e) {
        if (e instanceof SinkFailure f) {
            return f.unwrap(); // the sink's failure, not the detector's: let the pipeline see it
        }
        return e instanceof VirtualMachineError ? e : null;
    }

    /** One running detector; also the run's sink, counting its alerts. */
    private final class Run extends Slot<Detector, DetectorRun> implements AlertSink {
        long alerts;

        Run(Detector detector, String id) {
            super(detector, id);
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

        @Override
        public void warn(String message) {
            if (!disabled) {
                String named = "detector '" + id + "'";
                problem(message.startsWith(named) ? message : named + ": " + message);
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
