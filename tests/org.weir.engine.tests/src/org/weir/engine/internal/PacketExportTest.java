package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureFormat;
import org.weir.core.CaptureReader;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketExportResult;
import org.weir.core.PacketView;
import org.weir.core.ProgressMonitor;
import org.weir.core.Session;
import org.weir.core.SessionTableFactory;
import org.weir.core.Transport;
import org.weir.packet.PcapWriter;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;

/**
 * The export of chosen sessions' packets, judged by what matters: analysing the exported file again gives exactly
 * the chosen sessions, in every conn.log column, and nothing else (where no tunnel carries them).
 */
class PacketExportTest {

    private final Pipeline pipeline = new Pipeline(Services.all(CaptureFormat.class, 2),
            Services.get(PacketDecoderFactory.class), Services.get(SessionTableFactory.class), null);

    @ParameterizedTest
    @ValueSource(strings = {"zeek/core.tcp.rxmit-history/traces/wikipedia.pcap",
            "zeek/core.ipv6-frag/traces/ipv6-fragmented-dns.pcap",
            "zeek/core.vlan-mpls/traces/mixed-vlan-mpls.pcap",
            "zeek/core.tcp.flip-without-syn/traces/tcp/http-on-irc-port-missing-syn.pcapng",
            "suricata-verify/defrag/bug-6887-defrag-ipv4-tcp-syn/frag-ip-tcp-syn.pcap",
            "malformed/wikipedia-nsec.pcap"})
    void theExportAnalysedAgainGivesTheChosenSessions(String corpusPath, @TempDir Path tmp) throws IOException {
        Path capture = Corpus.resolve(corpusPath);
        List<Session> all = sessions(List.of(capture));
        assertFalse(all.isEmpty());
        // Every other session, and at least one.
        List<Session> chosen = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 2) {
            chosen.add(all.get(i));
        }
        Path out = tmp.resolve("chosen.pcap");
        PacketExportResult result = pipeline.exportPackets(List.of(capture), AnalysisOptions.defaults(),
                uids(chosen), out, ProgressMonitor.NONE);

