package org.weir.detect.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.detect.rules.internal.Fixtures.S;
import static org.weir.detect.rules.internal.Fixtures.T0;
import static org.weir.detect.rules.internal.Fixtures.packet;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weir.core.PacketView;
import org.weir.core.Transport;
import org.weir.detect.Alert;
import org.weir.detect.PacketInterest;
import org.weir.detect.Severity;
import org.weir.detect.rules.internal.Fixtures.Probe;
import org.weir.testsupport.TestSession;

/** Each packet rule at the edge of its threshold, with hand-filled packet views. */
class PacketRulesTest {

    private static final int SYN = 0x02, ACK = 0x10, RST = 0x04;

    @Test
    void synFloodNeedsAHundredSynsWithinTenSeconds() {
        Probe p = new Probe(new SynFloodDetector());
        assertEquals(Set.of(PacketInterest.TCP_CONTROL), p.run.packetInterests());
        // 99 SYNs spread over 9.9 s, then one more after the window has moved on: never 100 at once.
        for (int i = 0; i < 99; i++) {
            p.run.onPacket(packet(T0 + i * S / 10, "198.51.100.7", 1024 + i, "192.0.2.80", 80, 6, SYN, 64));
        }
        assertTrue(p.alerts.isEmpty());
        p.run.onPacket(packet(T0 + 25 * S, "198.51.100.7", 2000, "192.0.2.80", 80, 6, SYN, 64));
        assertTrue(p.alerts.isEmpty(), "the first 99 left the window");

        Probe q = new Probe(new SynFloodDetector());
        for (int i = 0; i < 100; i++) {
            q.run.onPacket(packet(T0 + i * S / 20, "198.51.100.7", 1024 + i, "192.0.2.80", 80, 6, SYN, 64));
        }
        assertTrue(q.alerts.isEmpty(), "a suspect until its sessions tell");
        for (int i = 0; i < 500; i++) {
            q.run.onPacket(packet(T0 + 5 * S + i * S / 100, "198.51.100.7", 3000 + i, "192.0.2.80", 80, 6, SYN, 64));
        }
        // The flood's sessions close without a handshake: after 20 of them the verdict is in.
        for (int i = 0; i < 20; i++) {
            q.run.onSessions(Fixtures.closed(Fixtures.tcp("198.51.100.7", "192.0.2.80", 80).at(T0 + i * S / 20, S)
                    .state(i % 2 == 0 ? "S0" : "RSTO", i % 2 == 0 ? "S" : "ShR")));
        }
        Alert a = q.of("syn_flood").get(0);
        assertEquals("198.51.100.7", a.source());
        assertEquals("192.0.2.80", a.target());
        assertEquals(Severity.HIGH, a.severity());
        assertEquals(0.0, a.evidence().get("handshakes_completed_share"));
        q.run.finish();
        assertEquals(1, q.alerts.size(), "one alert per episode");
        // Sessions of the flood that never completed a handshake get the tag; a completed one does not.
        TestSession half = Fixtures.tcp("198.51.100.7", "192.0.2.80", 80).state("S0", "S");
        TestSession done = Fixtures.tcp("198.51.100.8", "192.0.2.80", 80).state("SF", "ShADadFf");
        q.run.onSessions(Fixtures.closed(half, done));
        assertTrue(half.tags().contains("syn_flood"));
        assertFalse(done.tags().contains("syn_flood"));
    }

    @Test
    void aBusyServerWhoseClientsCompleteTheirHandshakesIsNoFlood() {
        Probe p = new Probe(new SynFloodDetector());
        for (int i = 0; i < 150; i++) {
            p.run.onPacket(packet(T0 + i * S / 20, "10.7.0." + (i % 60), 1024 + i, "192.0.2.80", 443, 6, SYN, 64));
        }
        for (int i = 0; i < 30; i++) {
            p.run.onSessions(Fixtures.closed(Fixtures.tcp("10.7.0." + i, "192.0.2.80", 443).at(T0 + i * S / 20, S)
                    .state("SF", "ShADadFf")));
        }
        p.run.finish();
        assertTrue(p.alerts.isEmpty(), p.alerts.toString());
    }

