package org.weir.ui;

import org.eclipse.core.runtime.jobs.Job;

/**
 * A job of the workbench that reads captures or writes files: analyses and exports. When the workbench closes it
 * cancels the jobs of this {@link #FAMILY} and lets them end (a few seconds at most), so that a file being written is
 * removed by its job instead of being left cut wherever the JVM stopped, and no job outlives the platform. A view
 * bundle's job of that kind extends this class.
 */
public abstract class WorkbenchJob extends Job {

    /** The family of these jobs ({@link Job#belongsTo}), which closing the workbench cancels and waits for. */
    public static final Object FAMILY = WorkbenchJob.class;

    protected WorkbenchJob(String name) {
        super(name);
    }

    @Override
    public boolean belongsTo(Object family) {
        return family == FAMILY;
    }
}
