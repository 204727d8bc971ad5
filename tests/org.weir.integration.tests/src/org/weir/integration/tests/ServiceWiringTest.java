package org.weir.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.CaptureFilterCompiler;
import org.weir.core.CaptureFormat;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.ProgressMonitor;
import org.weir.core.Session;
import org.weir.core.SessionTableFactory;
import org.weir.core.Transport;
import org.weir.testsupport.Corpus;

/**
 * The Declarative Services wiring in the running framework: the components of the packet, session and engine bundles
 * are found through the service registry, and an analysis through the registered {@link CaptureAnalyzer} yields the
 * sessions of a real capture.
 */
class ServiceWiringTest {

    private static final long TIMEOUT_MILLIS = 30_000;
    private static final String CAPTURE = "zeek/core.tcp.rxmit-history/traces/wikipedia.pcap";

    private static BundleContext context;
    private static final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    @BeforeAll
    static void framework() {
        Bundle bundle = FrameworkUtil.getBundle(ServiceWiringTest.class);
        assertNotNull(bundle, "not running inside an OSGi framework");
        context = bundle.getBundleContext();
        assertNotNull(context, "the test bundle is not started");
    }

    @AfterAll
    static void closeTrackers() {
        trackers.forEach(ServiceTracker::close);
    }

    private static <T> ServiceTracker<T, T> track(Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        trackers.add(tracker);
        return tracker;
    }

    private static <T> T service(Class<T> type) throws InterruptedException {
        T service = track(type).waitForService(TIMEOUT_MILLIS);
        assertNotNull(service, "no " + type.getSimpleName() + " service registered within " + TIMEOUT_MILLIS + " ms");
        return service;
    }

    @Test
    void pcapAndPcapngFormatsAreRegistered() throws InterruptedException {
        ServiceTracker<CaptureFormat, CaptureFormat> formats = track(CaptureFormat.class);
        Set<String> names = new HashSet<>();
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline && !names.containsAll(Set.of("pcap", "pcapng"))) {
            formats.waitForService(500);
            names.clear();
            for (CaptureFormat f : formats.getTracked().values()) {
                names.add(f.name());
            }
            if (!names.containsAll(Set.of("pcap", "pcapng"))) {
                Thread.sleep(100);
            }
        }
        assertTrue(formats.size() >= 2, "capture formats registered: " + names);
        assertTrue(names.containsAll(Set.of("pcap", "pcapng")), "capture formats registered: " + names);
    }

    @Test
    void decoderAndSessionTableFactoriesAreRegistered() throws InterruptedException {
        assertNotNull(service(PacketDecoderFactory.class));
        assertNotNull(service(SessionTableFactory.class));
    }

    @Test
    void analyzerServiceYieldsTheSessionsOfACapture() throws Exception {
        Path capture = Corpus.resolve(CAPTURE);
        CaptureAnalyzer analyzer = service(CaptureAnalyzer.class);

        AtomicLong batches = new AtomicLong();
        List<Session> closed = new ArrayList<>();
        AnalysisResult result = analyzer.analyze(List.of(capture), AnalysisOptions.defaults(), batch -> {
            batches.incrementAndGet();
            closed.addAll(batch.closed());
        }, ProgressMonitor.NONE);

        assertNull(result.error(), () -> "unexpected input error: " + result.error());
        assertFalse(result.cancelled());
        assertTrue(result.frames() > 0, "no frames read");
        assertTrue(result.sessions() > 0, "no sessions");
        assertTrue(batches.get() > 0, "the listener heard nothing");
        assertEquals(result.sessions(), closed.size(), "every session is delivered closed at the end of the input");
        Set<String> uids = new HashSet<>();
        for (Session s : closed) {
            assertTrue(s.isClosed(), s::toString);
            assertTrue(uids.add(s.uid()), () -> "duplicate uid " + s.uid());
            assertTrue(s.origPackets() + s.respPackets() > 0, s::toString);
        }
        long packets = closed.stream().mapToLong(s -> s.origPackets() + s.respPackets()).sum();
        assertTrue(packets <= result.frames(), "sessions count " + packets + " packets of " + result.frames() + " frames");
    }

    @Test
    void analyzerServiceAppliesACaptureFilterThroughTheCompilerService() throws Exception {
        assertNotNull(service(CaptureFilterCompiler.class));
        Path capture = Corpus.resolve(CAPTURE);
        CaptureAnalyzer analyzer = service(CaptureAnalyzer.class);
        AnalysisOptions options = AnalysisOptions.defaults().withDetection(false);

        AnalysisResult all = analyzer.analyze(List.of(capture), options, batch -> {
        }, ProgressMonitor.NONE);
        List<Session> closed = new ArrayList<>();
        AnalysisResult tcp = analyzer.analyze(List.of(capture), options.withCaptureFilter("tcp"),
                batch -> closed.addAll(batch.closed()), ProgressMonitor.NONE);

        assertNull(tcp.error(), () -> "unexpected input error: " + tcp.error());
        assertTrue(tcp.filteredOut() > 0 && tcp.frames() > 0, tcp::toString);
        assertEquals(all.frames(), tcp.frames() + tcp.filteredOut());
        assertEquals(0, all.filteredOut());
        assertFalse(closed.isEmpty());
        assertTrue(closed.stream().allMatch(s -> s.transport() == Transport.TCP), closed::toString);
    }
}