    @Test
    void withoutSessionsTheEndOfInputDecides() {
        Probe p = new Probe(new SynFloodDetector());
        for (int i = 0; i < 100; i++) {
            p.run.onPacket(packet(T0 + i * S / 20, "198.51.100.7", 1024 + i, "192.0.2.80", 80, 6, SYN, 64));
        }
        p.run.finish();
        assertEquals(1, p.of("syn_flood").size());
    }

    @Test
    void synsAcrossManyPortsAreAScanNotAFlood() {
        Probe p = new Probe(new SynFloodDetector());
        for (int i = 0; i < 300; i++) {
            p.run.onPacket(packet(T0 + i * S / 100, "198.51.100.7", 40000, "192.0.2.80", i, 6, SYN, 64));
        }
        assertTrue(p.alerts.isEmpty());
    }

    @Test
    void synAcksAndAcksDoNotCount() {
        Probe p = new Probe(new SynFloodDetector());
        for (int i = 0; i < 300; i++) {
            p.run.onPacket(packet(T0 + i * S / 100, "198.51.100.7", 1000 + i, "192.0.2.80", 80, 6, SYN | ACK, 64));
            p.run.onPacket(packet(T0 + i * S / 100, "198.51.100.7", 1000 + i, "192.0.2.80", 80, 6, RST, 64));
        }
        assertTrue(p.alerts.isEmpty());
    }

    @Test
    void icmpFloodNeedsSourcesOrVolumeAndSkipsMulticast() {
        Probe p = new Probe(new IcmpFloodDetector());
        for (int i = 0; i < 199; i++) {
            p.run.onPacket(packet(T0 + i * S / 100, "10.9.0." + (i % 50), 8, "192.0.2.1", 0, 1, 0, 64));
        }
        assertTrue(p.alerts.isEmpty());
        p.run.onPacket(packet(T0 + 2 * S, "10.9.0.1", 8, "192.0.2.1", 0, 1, 0, 64));
        assertEquals("192.0.2.1", p.of("icmp_flood").get(0).target());

        Probe solo = new Probe(new IcmpFloodDetector());
        for (int i = 0; i < 500; i++) {
            solo.run.onPacket(packet(T0 + i * S / 100, "10.9.0.1", 8, "192.0.2.1", 0, 1, 0, 64));
        }
        assertTrue(solo.alerts.isEmpty(), "one source below solo_packets (ping -f for 5 s)");

        Probe replies = new Probe(new IcmpFloodDetector());
        for (int i = 0; i < 500; i++) {
            replies.run.onPacket(packet(T0 + i * S / 100, "10.9.0." + (i % 50), 0, "192.0.2.1", 0, 1, 0, 64));
            replies.run.onPacket(packet(T0 + i * S / 100, "10.9.0." + (i % 50), 8, "224.0.0.1", 0, 1, 0, 64));
        }
        assertTrue(replies.alerts.isEmpty(), "echo replies and multicast are not floods");
    }

    @Test
    void udpFloodIsUnansweredTraffic() {
        Probe answered = new Probe(new UdpFloodDetector());
        for (int i = 0; i < 1000; i++) {
            answered.run.onPacket(packet(T0 + i * S / 200, "10.8.0." + (i % 100), 5000, "192.0.2.53", 53, 17, 0, 64));
            answered.run.onPacket(packet(T0 + i * S / 200, "192.0.2.53", 53, "10.8.0." + (i % 100), 5000, 17, 0, 64));
        }
        assertTrue(answered.of("udp_flood").isEmpty(), "a DNS server answering is busy, not flooded");

        Probe flood = new Probe(new UdpFloodDetector());
        for (int i = 0; i < 300; i++) {
            flood.run.onPacket(packet(T0 + i * S / 200, "10.8.0." + (i % 100), 5000, "192.0.2.53", 53, 17, 0, 64));
        }
        Alert a = flood.of("udp_flood").get(0);
        assertEquals("192.0.2.53", a.target());
        assertTrue(a.source().startsWith("multiple sources"));
    }

