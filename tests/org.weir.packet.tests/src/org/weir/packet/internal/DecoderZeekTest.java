package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.weir.core.DecoderOptions;
import org.weir.packet.internal.Captures.Tsv;
import org.weir.testsupport.Corpus;

/**
 * What the decoder delivers, held against Zeek's own baselines in the corpus: the weirds of the truncation case,
 * and per connection the packets and IP bytes Zeek counted (a connection's packets are the layers the decoder
 * delivers for its 5-tuple, minus those Zeek does not count: bad checksum, cut or bogus transport header).
 */
class DecoderZeekTest {

    private static final Pattern TRACE = Pattern.compile("zeek (-\\S+ )*-r \\$TRACES/(\\S+)");

    /** Each weird.log of core.truncation, paired with the trace and options of the run that wrote it. */
    @TestFactory
    List<DynamicTest> truncationWeirdsAreZeeks() throws IOException {
        Path dir = Corpus.resolve("zeek/core.truncation");
        List<String> script = Files.readAllLines(dir.resolve("truncation.test"));
        List<List<String>> blocks = weirdBlocks(Files.readAllLines(dir.resolve("baseline/output")));
        List<DynamicTest> tests = new ArrayList<>();
        String trace = null;
        boolean ignoreChecksums = false;
        int block = 0;
        for (String line : script) {
            if (!line.startsWith("# @TEST-EXEC:")) {
                continue;
            }
            Matcher m = TRACE.matcher(line);
            if (m.find()) {
                trace = m.group(2);
                ignoreChecksums = line.contains(" -C ");
                if (trace.contains("icmp-payload-trunc")) {
                    // The script asserts that this run writes no weird.log at all.
                    String t = trace;
                    tests.add(DynamicTest.dynamicTest(t + " (no weirds)", () -> {
                        Decoder d = new Decoder(DecoderOptions.defaults());
                        List<List<Layer>> frames = Layer.decodeAll(dir.resolve("traces").resolve(t), d);
                        assertEquals(Map.of(), d.statistics().anomalies());
                        assertTrue(frames.stream().flatMap(List::stream).anyMatch(l -> l.protocol() == 1));
                    }));
                }
            } else if (line.contains("weird.log") && (line.contains(" mv ") || line.contains(" cat "))) {
                List<String> expected = blocks.get(block++);
                String t = trace;
                boolean c = ignoreChecksums;
                tests.add(DynamicTest.dynamicTest(t, () -> {
                    Decoder d = new Decoder(DecoderOptions.defaults().withIgnoreChecksums(c));
                    Layer.decodeAll(dir.resolve("traces").resolve(t), d);
                    Map<String, Long> want = new TreeMap<>();
                    expected.forEach(w -> want.merge(w, 1L, Long::sum));
                    assertEquals(want, new TreeMap<>(d.statistics().anomalies()));
                }));
            }
        }
        assertEquals(blocks.size(), block, "every weird.log of the baseline is paired with a run");
        return tests;
    }

