package org.weir.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;
import org.weir.ui.CaptureModel;
import org.weir.ui.CaptureModel.Snapshot;
import org.weir.ui.CaptureModel.State;
import org.weir.ui.WorkbenchJob;

/**
 * Analyses captures (several merged by time) through the {@link CaptureAnalyzer} service and publishes their
 * sessions into the {@link CaptureModel}: the sessions seen so far while it runs (about once a second), all of them at
 * the end.
 */
final class AnalysisJob extends WorkbenchJob {

    /** Orders sessions as Zeek's conn.log would read sorted: by start time, then uid. */
    static final Comparator<Session> BY_START = Comparator.comparingLong(Session::startNanos)
            .thenComparing(Session::uid, Comparator.nullsFirst(Comparator.naturalOrder()));

    private static final long PUBLISH_INTERVAL_NANOS = 1_000_000_000L;

    /**
     * Analyses run one at a time: opening a capture cancels the analysis under way, which notices only at its next
     * look at the monitor and then publishes what it saw; its successor must not begin publishing before that.
     */
    private static final ISchedulingRule ONE_AT_A_TIME = new ISchedulingRule() {
        @Override
        public boolean contains(ISchedulingRule rule) {
            return rule == this;
        }

        @Override
        public boolean isConflicting(ISchedulingRule rule) {
            return rule == this;
        }
    };

    private static final String MORE_MEMORY = String.format(Locale.ROOT, "to analyse the whole capture, start the"
            + " workbench with more memory than its %,d MB (for example WEIR_VMARGS=-Xmx%dg).",
            Runtime.getRuntime().maxMemory() >> 20, Math.max(2, 2 * ((Runtime.getRuntime().maxMemory() >> 30) + 1)));

    private final List<Path> captures;
    private final String filter;
    private final boolean ignoreChecksums;
    private final AnalysisOptions options;
    private final CaptureModel model;
    private final AnalyzerAccess analyzers;
    private final ProblemReporter problems;

    /** Old-generation occupancy at which the analysis stops ({@link HeapGuard}). */
    private final double heapFull;

    /**
     * @param filter the capture filter expression, empty for every frame
     * @param ignoreChecksums count packets with invalid checksums (Zeek's {@code -C})
     */
    AnalysisJob(List<Path> captures, String filter, boolean ignoreChecksums, CaptureModel model,
            AnalyzerAccess analyzers, ProblemReporter problems) {
        this(captures, filter, ignoreChecksums, model, analyzers, problems, HeapGuard.FULL);
    }

    /** As above, stopping at another heap occupancy (tests). */
    AnalysisJob(List<Path> captures, String filter, boolean ignoreChecksums, CaptureModel model,
            AnalyzerAccess analyzers, ProblemReporter problems, double heapFull) {
        super("Analysing " + CaptureModel.name(captures) + (filter.isEmpty() ? "" : " (filter: " + filter + ")")
                + (ignoreChecksums ? " (checksums ignored)" : ""));
        this.captures = List.copyOf(captures);
        this.filter = filter;
        this.ignoreChecksums = ignoreChecksums;
        this.options = AnalysisOptions.defaults().withCaptureFilter(filter).withIgnoreChecksums(ignoreChecksums);
        this.model = model;
        this.analyzers = analyzers;
        this.problems = problems;
        this.heapFull = heapFull;
        setUser(true);
        setRule(ONE_AT_A_TIME);
    }

