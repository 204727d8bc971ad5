package org.weir.cli.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.weir.core.CaptureAnalyzer;

/**
 * The headless {@code weir} application ({@code org.weir.cli.weir}). Finds the pipeline through the service
 * registry (Declarative Services wires it), runs the command and returns its exit code as the process's.
 */
public final class WeirApplication implements IApplication {

    private static final long SERVICE_WAIT_MILLIS = 20_000;

    /** System property: the old generation's soft target in MiB ({@link SoftHeapTarget}); 0 turns it off. */
    static final String OLD_GENERATION_TARGET_MB = "weir.oldGenerationTargetMB";
    static final long DEFAULT_OLD_GENERATION_TARGET_MB = 200;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] raw = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        List<String> args = new ArrayList<>(raw == null ? List.of() : Arrays.asList(raw));
        context.applicationRunning();
        if (SoftHeapTarget.collectorGrowsOldGeneration()) {
            SoftHeapTarget.install(Long.getLong(OLD_GENERATION_TARGET_MB, DEFAULT_OLD_GENERATION_TARGET_MB) << 20);
        }
        // Standard output through a stream that keeps its errors (System.out keeps them to itself); System.out
        // becomes its print stream, so that nothing printed elsewhere overtakes what is buffered there.
        Console console = Console.over(new FileOutputStream(FileDescriptor.out), System.out.charset(), System.err,
                "weir");
        System.setOut(console.out());
        // A failure on another thread (a full heap reaches them all) is one line, as on the command's own thread.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> console.error(
                "internal error in thread '" + thread.getName() + "': " + Weir.describe(e)));
        Bundle bundle = FrameworkUtil.getBundle(WeirApplication.class);
        BundleContext bc = bundle.getBundleContext();
        ServiceTracker<CaptureAnalyzer, CaptureAnalyzer> tracker = new ServiceTracker<>(bc, CaptureAnalyzer.class, null);
        tracker.open();
        try {
            CaptureAnalyzer analyzer = tracker.waitForService(SERVICE_WAIT_MILLIS);
            if (analyzer == null) {
                console.error("internal error: the analysis pipeline did not start (no CaptureAnalyzer service);"
                        + " is a bundle of the installation missing?");
                return ExitCodes.IO_ERROR;
            }
            Weir weir = new Weir(List.of(new AnalyzeCommand(analyzer), new CheckCommand(analyzer),
                    new FollowCommand(analyzer),
                    new IntelCommand(() -> (org.weir.intel.AddressIntel) optionalService(bc,
                            "org.weir.intel.AddressIntel")),
                    new DetectorsCommand(analyzer),
                    new AnomalyEvalCommand(() -> optionalService(bc, "org.weir.detect.eif.AnomalyService"))),
                    bundle.getVersion().toString());
            int code = weir.run(args, console);
            System.out.flush();
            System.err.flush();
            return code;
        } finally {
            tracker.close();
        }
    }

    /** A service that an optional bundle provides, waiting briefly for DS to register it; null when absent. */
    private static Object optionalService(BundleContext bc, String type) {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(bc, bc.createFilter("(objectClass=" + type + ")"), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(type, e);
        }
        tracker.open(true);
        try {
            return tracker.waitForService(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            tracker.close();
        }
    }

    @Override
    public void stop() {
        // The command runs to completion; Ctrl-C is handled by the command itself.
    }
}
