package org.weir.ui.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
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
 * model instead, with the frames and sessions it has done.
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

    private final List<Task> running = new CopyOnWriteArrayList<>();
    private final Runnable changed;
    private final IJobChangeListener ended = new JobChangeAdapter() {
        @Override
        public void done(IJobChangeEvent event) {
            if (running.removeIf(t -> t.job == event.getJob())) {
                changed.run();
            }
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
        running.add(task);
        changed.run();
        return task;
    }

    /** The task started last of those running, or null. */
    Task current() {
        List<Task> now = List.copyOf(running);
        return now.isEmpty() ? null : now.get(now.size() - 1);
    }
}
