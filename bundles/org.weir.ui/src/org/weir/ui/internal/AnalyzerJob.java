package org.weir.ui.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.weir.core.CaptureAnalyzer;
import org.weir.ui.WorkbenchJob;

/**
 * A user job that reads the captures shown again through the {@link CaptureAnalyzer} service (an export of packets,
 * Follow Stream): waits for the service as long as it may take to come (cancellable), and turns a problem with the
 * input or the output into a message box that says what could not be done and why.
 */
abstract class AnalyzerJob extends WorkbenchJob {

    private final AnalyzerAccess analyzers;
    final ProblemReporter problems;

    AnalyzerJob(String name, AnalyzerAccess analyzers, ProblemReporter problems) {
        super(name);
        this.analyzers = analyzers;
        this.problems = problems;
        setUser(true);
    }

    @Override
    protected final IStatus run(IProgressMonitor monitor) {
        monitor.beginTask(getName(), MonitorAdapter.TICKS);
        try {
            CaptureAnalyzer analyzer = analyzers.get(10_000, monitor::isCanceled);
            if (analyzer == null && monitor.isCanceled()) {
                return Status.CANCEL_STATUS;
            } else if (analyzer == null) {
                problems.failed(AnalyzerAccess.MISSING);
                return Status.OK_STATUS;
            }
            return run(analyzer, monitor);
        } catch (IllegalArgumentException e) {
            problems.failed(cannot() + ": " + e.getMessage() + ".");
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or folder" : String.valueOf(e.getMessage());
            problems.failed(cannot() + ": " + reason + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.CANCEL_STATUS;
        } finally {
            monitor.done();
        }
        return Status.OK_STATUS;
    }

    /** The work, with the service; problems it reports itself, or throws as arguments or input and output. */
    abstract IStatus run(CaptureAnalyzer analyzer, IProgressMonitor monitor) throws IOException;

    /** What could not be done, for the message box: "Cannot export the packets to dns.pcap". */
    abstract String cannot();
}