    @Test
    void dnsQuestionParserReadsNameAndType() {
        PacketView v = Fixtures.dnsQuery(packet(T0, "10.0.0.1", 5353, "10.0.0.53", 53, 17, 0, 64),
                "www.Example.co.uk", 16);
        DnsQuestion q = new DnsQuestion();
        assertTrue(q.parse(v));
        assertEquals("www.Example.co.uk", q.nameText());
        assertEquals(16, q.qtype);
        assertFalse(q.response);
        assertEquals(4, q.labels);
        assertEquals(3, q.parentLabels());
        assertEquals("example.co.uk", q.suffixText(3));
        v.payloadCapturedLength = 20; // cut inside the name
        assertFalse(q.parse(v));
    }

    @Test
    void nameClassifierSeesEncodingNotLength() {
        DnsQuestion q = new DnsQuestion();
        DnsNameClassifier c = new DnsNameClassifier(24, 3.5);
        String[] encoded = {"q+Z8AnwaBA.hidemyself.org",
                "dIUEABDEZOBAAAQAGRTXQUAAAAMFAAAAC37CAAFUWXXFR6HRPM6HIAEAAHRZAGA.tunnel.tuns.org",
                "x7k2m9q4w8e1r5t3y6u0i2o4p7a9s1d3.example.com"};
        for (String n : encoded) {
            assertTrue(q.setName(n) && c.suspicious(q), n);
        }
        String[] plain = {"www.mountainsportsclub-discountskiandsnowboardlifttickets.com", "mail.google.com",
                "3.8.e.3.3.0.e.f.f.f.a.e.2.4.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa",
                "_ldap._tcp.dc._msdcs.corp.example.com", "r12345.tunnel.tuns.org", "example.com"};
        for (String n : plain) {
            assertFalse(q.setName(n) && c.suspicious(q), n);
        }
    }

    @Test
    void dnsTunnelCountsDistinctNamesPerWindowNotOverTheClientsWholeHistory() {
        // Every minute a client asks 100 times for 10 names under one domain, new names each minute: never "mostly
        // distinct" within a 60 s window, though hundreds of distinct names over the quarter hour.
        Probe p = new Probe(new DnsTunnelDetector());
        for (int minute = 0; minute < 15; minute++) {
            for (int i = 0; i < 100; i++) {
                p.run.onPacket(Fixtures.dnsQuery(packet(T0 + minute * 60 * S + i * S / 2, "10.0.0.5", 3333,
                        "10.0.0.53", 53, 17, 0, 64), "host" + minute + "x" + (i % 10) + ".example.com", 1));
            }
        }
        p.run.finish();
        assertTrue(p.alerts.isEmpty(), p.alerts.toString());
        // Within one window, 100 queries for 100 distinct names are reported.
        Probe q = new Probe(new DnsTunnelDetector());
        for (int i = 0; i < 100; i++) {
            q.run.onPacket(Fixtures.dnsQuery(packet(T0 + i * S / 2, "10.0.0.5", 3333, "10.0.0.53", 53, 17, 0, 64),
                    "host" + i + ".example.com", 1));
        }
        assertEquals(1, q.of("dns_tunnel").size());
    }

