package org.weir.ui.internal;

import java.io.IOException;
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

/**
 * Writes the packets of sessions of the captures shown ({@link org.weir.ui.SessionPackets}) through the
 * {@link CaptureAnalyzer} service, reading the captures again with the options of their analysis.
 */
final class PacketExportJob extends AnalyzerJob {

    private final List<Path> captures;
    private final AnalysisOptions options;
    private final List<Session> sessions;
    private final Path file;

    /** @param options those of the analysis that made the sessions */
    PacketExportJob(List<Path> captures, AnalysisOptions options, List<Session> sessions, Path file,
            AnalyzerAccess analyzers, ProblemReporter problems) {
        super(taskName(sessions.size(), file), analyzers, problems);
        this.captures = List.copyOf(captures);
        this.options = options;
        this.sessions = sessions;
        this.file = file;
    }

    /** "Exporting the packets of 12 sessions to dns.pcap": the job's name. */
    static String taskName(int sessions, Path file) {
        return String.format(Locale.ROOT, "Exporting the packets of %,d %s to %s", sessions,
                sessions == 1 ? "session" : "sessions", file.getFileName());
    }

    @Override
    IStatus run(CaptureAnalyzer analyzer, IProgressMonitor monitor) throws IOException {
        // Here rather than on the UI thread: a million sessions' uids take a while to make.
        Set<String> uids = new HashSet<>(sessions.size() * 2);
        for (Session s : sessions) {
            uids.add(s.uid());
        }
        PacketExportResult result = analyzer.exportPackets(captures, options, uids, file, new MonitorAdapter(monitor));
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
    }

    @Override
    String cannot() {
        return "Cannot export the packets to " + file;
    }
}
