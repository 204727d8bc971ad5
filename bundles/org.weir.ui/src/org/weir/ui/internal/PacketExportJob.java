package org.weir.ui.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.PacketExportResult;
import org.weir.core.Session;
import org.weir.ui.CaptureModel;
import org.weir.ui.WorkbenchJob;

/**
 * Writes the packets of sessions of the captures shown ({@link org.weir.ui.SessionPackets}) through the
 * {@link CaptureAnalyzer} service, reading the captures again with the options of their analysis.
 */
final class PacketExportJob extends WorkbenchJob {

    private final List<Path> captures;
    private final AnalysisOptions options;
    private final List<Session> sessions;
    private final Path file;
    private final AnalyzerAccess analyzers;
    private final ProblemReporter problems;

    /** @param options those of the analysis that made the sessions */
    PacketExportJob(List<Path> captures, AnalysisOptions options, List<Session> sessions, Path file,
            AnalyzerAccess analyzers, ProblemReporter problems) {
        super(taskName(sessions.size(), file));
        this.captures = List.copyOf(captures);
        this.options = options;
        this.sessions = sessions;
        this.file = file;
        this.analyzers = analyzers;
        this.problems = problems;
        setUser(true);
    }

    /** "Exporting the packets of 12 sessions to dns.pcap": the job's name. */
    static String taskName(int sessions, Path file) {
        return String.format(Locale.ROOT, "Exporting the packets of %,d %s to %s", sessions,
                sessions == 1 ? "session" : "sessions", file.getFileName());
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        monitor.beginTask(getName(), MonitorAdapter.TICKS);
        try {
            // Here rather than on the UI thread: a million sessions' uids take a while to make.
            Set<String> uids = new HashSet<>(sessions.size() * 2);
            for (Session s : sessions) {
                uids.add(s.uid());
            }
            CaptureAnalyzer analyzer = analyzers.get(10_000, monitor::isCanceled);
            if (analyzer == null && monitor.isCanceled()) {
                return Status.CANCEL_STATUS;
            } else if (analyzer == null) {
                problems.failed(AnalyzerAccess.MISSING);
                return Status.OK_STATUS;
            }
            PacketExportResult result = analyzer.exportPackets(captures, options, uids, file,
                    new MonitorAdapter(monitor));
            if (result.cancelled()) {
                return Status.CANCEL_STATUS;
            }
            if (result.error() != null) {
                problems.partial(String.format(Locale.ROOT, "Damaged capture: %s. The %,d packets before the damage"
                        + " were written to %s.", result.error().getMessage(), result.frames(), file));
            } else if (result.sessions() < uids.size()) {
                problems.partial(String.format(Locale.ROOT, "Only %,d of the %,d sessions were found in %s (has it"
                        + " changed since it was analysed?); their %,d packets were written to %s.", result.sessions(),
                        uids.size(), CaptureModel.name(captures), result.frames(), file));
            }
            return new Status(IStatus.OK, PacketExportJob.class, String.format(Locale.ROOT,
                    "Wrote %,d %s of %,d %s to %s", result.frames(), result.frames() == 1 ? "packet" : "packets",
                    result.sessions(), result.sessions() == 1 ? "session" : "sessions", file.getFileName()));
        } catch (IllegalArgumentException e) {
            problems.failed("Cannot export the packets to " + file + ": " + e.getMessage() + ".");
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or folder" : String.valueOf(e.getMessage());
            problems.failed("Cannot export the packets to " + file + ": " + reason + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.CANCEL_STATUS;
        } finally {
            monitor.done();
        }
        return Status.OK_STATUS;
    }
}
