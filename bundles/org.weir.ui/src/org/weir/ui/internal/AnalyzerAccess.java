package org.weir.ui.internal;

import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.weir.core.CaptureAnalyzer;

/**
 * Finds the {@link CaptureAnalyzer} DS service, waiting a little for Declarative Services to start it: a capture named
 * on the command line is opened as soon as the window shows, which on a busy machine can be before the engine's
 * components are registered.
 */
final class AnalyzerAccess {

    /** What to tell the user when {@link #get} finds none. */
    static final String MISSING = "No capture analyzer is available: the analysis engine (bundle org.weir.engine) is"
            + " not installed or did not start.";

    /** How often a wait looks whether it is still wanted. */
    private static final long SLICE_MILLIS = 100;

    private ServiceTracker<CaptureAnalyzer, CaptureAnalyzer> tracker;
    private boolean closed;

    /**
     * The analyzer, or null when none is registered within the timeout, the caller gives up ({@code cancelled}) or
     * this access is closed. The wait holds no lock, so that {@link #close} does not wait for it.
     */
    CaptureAnalyzer get(long timeoutMillis, BooleanSupplier cancelled) throws InterruptedException {
        ServiceTracker<CaptureAnalyzer, CaptureAnalyzer> t = tracker();
        if (t == null) {
            return null;
        }
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            CaptureAnalyzer analyzer = t.getService();
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (analyzer != null || left <= 0 || cancelled.getAsBoolean() || isClosed()) {
                return analyzer;
            }
            analyzer = t.waitForService(Math.min(SLICE_MILLIS, left));
            if (analyzer != null) {
                return analyzer;
            }
        }
    }

    private synchronized ServiceTracker<CaptureAnalyzer, CaptureAnalyzer> tracker() {
        if (tracker == null && !closed) {
            Bundle bundle = FrameworkUtil.getBundle(AnalyzerAccess.class);
            BundleContext context = bundle == null ? null : bundle.getBundleContext();
            if (context == null) {
                return null;
            }
            tracker = new ServiceTracker<>(context, CaptureAnalyzer.class, null);
            tracker.open();
        }
        return tracker;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    synchronized void close() {
        closed = true;
        if (tracker != null) {
            tracker.close();
            tracker = null;
        }
    }
}