    @Test
    void dnsTunnelNeedsFiveEncodedNamesToOneDomain() {
        Probe p = new Probe(new DnsTunnelDetector());
        String[] names = {"a1B2c3D4e5F6g7H8i9", "zz9Q8w7E6r5T4y3U2i", "Mn0Bv9Cx8Zl7Kj6Hg5", "Pq1Wo2Ei3Ru4Ty5Yu6"};
        for (int i = 0; i < names.length; i++) {
            p.run.onPacket(Fixtures.dnsQuery(packet(T0 + i * S, "10.0.0.5", 3333, "10.0.0.53", 53, 17, 0, 64),
                    names[i] + ".evil.example", 1));
        }
        assertTrue(p.alerts.isEmpty());
        p.run.onPacket(Fixtures.dnsQuery(packet(T0 + 5 * S, "10.0.0.5", 3333, "10.0.0.53", 53, 17, 0, 64),
                "Lk9Jh8Gf7Ds6Aa5Ss4.evil.example", 1));
        Alert a = p.of("dns_tunnel").get(0);
        assertEquals("10.0.0.5", a.source());
        assertEquals("evil.example", a.target());
        assertEquals("10.0.0.53", a.evidence().get("resolver"));
        TestSession dns = new TestSession("10.0.0.5", 3333, "10.0.0.53", 53, Transport.UDP);
        p.run.onSessions(Fixtures.closed(dns));
        assertTrue(dns.tags().contains("dns_tunnel"));
    }

    @Test
    void manyDistinctNamesOrNullQueriesAlsoMarkATunnel() {
        Probe polls = new Probe(new DnsTunnelDetector());
        for (int i = 0; i < 100; i++) {
            polls.run.onPacket(Fixtures.dnsQuery(packet(T0 + i * S / 2, "10.0.0.5", 3333, "10.0.0.53", 53, 17, 0,
                    64), "r" + (10000 + i * 7) + ".tunnel.example", 1));
        }
        assertEquals(1, polls.of("dns_tunnel").size());

        Probe repeated = new Probe(new DnsTunnelDetector());
        for (int i = 0; i < 300; i++) {
            repeated.run.onPacket(Fixtures.dnsQuery(packet(T0 + i * S / 10, "10.0.0.5", 3333, "10.0.0.53", 53, 17,
                    0, 64), "www.example.com", 1));
        }
        assertTrue(repeated.alerts.isEmpty(), "the same name again and again is chatty, not a tunnel");

        Probe nulls = new Probe(new DnsTunnelDetector());
        for (int i = 0; i < 3; i++) {
            nulls.run.onPacket(Fixtures.dnsQuery(packet(T0 + i * S, "10.0.0.5", 3333, "10.0.0.53", 53, 17, 0, 64),
                    "p" + i + ".t.example", 10));
        }
        assertEquals(1, nulls.of("dns_tunnel").size());
    }

    static PacketView arp(long t, int op, long mac, String ip) {
        PacketView v = new PacketView();
        v.resetLayers();
        v.data = new byte[64];
        v.linkType = 1;
        v.capturedLength = 42;
        v.timestampNanos = t;
        v.etherType = 0x0806;
        byte[] d = v.data;
        d[12] = 0x08;
        d[13] = 0x06;
        int a = 14;
        d[a + 1] = 1; // Ethernet
        d[a + 2] = 0x08; // IPv4
        d[a + 4] = 6;
        d[a + 5] = 4;
        d[a + 7] = (byte) op;
        for (int i = 0; i < 6; i++) {
            d[a + 8 + i] = (byte) (mac >>> (40 - 8 * i));
        }
        String[] parts = ip.split("\\.");
        for (int i = 0; i < 4; i++) {
            d[a + 14 + i] = (byte) Integer.parseInt(parts[i]);
        }
        return v;
    }

    @Test
    void arpClaimsByANewMacAndContention() {
        Probe p = new Probe(new ArpSpoofDetector());
        p.run.onPacket(arp(T0, 2, 0x0000_1111_2222L, "192.168.1.1"));
        p.run.onPacket(arp(T0 + S, 2, 0x0000_1111_2222L, "192.168.1.1"));
        assertTrue(p.alerts.isEmpty());
        p.run.onPacket(arp(T0 + 2 * S, 2, 0x0000_3333_4444L, "192.168.1.1"));
        Alert claimed = p.of("arp_ip_claimed").get(0);
        assertEquals("00:00:33:33:44:44", claimed.source());
        assertEquals("192.168.1.1", claimed.target());
        assertEquals(Severity.MEDIUM, claimed.severity());
        p.run.onPacket(arp(T0 + 3 * S, 2, 0x0000_1111_2222L, "192.168.1.1"));
        assertEquals(Severity.HIGH, p.of("arp_cache_poisoning").get(0).severity());
        p.run.onPacket(arp(T0 + 4 * S, 1, 0x0000_5555_6666L, "0.0.0.0"));
        assertEquals(2, p.alerts.size(), "ARP probes claim nothing");
    }

