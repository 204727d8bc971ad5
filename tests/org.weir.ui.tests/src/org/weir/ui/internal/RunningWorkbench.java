package org.weir.ui.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.e4.ui.internal.workbench.swt.E4Application;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The real Weir workbench (the e4 application with Application.e4xmi and every model fragment installed), started
 * on its own UI thread as the product starts it, with the given program arguments.
 */
final class RunningWorkbench implements AutoCloseable {

    private final Thread uiThread;
    private final CompletableFuture<Object> exit = new CompletableFuture<>();
    private final ServiceTracker<IWorkbench, IWorkbench> workbenches;

    private RunningWorkbench(String... args) {
        BundleContext bc = FrameworkUtil.getBundle(RunningWorkbench.class).getBundleContext();
        workbenches = new ServiceTracker<>(bc, IWorkbench.class, null);
        workbenches.open();
        // The properties of the product extension org.weir.ui.workbench, as the launcher would pass them.
        String[] productArgs = {"-applicationXMI", "org.weir.ui/Application.e4xmi", "-cssTheme",
                "org.weir.ui.theme.default", "-persistState", "false", "-clearPersistedState"};
        String[] appArgs = new String[productArgs.length + args.length];
        System.arraycopy(productArgs, 0, appArgs, 0, productArgs.length);
        System.arraycopy(args, 0, appArgs, productArgs.length, args.length);
        uiThread = new Thread(() -> {
            try {
                exit.complete(new E4Application().start(new Context(appArgs)));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "weir-workbench-ui");
        uiThread.setDaemon(true);
        uiThread.start();
    }

    static RunningWorkbench start(String... args) {
        return new RunningWorkbench(args);
    }

    /** The workbench once its model is loaded and rendered. */
    IWorkbench workbench(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (exit.isDone()) {
                throw new AssertionError("the workbench ended during start-up with " + exit.getNow(null), failure());
            }
            IWorkbench wb = workbenches.waitForService(200);
            if (wb != null && wb.getApplication() != null && display() != null) {
                return wb;
            }
        }
        throw new AssertionError("the workbench did not start within " + timeout);
    }

    Display display() {
        return Display.findDisplay(uiThread);
    }

    /** Runs on the UI thread and returns the result. */
    <T> T ui(Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> error = new AtomicReference<>();
        display().syncExec(() -> {
            try {
                result.set(work.call());
            } catch (Exception e) {
                error.set(e);
            }
        });
        if (error.get() != null) {
            throw error.get();
        }
        return result.get();
    }

    private Throwable failure() {
        try {
            exit.getNow(null);
            return null;
        } catch (Exception e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            IWorkbench wb = workbenches.getService();
            Display d = display();
            if (wb != null && d != null && !d.isDisposed()) {
                d.syncExec(wb::close);
            }
            Object code = exit.get(60, TimeUnit.SECONDS);
            if (!IApplication.EXIT_OK.equals(code)) {
                throw new AssertionError("the workbench exited with " + code);
            }
        } finally {
            workbenches.close();
        }
    }

    /** What the launcher gives an application: its arguments; no branding beyond the application model. */
    private record Context(String[] args) implements IApplicationContext {

        @Override
        public Map<String, Object> getArguments() {
            return Map.of(IApplicationContext.APPLICATION_ARGS, args);
        }

        @Override
        public void applicationRunning() {
        }

        @Override
        public String getBrandingApplication() {
            return "org.eclipse.e4.ui.workbench.swt.E4Application";
        }

        @Override
        public String getBrandingName() {
            return "Weir";
        }

        @Override
        public String getBrandingDescription() {
            return null;
        }

        @Override
        public String getBrandingId() {
            return "org.weir.ui.workbench";
        }

        @Override
        public String getBrandingProperty(String key) {
            return null;
        }

        @Override
        public Bundle getBrandingBundle() {
            return FrameworkUtil.getBundle(org.weir.ui.CaptureModel.class);
        }

        @Override
        public void setResult(Object result, IApplication application) {
        }
    }
}
