package org.weir.detect.eif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.weir.core.Transport;
import org.weir.detect.eif.SessionAnomalyModel.Config;
import org.weir.detect.eif.SessionAnomalyModel.Verdict;
import org.weir.testsupport.TestSession;

class SessionAnomalyModelTest {

    private static final long SECOND = 1_000_000_000L;

    /** An open TCP session with nothing else set. */
    private static TestSession session(String uid) {
        return new TestSession("10.0.0.1", 40000, "192.0.2.1", 0, Transport.TCP).uid(uid).open();
    }

    /** A settable capture clock. */
    private static final class Clock {
        long now;

        void seconds(double s) {
            now = (long) (s * SECOND);
        }
    }

    /** Ordinary traffic: HTTPS and DNS with log-normal sizes and durations. */
    private static final class Traffic {
        private final Random r;
        private int next;

        Traffic(long seed) {
            r = new Random(seed);
        }

        TestSession normal(double startSeconds) {
            TestSession s = session("N" + next++);
            if (r.nextInt(5) == 0) {
                return s.atSeconds(startSeconds, 0.02 * Math.exp(0.3 * r.nextGaussian())).to(Transport.UDP, 53)
                        .traffic(30 + r.nextInt(20), 1, 80 + r.nextInt(120), 1);
            }
            long origPackets = 5 + r.nextInt(10);
            long respPackets = origPackets + r.nextInt(10);
            return s.atSeconds(startSeconds, Math.exp(r.nextGaussian())).to(Transport.TCP, 443).traffic(
                    (long) (600 * Math.exp(0.5 * r.nextGaussian())), origPackets,
                    (long) (8000 * Math.exp(r.nextGaussian())), respPackets);
        }

        /** A long upload to an odd port, with lost data. */
        TestSession exfiltration(double startSeconds) {
            return session("X" + next++).atSeconds(startSeconds, 3000).to(Transport.TCP, 4444)
                    .traffic(2_000_000_000L, 1_500_000, 50_000, 700_000).missed(100_000);
        }
    }

    private static Config fast() {
        return Config.defaults().withSeed(5);
    }

    @Test
    void warmsUpForTheMinimumThenTrainsWhenTheWindowIsFull() {
        Clock clock = new Clock();
        SessionAnomalyModel model = new SessionAnomalyModel(fast(), new SessionFeatures(), () -> clock.now);
        Traffic traffic = new Traffic(1);
        double firstVerdictAt = -1;
        for (int i = 0; i < 1500; i++) { // 10 sessions a second
            double t = i / 10.0;
            clock.seconds(t);
            Verdict v = model.observe(traffic.normal(t).close());
            if (t < 60) {
                assertNull(v, "verdict during warm-up at " + t + " s");
            }
            if (v != null && firstVerdictAt < 0) {
                firstVerdictAt = t;
            }
        }
        // 800 closed sessions at 80 s: the window is full after the 60 s minimum, before the 3 min target.
        assertEquals(80.0, firstVerdictAt, 0.11);
        assertEquals(1, model.status().modelVersion());
        assertEquals(800, model.status().windowSamples());
    }

    @Test
    void quietTrafficTrainsAtTheTarget() {
        Clock clock = new Clock();
        SessionAnomalyModel model = new SessionAnomalyModel(fast(), new SessionFeatures(), () -> clock.now);
        Traffic traffic = new Traffic(2);
        for (int i = 0; i < 400; i++) { // 2 sessions a second
            double t = i / 2.0;
            clock.seconds(t);
            Verdict v = model.observe(traffic.normal(t).close());
            assertEquals(t >= 180, v != null, "verdict at " + t + " s");
        }
        // And a capture too quiet for the minimum sample never trains, however long it runs.
        SessionAnomalyModel sparse = new SessionAnomalyModel(fast(), new SessionFeatures(), () -> clock.now);
        for (int i = 0; i < 150; i++) {
            clock.seconds(i * 10.0);
            assertNull(sparse.observe(traffic.normal(i * 10.0).close()));
        }
        clock.seconds(100_000);
        sparse.tick();
        assertFalse(sparse.status().trained());
    }

