package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.weir.core.CaptureFormatException;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionOptions;
import org.weir.testsupport.Corpus;

/**
 * The analyses and the TCP state machine read what senders chose to send: whatever the bytes, the table must not fail.
 * Every corpus capture goes through it with random bytes of its TCP and UDP payloads changed, and the sequence number,
 * acknowledgement or flags of some TCP segments (checksums not verified, so that the changed packets count), six
 * times, two of them with TCP payloads in pieces (in order or not, sent once or twice); every session must still close
 * with Zeek's letters and states, a service name and sizes that are not negative. (Forty rounds ran clean when this
 * was written; six keep the suite quick.)
 */
class MutatedSegmentsTest {

    @Test
    void changedSegmentsNeverBreakTheTable() throws IOException {
        List<Path> captures = Traces.corpusCaptures();
        assertTrue(captures.size() > 100, "captures: " + captures.size());
        long sessions = 0;
        for (Path capture : captures) {
            for (int seed = 1; seed <= 6; seed++) {
                Resegmenter.Cutting cutting = seed % 3 == 2 ? new Resegmenter.Cutting(7, seed == 2, seed == 5) : null;
                sessions += run(capture, seed, cutting);
            }
        }
        assertTrue(sessions > 3000, "sessions: " + sessions);
    }

    private static long run(Path capture, long seed, Resegmenter.Cutting cutting) throws IOException {
        SessionOptions options = SessionOptions.defaults();
        FlowTable table = new FlowTable(options, ZeekConfig.defaults(options), 1);
        List<Session> opened = new ArrayList<>(), closed = new ArrayList<>();
        table.addListener(b -> {
            opened.addAll(b.opened());
            closed.addAll(b.closed());
        });
        PacketHandler into = cutting == null ? table : new Resegmenter(table, seed, cutting);
        Random random = new Random(seed * 31 + capture.toString().hashCode());
        String where = Corpus.root().relativize(capture) + " seed " + seed;
        try {
            Traces.feed(capture, true, new Mutator(into, random));
        } catch (CaptureFormatException damaged) {
            // what was read before the damage still counts
        } catch (RuntimeException e) {
            throw new AssertionError(where, e);
        }
        table.closeAll();
        assertEquals(0, table.liveCount(), where);
        assertEquals(opened.size(), closed.size(), where);
        for (Session s : closed) {
            assertTrue(s.history().matches("\\^?[SHADFRCGTWIQXshadfrcgtwiqx^]*"), where + " " + s.history());
            assertTrue(s.service().matches("[a-z0-9_,]*"), where + " " + s.service());
            assertTrue(List.of("S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR",
                    "OTH").contains(s.connState()), where + " " + s.connState());
            assertTrue(s.durationNanos() >= 0 && s.origBytes() >= 0 && s.respBytes() >= 0, where + " " + s);
        }
        return closed.size();
    }

    /**
     * Changes a few random bytes of about one payload in three, keeping the lengths, and the sequence number,
     * acknowledgement or flags of about one TCP segment in twenty.
     */
    private record Mutator(PacketHandler next, Random random) implements PacketHandler {

        @Override
        public void onPacket(PacketView p) {
            if (p.protocol == 6 && random.nextInt(20) == 0) {
                switch (random.nextInt(3)) { // a header the decoder accepted, with a field a sender could set
                    case 0 -> p.tcpSeq = p.tcpSeq + (random.nextBoolean() ? random.nextInt(3000) - 1500
                            : random.nextInt()) & 0xFFFF_FFFFL;
                    case 1 -> p.tcpAck = p.tcpAck + random.nextInt() & 0xFFFF_FFFFL;
                    default -> p.tcpFlags = random.nextInt(64);
                }
            }
            int n = Math.min(p.payloadCapturedLength, p.data.length - p.payloadOffset);
            if ((p.protocol == 6 || p.protocol == 17) && n > 0 && random.nextInt(3) == 0) {
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    int i = p.payloadOffset + random.nextInt(n);
                    p.data[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : (byte) (p.data[i] ^ 1 << random
                            .nextInt(8));
                }
            }
            next.onPacket(p);
        }

        @Override
        public void onTunnelRefused(int tunnelType, boolean violation) {
            next.onTunnelRefused(tunnelType, violation);
        }
    }
}
