package org.weir.detect.eif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.testsupport.TestSession;

class SessionFeaturesTest {

    /** An open TCP session with nothing else set. */
    private static TestSession session(String uid) {
        return new TestSession("10.0.0.1", 40000, "192.0.2.1", 0, Transport.TCP).uid(uid).open();
    }

    @Test
    void fnv1aMatchesThePublishedTestVectors() {
        assertEquals(0xcbf29ce484222325L, StableHash.fnv1a64(""));
        assertEquals(0xaf63dc4c8601ec8cL, StableHash.fnv1a64("a"));
        assertEquals(0x85944171f73967e8L, StableHash.fnv1a64("foobar"));
    }

    @Test
    void stableHashIsStableSpreadAndInTheUnitInterval() {
        assertEquals(StableHash.unit("firefox"), StableHash.unit("firefox"));
        assertEquals(StableHash.unit("tcp/443"), StableHash.unit("tcp", 443));
        assertEquals(StableHash.unit("udp/0"), StableHash.unit("udp", 0));
        assertEquals(StableHash.unit("icmp/65535"), StableHash.unit("icmp", 65535));
        Set<Double> seen = new HashSet<>();
        int low = 0;
        for (int port = 0; port < 4096; port++) {
            double u = StableHash.unit("tcp", port);
            assertTrue(u >= 0 && u < 1, "tcp/" + port + " -> " + u);
            seen.add(u);
            low += u < 0.5 ? 1 : 0;
        }
        assertEquals(4096, seen.size());
        // Neighbouring ports must not land next to each other, and the halves must fill about equally.
        assertTrue(Math.abs(StableHash.unit("tcp", 443) - StableHash.unit("tcp", 444)) > 1e-3);
        assertTrue(low > 1900 && low < 2200, "below 0.5: " + low);
    }

    @Test
    void featuresOfASessionFromItsCounters() {
        Session s = session("C1").atSeconds(100, 10).to(Transport.TCP, 443).traffic(1000, 10, 9000, 20).missed(5);
        double[] f = new SessionFeatures().extract(s);
        assertEquals(SessionFeatures.COUNT, f.length);
        assertEquals(0.0, f[SessionFeatures.PROCESS]); // no process attribution yet
        assertEquals(Math.log1p(10), f[SessionFeatures.DURATION], 1e-12);
        assertEquals(Math.log1p(10_000), f[SessionFeatures.BYTES], 1e-12);
        assertEquals(Math.log1p(30), f[SessionFeatures.PACKETS], 1e-12);
        assertEquals(Math.log1p(10.0 / 29), f[SessionFeatures.SEGMENT_INTERARRIVAL], 1e-12);
        assertEquals(Math.log(9001.0 / 1001.0), f[SessionFeatures.IN_OUT_RATIO], 1e-12);
        assertEquals(Math.log1p((10_000 + 30 * 40) / 30.0), f[SessionFeatures.AVG_PACKET_SIZE], 1e-12);
        assertEquals(0.0, f[SessionFeatures.INTERARRIVAL_REGULARITY]);
        assertEquals(Math.log1p(3.0), f[SessionFeatures.PACKET_RATE], 1e-12);
        assertEquals(Math.log1p(5), f[SessionFeatures.MISSED_BYTES], 1e-12);
        assertEquals(Math.log1p(1), f[SessionFeatures.SEGMENTS], 1e-12);
        assertEquals(StableHash.unit("tcp/443"), f[SessionFeatures.DST_PORT]);
        assertEquals(SessionFeatures.COUNT, SessionFeatures.NAMES.size());
    }

    @Test
    void contextSuppliesProcessAndSegments() {
        SessionFeatures.Context ctx = new SessionFeatures.Context() {
            @Override
            public String processName(Session session) {
                return "firefox";
            }

            @Override
            public SessionFeatures.Segments segments(Session session) {
                return new SessionFeatures.Segments(3, 2.0);
            }
        };
        Session s = session("C2").atSeconds(0, 10).traffic(100, 5, 100, 5);
        double[] f = new SessionFeatures(ctx).extract(s);
        assertEquals(StableHash.unit("firefox"), f[SessionFeatures.PROCESS]);
        assertEquals(Math.log1p(3), f[SessionFeatures.SEGMENTS], 1e-12);
        assertEquals(Math.log1p(2.0), f[SessionFeatures.SEGMENT_INTERARRIVAL], 1e-12);
        // Three segments over 10 s: even spacing is a 5 s gap; a 2 s mean gap is 60 % off.
        assertEquals(0.4, f[SessionFeatures.INTERARRIVAL_REGULARITY], 1e-12);
        assertEquals(1.0, SessionFeatures.regularity(10, 3, 5), 1e-12);
        assertEquals(0.0, SessionFeatures.regularity(10, 3, 12), 1e-12);
        assertEquals(0.0, SessionFeatures.regularity(10, 1, 0), 1e-12);
    }

    @Test
    void destinationIsACategoryOfTransportAndPort() {
        SessionFeatures features = new SessionFeatures();
        double tcp53 = features.extract(session("a").to(Transport.TCP, 53))[SessionFeatures.DST_PORT];
        double udp53 = features.extract(session("b").to(Transport.UDP, 53))[SessionFeatures.DST_PORT];
        double udp53again = features.extract(session("c").to(Transport.UDP, 53))[SessionFeatures.DST_PORT];
        assertNotEquals(tcp53, udp53);
        assertEquals(udp53, udp53again);
    }

    @Test
    void emptyAndDamagedSessionsGiveFiniteFeatures() {
        TestSession s = session("C3").atSeconds(50, -1).traffic(-5, 0, 0, 0);
        for (double v : new SessionFeatures().extract(s)) {
            assertTrue(Double.isFinite(v));
        }
        double[] f = new SessionFeatures().extract(session("C4"));
        assertEquals(0.0, f[SessionFeatures.SEGMENTS]);
        assertEquals(0.0, f[SessionFeatures.AVG_PACKET_SIZE]);
    }
}
