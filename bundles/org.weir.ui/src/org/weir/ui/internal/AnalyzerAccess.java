package org.weir.ui.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.weir.core.CaptureAnalyzer;

/** Finds the {@link CaptureAnalyzer} DS service, waiting a little for Declarative Services to start it. */
final class AnalyzerAccess {

    /** What to tell the user when {@link #get} finds none. */
    static final String MISSING = "No capture analyzer is available: the analysis engine (bundle org.weir.engine) is"
            + " not installed or did not start.";

    private ServiceTracker<CaptureAnalyzer, CaptureAnalyzer> tracker;

    /** The analyzer, or null when none is registered within the timeout. */
    synchronized CaptureAnalyzer get(long timeoutMillis) throws InterruptedException {
        if (tracker == null) {
            Bundle bundle = FrameworkUtil.getBundle(AnalyzerAccess.class);
            BundleContext context = bundle == null ? null : bundle.getBundleContext();
            if (context == null) {
                return null;
            }
            tracker = new ServiceTracker<>(context, CaptureAnalyzer.class, null);
            tracker.open();
        }
        return tracker.waitForService(timeoutMillis);
    }

    synchronized void close() {
        if (tracker != null) {
            tracker.close();
            tracker = null;
        }
    }
}