    List<Path> captures() {
        return captures;
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        monitor.beginTask(getName(), MonitorAdapter.TICKS);
        model.publish(new Snapshot(State.ANALYSING, captures, options, List.of(), null, ""));
        model.publishProgress(new CaptureModel.Progress(getName(), 0, -1, true));
        Collector collector = new Collector();
        try (HeapGuard heap = HeapGuard.install(heapFull)) {
            for (Path capture : captures) {
                if (!Files.isReadable(capture)) {
                    fail("Cannot read " + capture + (Files.exists(capture) ? "" : ": no such file") + ".");
                    return Status.OK_STATUS;
                }
            }
            CaptureAnalyzer analyzer = analyzers.get(10_000, monitor::isCanceled);
            if (analyzer == null && monitor.isCanceled()) {
                model.publish(new Snapshot(State.CANCELLED, captures, options, List.of(), null, "Cancelled."));
                return Status.OK_STATUS;
            } else if (analyzer == null) {
                fail(AnalyzerAccess.MISSING);
                return Status.OK_STATUS;
            }
            AnalysisResult result = analyzer.analyze(captures, options, collector,
                    new MonitorAdapter(monitor, model, heap));
            List<Session> sessions = collector.all();
            sessions.sort(BY_START);
            String message = filter.isEmpty() ? ""
                    : String.format(Locale.ROOT, "capture filter '%s': %,d of %,d frames", filter, result.frames(),
                            result.frames() + result.filteredOut());
            State state = State.DONE;
            if (result.cancelled() && heap.full() && !monitor.isCanceled()) {
                state = State.CANCELLED;
                message = String.format(Locale.ROOT, "Stopped after %,d frames: the workbench's memory is nearly full"
                        + " with %,d sessions. They are shown; %s", result.frames(), sessions.size(), MORE_MEMORY);
                problems.partial(message);
            } else if (result.cancelled()) {
                state = State.CANCELLED;
                message = "Cancelled: showing the sessions seen until then.";
            } else if (result.error() != null) {
                message = "Damaged capture: " + result.error().getMessage()
                        + ". Sessions before the damage are shown.";
            }
            // Problems that did not stop the analysis (checksum offloading, a detector that failed): after the
            // state's message, so the status line shows the most important first and its tool tip all of them.
            for (String warning : result.warnings()) {
                message = message.isEmpty() ? warning : message + " " + warning;
            }
            model.publish(new Snapshot(state, captures, options, sessions, result, message));
        } catch (IOException | IllegalArgumentException e) {
            // A capture that cannot be read, a capture filter that does not compile (CaptureFilterException).
            fail("Cannot analyse " + CaptureModel.name(captures) + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            model.publish(new Snapshot(State.CANCELLED, captures, options, List.of(), null, "Cancelled."));
        } catch (OutOfMemoryError e) {
            // The guard did not stop the analysis in time (one allocation larger than the room left, or no pool to
            // watch). The pipeline's state is garbage now; what the collector holds is still worth showing.
            outOfMemory(collector);
        } catch (RuntimeException | LinkageError e) {
            ILog.of(AnalysisJob.class).error("Analysis of " + captures + " failed", e);
            fail("The analysis of " + CaptureModel.name(captures) + " failed: " + describe(e)
                    + " (details are in the workbench log).");
        } finally {
            model.publishProgress(CaptureModel.Progress.IDLE);
            monitor.done();
        }
        return Status.OK_STATUS;
    }

    private void outOfMemory(Collector collector) {
        List<Session> seen;
        try {
            seen = collector.all();
            seen.sort(BY_START);
        } catch (OutOfMemoryError again) {
            seen = collector.closed;
        }
        String message = String.format(Locale.ROOT, "Out of memory: the analysis stopped with %,d sessions, which are"
                + " shown; %s", seen.size(), MORE_MEMORY);
        model.publish(new Snapshot(State.CANCELLED, captures, options, seen, null, message));
        problems.partial(message);
    }

    private void fail(String message) {
        model.publish(new Snapshot(State.FAILED, captures, options, List.of(), null, message));
        problems.failed(message);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * Keeps closed sessions (final) and the open ones; runs on the pipeline thread and publishes the sessions seen
     * so far at most once a second, the open ones as snapshots taken then.
     */
    private final class Collector implements SessionListener {

        private final List<Session> closed = new ArrayList<>();
        /**
         * The open sessions themselves, which only the pipeline thread changes: a snapshot of each is taken when the
         * sessions are published, not at each update (a session updated by every batch it has packets in would
         * otherwise leave a dead copy per batch, most of them in the old generation by the time they die).
         */
        private final Set<Session> open = new HashSet<>();
        private long lastPublish = System.nanoTime();

        @Override
        public void onSessions(SessionBatch batch) {
            for (Session s : batch.opened()) {
                if (!s.isClosed()) {
                    open.add(s);
                }
            }
            for (Session s : batch.closed()) {
                open.remove(s);
                closed.add(s);
            }
            long now = System.nanoTime();
            // Each interim publication copies every session (and views may re-sort them): the more sessions, the
            // rarer, so that big captures spend their time analysing (1 s, plus 1 s per 100,000 sessions).
            long interval = PUBLISH_INTERVAL_NANOS * (1 + (closed.size() + open.size()) / 100_000);
            if (now - lastPublish >= interval) {
                lastPublish = now;
                model.publish(new Snapshot(State.ANALYSING, captures, options, all(), null, ""));
            }
        }

        /** Every session so far: the closed ones, and snapshots of the open ones. Pipeline thread, or after it. */
        List<Session> all() {
            List<Session> all = new ArrayList<>(closed.size() + open.size());
            all.addAll(closed);
            for (Session s : open) {
                all.add(s.snapshot());
            }
            return all;
        }
    }
}
