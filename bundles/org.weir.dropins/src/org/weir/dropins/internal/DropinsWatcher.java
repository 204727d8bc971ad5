package org.weir.dropins.internal;

import java.net.URI;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Picks up bundles dropped into the installation's {@code dropins} folder (or the folder named by the system
 * property {@code weir.dropins}) while Weir runs, as Eclipse does with its dropins: a detector bundle copied there
 * joins running analyses within seconds, and leaves when its jar is removed.
 */
@Component(immediate = true)
public final class DropinsWatcher {

    /** Polling keeps this independent of file-system notification quirks (network shares, containers). */
    private static final long INTERVAL_MILLIS = 2_000;

    private DropinsFolder folder;
    private Thread thread;

    @Activate
    void activate(BundleContext context) {
        folder = new DropinsFolder(locate(context), context,
                problem -> System.err.println("weir: dropins: " + problem));
        thread = new Thread(this::run, "weir-dropins");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() {
        thread.interrupt();
        try {
            thread.join(INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        folder.clear();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            folder.scan();
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static Path locate(BundleContext context) {
        String configured = context.getProperty("weir.dropins");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String installArea = context.getProperty("osgi.install.area");
        if (installArea != null && installArea.startsWith("file:")) {
            try {
                return Path.of(URI.create(installArea.replace(" ", "%20"))).resolve("dropins");
            } catch (IllegalArgumentException e) {
                return Path.of(installArea.substring("file:".length())).resolve("dropins");
            }
        }
        return Path.of("dropins").toAbsolutePath();
    }
}
