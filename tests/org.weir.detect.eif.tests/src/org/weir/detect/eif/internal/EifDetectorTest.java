package org.weir.detect.eif.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.Transport;
import org.weir.detect.Alert;
import org.weir.detect.DetectorRun;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;
import org.weir.detect.eif.AnomalyLabel;
import org.weir.detect.eif.SessionAnomalyModel.Config;
import org.weir.testsupport.TestSession;

class EifDetectorTest {

    private static final long SECOND = 1_000_000_000L;

    /** An open session from 10.0.0.1 to 198.51.100.7 with these times (seconds) and traffic. */
    private static TestSession session(String uid, double start, double duration, Transport t, int port, long ob,
            long op, long rb, long rp) {
        return new TestSession("10.0.0.1", 40000, "198.51.100.7", port, t).uid(uid).atSeconds(start, duration)
                .traffic(ob, op, rb, rp).open();
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new HashMap<>();
        for (Parameter p : EifDetector.PARAMETERS) {
            m.put(p.name(), p.defaultValue());
        }
        return m;
    }

    /** The detector's reader of these values; what it falls back on goes to {@code problems}. */
    private static ParameterReader reader(Map<String, String> values, List<String> problems) {
        return new ParameterReader(new EifDetector().info(), values, problems::add);
    }

    @Test
    void parameterDefaultsAreTheModelDefaults() {
        List<String> problems = new ArrayList<>();
        assertEquals(Config.defaults(), EifDetector.config(reader(defaults(), problems)));
        assertEquals(AnomalyLabel.ABNORMAL, EifDetector.alertLevel(reader(defaults(), problems)));
        assertEquals(List.of(), problems);
        assertEquals(Config.defaults(), EifDetector.config(reader(Map.of(), problems)));
        assertEquals(EifDetector.PARAMETERS.size() - 1, problems.size(), "every model parameter but alert_on");
        assertTrue(problems.get(0).contains("parameter 'trees' has no value"), problems.get(0));
        Map<String, String> p = defaults();
        p.put("warmup_min", "1.5");
        p.put("extension_level", "0");
        p.put("alert_on", "none");
        Config c = EifDetector.config(reader(p, problems));
        assertEquals(1_500_000_000L, c.warmupMinimumNanos());
        assertEquals(0, c.extensionLevel());
        assertNull(EifDetector.alertLevel(reader(p, problems)));
        p.put("trees", "many");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EifDetector.config(reader(p, problems)));
        assertTrue(e.getMessage().contains("parameter 'trees': 'many' is not an int"), e.getMessage());
        assertEquals("anomaly", new EifDetector().info().id());
    }

    @Test
    void tagsSessionsAfterWarmUpAndAlertsOnAbnormalClosedOnes() {
        List<Alert> alerts = new ArrayList<>();
        DetectorRun run = new EifDetector().start(defaults(), alerts::add);
        Random r = new Random(1);
        List<Session> all = new ArrayList<>();
        TestSession planted = null;
        for (int i = 0; i < 3000; i++) {
            double t = i / 10.0;
            TestSession s;
            if (i == 2500) {
                s = planted = session("Cplanted", t - 3000, 3000, Transport.TCP, 4444, 2_000_000_000L, 1_500_000, 50_000,
                        700_000);
            } else {
                long op = 5 + r.nextInt(10);
                s = session("C" + i, t, Math.exp(r.nextGaussian()) / 10, Transport.TCP, 443,
                        (long) (600 * Math.exp(0.5 * r.nextGaussian())), op, (long) (8000 * Math.exp(r.nextGaussian())),
                        op + r.nextInt(10));
            }
            all.add(s);
            // Opened and closed in the same batch; a tick every second.
            run.onSessions(new SessionBatch(List.of(s), List.of(), List.of(s.close()), i));
            if (i % 10 == 0) {
                run.onTime((long) (t * SECOND));
            }
        }
        // Nothing tagged during the warm-up, every session tagged once scoring started.
        assertTrue(all.get(10).tags().isEmpty(), all.get(10).tags().toString());
        assertEquals(1, all.get(2999).tags().size());
        assertTrue(all.get(2999).criticality().startsWith("anomaly:"), all.get(2999).criticality());
        assertEquals(List.of("anomaly:abnormal"), planted.tags());
        assertTrue(alerts.stream().anyMatch(a -> a.sessionUids().equals(List.of("Cplanted"))), alerts.toString());
        Alert a = alerts.stream().filter(x -> x.sessionUids().contains("Cplanted")).findFirst().orElseThrow();
        assertEquals("anomaly", a.detector());
        assertEquals("session_abnormal", a.type());
        assertEquals(Severity.MEDIUM, a.severity());
        assertEquals("10.0.0.1", a.source());
        assertEquals("198.51.100.7:4444/tcp", a.target());
        assertTrue(a.summary().contains("99.5th percentile"), a.summary());
        assertTrue((Double) a.evidence().get("score") >= (Double) a.evidence().get("threshold"));
        // Alerts only for abnormal sessions, a handful among 2200 scored ordinary ones.
        assertTrue(alerts.size() < 40, alerts.size() + " alerts");
        assertTrue(alerts.stream().allMatch(x -> x.type().equals("session_abnormal")));
    }

    @Test
    void aRetagReplacesTheEarlierAnomalyTag() {
        TestSession s = session("C1", 0, 1, Transport.UDP, 53, 10, 1, 10, 1);
        s.addTag("blacklist:x");
        s.addTag(AnomalyLabel.SUSPICIOUS.tag());
        s.addTag(AnomalyLabel.NORMAL.tag());
        assertEquals(List.of("blacklist:x", "anomaly:normal"), s.tags());
    }
}
