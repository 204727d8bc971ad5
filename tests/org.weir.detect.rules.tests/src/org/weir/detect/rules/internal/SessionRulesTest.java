package org.weir.detect.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.detect.rules.internal.Fixtures.S;
import static org.weir.detect.rules.internal.Fixtures.T0;
import static org.weir.detect.rules.internal.Fixtures.closed;
import static org.weir.detect.rules.internal.Fixtures.tcp;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.weir.core.Transport;
import org.weir.detect.Alert;
import org.weir.detect.Severity;
import org.weir.detect.rules.RuleScore;
import org.weir.detect.rules.internal.Fixtures.Probe;
import org.weir.testsupport.TestSession;

/** Each session rule at the edge of its threshold, with hand-built sessions. */
class SessionRulesTest {

    private static TestSession rejected(String src, String dst, int port, long t) {
        return tcp(src, dst, port).at(t, S / 100).state("REJ", "Sr").packets(1, 1);
    }

    @Test
    void verticalScanNeedsTenPortsWithinTheWindow() {
        Probe nine = new Probe(new PortScanDetector());
        for (int i = 0; i < 9; i++) {
            nine.run.onSessions(closed(rejected("10.0.0.1", "10.0.0.2", 1000 + i, T0 + i * S)));
        }
        assertTrue(nine.alerts.isEmpty(), "9 ports are below the threshold");
        // The tenth port, but 61 s after the first: the first has left the 60 s window.
        nine.run.onSessions(closed(rejected("10.0.0.1", "10.0.0.2", 2000, T0 + 69 * S)));
        assertTrue(nine.alerts.isEmpty(), "ports spread over more than the window");

        Probe ten = new Probe(new PortScanDetector());
        TestSession last = null;
        for (int i = 0; i < 10; i++) {
            last = rejected("10.0.0.1", "10.0.0.2", 1000 + i, T0 + i * S);
            ten.run.onSessions(closed(last));
        }
        List<Alert> a = ten.of("vertical_port_scan");
        assertEquals(1, a.size());
        assertEquals("10.0.0.1", a.get(0).source());
        assertEquals("10.0.0.2", a.get(0).target());
        assertEquals(10, a.get(0).evidence().get("distinct_ports"));
        assertEquals(Severity.MEDIUM, a.get(0).severity());
        assertTrue(last.tags().contains("port_scan"));
        // The scan goes on: tagged, not raised again.
        TestSession more = rejected("10.0.0.1", "10.0.0.2", 3000, T0 + 11 * S);
        ten.run.onSessions(closed(more));
        assertEquals(1, ten.alerts.size());
        assertTrue(more.tags().contains("port_scan"));
    }

    @Test
    void sessionsWithDataAreNotProbes() {
        Probe p = new Probe(new PortScanDetector());
        for (int i = 0; i < 30; i++) {
            p.run.onSessions(closed(tcp("10.0.0.1", "10.0.0.2", 1000 + i).at(T0 + i * S, S).state("SF", "ShADadFf")
                    .bytes(100, 1000).packets(5, 5)));
        }
        assertTrue(p.alerts.isEmpty());
    }

    @Test
    void horizontalScanNeedsTwentyHosts() {
        Probe p = new Probe(new PortScanDetector());
        for (int i = 0; i < 19; i++) {
            p.run.onSessions(closed(tcp("10.0.0.1", "10.0.1." + i, 445).at(T0 + i * S / 10, S).state("S0", "S")
                    .packets(1, 0)));
        }
        assertTrue(p.of("horizontal_port_scan").isEmpty());
        p.run.onSessions(closed(tcp("10.0.0.1", "10.0.1.99", 445).at(T0 + 2 * S, S).state("S0", "S")
                .packets(1, 0)));
        Alert a = p.of("horizontal_port_scan").get(0);
        assertEquals("10.0.0.1", a.source());
        assertEquals("445/tcp", a.target());
        assertEquals(20, a.evidence().get("distinct_hosts"));
    }

