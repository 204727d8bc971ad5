package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weir.core.IpAddress;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionOptions;
import org.weir.testsupport.Corpus;

/**
 * suricata-verify EVE {@code flow} records against the table's sessions.
 *
 * <p>What is compared, and why it is comparable: {@code pkts_toserver}/{@code pkts_toclient} are packets sent by
 * the record's {@code src_ip}/{@code src_port} side and by the other side; the session's per-endpoint packet
 * counts are summed for the side that has that address and port. {@code bytes_*} are whole captured frames
 * (Ethernet and VLAN headers included; for a flow inside a tunnel, the inner IP packet); sessions count IP bytes
 * (Zeek's {@code *_ip_bytes}), so the expected value is compared with the session's IP bytes plus the link-layer
 * overhead of the same packets, which a tap beside the table measures from the frames. Checksums are not verified
 * (Suricata counts every packet of a flow). Suricata keys flows more finely than Zeek in two places: ESP flows by
 * SPI and all flows by VLAN. Records that fall on the same session are therefore added up before comparing, and the
 * VLAN cases run with the VLAN-aware key (Zeek's {@code vlan_fivetuple}).
 */
class SuricataFlowTest {

    /** Fraction of equal counters achieved; fails when it drops. */
    static final double FLOOR = 0.96;

    private static final String[][] CASES = {{"bug-2491-02", "simple_http_download.onesided.nosyn.pcap"},
        {"bug-6733-syn-packet-flow-output", "input.pcap"}, {"community-id-ipv6", "input.pcap"},
        {"decode-teredo-01", "input.pcap"}, {"dns/dns-udp-eve-txt", "input.pcap"}, {"dns/bug-990", "input.pcap"},
        {"eve-flow-esp", "input.pcap"}, {"eve-flow-vlan", "input.pcap"}, {"eve-flow-vlan-02", "input.pcap"},
        {"eve-metadata", "testmyids.pcap"}, {"tcp-fastopen-01", "tfo.pcap"},
        {"tcp-stream-after-swap", "http-start-from-response.pcap"}};

    private static final List<String> COUNTERS = List.of("flow.pkts_toserver", "flow.pkts_toclient",
            "flow.bytes_toserver", "flow.bytes_toclient");

    /** One packet as the tap saw it. */
    private record Frame(int proto, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int vlan,
            int innerVlan, long overhead) {
    }

