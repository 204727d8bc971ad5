package org.weir.detect.rules.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.weir.core.PacketView;
import org.weir.core.SessionBatch;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;

/**
 * TTL inconsistency within one TCP connection direction: every segment of a direction crosses the same path from
 * the same stack, so its TTL (hop limit) stays within a hop or two. A control segment (typically a RST or FIN) with
 * a clearly different TTL was most likely forged by a third party on the path: connection-reset injection,
 * censorship middleboxes, spoofed teardown.
 */
@Component(service = Detector.class)
public final class TtlAnomalyDetector extends RuleDetector {

    public static final String ID = "ttl_anomaly";

    public TtlAnomalyDetector() {
        super(new DetectorInfo(ID, "TTL anomaly", "Spoofing / injection", Severity.MEDIUM,
                "Remembers the TTL of the first SYN/FIN/RST segment of each TCP connection direction; a later "
                        + "control segment of that direction whose TTL differs by at least min_delta is reported "
                        + "as probably injected.",
                List.of(new Parameter("min_delta", "int", "8", "TTL difference within one direction"),
                        new Parameter("idle", "duration", "300", "forget a connection direction after this idle time"),
                        new Parameter("max_directions", "int", "2097152",
                                "connection directions remembered at once (bounded memory); control segments of "
                                        + "further new ones are counted and reported, not checked"))));
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        ParameterReader p = read(parameters, sink);
        int maxDirections = p.intValue("max_directions");
        if (maxDirections < 1) {
            // The host reports this message with the detector's name in front.
            throw new IllegalArgumentException("parameter 'max_directions': " + maxDirections + " is not at least 1");
        }
        return new Run(p.intValue("min_delta"), p.nanos("idle"), maxDirections, sink);
    }

    private static final class Run implements DetectorRun {
        /**
         * One row per connection, keyed by its two direction keys in ascending order; each direction (side) has
         * its first TTL + 1 (0: not seen) and its last time, and is forgotten on its own after the idle time, as
         * if it were an entry of its own. Both directions of a connection share a row, so the control segments
         * of a connection (SYN, SYN-ACK, FIN, FIN) mostly find it in the cache after the first. The two TTLs
         * (9 bits each) share one field: side A in the low, side B in the high 32 bits.
         */
        private static final int TTLS = 0, LAST = 1, SIDE_A = 0, SIDE_B = 1, WIDTH = 3;
        /** At most this many directions are remembered; segments of further new ones are counted, not checked. */
        private final int maxDirections;
        private long untracked;
        private final int minDelta;
        private final long idle;
        private final AlertSink sink;
        private final KeyTable flows;
        /** Directions remembered (sides with a TTL). */
        private int directions;
        private final Set<String> reported = new HashSet<>();
        private long now;
        /** A lower bound of every entry's LAST: while nothing can be idle, housekeeping skips the table scan. */
        private long oldest = Long.MAX_VALUE, scanOldest;
        private final KeyTable.Keep live;

        Run(int minDelta, long idle, int maxDirections, AlertSink sink) {
            this.maxDirections = maxDirections;
            this.flows = new KeyTable(WIDTH, maxDirections); // a row holds a live direction, so rows <= directions
            this.minDelta = minDelta;
            this.idle = idle;
            this.sink = sink;
            this.live = (t, s) -> liveSide(t, s, SIDE_A) | liveSide(t, s, SIDE_B);
        }

        @Override
        public Set<PacketInterest> packetInterests() {
            return Set.of(PacketInterest.TCP_CONTROL);
        }

        @Override
        public void onPacket(PacketView p) {
            if (p.protocol != 6) {
                return;
            }
            now = p.timestampNanos;
            // One direction of one connection: addresses folded with both ports.
            long k1 = p.srcLo * 31 + p.srcHi ^ ((long) p.srcPort << 48);
            long k2 = p.dstLo * 31 + p.dstHi ^ ((long) p.dstPort << 48);
            // The row of the connection; this direction is its side A when its key is the smaller one.
            int side = k1 <= k2 ? SIDE_A : SIDE_B;
            long lo = Math.min(k1, k2), hi = Math.max(k1, k2);
            int s;
            if (directions < maxDirections) {
                s = flows.put(lo, hi);
            } else {
                s = flows.get(lo, hi);
            }
            if (s < 0 || directions >= maxDirections && ttl(flows, s, side) == 0) {
                untracked++; // full: a new direction is not remembered; reported at the end
                return;
            }
            long first = ttl(flows, s, side);
            flows.set(s, side + LAST, now);
            if (now < oldest) {
                oldest = now;
            }
            if (first == 0) {
                setTtl(flows, s, side, p.ttl + 1L); // +1: zero means unset
                directions++;
                return;
            }
            int delta = Math.abs(p.ttl - (int) (first - 1));
            if (delta < minDelta) {
                return;
            }
            String src = addr(p.srcHi, p.srcLo), dst = addr(p.dstHi, p.dstLo);
            if (!reported.add(src + ">" + dst)) {
                return;
            }
            String flags = (p.tcpFlags & 0x04) != 0 ? "RST" : (p.tcpFlags & 0x01) != 0 ? "FIN" : "SYN";
            sink.raise(alert(ID, "ttl_inconsistent", Severity.MEDIUM, now, src, dst + ":" + p.dstPort,
                    "A " + flags + " segment from " + src + ":" + p.srcPort + " to " + dst + ":" + p.dstPort
                            + " arrived with TTL " + p.ttl + " where the connection had TTL " + (first - 1)
                            + " (probably injected)",
                    evidence("ttl", p.ttl, "expected_ttl", first - 1, "delta", delta, "flags", flags, "src_port",
                            p.srcPort, "dst_port", p.dstPort),
                    List.of()));
        }

        /** Whether the side is remembered and recent; a side idle too long is forgotten here. */
        private boolean liveSide(KeyTable t, int s, int side) {
            if (ttl(t, s, side) == 0) {
                return false;
            }
            long last = t.get(s, side + LAST);
            if (now - last < idle) {
                scanOldest = Math.min(scanOldest, last);
                return true;
            }
            setTtl(t, s, side, 0);
            t.set(s, side + LAST, 0);
            directions--;
            return false;
        }

        /** The side's first TTL + 1, or 0. */
        private static long ttl(KeyTable t, int s, int side) {
            return t.get(s, TTLS) >>> (32 * side) & 0xFFFF_FFFFL;
        }

        private static void setTtl(KeyTable t, int s, int side, long ttlPlus1) {
            int shift = 32 * side;
            t.set(s, TTLS, t.get(s, TTLS) & ~(0xFFFF_FFFFL << shift) | ttlPlus1 << shift);
        }

        @Override
        public void onSessions(SessionBatch batch) {
        }

        @Override
        public void finish() {
            warnUntracked(sink, untracked, "TCP control segments", maxDirections,
                    "connection directions (raise max_directions)");
        }

        @Override
        public void onTime(long nowNanos) {
            now = nowNanos;
            if (directions > 65536 && now - oldest >= idle) {
                scanOldest = Long.MAX_VALUE;
                flows.retain(live);
                oldest = scanOldest;
            }
        }
    }
}