    @Test
    void thresholdsAtTrainingPercentilesAndPlantedSessionsAbnormal() {
        Clock clock = new Clock();
        SessionAnomalyModel model = new SessionAnomalyModel(fast(), new SessionFeatures(), () -> clock.now);
        Traffic traffic = new Traffic(3);
        int normal = 0, flagged = 0;
        List<Verdict> planted = new ArrayList<>();
        for (int i = 0; i < 8000; i++) {
            double t = i / 10.0;
            clock.seconds(t);
            boolean anomaly = i > 1000 && i % 997 == 0;
            Verdict v = model.observe((anomaly ? traffic.exfiltration(t) : traffic.normal(t)).close());
            if (v == null) {
                continue;
            }
            if (anomaly) {
                planted.add(v);
            } else {
                normal++;
                flagged += v.label() != AnomalyLabel.NORMAL ? 1 : 0;
            }
        }
        assertEquals(7, planted.size()); // i = 1994, 2991, … 7976
        for (Verdict v : planted) {
            assertEquals(AnomalyLabel.ABNORMAL, v.label(), v.toString());
        }
        // About 1 % of ordinary sessions are at or above the 99th percentile of ordinary training sessions.
        double rate = (double) flagged / normal;
        assertTrue(rate > 0.002 && rate < 0.03, "flagged " + flagged + " of " + normal);
        SessionAnomalyModel.Status st = model.status();
        assertTrue(st.suspiciousThreshold() >= 0.5 && st.abnormalThreshold() >= st.suspiciousThreshold(), st.toString());
        // First model at 80 s, retrained 10 minutes of capture time later.
        assertEquals(2, st.modelVersion());
    }

    @Test
    void thresholdsArePercentilesOfTheTrainingScores() {
        double[] scores = new double[1000];
        for (int i = 0; i < 1000; i++) {
            scores[i] = 0.3 + i * 0.0005; // 0.3000 … 0.7995
        }
        double[] t = SessionAnomalyModel.thresholds(scores, Config.defaults());
        assertEquals(scores[989], t[0], 1e-12); // 99th: 990 of 1000 scores at or below
        assertEquals(scores[994], t[1], 1e-12);
        double[] low = new double[1000];
        java.util.Arrays.fill(low, 0.35);
        double[] floored = SessionAnomalyModel.thresholds(low, Config.defaults());
        assertEquals(0.5, floored[0]);
        assertEquals(0.5, floored[1]);
    }

    @Test
    void sameSeedAndInputsSameVerdicts() {
        List<Verdict> a = run(9), b = run(9), c = run(10);
        assertEquals(a, b);
        assertFalse(a.equals(c));
    }

