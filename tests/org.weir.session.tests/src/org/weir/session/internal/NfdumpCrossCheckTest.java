package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.weir.core.IpAddress;
import org.weir.core.Session;
import org.weir.core.SessionOptions;
import org.weir.testsupport.Corpus;

/**
 * Packets and IP bytes per direction against nfdump on the attack captures (scans, floods, DNS tunnels, every TCP
 * flag combination): nfdump's unidirectional flows and the sessions' per-endpoint counters are both summed per
 * directed 5-tuple (ICMP: per address pair), so flow splitting rules do not matter, only that every packet lands on
 * the right side of the right session. nfdump's bytes are IP bytes, as Zeek's {@code *_ip_bytes}; checksums are not
 * verified here because nfdump counts every packet. One nfdump quirk is accounted for: it counts a packet longer than
 * an Ethernet MTU (a segmentation-offload super-packet captured on the host) but not its bytes, while Zeek adds its IP
 * length like any other; the test measures those lengths and accepts exactly that difference.
 */
class NfdumpCrossCheckTest {

    @Test
    void perDirectionCountersMatchNfdump() throws IOException {
        Path refs = Corpus.resolve("refs/attacks");
        List<Path> csvs;
        try (Stream<Path> s = Files.walk(refs)) {
            csvs = s.filter(p -> p.getFileName().toString().equals("nfdump-uni.csv")).sorted().toList();
        }
        long keys = 0, equal = 0, captures = 0;
        List<String> differences = new ArrayList<>();
        for (Path csv : csvs) {
            Map<String, long[]> expected = new TreeMap<>();
            for (String line : Files.readAllLines(csv)) {
                String[] f = line.split(",");
                if (f.length < 13 || f[0].startsWith("ts")) {
                    continue;
                }
                int proto = proto(f[7].strip());
                String k = key(proto, f[3].strip(), Integer.parseInt(f[5].strip()), f[4].strip(),
                        Integer.parseInt(f[6].strip()));
                long[] v = expected.computeIfAbsent(k, x -> new long[2]);
                v[0] += Long.parseLong(f[11].strip());
                v[1] += Long.parseLong(f[12].strip());
            }
            if (expected.isEmpty()) {
                continue;
            }
            captures++;
            String rel = refs.relativize(csv.getParent()).toString();
            String capture = "attacks/" + rel.substring(0, rel.length() - ".refs".length());
            Map<String, long[]> actual = new TreeMap<>(), oversized = new TreeMap<>();
            SessionOptions options = SessionOptions.defaults();
            FlowTable table = new FlowTable(options, ZeekConfig.defaults(options), 1);
            List<Session> sessions = new ArrayList<>();
            table.addListener(b -> sessions.addAll(b.closed()));
            Traces.feed(Corpus.resolve(capture), true, p -> {
                if (p.ipVersion != 0 && p.ipTotalLength > 1500 && p.tunnelDepth == 0) {
                    add(oversized, key(p.protocol, IpAddress.toString(p.srcHi, p.srcLo), p.srcPort,
                            IpAddress.toString(p.dstHi, p.dstLo), p.dstPort), 1, p.ipTotalLength);
                }
                table.onPacket(p);
            });
            table.closeAll();
            for (Session s : sessions) {
                add(actual, key(s.ipProtocol(), s.origAddress(), s.origPort(), s.respAddress(), s.respPort()),
                        s.origPackets(), s.origIpBytes());
                add(actual, key(s.ipProtocol(), s.respAddress(), s.respPort(), s.origAddress(), s.origPort()),
                        s.respPackets(), s.respIpBytes());
            }
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                keys++;
                long[] a = actual.getOrDefault(e.getKey(), new long[2]);
                long big = oversized.getOrDefault(e.getKey(), new long[2])[1];
                if (a[0] == e.getValue()[0] && (a[1] == e.getValue()[1] || a[1] - big == e.getValue()[1])) {
                    equal++;
                } else if (differences.size() < 40) {
                    differences.add(capture + " " + e.getKey() + " nfdump=" + e.getValue()[0] + "/"
                            + e.getValue()[1] + " weir=" + a[0] + "/" + a[1]);
                }
            }
        }
        System.out.printf("nfdump: %d captures, %d/%d directed flows equal%n", captures, equal, keys);
        differences.forEach(d -> System.out.println("  " + d));
        assertTrue(captures > 5 && keys > 1000);
        assertTrue(equal == keys, (keys - equal) + " directed flows differ");
    }

    private static void add(Map<String, long[]> m, String k, long pkts, long bytes) {
        if (pkts == 0) {
            return;
        }
        long[] v = m.computeIfAbsent(k, x -> new long[2]);
        v[0] += pkts;
        v[1] += bytes;
    }

    private static int proto(String name) {
        return switch (name) {
            case "TCP" -> 6;
            case "UDP" -> 17;
            case "ICMP" -> 1;
            case "ICMP6" -> 58;
            default -> Integer.parseInt(name);
        };
    }

    private static String key(int proto, String src, int sport, String dst, int dport) {
        boolean ports = proto == 6 || proto == 17;
        return proto + " " + norm(src) + (ports ? ":" + sport : "") + " > " + norm(dst) + (ports ? ":" + dport : "");
    }

    private static String norm(String address) {
        long[] a = new long[2];
        IpAddress.parse(address, a);
        return IpAddress.toString(a[0], a[1]);
    }
}
