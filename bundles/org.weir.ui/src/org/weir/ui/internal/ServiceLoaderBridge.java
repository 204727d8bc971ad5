package org.weir.ui.internal;

import java.net.URL;
import java.util.Enumeration;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Eclipse Collections (used by NatTable) finds its factory implementations with {@link java.util.ServiceLoader}
 * through the thread context class loader; the jars on Maven Central carry no OSGi service-loader headers, so inside
 * OSGi the lookup finds nothing and every table paint fails ("Could not find any implementations of
 * MutableSetFactory"). The factories are looked up once, when their classes initialise: this initialises them with
 * the implementation bundle as context class loader, before any view uses them.
 */
final class ServiceLoaderBridge {

    private static final String API = "org.eclipse.collections.api";
    private static final String IMPL = "org.eclipse.collections.impl";
    private static final String FACTORIES = "org/eclipse/collections/api/factory";

    private ServiceLoaderBridge() {
    }

    static synchronized void initialiseEclipseCollections() {
        Bundle self = FrameworkUtil.getBundle(ServiceLoaderBridge.class);
        BundleContext context = self == null ? null : self.getBundleContext();
        if (context == null) {
            return;
        }
        ClassLoader api = null;
        ClassLoader impl = null;
        Bundle apiBundle = null;
        for (Bundle b : context.getBundles()) {
            BundleWiring wiring = b.adapt(BundleWiring.class);
            if (wiring == null) {
                continue;
            }
            if (API.equals(b.getSymbolicName())) {
                api = wiring.getClassLoader();
                apiBundle = b;
            } else if (IMPL.equals(b.getSymbolicName())) {
                impl = wiring.getClassLoader();
            }
        }
        if (api == null || impl == null) {
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(impl);
        try {
            Enumeration<URL> classes = apiBundle.findEntries(FACTORIES, "*.class", true);
            while (classes != null && classes.hasMoreElements()) {
                String path = classes.nextElement().getPath();
                if (path.indexOf('$') >= 0) {
                    continue;
                }
                String name = path.substring(path.indexOf(FACTORIES), path.length() - ".class".length())
                        .replace('/', '.');
                try {
                    Class.forName(name, true, api);
                } catch (ClassNotFoundException | LinkageError ignored) {
                    // Not a factory holder, or not loadable here: nothing to prepare.
                }
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
