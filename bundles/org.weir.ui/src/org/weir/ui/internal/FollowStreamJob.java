package org.weir.ui.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.FollowedStream;
import org.weir.core.Session;
import org.weir.ui.CaptureModel;

/**
 * Reads the data of a session of the captures shown ({@link org.weir.ui.SessionPackets#follow}) through the
 * {@link CaptureAnalyzer} service, reading the captures again with the options of their analysis.
 */
final class FollowStreamJob extends AnalyzerJob {

    private final List<Path> captures;
    private final AnalysisOptions options;
    private final Session session;
    private final long maxBytes;
    private final Consumer<FollowedStream> shown;

    /** @param options those of the analysis that made the session */
    FollowStreamJob(List<Path> captures, AnalysisOptions options, Session session, long maxBytes,
            Consumer<FollowedStream> shown, AnalyzerAccess analyzers, ProblemReporter problems) {
        super("Following session " + session.uid(), analyzers, problems);
        this.captures = List.copyOf(captures);
        this.options = options;
        this.session = session;
        this.maxBytes = maxBytes;
        this.shown = shown;
    }

    @Override
    IStatus run(CaptureAnalyzer analyzer, IProgressMonitor monitor) throws IOException {
        FollowedStream stream = analyzer.followStream(captures, options, session.uid(), maxBytes,
                new MonitorAdapter(monitor));
        if (stream.cancelled()) {
            return Status.CANCEL_STATUS;
        }
        if (stream.session() == null) {
            problems.failed(String.format(Locale.ROOT, "Session %s was not found in %s (has it changed since it was"
                    + " analysed?)%s.", session.uid(), CaptureModel.name(captures),
                    stream.error() == null ? "" : "; it is damaged: " + stream.error().getMessage()));
            return Status.OK_STATUS;
        }
        if (stream.error() != null) {
            problems.partial("Damaged capture: " + stream.error().getMessage() + ". The session's data before the"
                    + " damage is shown.");
        }
        shown.accept(stream);
        return new Status(IStatus.OK, FollowStreamJob.class, String.format(Locale.ROOT,
                "Session %s: %,d bytes from the originator, %,d from the responder", session.uid(),
                stream.origBytes(), stream.respBytes()));
    }

    @Override
    String cannot() {
        return "Cannot follow session " + session.uid();
    }
}
