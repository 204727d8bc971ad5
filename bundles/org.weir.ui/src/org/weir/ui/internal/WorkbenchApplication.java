package org.weir.ui.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExtension;
import org.eclipse.core.runtime.IProduct;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.SWTError;
import org.eclipse.swt.widgets.Display;

/**
 * The workbench application ({@code org.weir.ui.application}): Eclipse's e4 application, started only once the window
 * system answers. A workbench that cannot start otherwise ends with status 13 and the reason in a log file of the
 * configuration folder, silent on the terminal: GTK missing, a display that cannot be opened (a remote DISPLAY whose
 * X server is gone, an {@code ssh -X} session without forwarding). Here each is one line on standard error and status
 * 1; any other failure to start is logged, and the line says where.
 */
public final class WorkbenchApplication implements IApplication {

    static final String E4_APPLICATION = "org.eclipse.e4.ui.workbench.swt.E4Application";
    static final int START_FAILED = 1;
    private static final String NAME = "weir-workbench";

    private volatile IApplication workbench;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        PrintStream err = System.err;
        String problem = openDisplay();
        if (problem != null) {
            err.println(NAME + ": " + problem);
            return START_FAILED;
        }
        try {
            workbench = e4Application();
            return workbench.start(context);
        } catch (Exception | LinkageError | AssertionError e) {
            Platform.getLog(WorkbenchApplication.class).log(Status.error("The workbench could not start", e));
            err.println(NAME + ": the workbench could not start (" + e + "); details in "
                    + Platform.getLogFileLocation());
            return START_FAILED;
        }
    }

    @Override
    public void stop() {
        IApplication running = workbench;
        if (running != null) {
            running.stop();
        }
    }

    /**
     * Opens the display the workbench will use (e4's application takes the default display, so it gets this one);
     * null when it opened, else what stops it, in a user's words.
     */
    static String openDisplay() {
        // SWT prints its own line when its GTK library does not load ("Failed to load swt-pi3, loading swt-pi4 as
        // fallback"); held back, and printed only if the display opens after all, so a failure is the one line.
        PrintStream err = System.err;
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        System.setErr(new PrintStream(held, true, Charset.defaultCharset()));
        String problem;
        try {
            // The application's name before the display exists, as e4's application sets it: it names the window's
            // class. The first use of an SWT class loads its native library.
            IProduct product = Platform.getProduct();
            if (product != null && product.getName() != null) {
                Display.setAppName(product.getName());
            }
            Display.getDefault();
            problem = null;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            problem = "cannot load GTK 3, which the window needs (" + firstReason(e.getMessage())
                    + "); install it (Debian: libgtk-3-0, libgtk-3-0t64 from Debian 13 on). 'weir analyze' needs none.";
        } catch (SWTError e) {
            String display = System.getenv("DISPLAY");
            String wayland = System.getenv("WAYLAND_DISPLAY");
            String where = display != null ? "DISPLAY=" + display
                    : wayland != null ? "WAYLAND_DISPLAY=" + wayland : "the display";
            // SWT says "No more handles [gtk_init_check() failed]" when GTK cannot connect.
            String cause = String.valueOf(e.getMessage()).contains("gtk_init_check") ? "GTK could not connect to it"
                    : e.getMessage();
            problem = "cannot open " + where + " (" + cause + "); is its server running, and may this user connect to"
                    + " it (xauth)? 'weir analyze' needs no display.";
        } finally {
            System.setErr(err);
        }
        if (problem == null) {
            err.print(held.toString(Charset.defaultCharset()));
        }
        return problem;
    }

    /**
     * The first reason in SWT's "Could not load SWT library. Reasons: ..." that names a library: the native library's
     * own path before it is left out, so what remains is the dependency that failed and why.
     */
    static String firstReason(String message) {
        if (message == null) {
            return "no reason given";
        }
        for (String line : message.split("\n")) {
            String reason = line.strip();
            int own = reason.indexOf(".so: ");
            if (own >= 0) { // "PATH/libswt-….so: DEPENDENCY: WHY"
                return reason.substring(own + ".so: ".length());
            }
        }
        String first = message.strip();
        int end = first.indexOf('\n');
        return end < 0 ? first : first.substring(0, end);
    }

    /** e4's application, found in the extension registry by its id (its class is internal to its bundle). */
    private static IApplication e4Application() throws CoreException {
        IExtension extension = Platform.getExtensionRegistry().getExtension("org.eclipse.core.runtime.applications",
                E4_APPLICATION);
        if (extension != null) {
            for (IConfigurationElement application : extension.getConfigurationElements()) {
                for (IConfigurationElement run : application.getChildren("run")) {
                    return (IApplication) run.createExecutableExtension("class");
                }
            }
        }
        throw new CoreException(Status.error("no application " + E4_APPLICATION
                + " in the installation (is the bundle org.eclipse.e4.ui.workbench.swt missing?)"));
    }
}