    @Test
    void halfOpenHandshakeIsASynScanProbe() {
        Probe p = new Probe(new PortScanDetector());
        TestSession s = tcp("10.0.0.1", "10.0.0.2", 80).at(T0, S / 100).state("RSTO", "ShR").packets(2, 1);
        TestSession normal = tcp("10.0.0.1", "10.0.0.2", 80).at(T0, S).state("RSTO", "ShAR").packets(3, 1);
        p.run.onSessions(closed(s, normal));
        assertEquals(1, p.of("half_open_probe").size());
        assertEquals(Severity.LOW, p.alerts.get(0).severity());
        assertTrue(s.tags().contains("port_scan"));
        assertFalse(normal.tags().contains("port_scan"));
    }

    private static TestSession login(String src, String dst, int port, long t) {
        return tcp(src, dst, port).at(t, 4 * S).state("SF", "ShADadFf").bytes(1500, 2400).packets(20, 15);
    }

    @Test
    void bruteForceNeedsTenShortLoginsWithinFiveMinutes() {
        Probe p = new Probe(new BruteForceDetector());
        for (int i = 0; i < 9; i++) {
            p.run.onSessions(closed(login("192.0.2.1", "192.0.2.9", 22, T0 + i * 6 * S)));
        }
        assertTrue(p.alerts.isEmpty());
        p.run.onSessions(closed(login("192.0.2.1", "192.0.2.9", 22, T0 + 60 * S)));
        Alert a = p.of("password_guessing").get(0);
        assertEquals("192.0.2.1", a.source());
        assertEquals("192.0.2.9:22", a.target());
        assertEquals(Severity.HIGH, a.severity());
        assertEquals(10, a.evidence().get("attempts"));
        assertEquals(10, a.sessionUids().size());
    }

    @Test
    void bruteForceIgnoresSlowPollingOtherPortsAndLongSessions() {
        Probe poll = new Probe(new BruteForceDetector());
        for (int i = 0; i < 30; i++) {
            // A mail client polling every minute: 5 logins per 5 minutes.
            poll.run.onSessions(closed(login("192.0.2.1", "192.0.2.9", 110, T0 + i * 60 * S)));
        }
        assertTrue(poll.alerts.isEmpty());
        Probe web = new Probe(new BruteForceDetector());
        for (int i = 0; i < 30; i++) {
            web.run.onSessions(closed(login("192.0.2.1", "192.0.2.9", 443, T0 + i * S)));
        }
        assertTrue(web.alerts.isEmpty(), "443 is not a login port by default");
        Probe interactive = new Probe(new BruteForceDetector());
        for (int i = 0; i < 30; i++) {
            interactive.run.onSessions(closed(tcp("192.0.2.1", "192.0.2.9", 22).at(T0 + i * S, 31 * S)
                    .state("SF", "ShADadFf").bytes(1500, 2400)));
        }
        assertTrue(interactive.alerts.isEmpty(), "31 s sessions are longer than an attempt");
    }

    @Test
    void beaconsAreRegularInTimeAndSize() {
        Probe regular = new Probe(new BeaconDetector());
        Random r = new Random(7);
        for (int i = 0; i < 20; i++) {
            long jitter = (long) (r.nextGaussian() * S / 2);
            regular.run.onSessions(closed(tcp("10.1.1.1", "203.0.113.5", 443).at(T0 + i * 60 * S + jitter, S)
                    .bytes(512, 1024)));
        }
        regular.run.finish();
        Alert a = regular.of("beacon").get(0);
        assertEquals("10.1.1.1", a.source());
        assertEquals("203.0.113.5", a.target());
        assertTrue((double) a.evidence().get("score") >= 0.8);

        Probe random = new Probe(new BeaconDetector());
        long t = T0;
        for (int i = 0; i < 20; i++) {
            t += (long) (r.nextDouble() * 600 * S) + 10 * S;
            random.run.onSessions(closed(tcp("10.1.1.1", "203.0.113.5", 443).at(t, S)
                    .bytes(100 + r.nextInt(20000), 1024)));
        }
        random.run.finish();
        assertTrue(random.alerts.isEmpty(), "irregular sessions: " + random.alerts);
    }

    @Test
    void beaconScoreFollowsRita() {
        double[] perfect = {60, 60, 60, 60, 60};
        assertEquals(1.0, BeaconScore.statistical(perfect, 5, 1), 1e-9);
        // Bowley skewness of 1,2,3,4,100 with quartiles 1.5 / 3 / 52: den >= 10, skew = (1.5+52-6)/50.5.
        double[] skewed = {1, 2, 3, 4, 100};
        double skew = (1.5 + 52 - 6) / 50.5;
        double mad = 1; // |x - 3| = 2,1,0,1,97 -> median 1
        assertEquals(((1 - skew) + (3 - mad) / 3) / 2, BeaconScore.statistical(skewed, 5, 1), 1e-9);
        assertEquals(0, BeaconScore.timing(new double[] {1, 2}, 2));
    }