    /** The weird names of each weird.log concatenated into the baseline. */
    private static List<List<String>> weirdBlocks(List<String> lines) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        int nameColumn = -1;
        for (String line : lines) {
            if (line.startsWith("#open")) {
                current = new ArrayList<>();
            } else if (line.startsWith("#fields")) {
                nameColumn = List.of(line.substring(8).split("\t")).indexOf("name");
            } else if (line.startsWith("#close")) {
                blocks.add(current);
                current = null;
            } else if (current != null && !line.startsWith("#")) {
                current.add(line.split("\t")[nameColumn]);
            }
        }
        return blocks;
    }

    /** The IP header the discarder printed is the one delivered (with its cut TCP header flagged). */
    @Test
    void truncatedTcpHeaderStillShowsItsIpHeader() throws IOException {
        Path f = Corpus.resolve("zeek/core.truncation/traces/trunc/ip-discarder-truncated-tcp-oob.pcapng");
        String printed = Files.readString(Corpus.resolve("zeek/core.truncation/baseline/discarder.output"));
        List<Layer> layers = Layer.decodeAll(f, DecoderOptions.defaults().withIgnoreChecksums(true)).get(0);
        assertEquals(1, layers.size());
        Layer l = layers.get(0);
        assertTrue(l.transportTruncated());
        assertTrue(printed.contains("len=" + l.ipTotalLength() + ","), printed);
        assertTrue(printed.contains("hl=" + l.ipHeaderLength() + ","), printed);
        assertTrue(printed.contains("p=" + l.protocol() + ","), printed);
        assertTrue(printed.contains("src=" + l.src() + ", dst=" + l.dst() + "]"), printed);
        assertTrue(printed.contains("ttl=" + l.ttl() + ","), printed);
    }

    /** Zeek conn.log baselines: case folder, trace, baseline file, whether the run ignored checksums (-C). */
    private static final String[][] CONN_CASES = {
        {"core.conn-size-flip", "tcp/ctu-64702-888.pcap", "conn.log.ctu", "-C"},
        {"core.conn-size-flip", "tcp/one-sided-2745.pcap", "conn.log.one-sided", "-C"},
        {"core.history-flip", "tcp/missing-syn.pcap", "conn.log", "-C"},
        {"core.pppoe", "pppoe.pcap", "conn.log", ""},
        {"core.q-in-q", "q-in-q.pcap", "conn.log", ""},
        {"scripts.policy.protocols.conn.vlan-logging", "q-in-q.pcap", "conn.log", ""},
        // The same GRE trace that Zeek's core.tunnels.gre decodes; this case skips the outer headers instead, and
        // its connections are the inner ones the tunnel decoding must produce.
        {"core.skip_analyzer", "tunnels/gre-sample.pcap", "conn.log", "-C"},
        {"core.tcp.bad-checksum-syn", "tcp/syn-bad.pcap", "conn.log", ""},
        {"core.tcp.flip-without-syn", "tcp/http-on-irc-port-missing-syn.pcapng", "conn.log", ""},
        {"core.tcp.miss-end-data", "tcp/miss_end_data.pcap", "conn.log", ""},
        {"core.tcp.missing-syn", "tcp/missing-syn.pcap", "conn.log", "-C"},
        {"core.tcp.rxmit-history", "tcp/retransmit-fast009.pcap", "conn-1.log", "-C"},
        {"core.tcp.rxmit-history", "wikipedia.pcap", "conn-2.log", "-C"},
        {"core.udp-corrupt", "dns/dns-corrupt.pcap", "conn.log", ""},
        {"core.unknown-ip-protocol", "communityid/sctp.pcap", "conn.log", ""},
        {"core.vlan-mpls", "mixed-vlan-mpls.pcap", "conn.log", "-C"},
    };

    @TestFactory
    List<DynamicTest> connectionCountersMatchZeek() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] c : CONN_CASES) {
            tests.add(DynamicTest.dynamicTest(c[0] + " " + c[1], () -> {
                Path dir = Corpus.resolve("zeek/" + c[0]);
                Tsv log = Tsv.read(dir.resolve("baseline").resolve(c[2]));
                List<List<Layer>> frames = Layer.decodeAll(dir.resolve("traces").resolve(c[1]),
                        DecoderOptions.defaults().withIgnoreChecksums(c[3].equals("-C")));
                boolean keyed = log.index("id.orig_h") >= 0;
                // zeek-cut outputs without a proto column come from TCP-only traces.
                boolean hasProto = log.index("proto") >= 0;
                Map<String, long[]> expected = new TreeMap<>();
                Map<String, String> expectedVlans = new TreeMap<>();
                // UDP and ICMP payload bytes (orig_bytes + resp_bytes) are header arithmetic, not sequence space.
                Map<String, Long> expectedPayload = new TreeMap<>();
                for (String[] row : log.rows()) {
                    String key = keyed ? key(hasProto ? log.get(row, "proto") : "tcp", log.get(row, "id.orig_h"),
                            log.get(row, "id.orig_p"), log.get(row, "id.resp_h"), log.get(row, "id.resp_p"),
                            log.get(row, "ip_proto")) : "all";
                    long[] v = expected.computeIfAbsent(key, k -> new long[2]);
                    v[0] += Long.parseLong(log.get(row, "orig_pkts")) + Long.parseLong(log.get(row, "resp_pkts"));
                    if (log.index("orig_ip_bytes") >= 0) {
                        v[1] += Long.parseLong(log.get(row, "orig_ip_bytes"))
                                + Long.parseLong(log.get(row, "resp_ip_bytes"));
                    }
                    if (log.index("vlan") >= 0) {
                        expectedVlans.put(key, log.get(row, "vlan") + "/" + log.get(row, "inner_vlan"));
                    }
                    String ob = log.get(row, "orig_bytes"), rb = log.get(row, "resp_bytes");
                    if ((key.startsWith("udp") || key.startsWith("icmp")) && ob.matches("\\d+") && rb.matches("\\d+")
                            && expectedPayload.getOrDefault(key, 0L) >= 0) {
                        expectedPayload.merge(key, Long.parseLong(ob) + Long.parseLong(rb), Long::sum);
                    } else {
                        expectedPayload.put(key, -1L); // unknown ("-") for this connection
                    }
                }
                expectedPayload.values().removeIf(x -> x < 0);
                Map<String, Long> actualPayload = new TreeMap<>();
                Map<String, long[]> actual = new TreeMap<>();
                Map<String, String> actualVlans = new TreeMap<>();
                for (List<Layer> layers : frames) {
                    for (Layer l : layers) {
                        if (l.ipVersion() == 0 || l.transportTruncated()) {
                            continue; // no connection in Zeek
                        }
                        String proto = switch (l.protocol()) {
                            case 6 -> "tcp";
                            case 17 -> "udp";
                            case 1, 58 -> "icmp";
                            default -> "unknown_transport";
                        };
                        String key = keyed ? key(proto, l.src(), String.valueOf(l.srcPort()), l.dst(),
                                String.valueOf(l.dstPort()), String.valueOf(l.protocol())) : "all";
                        long[] v = actual.computeIfAbsent(key, k -> new long[2]);
                        boolean badHeader = l.protocol() == 6
                                && (l.tcpHeaderLength() < 20 || l.tcpHeaderLength() > l.l4CapturedLength());
                        if (!l.transportChecksumBad() && !badHeader) {
                            v[0]++;
                            v[1] += l.ipTotalLength();
                            actualPayload.merge(key, (long) l.payloadLength(), Long::sum);
                        }
                        actualVlans.putIfAbsent(key, (l.vlan() < 0 ? "-" : String.valueOf(l.vlan())) + "/"
                                + (l.innerVlan() < 0 ? "-" : String.valueOf(l.innerVlan())));
                    }
                }
                if (log.index("orig_ip_bytes") < 0) {
                    actual.values().forEach(v -> v[1] = 0);
                }
                assertEquals(render(expected), render(actual), "packets and IP bytes per connection");
                actualPayload.keySet().retainAll(expectedPayload.keySet());
                assertEquals(expectedPayload, actualPayload, "UDP/ICMP payload bytes per connection");
                if (!expectedVlans.isEmpty()) {
                    actualVlans.keySet().retainAll(expectedVlans.keySet());
                    assertEquals(expectedVlans, actualVlans, "vlan/inner_vlan per connection");
                }
            }));
        }
        return tests;
    }

    /** A connection key independent of direction; ICMP conns are keyed by hosts only (Zeek maps types to ports). */
    private static String key(String proto, String a, String pa, String b, String pb, String ipProto) {
        String x, y;
        if (proto.equals("icmp")) {
            x = a;
            y = b;
        } else if (proto.equals("unknown_transport")) {
            x = a + " " + ipProto;
            y = b + " " + ipProto;
        } else {
            x = a + ":" + pa;
            y = b + ":" + pb;
        }
        return proto + " " + (x.compareTo(y) <= 0 ? x + " " + y : y + " " + x);
    }

    private static Map<String, String> render(Map<String, long[]> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v[0] + " pkts " + v[1] + " ip bytes"));
        return out;
    }

    /**
     * core.tcp.truncated-header prints one line per tcp_packet event: every TCP segment Zeek analyses, which
     * excludes a segment whose header length does not fit (and any with a bad checksum).
     */
    @Test
    void tcpSegmentsZeekAnalyses() throws IOException {
        Path dir = Corpus.resolve("zeek/core.tcp.truncated-header");
        long events = Files.readAllLines(dir.resolve("baseline/out")).stream().filter(l -> l.contains("orig_h="))
                .count();
        List<Layer> layers = Layer.decodeAll(dir.resolve("traces/tcp/truncated-header.pcap"),
                DecoderOptions.defaults()).stream().flatMap(List::stream).toList();
        long analysed = layers.stream().filter(l -> l.protocol() == 6 && !l.transportTruncated()
                && !l.transportChecksumBad() && l.tcpHeaderLength() >= 20
                && l.tcpHeaderLength() <= Math.min(l.l4CapturedLength(), l.ipTotalLength() - l.ipHeaderLength()))
                .count();
        assertEquals(events, analysed);
        assertTrue(layers.size() > analysed, "the cut segment is still delivered (Zeek makes its connection)");
    }

    /** The corrupt UDP and TCP cases above must actually have been flagged, not silently accepted. */
    @Test
    void badChecksumsAreFlagged() throws IOException {
        for (String f : new String[] {"zeek/core.udp-corrupt/traces/dns/dns-corrupt.pcap",
                "zeek/core.tcp.bad-checksum-syn/traces/tcp/syn-bad.pcap"}) {
            List<List<Layer>> frames = Layer.decodeAll(Corpus.resolve(f), DecoderOptions.defaults());
            assertFalse(frames.isEmpty());
            assertTrue(frames.stream().flatMap(List::stream).allMatch(Layer::transportChecksumBad), f);
            List<List<Layer>> ignoring = Layer.decodeAll(Corpus.resolve(f),
                    DecoderOptions.defaults().withIgnoreChecksums(true));
            assertTrue(ignoring.stream().flatMap(List::stream).noneMatch(Layer::transportChecksumBad), f);
        }
    }
}
