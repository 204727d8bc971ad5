package org.weir.ui.internal;

import org.eclipse.core.runtime.IProgressMonitor;
import org.weir.core.ProgressMonitor;
import org.weir.ui.CaptureModel;

/**
 * Adapts an Eclipse {@link IProgressMonitor} (the Job's) to Weir's {@link ProgressMonitor}: progress goes to the
 * Job's monitor in {@value #TICKS} ticks and, for an analysis, to the workbench status line; cancelling the Job
 * cancels the work, and so does a full heap ({@link HeapGuard}) an analysis.
 */
final class MonitorAdapter implements ProgressMonitor {

    static final int TICKS = 10_000;

    private final IProgressMonitor monitor;
    private final CaptureModel model;
    private final HeapGuard heap;
    private int ticksDone;
    private long lastPublish;

    /** For work other than an analysis: the job's own progress, which {@link JobProgress} shows. */
    MonitorAdapter(IProgressMonitor monitor) {
        this(monitor, null, null);
    }

    MonitorAdapter(IProgressMonitor monitor, CaptureModel model, HeapGuard heap) {
        this.monitor = monitor;
        this.model = model;
        this.heap = heap;
    }

    @Override
    public void progress(String task, long done, long total) {
        if (total > 0) {
            int ticks = (int) Math.min(TICKS, done * TICKS / total);
            if (ticks > ticksDone) {
                monitor.worked(ticks - ticksDone);
                ticksDone = ticks;
            }
        }
        long now = System.nanoTime();
        if (now - lastPublish > 50_000_000L) {
            lastPublish = now;
            monitor.subTask(task);
            if (model != null) {
                model.publishProgress(new CaptureModel.Progress(task, done, total, true));
            }
        }
    }

    @Override
    public boolean isCancelled() {
        return monitor.isCanceled() || heap != null && heap.full();
    }
}
