package org.weir.ui.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.jobs.IJobManager;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.weir.ui.CaptureModel;
import org.weir.ui.SessionPackets;
import org.weir.ui.WorkbenchJob;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * Sets up the shared state in the application context ({@link CaptureModel}, {@link CaptureController} also as
 * {@link SessionPackets}), names the open captures in the window's title ({@link WindowTitle}), opens the captures
 * named on the command line once the UI is up, and those dropped onto the window ({@link CaptureDrop}).
 */
public final class WeirAddon {

    static final String MAIN_WINDOW = "org.weir.ui.window.main";

    private CaptureController controller;

    @PostConstruct
    void init(IEclipseContext context, UISynchronize sync, MApplication app, EModelService models) {
        ServiceLoaderBridge.initialiseEclipseCollections();
        Display display = Display.getCurrent();
        CaptureModel model = new CaptureModel(runnable -> {
            if (display != null && !display.isDisposed()) {
                try {
                    display.asyncExec(runnable);
                } catch (SWTException closedMeanwhile) {
                    // The workbench is shutting down: nobody is left to tell.
                }
            }
        });
        controller = new CaptureController(model, new ProblemReporter() {
            @Override
            public void failed(String message) {
                sync.asyncExec(() -> show(MessageDialog.ERROR, message));
            }

            @Override
            public void partial(String message) {
                sync.asyncExec(() -> show(MessageDialog.WARNING, message));
            }
        });
        MWindow window = models.find(MAIN_WINDOW, app) instanceof MWindow w ? w : null;
        if (window != null) {
            model.addListener(new WindowTitle(window));
        }
        context.set(CaptureModel.class, model);
        context.set(CaptureController.class, controller);
        context.set(SessionPackets.class, controller);

        String[] args = applicationArgs(context);
        CaptureArgs.displayFilter(args).ifPresent(model::setDisplayFilter);
        List<Path> captures = CaptureArgs.captures(args);
        String filter = CaptureArgs.filter(args).orElse(null);
        boolean ignoreChecksums = CaptureArgs.ignoreChecksums(args);
        // Runs once the event loop starts, i.e. after the window and its views have been created.
        sync.asyncExec(() -> {
            if (window != null && window.getWidget() instanceof Shell shell && !shell.isDisposed()) {
                CaptureDrop.install(shell, controller);
            }
            if (!captures.isEmpty()) {
                controller.open(captures, filter, ignoreChecksums);
            }
        });
    }

    /** How long closing the workbench waits for its cancelled jobs to end. */
    private static final long JOBS_END_MILLIS = 5_000;

    @PreDestroy
    void dispose() {
        endJobs(JOBS_END_MILLIS);
        if (controller != null) {
            controller.dispose();
        }
    }

    /**
     * Cancels the analyses and exports under way ({@link WorkbenchJob}) and waits, a few seconds at most, until they
     * have ended: an export removes its unfinished file, which the JVM's exit would have left cut. Their results go
     * to the display with asyncExec only, so the UI thread may wait for them.
     */
    static void endJobs(long timeoutMillis) {
        IJobManager jobs = Job.getJobManager();
        jobs.cancel(WorkbenchJob.FAMILY);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        for (Job job : jobs.find(WorkbenchJob.FAMILY)) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            try {
                job.join(left, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String[] applicationArgs(IEclipseContext context) {
        IApplicationContext app = context.get(IApplicationContext.class);
        if (app != null) {
            Map<?, ?> arguments = app.getArguments();
            Object args = arguments == null ? null : arguments.get(IApplicationContext.APPLICATION_ARGS);
            if (args instanceof String[] a) {
                return a;
            }
        }
        return Platform.getApplicationArgs();
    }

    /** A dialog with an error icon, or a warning one for a result that is shown in part. */
    private static void show(int kind, String message) {
        Display display = Display.getCurrent();
        if (display == null || display.isDisposed()) {
            return;
        }
        Shell parent = display.getActiveShell();
        MessageDialog.open(kind, parent, "Weir", message, SWT.NONE);
    }
}
