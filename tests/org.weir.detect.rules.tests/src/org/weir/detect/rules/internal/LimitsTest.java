package org.weir.detect.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.detect.rules.internal.Fixtures.S;
import static org.weir.detect.rules.internal.Fixtures.T0;
import static org.weir.detect.rules.internal.Fixtures.packet;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.weir.core.PacketView;
import org.weir.detect.AlertSink;
import org.weir.detect.rules.internal.Fixtures.Probe;
import org.weir.testsupport.TestSession;

/**
 * Every bounded table of the rule detectors, driven past a test-sized bound: what it could not track is counted and
 * reported once, at the end of the run, through {@link AlertSink#warn}; nothing is reported below the bound.
 */
class LimitsTest {

    private static final int SYN = 0x02;

    @Test
    void portScanSetsPastTheirBoundAreCountedAndReported() {
        Probe p = new Probe(new PortScanDetector(2));
        for (int i = 0; i < 5; i++) { // five sources, one probe each: five vertical and five horizontal sets
            p.run.onSessions(Fixtures.closed(Fixtures.tcp("10.0.0." + (i + 1), "192.0.2.1", 80)
                    .at(T0 + i * S, S).state("S0", "S")));
        }
        p.run.finish();
        assertEquals(List.of(
                "3 probe sessions (vertical) not tracked: more than 2 (source, target) probe sets at once (memory bound)",
                "3 probe sessions (horizontal) not tracked: more than 2 (source, port) probe sets at once (memory bound)"),
                p.warnings);
    }

    @Test
    void halfOpenPairsPastTheBoundAreReportedAgainAndSaidSo() {
        Probe p = new Probe(new PortScanDetector(2));
        for (int i = 0; i < 3; i++) {
            TestSession s = Fixtures.tcp("10.0.0." + (i + 1), "192.0.2.1", 80).at(T0 + i * S, S).state("RSTO", "ShR");
            p.run.onSessions(Fixtures.closed(s));
            p.run.onSessions(Fixtures.closed(s)); // the same pair again: remembered below the bound only
        }
        p.run.finish();
        assertEquals(4, p.of("half_open_probe").size(), "the third pair is not remembered, so it is reported twice");
        assertTrue(p.warnings.contains("2 half-open probes not remembered as reported: more than 2 (originator, "
                + "responder) pairs at once (memory bound); their pairs may have been reported more than once"),
                p.warnings.toString());
    }

    @Test
    void arpSendersPastTheBoundAreCountedAndReported() {
        Probe p = arpFromSenders(new PortScanDetector(2), 1, 4);
        assertEquals(List.of("2 ARP requests not tracked: more than 2 ARP senders at once (memory bound)"),
                p.warnings);
    }

    /** A finished run after ARP frames of operation {@code op} from {@code n} senders, one each. */
    private static Probe arpFromSenders(RuleDetector d, int op, int n) {
        Probe p = new Probe(d);
        for (int i = 0; i < n; i++) {
            p.run.onPacket(PacketRulesTest.arp(T0 + i * S, op, 0x0000_1111_2200L + i, "192.168.1." + (i + 1)));
        }
        p.run.finish();
        return p;
    }

    @Test
    void bruteForceSourcesPastTheBoundAreCountedAndReported() {
        Probe p = new Probe(new BruteForceDetector(2));
        for (int i = 0; i < 4; i++) {
            p.run.onSessions(Fixtures.closed(Fixtures.tcp("10.0.0." + (i + 1), "192.0.2.22", 22)
                    .at(T0 + i * S, S).bytes(500, 500).state("SF", "ShADadFf")));
        }
        p.run.finish();
        assertEquals(List.of("2 login attempts not tracked: more than 2 (source, login port) keys at once "
                + "(memory bound)"), p.warnings);
    }

    @Test
    void beaconPairsAndLongSeriesPastTheirBoundsAreCountedAndReported() {
        Probe pairs = new Probe(new BeaconDetector(2));
        for (int i = 0; i < 3; i++) {
            pairs.run.onSessions(Fixtures.closed(Fixtures.tcp("10.0.0." + (i + 1), "192.0.2.1", 443)
                    .at(T0 + i * S, S).bytes(100, 100)));
        }
        pairs.run.finish();
        assertEquals(List.of("1 sessions not tracked: more than 2 (originator, responder) pairs at once "
                + "(memory bound)"), pairs.warnings);

        Probe series = new Probe(new BeaconDetector(2));
        for (int i = 0; i < 5; i++) { // one pair: its first two sessions are kept, three are not
            series.run.onSessions(Fixtures.closed(Fixtures.tcp("10.0.0.1", "192.0.2.1", 443)
                    .at(T0 + i * 60 * S, S).bytes(100, 100)));
        }
        series.run.finish();
        assertEquals(List.of("3 sessions not scored: pairs are scored on their first 2 sessions (memory bound)"),
                series.warnings);
    }

