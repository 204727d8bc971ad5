package org.weir.testsupport;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/** Finds real services in the running OSGi framework, as Declarative Services registered them. */
public final class Services {

    private static final long DEFAULT_WAIT_MILLIS = 30_000;

    private Services() {
    }

    /** The service of the given type, waiting up to 30 s for it; fails when none appears. */
    public static <T> T get(Class<T> type) {
        BundleContext context = context();
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            T service = tracker.waitForService(DEFAULT_WAIT_MILLIS);
            if (service == null) {
                throw new AssertionError("no " + type.getName() + " service registered within "
                        + DEFAULT_WAIT_MILLIS / 1000 + " s");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getName(), e);
        }
    }

    /** Every registered service of the given type, after waiting for at least {@code atLeast} of them. */
    public static <T> java.util.List<T> all(Class<T> type, int atLeast) {
        BundleContext context = context();
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        long deadline = System.currentTimeMillis() + DEFAULT_WAIT_MILLIS;
        try {
            while (tracker.size() < atLeast && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Object[] services = tracker.getServices();
            java.util.List<T> list = new java.util.ArrayList<>();
            if (services != null) {
                for (Object o : services) {
                    list.add(type.cast(o));
                }
            }
            return list;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getName(), e);
        } finally {
            tracker.close();
        }
    }

    /** This bundle's context, starting the bundle when the test harness left it resolved only. */
    public static BundleContext context() {
        Bundle bundle = FrameworkUtil.getBundle(Services.class);
        if (bundle == null) {
            throw new AssertionError("not running inside an OSGi framework");
        }
        if (bundle.getBundleContext() == null) {
            try {
                bundle.start(Bundle.START_TRANSIENT);
            } catch (BundleException e) {
                throw new AssertionError("cannot start " + bundle.getSymbolicName(), e);
            }
        }
        return bundle.getBundleContext();
    }
}