    @Test
    void longConnectionsAreReportedOnceFromAnHour() {
        Probe p = new Probe(new LongConnectionDetector());
        TestSession shorter = tcp("10.0.0.1", "10.0.0.2", 22).at(T0, 3599 * S).open();
        p.run.onSessions(Fixtures.updated(shorter));
        assertTrue(p.alerts.isEmpty());
        TestSession hour = tcp("10.0.0.1", "10.0.0.3", 22).at(T0, 3600 * S).open();
        p.run.onSessions(Fixtures.updated(hour));
        p.run.onSessions(Fixtures.updated(hour));
        assertEquals(1, p.alerts.size());
        assertEquals("10.0.0.3:22/tcp", p.alerts.get(0).target());
        assertTrue(hour.tags().contains("long_connection"));
    }

    @Test
    void transportAnomaliesReadZeekHistory() {
        assertEquals(0, TransportAnomalyDetector.letterCount("ShADadFf", 'T'));
        assertEquals(1, TransportAnomalyDetector.letterCount("ShADTadFf", 'T'));
        assertEquals(10, TransportAnomalyDetector.letterCount("ShADTTadFf", 'T'));
        assertEquals(100, TransportAnomalyDetector.letterCount("ShADtTtTtadFf", 't'));

        Probe p = new Probe(new TransportAnomalyDetector());
        TestSession nine = tcp("10.0.0.1", "10.0.0.2", 80).at(T0, S).state("SF", "ShADTadFf").bytes(100, 5000)
                .packets(40, 40);
        TestSession ten = tcp("10.0.0.1", "10.0.0.3", 80).at(T0, S).state("SF", "ShADTTadFf").bytes(100, 5000)
                .packets(40, 40);
        TestSession diluted = tcp("10.0.0.1", "10.0.0.4", 80).at(T0, S).state("SF", "ShADTTadFf")
                .bytes(100, 500000).packets(400, 400);
        TestSession gap = tcp("10.0.0.1", "10.0.0.5", 80).at(T0, S).state("SF", "ShADadgFf").bytes(100, 5000)
                .packets(40, 40).missed(1448);
        TestSession tiny = tcp("10.0.0.1", "10.0.0.6", 80).at(T0, S).state("SF", "ShADadFf").bytes(700, 700)
                .packets(100, 100);
        p.run.onSessions(closed(nine, ten, diluted, gap, tiny));
        assertEquals(1, p.of("retransmissions").size());
        assertEquals("10.0.0.3:80/tcp", p.of("retransmissions").get(0).target());
        assertEquals(1, p.of("sequence_gap").size());
        assertEquals(1448L, p.of("sequence_gap").get(0).evidence().get("missed_bytes"));
        assertEquals(1, p.of("small_packets").size());
        assertFalse(nine.tags().contains("transport_anomaly"));
        assertTrue(tiny.tags().contains("transport_anomaly"));
    }

    @Test
    void ruleScoreCombinesTagsAsIndependentEvidence() {
        assertEquals(0.0, RuleScore.score(List.of()));
        assertEquals(0.0, RuleScore.score(List.of("anomaly:abnormal", "blacklist:firehol_level1")));
        assertEquals(0.7, RuleScore.score(List.of("brute_force")));
        assertEquals(0.91, RuleScore.score(List.of("brute_force", "dns_tunnel")));
        assertEquals(0.7, RuleScore.score(List.of("brute_force", "brute_force")));
        assertEquals(0.52, RuleScore.score(List.of("long_connection", "port_scan")));
        assertEquals("normal", RuleScore.label(0.2));
        assertEquals("suspicious", RuleScore.label(0.52));
        assertEquals("abnormal", RuleScore.label(0.91));
        TestSession s = new TestSession("10.0.0.1", 1, "10.0.0.2", 2, Transport.TCP);
        s.addTag("syn_flood");
        assertEquals(0.7, RuleScore.score(s));
    }
}