    @Test
    void dnsTunnelPairsPastTheBoundAreCountedAndReported() {
        Probe p = new Probe(new DnsTunnelDetector(2));
        for (int i = 0; i < 3; i++) {
            for (int q = 0; q < 2; q++) {
                p.run.onPacket(Fixtures.dnsQuery(packet(T0 + q * S, "10.0.0." + (i + 1), 3333, "10.0.0.53", 53, 17,
                        0, 64), "www.example.com", 1));
            }
        }
        p.run.finish();
        assertEquals(List.of("2 DNS queries not tracked: more than 2 (client, domain) pairs at once (memory bound)"),
                p.warnings);
    }

    @Test
    void ttlDirectionsPastMaxDirectionsAreCountedAndReported() {
        Probe p = new Probe(new TtlAnomalyDetector(), "max_directions", "2");
        for (int i = 0; i < 3; i++) {
            p.run.onPacket(packet(T0 + i * S, "10.0.0." + (i + 1), 1024, "192.0.2.80", 80, 6, SYN, 64));
            p.run.onPacket(packet(T0 + i * S, "10.0.0." + (i + 1), 1024, "192.0.2.80", 80, 6, SYN, 20));
        }
        p.run.finish();
        assertEquals(2, p.of("ttl_inconsistent").size(), "the two directions within the bound are checked");
        assertEquals(List.of("2 TCP control segments not tracked: more than 2 connection directions (raise "
                + "max_directions) at once (memory bound)"), p.warnings);
    }

    @Test
    void arpSpoofAddressesPastTheBoundAreCountedAndReported() {
        Probe p = arpFromSenders(new ArpSpoofDetector(2), 2, 3);
        assertEquals(List.of("1 ARP claims not tracked: more than 2 IPv4 addresses at once (memory bound)"),
                p.warnings);
    }

    @Test
    void floodTargetsPastTheBoundAreCountedAndReported() {
        for (int bound : new int[] {2, 3}) {
            Fixtures.Sink sink = new Fixtures.Sink();
            FloodRun run = ((FloodRun) new SynFloodDetector().start(Fixtures.defaults(new SynFloodDetector()), sink))
                    .bound(bound);
            for (int i = 0; i < 3; i++) {
                run.onPacket(packet(T0 + i * S, "198.51.100.7", 1024 + i, "192.0.2." + (i + 1), 80, 6, SYN, 64));
            }
            run.finish();
            assertEquals(bound == 2
                    ? List.of("1 packets not tracked: more than 2 target addresses at once (memory bound)")
                    : List.of(), sink.warnings, "bound " + bound);
        }
    }

    @Test
    void trafficSpikeReceiversPastTheBoundAreCountedForAnAlertedSecond() {
        Probe p = new Probe(new TrafficSpikeDetector(2), "warm_up", "0", "min_bytes", "1");
        for (int i = 0; i < 3; i++) {
            p.run.onPacket(packet(T0 + i * S / 10, "10.0.0.1", 1, "10.0.1." + (i + 1), 2, 6, 0, 64));
        }
        p.run.finish();
        assertEquals(1, p.of("traffic_spike").size());
        assertEquals(List.of("1 packets not counted for the top receiver of 1 alerts: more than 2 receivers in one "
                + "second (memory bound)"), p.warnings);
    }

    @Test
    void saturatedWindowCountsAreCountedAndReported() {
        KeyTable t = new KeyTable(2, 4);
        int s = t.put(1, 2);
        Windows.roll(t, s, 0, 1, T0, S);
        Windows.add(t, s, 0, 0, Windows.MAX_COUNT - 1);
        Windows.add(t, s, 0, 0, 1);
        assertEquals(0, t.saturated(), "up to the maximum");
        Windows.add(t, s, 0, 0, 1);
        Windows.add(t, s, 0, 0, 5);
        assertEquals(2, t.saturated());
        assertEquals(Windows.MAX_COUNT, t.get(s, 1) & Windows.MAX_COUNT);
        Fixtures.Sink sink = new Fixtures.Sink();
        RuleDetector.warnSaturated(sink, 0, "queries");
        RuleDetector.warnSaturated(sink, t.saturated(), "queries");
        assertEquals(List.of("2 additions to counts of queries not counted: a count reached its maximum, "
                + "4,294,967,295, within one window"), sink.warnings);
    }

    @Test
    void nothingIsReportedBelowTheBounds() {
        Probe scan = new Probe(new PortScanDetector(8));
        Probe dns = new Probe(new DnsTunnelDetector(8));
        for (int i = 0; i < 3; i++) {
            scan.run.onSessions(Fixtures.closed(Fixtures.tcp("10.0.0." + (i + 1), "192.0.2.1", 80)
                    .at(T0 + i * S, S).state("S0", "S")));
            PacketView q = Fixtures.dnsQuery(packet(T0 + i * S, "10.0.0." + (i + 1), 3333, "10.0.0.53", 53, 17, 0, 64),
                    "www.example.com", 1);
            dns.run.onPacket(q);
        }
        scan.run.finish();
        dns.run.finish();
        assertEquals(List.of(), scan.warnings);
        assertEquals(List.of(), dns.warnings);
    }

    @Test
    void aMissingParameterValueIsAWarningOfTheRun() {
        Probe p = new Probe(new TtlAnomalyDetector(), "min_delta", " ");
        assertEquals(List.of("detector 'ttl_anomaly' parameter 'min_delta' has no value; using its default '8'"),
                p.warnings);
    }
}
