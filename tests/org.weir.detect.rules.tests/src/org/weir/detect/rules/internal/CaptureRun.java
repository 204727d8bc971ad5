package org.weir.detect.rules.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureFormat;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.Session;
import org.weir.core.SessionTableFactory;
import org.weir.detect.Alert;
import org.weir.detect.Detector;
import org.weir.testsupport.Captures;

/**
 * Runs detectors over a real capture through the engine's own pipeline ({@link Captures#analyze}: capture format
 * lookup, read → decode loop, session table, detection host), with these detectors only: packets go to the runs
 * that asked for them (after the table), batches go to the runs before anyone else, {@code onTime} about once per
 * capture second, {@code finish} at the end.
 */
final class CaptureRun {

    final List<Alert> alerts = new ArrayList<>();
    final List<Session> closed = new ArrayList<>();

    private final List<CaptureFormat> formats;
    private final PacketDecoderFactory decoders;
    private final SessionTableFactory tables;

    CaptureRun(List<CaptureFormat> formats, PacketDecoderFactory decoders, SessionTableFactory tables) {
        this.formats = formats;
        this.decoders = decoders;
        this.tables = tables;
    }

    /**
     * Runs the detectors with their defaults (plus overrides {@code detector.parameter → value}) over one capture.
     * A capture the reader cannot read to its end, or a detector that throws, fails the run.
     */
    CaptureRun run(Path capture, List<Detector> detectors, Map<String, String> overrides) throws IOException {
        Map<String, Map<String, String>> parameters = new LinkedHashMap<>();
        overrides.forEach((key, value) -> parameters
                .computeIfAbsent(key.substring(0, key.indexOf('.')), id -> new LinkedHashMap<>())
                .put(key.substring(key.indexOf('.') + 1), value));
        // Like Zeek -C: captures taken on a sending host carry offloaded (unfilled) checksums.
        AnalysisOptions options = AnalysisOptions.defaults().withIgnoreChecksums(true)
                .withDetectorParameters(parameters);
        Captures.analyze(formats, decoders, tables, detectors, capture, options,
                batch -> closed.addAll(batch.closed()), alerts::add);
        return this;
    }

    List<Alert> of(String type) {
        return alerts.stream().filter(a -> a.type().equals(type)).toList();
    }
}
