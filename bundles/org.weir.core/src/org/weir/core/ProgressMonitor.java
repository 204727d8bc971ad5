package org.weir.core;

/** Progress and cancellation for long work, adapted to Eclipse Jobs in the workbench and a terminal line in the CLI. */
public interface ProgressMonitor {

    ProgressMonitor NONE = new ProgressMonitor() {
        @Override
        public void progress(String task, long done, long total) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };

    /** Reports {@code done} units of {@code total} (-1 when unknown) for the named task. Called often: keep it cheap. */
    void progress(String task, long done, long total);

    boolean isCancelled();
}