    private static List<Verdict> run(long seed) {
        Clock clock = new Clock();
        SessionAnomalyModel model = new SessionAnomalyModel(Config.defaults().withSeed(seed), new SessionFeatures(),
                () -> clock.now);
        Traffic traffic = new Traffic(4);
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            clock.seconds(i / 10.0);
            out.add(model.observe(traffic.normal(i / 10.0).close()));
        }
        return out;
    }

    @Test
    void liveSessionsAreReevaluatedAsTimePassesAndTheModelLearns() {
        Clock clock = new Clock();
        Config config = fast().withIntervals(300 * SECOND, 60 * SECOND);
        SessionAnomalyModel model = new SessionAnomalyModel(config, new SessionFeatures(), () -> clock.now);
        Traffic traffic = new Traffic(5);
        int i = 0;
        for (; i < 900; i++) {
            clock.seconds(i / 10.0);
            model.observe(traffic.normal(i / 10.0).close());
        }
        assertTrue(model.status().trained());
        long version = model.status().modelVersion();

        // A live session starts ordinary...
        TestSession live = traffic.normal(90).to(Transport.TCP, 443).traffic(600, 6, 8000, 8);
        live.atSeconds(90, 1);
        clock.seconds(90);
        Verdict first = model.observe(live);
        assertNotNull(first);
        assertEquals(AnomalyLabel.NORMAL, first.label());
        assertEquals(1, model.status().trackedLiveSessions());

        // ...then turns into a huge upload; within the minute the earlier verdict stands,
        live.to(Transport.TCP, 4444).traffic(2_000_000_000L, 1_500_000, 50_000, 700_000).missed(100_000);
        live.atSeconds(90, 50);
        clock.seconds(140);
        assertSame(first, model.observe(live));
        // a minute after the last scoring it is scored again.
        live.atSeconds(90, 61);
        clock.seconds(151);
        Verdict later = model.observe(live);
        assertEquals(AnomalyLabel.ABNORMAL, later.label());
        assertEquals(version, later.modelVersion());

        // Retraining (every 300 s here) makes the next update score again with the new model, at once.
        for (; i < 4000 && model.status().modelVersion() == version; i++) {
            clock.seconds(151 + i / 10.0);
            model.observe(traffic.normal(clock.now / 1e9).close());
        }
        assertEquals(version + 1, model.status().modelVersion());
        Verdict relearnt = model.observe(live);
        assertEquals(version + 1, relearnt.modelVersion());

        // Closing scores it one last time and forgets it.
        live.close();
        assertNotNull(model.observe(live));
        assertEquals(0, model.status().trackedLiveSessions());
    }

    @Test
    void blacklistedSessionsStayOutOfTheTrainingWindow() {
        Clock clock = new Clock();
        SessionAnomalyModel model = new SessionAnomalyModel(fast(), new SessionFeatures(), () -> clock.now);
        Traffic traffic = new Traffic(6);
        for (int i = 0; i < 100; i++) {
            TestSession s = traffic.normal(i);
            if (i % 4 == 0) {
                s.addTag("blacklist:firehol_level1");
            }
            clock.seconds(i);
            model.observe(s.close());
        }
        assertEquals(75, model.status().windowSamples());
    }

    @Test
    void offlineTrainsOnASampleAndLabelsEverySession() {
        Traffic traffic = new Traffic(7);
        List<TestSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            sessions.add((i % 1000 == 500 ? traffic.exfiltration(i) : traffic.normal(i)).close());
        }
        List<Verdict> verdicts = SessionAnomalyModel.scoreOffline(sessions, fast(), new SessionFeatures());
        assertEquals(5000, verdicts.size());
        int flagged = 0;
        for (int i = 0; i < 5000; i++) {
            Verdict v = verdicts.get(i);
            if (i % 1000 == 500) {
                assertEquals(AnomalyLabel.ABNORMAL, v.label(), "planted session " + i);
            } else {
                flagged += v.label() != AnomalyLabel.NORMAL ? 1 : 0;
            }
        }
        assertTrue(flagged > 5 && flagged < 150, "flagged " + flagged + " of 4995");
        assertEquals(verdicts, SessionAnomalyModel.scoreOffline(sessions, fast(), new SessionFeatures()));
        // Too few sessions to learn from: no verdicts.
        List<Verdict> few = SessionAnomalyModel.scoreOffline(sessions.subList(0, 50), fast(), new SessionFeatures());
        assertEquals(50, few.size());
        assertTrue(few.stream().allMatch(v -> v == null));
    }

    @Test
    void badConfigurationsAreRefused() {
        Config d = Config.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withPercentiles(0.995, 0.99));
        assertThrows(IllegalArgumentException.class, () -> d.withWindow(100, 200));
        assertThrows(IllegalArgumentException.class, () -> d.withWarmup(180 * SECOND, 60 * SECOND));
        assertThrows(IllegalArgumentException.class, () -> new Config(100, 256, 12, 0, 800, 200, 0, 0, 0.99, 0.995,
                0.5, SECOND, SECOND));
    }
}
