package org.weir.ui.internal;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.weir.ui.CaptureModel;

/** Starts and cancels analyses of captures; one at a time (opening a capture cancels the running analysis). */
public final class CaptureController {

    private final CaptureModel model;
    private final Consumer<String> errorReporter;
    private final AnalyzerAccess analyzers = new AnalyzerAccess();
    private AnalysisJob current;

    public CaptureController(CaptureModel model, Consumer<String> errorReporter) {
        this.model = model;
        this.errorReporter = errorReporter;
    }

    public synchronized void open(Path capture) {
        if (current != null) {
            current.cancel();
        }
        current = new AnalysisJob(capture.toAbsolutePath().normalize(), model, analyzers, errorReporter);
        current.schedule();
    }

    public synchronized void cancel() {
        if (current != null) {
            current.cancel();
        }
    }

    /** Waits for the running analysis, if any, to finish. */
    public void join(long timeoutMillis) throws InterruptedException {
        AnalysisJob job;
        synchronized (this) {
            job = current;
        }
        if (job != null) {
            job.join(timeoutMillis, null);
        }
    }

    public synchronized void dispose() {
        cancel();
        analyzers.close();
    }
}
