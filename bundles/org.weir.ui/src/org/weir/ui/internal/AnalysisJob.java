package org.weir.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.CaptureFilterException;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;
import org.weir.ui.CaptureModel;
import org.weir.ui.CaptureModel.Snapshot;
import org.weir.ui.CaptureModel.State;

/**
 * Analyses one capture through the {@link CaptureAnalyzer} service and publishes its sessions into the
 * {@link CaptureModel}: the sessions seen so far while it runs (about once a second), all of them at the end.
 */
final class AnalysisJob extends Job {

    /** Orders sessions as Zeek's conn.log would read sorted: by start time, then uid. */
    static final Comparator<Session> BY_START = Comparator.comparingLong(Session::startNanos)
            .thenComparing(Session::uid, Comparator.nullsFirst(Comparator.naturalOrder()));

    private static final long PUBLISH_INTERVAL_NANOS = 1_000_000_000L;

    private final Path capture;
    private final String filter;
    private final CaptureModel model;
    private final AnalyzerAccess analyzers;
    private final Consumer<String> errorReporter;

    /**
     * @param filter the capture filter expression, empty for every frame
     */
    AnalysisJob(Path capture, String filter, CaptureModel model, AnalyzerAccess analyzers,
            Consumer<String> errorReporter) {
        super("Analysing " + capture.getFileName() + (filter.isEmpty() ? "" : " (filter: " + filter + ")"));
        this.capture = capture;
        this.filter = filter;
        this.model = model;
        this.analyzers = analyzers;
        this.errorReporter = errorReporter;
        setUser(true);
    }

    Path capture() {
        return capture;
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        monitor.beginTask(getName(), MonitorAdapter.TICKS);
        model.publish(new Snapshot(State.ANALYSING, capture, List.of(), null, ""));
        model.publishProgress(new CaptureModel.Progress(getName(), 0, -1, true));
        try {
            if (!Files.isReadable(capture)) {
                fail("Cannot read " + capture + (Files.exists(capture) ? "" : ": no such file") + ".");
                return Status.OK_STATUS;
            }
            CaptureAnalyzer analyzer = analyzers.get(10_000);
            if (analyzer == null) {
                fail("No capture analyzer is available: the analysis engine (bundle org.weir.engine) is not installed"
                        + " or did not start.");
                return Status.OK_STATUS;
            }
            Collector collector = new Collector();
            AnalysisOptions options = AnalysisOptions.defaults().withCaptureFilter(filter);
            AnalysisResult result = analyzer.analyze(List.of(capture), options, collector,
                    new MonitorAdapter(monitor, model));
            List<Session> sessions = collector.all();
            sessions.sort(BY_START);
            String message = filter.isEmpty() ? ""
                    : String.format(Locale.ROOT, "capture filter '%s': %,d of %,d frames", filter, result.frames(),
                            result.frames() + result.filteredOut());
            State state = State.DONE;
            if (result.cancelled()) {
                state = State.CANCELLED;
                message = "Cancelled: showing the sessions seen until then.";
            } else if (result.error() != null) {
                message = "Damaged capture: " + result.error().getMessage()
                        + ". Sessions before the damage are shown.";
            }
            model.publish(new Snapshot(state, capture, sessions, result, message));
        } catch (IOException | CaptureFilterException e) {
            fail("Cannot analyse " + capture.getFileName() + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            model.publish(new Snapshot(State.CANCELLED, capture, List.of(), null, "Cancelled."));
        } catch (RuntimeException | LinkageError e) {
            ILog.of(AnalysisJob.class).error("Analysis of " + capture + " failed", e);
            fail("The analysis of " + capture.getFileName() + " failed: " + describe(e)
                    + " (details are in the workbench log).");
        } finally {
            model.publishProgress(CaptureModel.Progress.IDLE);
            monitor.done();
        }
        return Status.OK_STATUS;
    }

    private void fail(String message) {
        model.publish(new Snapshot(State.FAILED, capture, List.of(), null, message));
        errorReporter.accept(message);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * Keeps closed sessions (final) and snapshots of open ones; runs on the pipeline thread and publishes the
     * sessions seen so far at most once a second.
     */
    private final class Collector implements SessionListener {

        private final List<Session> closed = new ArrayList<>();
        private final Map<String, Session> open = new HashMap<>();
        private long lastPublish = System.nanoTime();

        @Override
        public void onSessions(SessionBatch batch) {
            for (Session s : batch.opened()) {
                if (!s.isClosed()) {
                    open.put(s.uid(), s.snapshot());
                }
            }
            for (Session s : batch.updated()) {
                if (!s.isClosed()) {
                    open.put(s.uid(), s.snapshot());
                }
            }
            for (Session s : batch.closed()) {
                open.remove(s.uid());
                closed.add(s);
            }
            long now = System.nanoTime();
            // Each interim publication copies every session (and views may re-sort them): the more sessions, the
            // rarer, so that big captures spend their time analysing (1 s, plus 1 s per 100,000 sessions).
            long interval = PUBLISH_INTERVAL_NANOS * (1 + (closed.size() + open.size()) / 100_000);
            if (now - lastPublish >= interval) {
                lastPublish = now;
                model.publish(new Snapshot(State.ANALYSING, capture, all(), null, ""));
            }
        }

        List<Session> all() {
            List<Session> all = new ArrayList<>(closed.size() + open.size());
            all.addAll(closed);
            all.addAll(open.values());
            return all;
        }
    }
}