        assertFalse(result.cancelled());
        assertNull(result.error());
        assertEquals(chosen.size(), result.sessions());
        assertEquals(records(chosen), records(sessions(List.of(out))));
        assertEquals(result.frames(), frames(out));
    }

    @Test
    void tunnelledSessionsComeWithTheirTunnel(@TempDir Path tmp) throws IOException {
        Path capture = Corpus.resolve("suricata-verify/decode-teredo-01/input.pcap");
        List<Session> all = sessions(List.of(capture));
        List<Session> inner = all.stream().filter(s -> !s.tunnelParents().isEmpty()).toList();
        assertFalse(inner.isEmpty(), "sessions inside Teredo");
        Path out = tmp.resolve("inner.pcap");
        PacketExportResult result = pipeline.exportPackets(List.of(capture), AnalysisOptions.defaults(),
                uids(inner), out, ProgressMonitor.NONE);
        assertEquals(inner.size(), result.sessions());
        List<Session> again = sessions(List.of(out));
        // The frames carry the tunnel too: its UDP connections come back (with the packets of these sessions).
        assertTrue(records(again).containsAll(records(inner)), "every tunnelled session, every column");
        Set<String> connections = all.stream().map(PacketExportTest::connection).collect(Collectors.toSet());
        List<Session> outer = again.stream().filter(s -> s.tunnelParents().isEmpty()).toList();
        assertFalse(outer.isEmpty());
        assertTrue(outer.stream().allMatch(s -> s.transport() == Transport.UDP
                && connections.contains(connection(s))), "the others are the capture's tunnel connections (with fewer"
                        + " packets, which may orient them otherwise)");
    }

    @Test
    void fragmentsBeforeTheLastAreWrittenWithTheirDatagram(@TempDir Path tmp) throws IOException {
        Path capture = Corpus.resolve("zeek/core.ipv6-frag/traces/ipv6-fragmented-dns.pcap");
        List<Session> dns = sessions(List.of(capture)).stream().filter(s -> s.respPort() == 53).toList();
        assertFalse(dns.isEmpty());
        Path out = tmp.resolve("dns.pcap");
        PacketExportResult result = pipeline.exportPackets(List.of(capture), AnalysisOptions.defaults(), uids(dns),
                out, ProgressMonitor.NONE);
        long packets = dns.stream().mapToLong(s -> s.origPackets() + s.respPackets()).sum();
        assertTrue(result.frames() > packets, "every fragment is written, not only the one that completed a datagram: "
                + result.frames() + " frames for " + packets + " packets");
        assertEquals(records(dns), records(sessions(List.of(out))));
    }

    @Test
    void aDatagramWhoseFragmentsSpanTwoCapturesIsWrittenWhole(@TempDir Path tmp) throws IOException {
        // Zeek's trace with a response in three fragments (frames 6 to 8), cut after the second: the datagram is
        // completed in the second file by fragments of the first, whose frames are numbered from 1 again.
        Path trace = Corpus.resolve("zeek/core.ipv6-frag/traces/ipv6-fragmented-dns.pcap");
        Path first = tmp.resolve("first.pcap"), second = tmp.resolve("second.pcap");
        PacketView frame = new PacketView();
        try (CaptureReader reader = Pipeline.open(Services.all(CaptureFormat.class, 2), trace);
                PcapWriter a = PcapWriter.create(first, 1, 65_535, false);
                PcapWriter b = PcapWriter.create(second, 1, 65_535, false)) {
            while (reader.next(frame)) {
                (frame.frameNumber <= 7 ? a : b).write(frame.timestampNanos, frame.data, frame.frameOffset,
                        frame.capturedLength, frame.wireLength);
            }
            assertTrue(b.frames() > 0);
        }
        List<Path> captures = List.of(first, second);
        List<Session> dns = sessions(captures).stream().filter(s -> s.respPort() == 53).toList();
        Path out = tmp.resolve("dns.pcap");
        PacketExportResult result = pipeline.exportPackets(captures, AnalysisOptions.defaults(), uids(dns), out,
                ProgressMonitor.NONE);
        assertEquals(frames(trace) - 1, result.frames(), "every frame but the fourth, a last fragment alone (its"
                + " datagram never completes)");
        assertEquals(records(dns), records(sessions(List.of(out))));
    }

    @Test
    void theSessionsOfATapsTwoDirectionsAreExportedWhole(@TempDir Path tmp) throws IOException {
        Path capture = Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap");
        List<Path> directions = CaptureMergeTest.split(capture, tmp, 2,
                (frame, index) -> CaptureMergeTest.compareMacs(frame) < 0 ? 0 : 1);
        List<Session> all = sessions(directions);
        List<Session> chosen = new ArrayList<>();
        for (int i = 1; i < all.size(); i += 2) {
            chosen.add(all.get(i));
        }
        Path out = tmp.resolve("chosen.pcap");
        PacketExportResult result = pipeline.exportPackets(directions, AnalysisOptions.defaults(), uids(chosen), out,
                ProgressMonitor.NONE);

        assertEquals(chosen.size(), result.sessions());
        assertEquals(records(chosen), records(sessions(List.of(out))), "both directions, in time order");
    }

    @Test
    void sessionsOfCapturesWithTwoLinkTypesNeedPcapng(@TempDir Path tmp) throws IOException {
        List<Path> captures = List.of(Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"),
                Corpus.resolve("suricata-verify/defrag/bug-6887-defrag-ipv4-tcp-syn/frag-ip-tcp-syn.pcap"));
        List<Session> all = sessions(captures);
        Set<String> uids = uids(all);

        Path pcap = tmp.resolve("both.pcap");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> pipeline.exportPackets(captures, AnalysisOptions.defaults(), uids, pcap, ProgressMonitor.NONE));
        assertTrue(refused.getMessage().contains("name the file .pcapng"), refused.getMessage());
        assertFalse(Files.exists(pcap), "nothing is left of the refused file");

        Path pcapng = tmp.resolve("both.pcapng");
        PacketExportResult result = pipeline.exportPackets(captures, AnalysisOptions.defaults(), uids, pcapng,
                ProgressMonitor.NONE);
        assertEquals(all.size(), result.sessions());
        assertEquals(records(all), records(sessions(List.of(pcapng))));
    }

    @Test
    void anAnalysisOfTheFirstFramesHasThePacketsOfThoseFrames(@TempDir Path tmp) throws IOException {
        Path capture = Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap");
        // Ends while sessions are open, which later frames continue: as a cancelled analysis in the workbench.
        AnalysisOptions first = AnalysisOptions.defaults().withFrameLimit(60);
        AnalysisResult[] analysis = new AnalysisResult[1];
        List<Session> sessions = sessions(List.of(capture), first, analysis);
        assertEquals(60, analysis[0].frames());
        Path out = tmp.resolve("first.pcap");
        pipeline.exportPackets(List.of(capture), first, uids(sessions), out, ProgressMonitor.NONE);
        assertEquals(records(sessions), records(sessions(List.of(out))));
        assertTrue(frames(out) <= 60);
    }

    @Test
    void uidsOfNoSessionGiveAnEmptyCapture(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("none.pcap");
        PacketExportResult result = pipeline.exportPackets(
                List.of(Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap")),
                AnalysisOptions.defaults(), Set.of("CnotAuid"), out, ProgressMonitor.NONE);
        assertEquals(0, result.sessions());
        assertEquals(0, result.frames());
        assertEquals(0, frames(out));
    }

    @Test
    void aDamagedCaptureExportsWhatCameBeforeTheDamage(@TempDir Path tmp) throws IOException {
        Path whole = Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap");
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2 + 7));
        AnalysisResult[] analysis = new AnalysisResult[1];
        List<Session> before = sessions(List.of(cut), AnalysisOptions.defaults(), analysis);
        assertNotNull(analysis[0].error(), "the cut capture is reported damaged");

        Path out = tmp.resolve("before.pcap");
        PacketExportResult result = pipeline.exportPackets(List.of(cut), AnalysisOptions.defaults(), uids(before),
                out, ProgressMonitor.NONE);
        assertNotNull(result.error());
        assertTrue(result.error().getMessage().contains("cut.pcap") || result.error().toString().contains("cut.pcap"),
                result.error().toString());
        assertTrue(result.frames() > 0);
        assertEquals(records(before), records(sessions(List.of(out))));
    }

    @Test
    void aCancelledExportLeavesNoFile(@TempDir Path tmp) throws IOException {
        // Large enough to reach a look at the monitor (every 65,536 frames read): a capture's frames over and over.
        Path big = tmp.resolve("big.pcap");
        PacketView frame = new PacketView();
        try (PcapWriter writer = PcapWriter.create(big, 1, 65_535, false)) {
            while (writer.frames() < 70_000) {
                try (CaptureReader reader = Pipeline.open(Services.all(CaptureFormat.class, 2),
                        Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"))) {
                    while (reader.next(frame)) {
                        writer.write(frame.timestampNanos, frame.data, frame.frameOffset, frame.capturedLength,
                                frame.wireLength);
                    }
                }
            }
        }
        String uid = sessions(List.of(big)).get(0).uid();
        Path out = tmp.resolve("cancelled.pcap");
        ProgressMonitor cancelled = new ProgressMonitor() {
            @Override
            public void progress(String task, long done, long total) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        PacketExportResult result = pipeline.exportPackets(List.of(big), AnalysisOptions.defaults(), Set.of(uid),
                out, cancelled);
        assertTrue(result.cancelled());
        assertFalse(Files.exists(out));
    }

    @Test
    void theCaptureItselfIsNoPlaceForTheExport(@TempDir Path tmp) throws IOException {
        Path capture = Files.copy(Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"),
                tmp.resolve("trace.pcap"));
        byte[] before = Files.readAllBytes(capture);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipeline.exportPackets(
                List.of(capture), AnalysisOptions.defaults(), uids(sessions(List.of(capture))), capture,
                ProgressMonitor.NONE));
        assertTrue(e.getMessage().contains("is the capture being read"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(capture));
    }

    @Test
    void standardInputCannotBeReadTwice(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pipeline.exportPackets(
                List.of(Path.of("-")), AnalysisOptions.defaults(), Set.of("C1"), tmp.resolve("x.pcap"),
                ProgressMonitor.NONE));
        assertTrue(e.getMessage().contains("read only once"), e.getMessage());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private List<Session> sessions(List<Path> captures) throws IOException {
        return sessions(captures, AnalysisOptions.defaults());
    }

    private List<Session> sessions(List<Path> captures, AnalysisOptions options) throws IOException {
        return sessions(captures, options, new AnalysisResult[1]);
    }

    private List<Session> sessions(List<Path> captures, AnalysisOptions options, AnalysisResult[] result)
            throws IOException {
        List<Session> closed = Collections.synchronizedList(new ArrayList<>());
        result[0] = pipeline.analyze(captures, options, batch -> closed.addAll(batch.closed()), alert -> {
        }, ProgressMonitor.NONE);
        List<Session> sorted = new ArrayList<>(closed);
        sorted.sort(java.util.Comparator.comparingLong(Session::startNanos).thenComparing(Session::uid));
        return sorted;
    }

    /** Protocol and both ends, either way round. */
    private static String connection(Session s) {
        String orig = s.origAddress() + " " + s.origPort(), resp = s.respAddress() + " " + s.respPort();
        return s.ipProtocol() + " " + (orig.compareTo(resp) < 0 ? orig + " " + resp : resp + " " + orig);
    }

    private static Set<String> uids(List<Session> sessions) {
        return sessions.stream().map(Session::uid).collect(Collectors.toCollection(HashSet::new));
    }

    /** The conn.log columns but the uid, one line per session, sorted. */
    private static List<String> records(List<Session> sessions) {
        return sessions.stream()
                .map(s -> String.join(" ", Long.toString(s.startNanos()), s.origAddress(),
                        Integer.toString(s.origPort()), s.respAddress(), Integer.toString(s.respPort()),
                        Integer.toString(s.ipProtocol()), String.valueOf(s.service()),
                        Long.toString(s.durationNanos()), Long.toString(s.origBytes()), Long.toString(s.respBytes()),
                        s.connState(), Long.toString(s.missedBytes()), s.history(),
                        Long.toString(s.origPackets()), Long.toString(s.origIpBytes()),
                        Long.toString(s.respPackets()), Long.toString(s.respIpBytes()),
                        Integer.toString(s.vlan()), Integer.toString(s.innerVlan()), String.valueOf(s.communityId())))
                .sorted().toList();
    }

    private static long frames(Path capture) throws IOException {
        long n = 0;
        PacketView view = new PacketView();
        try (CaptureReader reader = Pipeline.open(Services.all(CaptureFormat.class, 2), capture)) {
            while (reader.next(view)) {
                n++;
            }
        }
        return n;
    }
}
