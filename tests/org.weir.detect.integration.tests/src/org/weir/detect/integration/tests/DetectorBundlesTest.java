package org.weir.detect.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureReader;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionTable;
import org.weir.core.SessionTableFactory;
import org.weir.detect.Alert;
import org.weir.detect.Detector;
import org.weir.detect.rules.RuleScore;
import org.weir.engine.internal.DetectionHost;
import org.weir.engine.internal.DetectorRegistry;
import org.weir.testsupport.Captures;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;

/**
 * The detector SPI in a running framework: the rule detectors register through DS, and a third-party detector
 * bundle (the example, kept out of this runtime's dependencies) installed from its built jar joins a running
 * analysis through the detector host, raises its alerts, and leaves again when uninstalled.
 */
class DetectorBundlesTest {

    private static final String EXAMPLE = "org.weir.examples.detector";
    private static final String EXAMPLE_ID = "example_cleartext_login";
    private static final long WAIT_MILLIS = 30_000;

    @Test
    void ruleDetectorsAreRegisteredThroughDeclarativeServices() {
        Set<String> ids = new TreeSet<>();
        for (Detector d : Services.all(Detector.class, 12)) {
            ids.add(d.info().id());
        }
        assertTrue(ids.containsAll(RuleScore.WEIGHTS.keySet()), "registered: " + ids);
        assertFalse(ids.contains(EXAMPLE_ID), "the example bundle must not be in this runtime until installed");
    }

    /** The example's jar: -Dweir.examples.detector.jar, or the reactor's build output above the working dir. */
    static Path exampleJar() throws IOException {
        String configured = System.getProperty("weir.examples.detector.jar");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve("bundles/" + EXAMPLE + "/target");
            if (Files.isDirectory(target)) {
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, EXAMPLE + "-*.jar")) {
                    for (Path jar : jars) {
                        if (!jar.getFileName().toString().contains("sources")) {
                            return jar;
                        }
                    }
                }
            }
        }
        throw new AssertionError("built example detector jar not found: build bundles/" + EXAMPLE
                + " first or set -Dweir.examples.detector.jar");
    }

    @Test
    void aDetectorBundleJoinsARunningAnalysisAndLeaves() throws Exception {
        BundleContext context = Services.context();
        DetectorRegistry registry = new DetectorRegistry();
        // What the engine's DS component does with its dynamic Detector reference.
        ServiceTracker<Detector, Detector> tracker = new ServiceTracker<>(context, Detector.class,
                new ServiceTrackerCustomizer<>() {
                    @Override
                    public Detector addingService(ServiceReference<Detector> ref) {
                        Detector d = context.getService(ref);
                        registry.add(d);
                        return d;
                    }

                    @Override
                    public void modifiedService(ServiceReference<Detector> ref, Detector d) {
                    }

                    @Override
                    public void removedService(ServiceReference<Detector> ref, Detector d) {
                        registry.remove(d);
                        context.ungetService(ref);
                    }
                });
        tracker.open();
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        List<Session> closed = new ArrayList<>();
        DetectionHost host = registry.open(Map.of(), alerts::add);
        List<String> problems = new CopyOnWriteArrayList<>();
        host.setProblemListener(problems::add);
        Bundle example = null;
        try {
            AnalysisOptions options = AnalysisOptions.defaults().withIgnoreChecksums(true);
            PacketDecoder decoder = Services.get(PacketDecoderFactory.class).create(options.decoder());
            SessionTable table = Services.get(SessionTableFactory.class).create(options.sessions());
            table.addListener(host.before(batch -> closed.addAll(batch.closed())));
            var handler = host.after(table);
            Path capture = Corpus.resolve("zeek/scripts.policy.protocols.ftp.bruteforce/traces/ftp/bruteforce.pcap");
            PacketView view = new PacketView();
            int frames = 0;
            try (CaptureReader reader = Captures.open(capture)) {
                while (reader.next(view)) {
                    if (frames++ == 20) {
                        // Mid-capture: the bundle arrives, as if dropped into a running workbench.
                        example = context.installBundle(exampleJar().toUri().toString());
                        example.start();
                        waitFor(() -> host.running().contains(EXAMPLE_ID) || registryHas(registry, EXAMPLE_ID));
                    }
                    decoder.decode(view, handler);
                }
            }
            table.closeAll();
            host.finish();
            assertTrue(host.running().contains(EXAMPLE_ID), "running: " + host.running() + " " + problems);
            List<Alert> mine = alerts.stream().filter(a -> a.detector().equals(EXAMPLE_ID)).toList();
            assertEquals(1, mine.size(), "one alert per client and server: " + mine);
            assertEquals("192.168.56.1", mine.get(0).source());
            assertEquals("192.168.56.101:21", mine.get(0).target());
            assertTrue(closed.stream().anyMatch(s -> s.tags().contains(EXAMPLE_ID)), "sessions tagged before sinks");
            assertTrue(alerts.stream().anyMatch(a -> a.type().equals("password_guessing")), "rule detectors ran too");
            assertTrue(problems.isEmpty(), problems.toString());

            example.uninstall();
            Bundle gone = example;
            example = null;
            waitFor(() -> !registryHas(registry, EXAMPLE_ID));
            assertEquals(Bundle.UNINSTALLED, gone.getState());
            for (Detector d : Services.all(Detector.class, 1)) {
                assertFalse(d.info().id().equals(EXAMPLE_ID), "still registered after uninstall");
            }
        } finally {
            if (example != null) {
                example.uninstall();
            }
            registry.close(host);
            tracker.close();
        }
    }

    private static boolean registryHas(DetectorRegistry registry, String id) {
        return registry.detectors().stream().anyMatch(d -> d.info().id().equals(id));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached within " + WAIT_MILLIS / 1000 + " s");
            }
            Thread.sleep(20);
        }
    }
}