    private static PacketView arpRequest(long t, String sender, String target) {
        PacketView v = arp(t, 1, 0x0000_1111_2222L, sender);
        String[] parts = target.split("\\.");
        for (int i = 0; i < 4; i++) {
            v.data[14 + 24 + i] = (byte) Integer.parseInt(parts[i]);
        }
        return v;
    }

    @Test
    void arpRequestsForManyAddressesAreASweep() {
        // The distinct count is a 64-bit sketch (within a few of the truth near 20): test well below and above.
        Probe few = new Probe(new PortScanDetector());
        for (int i = 0; i < 12; i++) {
            few.run.onPacket(arpRequest(T0 + i * S, "192.168.1.50", "192.168.1." + (100 + i)));
            few.run.onPacket(arpRequest(T0 + i * S, "192.168.1.50", "192.168.1.50")); // gratuitous
        }
        assertTrue(few.alerts.isEmpty());
        Probe many = new Probe(new PortScanDetector());
        for (int i = 0; i < 40; i++) {
            many.run.onPacket(arpRequest(T0 + i * S / 10, "192.168.1.50", "192.168.1." + (100 + i)));
        }
        Alert a = many.of("arp_sweep").get(0);
        assertEquals("192.168.1.50", a.source());
        assertEquals(1, many.alerts.size());
        Probe slow = new Probe(new PortScanDetector());
        for (int i = 0; i < 40; i++) {
            slow.run.onPacket(arpRequest(T0 + i * 10 * S, "192.168.1.50", "192.168.1." + (100 + i)));
        }
        assertTrue(slow.alerts.isEmpty(), "6 addresses a minute is a host's ordinary ARP traffic");
    }

    @Test
    void ttlChangeWithinAConnectionDirection() {
        Probe p = new Probe(new TtlAnomalyDetector());
        p.run.onPacket(packet(T0, "192.0.2.10", 443, "10.0.0.2", 5555, 6, SYN | ACK, 52));
        p.run.onPacket(packet(T0 + S, "192.0.2.10", 443, "10.0.0.2", 5555, 6, RST, 45));
        assertTrue(p.alerts.isEmpty(), "delta 7 is below 8");
        p.run.onPacket(packet(T0 + 2 * S, "192.0.2.10", 443, "10.0.0.2", 5555, 6, RST, 44));
        Alert a = p.of("ttl_inconsistent").get(0);
        assertEquals("192.0.2.10", a.source());
        assertEquals(8, a.evidence().get("delta"));
        // The other direction has its own TTL.
        p.run.onPacket(packet(T0, "10.0.0.2", 5555, "192.0.2.10", 443, 6, SYN, 128));
        assertEquals(1, p.alerts.size());
    }