    @Test
    void flowCountersMatchSuricata() throws IOException {
        long equal = 0, total = 0;
        List<String> report = new ArrayList<>(), differences = new ArrayList<>();
        for (String[] c : CASES) {
            String dir = "suricata-verify/" + c[0];
            boolean vlanKey = c[0].startsWith("eve-flow-vlan");
            List<Frame> frames = new ArrayList<>();
            SessionOptions options = SessionOptions.defaults();
            ZeekConfig config = ZeekConfig.defaults(options).vlanInKey(vlanKey);
            FlowTable table = new FlowTable(options, config, 1);
            List<Session> sessions = new ArrayList<>();
            table.addListener(b -> sessions.addAll(b.closed()));
            Path pcap = Corpus.resolve(dir + "/" + c[1]);
            Traces.feed(pcap, true, p -> {
                if (p.ipVersion != 0 && !p.transportTruncated) {
                    frames.add(frame(p));
                }
                table.onPacket(p);
            });
            table.closeAll();

            // Expected counters per group of sessions (several Suricata flows may fall on one session).
            Map<List<Session>, long[]> expected = new LinkedHashMap<>();
            Map<List<Session>, String> labels = new LinkedHashMap<>();
            Map<List<Session>, Side> sides = new LinkedHashMap<>();
            int flows = 0;
            long caseEqual = 0, caseTotal = 0;
            List<Session> claimed = new ArrayList<>();
            for (Map<String, String> check : SuricataChecks.read(Corpus.resolve(dir + "/test.yaml"))) {
                if (!"flow".equals(check.get("event_type"))) {
                    continue;
                }
                if (COUNTERS.stream().noneMatch(check::containsKey)) {
                    if (check.containsKey("vlan")) {
                        // Only the VLAN ids are expected: a session of its own must carry them.
                        flows++;
                        caseTotal++;
                        Side side = Side.of(check);
                        Session own = sessions.stream().filter(x -> side.matches(x) && !claimed.contains(x))
                                .findFirst().orElse(null);
                        if (own != null) {
                            claimed.add(own);
                            caseEqual++;
                        } else {
                            differences.add(c[0] + " " + side + ": no session with these VLAN ids");
                        }
                    }
                    continue;
                }
                flows++;
                Side side = Side.of(check);
                List<Session> group = sessions.stream().filter(side::matches).toList();
                String label = c[0] + " " + side;
                if (group.isEmpty()) {
                    differences.add(label + ": no session");
                    total += COUNTERS.stream().filter(check::containsKey).count();
                    continue;
                }
                long[] e = expected.computeIfAbsent(group, g -> new long[] {-1, -1, -1, -1});
                labels.putIfAbsent(group, label);
                sides.putIfAbsent(group, side);
                for (int i = 0; i < 4; i++) {
                    String v = check.get(COUNTERS.get(i));
                    if (v != null) {
                        e[i] = Math.max(e[i], 0) + Long.parseLong(v);
                    }
                }
            }
            for (Map.Entry<List<Session>, long[]> g : expected.entrySet()) {
                Side side = sides.get(g.getKey());
                long[] got = side.counters(g.getKey(), frames);
                for (int i = 0; i < 4; i++) {
                    if (g.getValue()[i] < 0) {
                        continue;
                    }
                    caseTotal++;
                    if (g.getValue()[i] == got[i]) {
                        caseEqual++;
                    } else {
                        differences.add(labels.get(g.getKey()) + " " + COUNTERS.get(i) + " suricata="
                                + g.getValue()[i] + " weir=" + got[i]);
                    }
                }
            }
            report.add(String.format("%-34s flows %2d  counters %3d/%-3d", c[0], flows, caseEqual, caseTotal));
            equal += caseEqual;
            total += caseTotal;
        }
        double fraction = total == 0 ? 0 : (double) equal / total;
        report.forEach(System.out::println);
        System.out.printf("TOTAL %d/%d counters equal (%.2f %%)%n", equal, total, 100 * fraction);
        differences.forEach(d -> System.out.println("  " + d));
        assertTrue(total > 0);
        assertTrue(fraction >= FLOOR, "Suricata flow agreement dropped to " + fraction);
    }

    private static Frame frame(PacketView p) {
        // Suricata's flow bytes: the captured frame, or for a tunnelled flow the inner IP packet.
        long bytes = p.tunnelDepth == 0 ? p.capturedLength : p.capturedLength - (p.ipOffset - p.frameOffset);
        return new Frame(p.protocol, p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, p.vlan, p.innerVlan,
                bytes - p.ipTotalLength);
    }

    /** The client side ("toserver" sender) of a Suricata flow record, and how it selects sessions. */
    private record Side(int proto, long[] src, int srcPort, long[] dst, int dstPort, int[] vlans) {

