package org.weir.detect.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.weir.core.CaptureFormat;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.SessionTableFactory;
import org.weir.detect.Alert;
import org.weir.detect.Detector;
import org.weir.detect.Severity;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;

/**
 * Every rule detector over labelled real captures, through the real decoder and session table: it fires on its
 * attack, naming the attacker and the victim, and no detector raises a high-severity alert on benign traffic.
 */
class CapturesTest {

    static List<Detector> all() {
        return List.of(new PortScanDetector(), new BruteForceDetector(), new SynFloodDetector(),
                new IcmpFloodDetector(), new UdpFloodDetector(), new DnsTunnelDetector(), new BeaconDetector(),
                new LongConnectionDetector(), new TransportAnomalyDetector(), new TtlAnomalyDetector(),
                new ArpSpoofDetector(), new TrafficSpikeDetector());
    }

    static CaptureRun run(String capture) throws IOException {
        return new CaptureRun(Services.all(CaptureFormat.class, 2), Services.get(PacketDecoderFactory.class),
                Services.get(SessionTableFactory.class)).run(Corpus.resolve(capture), all(), Map.of());
    }

    private static Alert only(CaptureRun r, String type) {
        List<Alert> a = r.of(type);
        assertEquals(1, a.size(), type + " alerts: " + r.alerts);
        return a.get(0);
    }

    private static void assertNames(Alert a, String source, String target) {
        assertEquals(source, a.source(), a.toString());
        assertTrue(a.target().startsWith(target), a.toString());
    }

    @Test
    void masscanTcpAndUdpScansAreVerticalScans() throws IOException {
        for (String c : List.of("attacks/esnet-curated/attacks/scanners/masscan/tcp_0_1000_20190821.pcap",
                "attacks/esnet-curated/attacks/scanners/masscan/udp_0_1000_20190821.pcap")) {
            CaptureRun r = run(c);
            assertNames(only(r, "vertical_port_scan"), "172.31.15.102", "198.124.152.15");
            assertTrue(r.of("syn_flood").isEmpty(), "a scan over 1001 ports is not a SYN flood: " + r.alerts);
            long tagged = r.closed.stream().filter(s -> s.tags().contains("port_scan")).count();
            assertTrue(tagged > 900, "scan sessions tagged: " + tagged);
        }
    }

    @Test
    void nmapSynScansShowHalfOpenProbes() throws IOException {
        for (String c : List.of("attacks/esnet-curated/attacks/scanners/nmap/nmap_80_vanilla.pcap",
                "attacks/esnet-curated/attacks/scanners/nmap/nmap_80_all.pcap",
                "attacks/esnet-curated/attacks/scanners/nmap/nmap_80_w_service_detection.pcap")) {
            CaptureRun r = run(c);
            Alert a = only(r, "half_open_probe");
            assertNames(a, "10.87.1.10", "130.211.223.103:");
            assertEquals(Severity.LOW, a.severity());
        }
    }

    @Test
    void synFloods() throws IOException {
        assertNames(only(run("attacks/floods/moriakhin-malware_traffic_detector/syn_flood.pcap"), "syn_flood"),
                "192.168.1.52", "192.168.1.34");
        Alert spoofed = only(run("attacks/floods/rusllang-ml_qos/syn_flood.pcap"), "syn_flood");
        assertEquals("192.168.1.1", spoofed.target());
        assertTrue(spoofed.source().startsWith("multiple sources"), spoofed.source());
    }

    @Test
    void icmpUdpAndMixedFloods() throws IOException {
        assertEquals("192.168.1.1", only(run("attacks/floods/rusllang-ml_qos/icmp_flood.pcap"), "icmp_flood").target());
        assertEquals("192.168.1.1", only(run("attacks/floods/rusllang-ml_qos/udp_flood.pcap"), "udp_flood").target());
        CaptureRun ddos = run("attacks/floods/rusllang-ml_qos/ddos.pcap");
        for (String type : List.of("syn_flood", "icmp_flood", "udp_flood")) {
            assertEquals("192.168.1.1", only(ddos, type).target());
        }
    }

    @Test
    void dnsTunnels() throws IOException {
        CaptureRun iodine = run("attacks/dns-tunnel/iodine-elastic-examples.pcap");
        assertNames(only(iodine, "dns_tunnel"), "10.0.2.30", "pirate.sea");
        assertTrue(iodine.closed.stream().anyMatch(s -> s.tags().contains("dns_tunnel")));
        assertNames(only(run("attacks/dns-tunnel/dns2tcp-netrack-2018-03-23.pcap"), "dns_tunnel"), "172.17.0.3",
                "hidemyself.org");
    }

    @Test
    void sshAndFtpPasswordGuessing() throws IOException {
        Alert ssh = only(run("zeek/scripts.policy.protocols.ssh.detect-bruteforcing/traces/ssh/sshguess.pcap"),
                "password_guessing");
        assertNames(ssh, "192.168.56.1", "192.168.56.103:22");
        Alert ftp = only(run("zeek/scripts.policy.protocols.ftp.bruteforce/traces/ftp/bruteforce.pcap"),
                "password_guessing");
        assertNames(ftp, "192.168.56.1", "192.168.56.101:21");
    }

    @Test
    void benignCapturesRaiseNothingHigh() throws IOException {
        for (String c : List.of("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap",
                "attacks/floods/moriakhin-malware_traffic_detector/no_flood.pcap",
                "attacks/floods/rusllang-ml_qos/normal.pcap", "malformed/wikipedia.pcapng",
                "malformed/wikipedia-vlan100.pcap")) {
            CaptureRun r = run(c);
            List<Alert> high = r.alerts.stream().filter(a -> a.severity().compareTo(Severity.HIGH) >= 0).toList();
            assertTrue(high.isEmpty(), c + ": " + high);
            assertFalse(r.closed.isEmpty(), c + " produced no sessions at all");
            System.out.println(c + ": " + r.alerts.stream().map(a -> a.severity().label() + " " + a.type())
                    .collect(Collectors.joining(", ")));
        }
    }
}
