package org.weir.ui.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.core.runtime.jobs.ProgressProvider;

/**
 * The progress of the workbench's user jobs other than the analysis (exporting, copying rows: any bundle's
 * {@link Job#setUser(boolean) user} job): as the job manager's progress provider it gives each such job a monitor that
 * the status line reads a few times a second and cancels from its Cancel button. An e4 application has no progress
 * view, so without this such work would run unseen and could not be stopped. The analysis reports through the capture
 * model instead, with the frames and sessions it has done. What a job that ended well says it did (its OK status's
 * message, "Wrote 77 packets of 2 sessions to dns.pcap") is kept for {@value #RESULT_SHOWN_MS} ms, or until the next
 * job starts.
 */
final class JobProgress extends ProgressProvider {

    /** A user job's monitor. Written by the job's thread, read by the UI thread. */
    static final class Task extends NullProgressMonitor {

        final Job job;
        private volatile String name;
        private volatile int total = UNKNOWN;
        private volatile double worked;

        Task(Job job) {
            this.job = job;
            this.name = job.getName();
        }

        @Override
        public void beginTask(String task, int totalWork) {
            if (task != null && !task.isEmpty()) {
                name = task;
            }
            total = totalWork;
        }

        @Override
        public void setTaskName(String task) {
            if (task != null && !task.isEmpty()) {
                name = task;
            }
        }

        @Override
        public void worked(int work) {
            internalWorked(work);
        }

        @Override
        public void internalWorked(double work) {
            worked += work; // one writer: the job's thread
        }

        String name() {
            return name;
        }

        /** The share done, 0 to 1; negative when the job does not say. */
        double fraction() {
            int t = total;
            return t > 0 ? Math.min(1, worked / t) : -1;
        }
    }

    /** How long what a finished job did stays shown. */
    static final int RESULT_SHOWN_MS = 10_000;

    private final List<Task> running = new CopyOnWriteArrayList<>();
    private final Runnable changed;
    private volatile String result;
    private volatile long resultAt;
    private final IJobChangeListener ended = new JobChangeAdapter() {
        @Override
        public void done(IJobChangeEvent event) {
            Task task = running.stream().filter(t -> t.job == event.getJob()).findFirst().orElse(null);
            if (task == null) {
                return;
            }
            // Noted before the task goes, so that the line never shows neither. Status.OK_STATUS says "OK", which
            // tells nobody anything.
            IStatus status = event.getResult();
            if (status != null && status.isOK() && status != Status.OK_STATUS && !status.getMessage().isEmpty()) {
                resultAt = System.nanoTime();
                result = status.getMessage();
            }
            running.remove(task);
            changed.run();
        }
    };

    /** @param changed told, on the thread of the job, when a task starts or ends */
    JobProgress(Runnable changed) {
        this.changed = changed;
    }

    /** Becomes the job manager's progress provider. */
    void install() {
        Job.getJobManager().addJobChangeListener(ended);
        Job.getJobManager().setProgressProvider(this);
    }

    void uninstall() {
        Job.getJobManager().setProgressProvider(null);
        Job.getJobManager().removeJobChangeListener(ended);
        running.clear();
    }

    @Override
    public IProgressMonitor createMonitor(Job job) {
        if (!job.isUser() || job instanceof AnalysisJob) {
            return new NullProgressMonitor();
        }
        Task task = new Task(job);
        result = null;
        running.add(task);
        changed.run();
        return task;
    }

    /** What the user job that ended last did, while it is shown; else null. */
    String recentResult() {
        String r = result;
        return r != null && System.nanoTime() - resultAt < RESULT_SHOWN_MS * 1_000_000L ? r : null;
    }

    /** The task started last of those running, or null. */
    Task current() {
        List<Task> now = List.copyOf(running);
        return now.isEmpty() ? null : now.get(now.size() - 1);
    }
}
