package org.weir.ui.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.core.runtime.jobs.Job;
import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.FollowedStream;
import org.weir.core.Session;
import org.weir.ui.CaptureModel;
import org.weir.ui.CaptureModel.Snapshot;
import org.weir.ui.CaptureModel.State;
import org.weir.ui.SessionPackets;

/**
 * Starts and cancels analyses of captures; one at a time (opening a capture cancels the running analysis). Several
 * captures are analysed merged by time; File › Merge Capture… adds captures to those shown ({@link #merge}). Remembers
 * the last capture filter and whether checksums were ignored, which File › Open Capture… offers again, and the
 * captures opened lately, which File › Open Recent lists ({@link RecentCaptures}). Exports the packets of sessions
 * of the capture shown ({@link PacketExportJob}) and the data of one ({@link FollowStreamJob}).
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
        open(List.of(capture), null, false);
    }

    /**
     * Analyses the frames of the captures, merged by time, that the filter accepts.
     *
     * @param filter a capture filter expression in tcpdump's syntax; null or blank for every frame
     * @param ignoreChecksums count packets with invalid checksums (Zeek's {@code -C})
     */
    public synchronized void open(List<Path> captures, String filter, boolean ignoreChecksums) {
        if (current != null) {
            current.cancel();
        }
        lastFilter = filter == null ? "" : filter.strip();
        lastIgnoreChecksums = ignoreChecksums;
        List<Path> files = captures.stream().map(c -> c.toAbsolutePath().normalize()).toList();
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                recent.add(file); // not a file that is not there: its failure is reported, and it is not listed
            }
        }
        current = new AnalysisJob(files, lastFilter, ignoreChecksums, model, analyzers, problems);
        current.schedule();
    }

    /**
     * Analyses the captures shown together with {@code more}, merged by time, with the capture filter and checksums
     * of the analysis shown (as Wireshark's File › Merge adds a file to the one open). Captures already shown are
     * not added twice.
     *
     * @return whether there was anything to add
     */
    public synchronized boolean merge(List<Path> more) {
        List<Path> merged = new ArrayList<>(model.snapshot().captures());
        for (Path p : more) {
            Path file = p.toAbsolutePath().normalize();
            if (!merged.contains(file) && CaptureAnalyzer.captureAt(file, merged) == null) {
                merged.add(file);
            }
        }
        if (merged.size() == model.snapshot().captures().size()) {
            return false;
        }
        open(merged, lastFilter, lastIgnoreChecksums);
        return true;
    }

    /** Whether File › Merge Capture… can add to the captures shown. */
    public boolean canMerge() {
        return analysedFilesShown();
    }

    @Override
    public Job export(Collection<Session> sessions, Path file) {
        Snapshot shown = model.snapshot();
        if (shown.captures().isEmpty() || shown.options() == null) {
            return null;
        }
        Job job = new PacketExportJob(shown.captures(), optionsOfSessionsShown(shown), List.copyOf(sessions), file,
                analyzers, problems);
        job.schedule();
        return job;
    }

    @Override
    public Job follow(Session session, long maxBytes, Consumer<FollowedStream> shown) {
        Snapshot now = model.snapshot();
        if (now.captures().isEmpty() || now.options() == null) {
            return null;
        }
        Job job = new FollowStreamJob(now.captures(), optionsOfSessionsShown(now), session, maxBytes, shown,
                analyzers, problems);
        job.schedule();
        return job;
    }

    @Override
    public boolean canExport() {
        return analysedFilesShown();
    }

    /**
     * The options that made the sessions shown: an analysis stopped early made its sessions of the frames before the
     * stop, so reading the captures again stops there too.
     */
    private static AnalysisOptions optionsOfSessionsShown(Snapshot shown) {
        return shown.state() == State.CANCELLED && shown.result() != null && shown.result().frames() > 0
                ? shown.options().withFrameLimit(shown.result().frames()) : shown.options();
    }

    /** Whether captures are shown whose analysis has ended, all of them files (which can be read again). */
    private boolean analysedFilesShown() {
        Snapshot shown = model.snapshot();
        return (shown.state() == State.DONE || shown.state() == State.CANCELLED) && !shown.captures().isEmpty()
                && shown.captures().stream().allMatch(Files::isRegularFile);
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

    /** Stops the analysis under way and lets it end (briefly) before the analyzer service it uses is let go. */
    public void dispose() {
        cancel();
        try {
            join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        analyzers.close();
    }
}