        static Side of(Map<String, String> m) {
            long[] src = null, dst = null;
            if (m.containsKey("src_ip")) {
                src = new long[2];
                IpAddress.parse(m.get("src_ip"), src);
            }
            if (m.containsKey("dest_ip")) {
                dst = new long[2];
                IpAddress.parse(m.get("dest_ip"), dst);
            }
            int proto = -1;
            String p = m.get("proto");
            if (p != null) {
                proto = switch (p) {
                    case "TCP" -> 6;
                    case "UDP" -> 17;
                    case "ICMP" -> 1;
                    default -> 58;
                };
            } else if (m.containsKey("spi")) {
                proto = 50;
            } else if (m.containsKey("icmp_type")) {
                proto = src != null && !IpAddress.isV4(src[0], src[1]) ? 58 : 1;
            }
            int[] vlans = null;
            if (m.containsKey("vlan")) {
                String v = m.get("vlan").replace("[", "").replace("]", "");
                vlans = java.util.Arrays.stream(v.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
            }
            return new Side(proto, src, port(m.get("src_port")), dst, port(m.get("dest_port")), vlans);
        }

        private static int port(String s) {
            return s == null ? -1 : Integer.parseInt(s);
        }

        boolean matches(Session s) {
            if (proto >= 0 && s.ipProtocol() != proto) {
                return false;
            }
            if (vlans != null && (s.vlan() != vlans[0] || s.innerVlan() != (vlans.length > 1 ? vlans[1] : -1))) {
                return false;
            }
            boolean ports = s.ipProtocol() == 6 || s.ipProtocol() == 17;
            return (isClient(s, true) && isServer(s, false, ports)) || (isClient(s, false) && isServer(s, true, ports))
                    || (src == null && dst == null && (dstPort < 0 || s.respPort() == dstPort
                            || s.origPort() == dstPort));
        }

        private boolean isClient(Session s, boolean orig) {
            if (src == null) {
                return dst != null;
            }
            long hi = orig ? s.origHi() : s.respHi(), lo = orig ? s.origLo() : s.respLo();
            int port = orig ? s.origPort() : s.respPort();
            return hi == src[0] && lo == src[1] && (srcPort < 0 || port == srcPort);
        }

        private boolean isServer(Session s, boolean orig, boolean ports) {
            if (dst == null) {
                return src != null;
            }
            long hi = orig ? s.origHi() : s.respHi(), lo = orig ? s.origLo() : s.respLo();
            int port = orig ? s.origPort() : s.respPort();
            return hi == dst[0] && lo == dst[1] && (dstPort < 0 || !ports || port == dstPort);
        }

        /** The client side of a session is its originator unless the flow's source is the responder. */
        private boolean clientIsOrig(Session s) {
            if (src != null) {
                return isClient(s, true) && !(isClient(s, false) && !isClient(s, true));
            }
            // No endpoint named: the server is the side on dest_port, else Zeek's responder.
            return dstPort < 0 || s.origPort() != dstPort;
        }

        long[] counters(List<Session> group, List<Frame> frames) {
            long[] r = new long[4];
            for (Session s : group) {
                boolean co = clientIsOrig(s);
                r[0] += co ? s.origPackets() : s.respPackets();
                r[1] += co ? s.respPackets() : s.origPackets();
                r[2] += co ? s.origIpBytes() : s.respIpBytes();
                r[3] += co ? s.respIpBytes() : s.origIpBytes();
            }
            // Link-layer overhead of the group's packets, each counted once, on the side that sent it.
            for (Frame f : frames) {
                for (Session s : group) {
                    int dir = direction(f, s);
                    if (dir != 0) {
                        boolean fromClient = (dir > 0) == clientIsOrig(s);
                        r[fromClient ? 2 : 3] += f.overhead();
                        break;
                    }
                }
            }
            return r;
        }

        /** 1 when the frame was sent by the session's originator, -1 by its responder, 0 when not its packet. */
        private int direction(Frame f, Session s) {
            if (f.proto() != s.ipProtocol()
                    || (vlans != null && (f.vlan() != s.vlan() || f.innerVlan() != s.innerVlan()))) {
                return 0;
            }
            boolean ports = f.proto() == 6 || f.proto() == 17;
            if (f.sHi() == s.origHi() && f.sLo() == s.origLo() && f.dHi() == s.respHi() && f.dLo() == s.respLo()
                    && (!ports || (f.sPort() == s.origPort() && f.dPort() == s.respPort()))) {
                return 1;
            }
            if (f.sHi() == s.respHi() && f.sLo() == s.respLo() && f.dHi() == s.origHi() && f.dLo() == s.origLo()
                    && (!ports || (f.sPort() == s.respPort() && f.dPort() == s.origPort()))) {
                return -1;
            }
            return 0;
        }

        @Override
        public String toString() {
            return (proto < 0 ? "" : proto + " ") + (src == null ? "*" : IpAddress.toString(src[0], src[1])) + ":"
                    + srcPort + " > " + (dst == null ? "*" : IpAddress.toString(dst[0], dst[1])) + ":" + dstPort
                    + (vlans == null ? "" : " vlan " + java.util.Arrays.toString(vlans));
        }
    }
}
