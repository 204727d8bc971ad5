package org.weir.engine.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.weir.detect.AlertSink;
import org.weir.detect.Detector;

/**
 * The detectors registered now and the hosts of the analyses running now, so that a detector bundle started or
 * stopped during an analysis joins or leaves it. The engine's DS component forwards its dynamic
 * {@code Detector} reference to {@link #add} / {@link #remove}.
 */
public final class DetectorRegistry {

    private final List<Detector> detectors = new CopyOnWriteArrayList<>();
    private final List<DetectionHost> hosts = new CopyOnWriteArrayList<>();

    public void add(Detector detector) {
        detectors.add(detector);
        for (DetectionHost h : hosts) {
            h.addDetector(detector);
        }
    }

    public void remove(Detector detector) {
        detectors.remove(detector);
        for (DetectionHost h : hosts) {
            h.removeDetector(detector);
        }
    }

    /** The detectors registered now. */
    public List<Detector> detectors() {
        return List.copyOf(detectors);
    }

    /**
     * A host over the current detectors that follows later arrivals and departures until {@link #close}.
     *
     * @throws IllegalArgumentException when an override does not fit the current detectors
     */
    public DetectionHost open(Map<String, Map<String, String>> overrides, AlertSink sink) {
        DetectionHost host = new DetectionHost(detectors(), overrides, sink);
        hosts.add(host);
        // A detector added between the snapshot and the registration above is then queued twice; the host ignores
        // the duplicate.
        for (Detector d : detectors) {
            host.addDetector(d);
        }
        return host;
    }

    /** Stops following registrations (call after {@link DetectionHost#finish()}). */
    public void close(DetectionHost host) {
        hosts.remove(host);
    }
}
