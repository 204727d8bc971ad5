package org.weir.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureFormat;
import org.weir.core.CaptureReader;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.ProgressMonitor;
import org.weir.core.SessionListener;
import org.weir.core.SessionTableFactory;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.engine.internal.DetectorRegistry;
import org.weir.engine.internal.Pipeline;

/**
 * Real captures through the engine's own code rather than a test's copy of it: the pipeline's capture-format
 * lookup, and the pipeline itself (read → decode loop, session table, detection host) with the detectors a test
 * chooses.
 */
public final class Captures {

    private Captures() {
    }

    /** Opens a capture with the framework's capture formats, the one the pipeline would pick. */
    public static CaptureReader open(Path file) throws IOException {
        return Pipeline.open(Services.all(CaptureFormat.class, 2), file);
    }

    /**
     * The framework's capture format the pipeline would pick for the file.
     *
     * @throws org.weir.core.CaptureFormatException when no format recognises it
     */
    public static CaptureFormat format(Path file) throws IOException {
        return Pipeline.formatOf(Services.all(CaptureFormat.class, 2), file);
    }

    /** Whether a capture format recognises the file (false also for a file too short to tell). */
    public static boolean isCapture(Path file) throws IOException {
        try {
            format(file);
            return true;
        } catch (org.weir.core.CaptureFormatException e) {
            return false;
        }
    }

    /**
     * Analyses one capture through the engine's {@code Pipeline} with exactly these detectors and no enrichers:
     * the table's batches go to the detectors, then to {@code sessions}; alerts to {@code alerts}.
     *
     * @throws IOException when the capture cannot be read to its end
     * @throws AssertionError when a detector failed (the pipeline disabled it and carried on)
     */
    public static AnalysisResult analyze(List<CaptureFormat> formats, PacketDecoderFactory decoders,
            SessionTableFactory tables, List<? extends Detector> detectors, Path capture, AnalysisOptions options,
            SessionListener sessions, AlertSink alerts) throws IOException {
        DetectorRegistry registry = new DetectorRegistry();
        detectors.forEach(registry::add);
        AnalysisResult result = new Pipeline(formats, decoders, tables, registry).analyze(List.of(capture), options,
                sessions, alerts, ProgressMonitor.NONE);
        if (result.error() != null) {
            throw result.error();
        }
        if (!result.warnings().isEmpty()) {
            throw new AssertionError("detectors failed: " + result.warnings());
        }
        return result;
    }
}
