package org.weir.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.weir.core.PacketView;
import org.weir.core.SessionBatch;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;
import org.weir.detect.Severity;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.ZeekLog;

/** A heap that runs out in the middle of a capture, simulated by a detector that throws what the JVM would. */
class OutOfMemoryTest {

    private static final String WIKIPEDIA = "zeek/core.tcp.rxmit-history/traces/wikipedia.pcap";

    @TempDir
    Path tmp;

    /** Throws {@link OutOfMemoryError} at the {@code at}-th IP packet, after noting that packet's time. */
    private static final class Exhausting implements Detector {
        private final int at;
        volatile long timeNanos = -1;

        Exhausting(int at) {
            this.at = at;
        }

        @Override
        public DetectorInfo info() {
            return new DetectorInfo("test_exhausting", "Exhausting", "Test", Severity.LOW, "runs out of heap",
                    List.of());
        }

        @Override
        public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
            return new DetectorRun() {
                int packets;

                @Override
                public Set<PacketInterest> packetInterests() {
                    return Set.of(PacketInterest.ALL_IP);
                }

                @Override
                public void onPacket(PacketView packet) {
                    if (++packets == at) {
                        timeNanos = packet.timestampNanos;
                        throw new OutOfMemoryError("Java heap space");
                    }
                }

                @Override
                public void onSessions(SessionBatch batch) {
                }
            };
        }
    }

    @Test
    void aFullHeapStopsTheAnalysisAndEverySessionSeenUntilThenIsWritten() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        Path all = tmp.resolve("all.log"), cut = tmp.resolve("cut.log");
        assertEquals(ExitCodes.OK, WeirRun.of("analyze", capture, "--conn-log", all.toString(), "-q").exitCode());

        BundleContext bc = FrameworkUtil.getBundle(OutOfMemoryTest.class).getBundleContext();
        Exhausting detector = new Exhausting(60);
        ServiceRegistration<Detector> registration = bc.registerService(Detector.class, detector, null);
        WeirRun run;
        try {
            run = WeirRun.of("analyze", capture, "--conn-log", cut.toString(), "-q");
        } finally {
            registration.unregister();
        }

        assertEquals(ExitCodes.INTERNAL_ERROR, run.exitCode(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("weir: out of memory: the capture's state outgrew the heap"), run.err());
        assertTrue(detector.timeNanos > 0, "the detector ran");
        List<String> lines = Files.readAllLines(cut);
        assertTrue(lines.get(lines.size() - 1).startsWith("#close\t"), "the log is complete");
        // Every session begun up to the packet where the heap ran out is written, the open ones closed early.
        BigDecimal stop = BigDecimal.valueOf(detector.timeNanos, 9);
        List<String> expected = ZeekLog.read(all).records().stream()
                .filter(r -> new BigDecimal(r.get("ts")).compareTo(stop) <= 0).map(OutOfMemoryTest::id).sorted()
                .toList();
        List<String> written = ZeekLog.read(cut).records().stream().map(OutOfMemoryTest::id).sorted().toList();
        assertTrue(expected.size() > 5 && expected.size() < ZeekLog.read(all).records().size(), expected.toString());
        assertEquals(expected, written);
    }

    private static String id(Map<String, String> r) {
        return r.get("ts") + " " + r.get("proto") + " " + r.get("id.orig_h") + ":" + r.get("id.orig_p") + " "
                + r.get("id.resp_h") + ":" + r.get("id.resp_p");
    }
}
