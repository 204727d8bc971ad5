package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.weir.core.CaptureFormatException;
import org.weir.core.Session;
import org.weir.core.SessionOptions;
import org.weir.testsupport.Corpus;

/**
 * The same traffic in other clothes gives the same sessions (pcapng, nanosecond pcap, an added VLAN tag), and
 * mutated captures (random packets, corrupted bytes, a 60-byte snap length that cuts TCP headers, merges) never
 * break the table's invariants.
 */
class CaptureVariantsTest {

    private static final String WIKIPEDIA = "zeek/core.tcp.rxmit-history/traces/wikipedia.pcap";

    private static List<String> rows(List<Session> sessions, boolean macs) {
        List<String> rows = new ArrayList<>();
        for (Session s : sessions) {
            StringBuilder sb = new StringBuilder(Runs.key(s, true));
            List<String> cols = ZeekConformanceTest.COLUMNS.stream()
                    .filter(c -> !c.contains("vlan") && (macs || !c.contains("l2_addr"))).toList();
            for (String c : cols) {
                sb.append(' ').append(Runs.value(s, c));
            }
            rows.add(sb.toString());
        }
        rows.sort(null);
        return rows;
    }

    @Test
    void sameTrafficSameSessions() throws IOException {
        List<Session> reference = Runs.run(WIKIPEDIA, true, Cases.FULL);
        assertEquals(34, reference.size());
        for (String variant : new String[] {"wikipedia.pcapng", "wikipedia-nsec.pcap", "wikipedia-vlan100.pcap"}) {
            List<Session> other = Runs.run("malformed/" + variant, true, Cases.FULL);
            // The VLAN-tagged copy was made with tcprewrite, which also rewrote IPv6 source MACs: skip L2 there.
            boolean macs = !variant.contains("vlan");
            assertEquals(rows(reference, macs), rows(other, macs), variant);
            if (variant.contains("vlan")) {
                assertTrue(other.stream().allMatch(s -> s.vlan() == 100), "VLAN recorded, not keyed");
            }
        }
    }

    @Test
    void mutatedCapturesKeepInvariants() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Corpus.resolve("malformed"))) {
            files = s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted()
                    .toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            for (int bound : new int[] {2_000_000, 3}) {
                SessionOptions options = SessionOptions.defaults().withMaxLiveSessions(bound);
                FlowTable table = new FlowTable(options, ZeekConfig.defaults(options), 1);
                List<Session> opened = new ArrayList<>(), closed = new ArrayList<>();
                table.addListener(b -> {
                    opened.addAll(b.opened());
                    closed.addAll(b.closed());
                });
                try {
                    Traces.feed(f, false, table);
                } catch (CaptureFormatException damaged) {
                    // what was read before the damage still counts
                }
                table.closeAll();
                String where = f.getFileName() + " bound " + bound;
                assertEquals(0, table.liveCount(), where);
                assertEquals(opened.size(), closed.size(), where);
                assertTrue(table.evictedCount() <= closed.size(), where);
                for (Session s : closed) {
                    assertTrue(s.isClosed() && s.durationNanos() >= 0 && s.origPackets() >= 0 && s.respPackets() >= 0,
                            where + " " + s);
                    assertTrue(s.history().matches("\\^?[ShadfrcgtwiqSHADFRCGTWIQX^]*"), where + " " + s.history());
                    assertTrue(List.of("S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH",
                            "SHR", "OTH").contains(s.connState()), where + " " + s.connState());
                    assertTrue(s.uid().matches("C[0-9A-Za-z]+") && s.communityId().startsWith("1:"), where);
                }
            }
        }
    }
}