    @Test
    void ttlDirectionsOfOneConnectionAreForgottenOnTheirOwn() {
        Probe p = new Probe(new TtlAnomalyDetector());
        // Beyond 65536 remembered directions the idle ones are forgotten (idle: 300 s).
        for (int i = 0; i < 70_000; i++) {
            p.run.onPacket(packet(T0, "10." + (i >> 16) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF), 40000, "192.0.2.1", 80, 6, SYN, 64));
        }
        p.run.onPacket(packet(T0, "10.0.0.2", 5555, "192.0.2.10", 443, 6, SYN, 64));
        p.run.onPacket(packet(T0 + 200 * S, "192.0.2.10", 443, "10.0.0.2", 5555, 6, SYN | ACK, 52));
        p.run.onTime(T0 + 400 * S);
        // The client's direction was idle for 400 s: forgotten, so this RST's TTL is simply its first.
        p.run.onPacket(packet(T0 + 401 * S, "10.0.0.2", 5555, "192.0.2.10", 443, 6, RST, 20));
        assertTrue(p.alerts.isEmpty());
        // The server's direction was seen 200 s ago: still remembered.
        p.run.onPacket(packet(T0 + 402 * S, "192.0.2.10", 443, "10.0.0.2", 5555, 6, RST, 20));
        assertEquals(1, p.of("ttl_inconsistent").size());
        // And the client's new first TTL now holds.
        p.run.onPacket(packet(T0 + 403 * S, "10.0.0.2", 5555, "192.0.2.10", 443, 6, RST, 64));
        assertEquals(2, p.of("ttl_inconsistent").size());
    }

    @Test
    void trafficSpikeIsThreeDeviationsAboveTheBaseline() {
        Probe p = new Probe(new TrafficSpikeDetector());
        java.util.Random r = new java.util.Random(3);
        long t = T0;
        for (int sec = 0; sec < 120; sec++) {
            int n = 90 + r.nextInt(20); // about 100 packets of 1500 bytes per second
            for (int i = 0; i < n; i++) {
                PacketView v = packet(t + sec * S + i * (S / 200), "10.0.0.1", 1, "10.0.0.2", 2, 6, 0, 64);
                v.ipTotalLength = 1500;
                p.run.onPacket(v);
            }
        }
        assertTrue(p.alerts.isEmpty(), "steady traffic: " + p.alerts);
        for (int i = 0; i < 1000; i++) {
            PacketView v = packet(t + 120 * S + i * (S / 2000), "10.0.0.1", 1, "10.0.0.9", 2, 6, 0, 64);
            v.ipTotalLength = 1500;
            p.run.onPacket(v);
        }
        p.run.finish();
        Alert a = p.of("traffic_spike").get(0);
        assertEquals("10.0.0.9", a.target());
        assertEquals(Severity.MEDIUM, a.severity());
    }

    @Test
    void packetRulesAllocateNothingPerPacket() {
        List<Probe> probes = List.of(new Probe(new SynFloodDetector()), new Probe(new IcmpFloodDetector()),
                new Probe(new UdpFloodDetector()), new Probe(new DnsTunnelDetector()),
                new Probe(new TtlAnomalyDetector()), new Probe(new TrafficSpikeDetector()),
                new Probe(new ArpSpoofDetector()));
        PacketView dns = Fixtures.dnsQuery(packet(T0, "10.0.0.5", 3333, "10.0.0.53", 53, 17, 0, 64),
                "www.example.com", 1);
        PacketView syn = packet(T0, "198.51.100.7", 1024, "192.0.2.80", 80, 6, SYN, 64);
        PacketView echo = packet(T0, "10.9.0.1", 8, "192.0.2.1", 0, 1, 0, 64);
        PacketView arp = arp(T0, 2, 0x0000_1111_2222L, "192.168.1.1");
        PacketView[] views = {dns, syn, echo, arp};
        Probe[] runs = probes.toArray(new Probe[0]); // an array: a List's iterator would be the test's allocation
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = 0;
        for (int i = 0; i < 120_000; i++) {
            if (i == 20_000) {
                before = mx.getThreadAllocatedBytes(tid);
            }
            // One packet of each kind per 200 ms: windows roll, no threshold is reached.
            long t = T0 + i * (S / 5);
            for (PacketView v : views) {
                v.timestampNanos = t;
                for (Probe p : runs) {
                    p.run.onPacket(v);
                }
            }
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        for (Probe p : probes) {
            assertTrue(p.alerts.isEmpty(), p.alerts.toString());
        }
        assertTrue(allocated < 4096, "100k rounds of packets allocated " + allocated + " bytes");
    }
}
