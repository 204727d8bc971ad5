package org.weir.ui;

/**
 * The workbench's jobs that read captures or write files: analyses and exports. When the workbench closes it cancels
 * them and lets them end (a few seconds at most), so that a file being written is removed by its job instead of being
 * left cut wherever the JVM stopped, and no job outlives the platform. A view bundle's job of that kind answers
 * {@code belongsTo(WorkbenchJobs.FAMILY)} with true.
 */
public final class WorkbenchJobs {

    /** The jobs' family ({@link org.eclipse.core.runtime.jobs.Job#belongsTo}). */
    public static final Object FAMILY = WorkbenchJobs.class;

    private WorkbenchJobs() {
    }
}
