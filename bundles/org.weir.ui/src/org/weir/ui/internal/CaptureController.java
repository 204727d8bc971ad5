package org.weir.ui.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

import org.eclipse.core.runtime.jobs.Job;
import org.weir.core.AnalysisOptions;
import org.weir.core.Session;
import org.weir.ui.CaptureModel;
import org.weir.ui.CaptureModel.Snapshot;
import org.weir.ui.CaptureModel.State;
import org.weir.ui.SessionPackets;

/**
 * Starts and cancels analyses of captures; one at a time (opening a capture cancels the running analysis). Remembers
 * the last capture filter and whether checksums were ignored, which File › Open Capture… offers again, and the
 * captures opened lately, which File › Open Recent lists ({@link RecentCaptures}). Exports the packets of sessions
 * of the capture shown ({@link PacketExportJob}).
 */
public final class CaptureController implements SessionPackets {

    private final CaptureModel model;
    private final ProblemReporter problems;
    private final AnalyzerAccess analyzers = new AnalyzerAccess();
    private final RecentCaptures recent = new RecentCaptures();
    private AnalysisJob current;
    private String lastFilter = "";
    private boolean lastIgnoreChecksums;

    public CaptureController(CaptureModel model, ProblemReporter problems) {
        this.model = model;
        this.problems = problems;
    }

    /** Analyses every frame of the capture, verifying checksums. */
    public void open(Path capture) {
        open(capture, null, false);
    }

    /**
     * Analyses the frames of the capture that the filter accepts.
     *
     * @param filter a capture filter expression in tcpdump's syntax; null or blank for every frame
     * @param ignoreChecksums count packets with invalid checksums (Zeek's {@code -C})
     */
    public synchronized void open(Path capture, String filter, boolean ignoreChecksums) {
        if (current != null) {
            current.cancel();
        }
        lastFilter = filter == null ? "" : filter.strip();
        lastIgnoreChecksums = ignoreChecksums;
        Path file = capture.toAbsolutePath().normalize();
        if (Files.isRegularFile(file)) {
            recent.add(file); // not a file that is not there: its failure is reported, and it is not listed
        }
        current = new AnalysisJob(file, lastFilter, ignoreChecksums, model, analyzers, problems);
        current.schedule();
    }

    @Override
    public Job export(Collection<Session> sessions, Path file) {
        Snapshot shown = model.snapshot();
        if (shown.capture() == null || shown.options() == null) {
            return null;
        }
        // An analysis stopped early made its sessions of the frames before the stop: so does the export.
        AnalysisOptions options = shown.state() == State.CANCELLED && shown.result() != null
                && shown.result().frames() > 0 ? shown.options().withFrameLimit(shown.result().frames())
                        : shown.options();
        Job job = new PacketExportJob(shown.capture(), options, List.copyOf(sessions), file, analyzers, problems);
        job.schedule();
        return job;
    }

    @Override
    public boolean canExport() {
        Snapshot shown = model.snapshot();
        return (shown.state() == State.DONE || shown.state() == State.CANCELLED) && shown.capture() != null
                && Files.isRegularFile(shown.capture());
    }

    /** The captures opened lately, newest first. */
    public List<Path> recentCaptures() {
        return recent.list();
    }

    /** The capture filter of the last capture opened, empty for none. */
    public synchronized String lastFilter() {
        return lastFilter;
    }

    /** Whether the last capture opened was analysed with checksums ignored. */
    public synchronized boolean lastIgnoreChecksums() {
        return lastIgnoreChecksums;
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
