package org.weir.detect.rules.internal;

import java.util.List;
import java.util.Set;

import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.detect.AlertSink;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;
import org.weir.detect.Severity;

/**
 * Counts, per target address, the packets of one kind sent to it in a sliding window and raises one alert per
 * episode when the count reaches the threshold. Subclasses say which packets count ({@link #inbound}) and which
 * packets are the target's answers ({@link #reply}). Per packet: a table lookup and a few field updates.
 */
abstract class FloodRun implements DetectorRun {

    // Entry fields.
    private static final int START = 0, IN = 0, REPLY = 1, SOURCES = 3, ACTIVE_UNTIL = 4, EPISODE_IN = 5,
            SRC_HI = 6, SRC_LO = 7, PORT = 8, ALERTS = 9, PORTS = 10,
            SUSPECT_SINCE = 11, SESSIONS = 12, ESTABLISHED = 13, REPLIES_AT = 14, SOURCES_AT = 15, WIDTH = 16;
    /** Closed sessions of a suspected target that settle whether its clients completed their handshakes. */
    private static final int DECIDE_AFTER = 20;

    final String detector;
    final String type;
    private final AlertSink sink;
    private final Set<PacketInterest> interests;
    final long window;
    final double minPackets;
    final double minSources;
    final double soloPackets;
    final double maxReplyRatio;
    final double maxPorts;
    /** Largest share of completed handshakes among the target's sessions still counted as a flood; NaN: no check. */
    double maxEstablished = Double.NaN;
    private static final int MAX_TARGETS = 1 << 20;
    private KeyTable targets = new KeyTable(WIDTH, MAX_TARGETS);
    private final KeyTable.Keep live;
    private long now;
    /**
     * Whether any target was ever alerted: until then no session can be tagged, so the per-session lookups are
     * skipped (alerted entries are never dropped by {@link #live}).
     */
    private boolean anyAlert;
    /**
     * Targets suspected now (SUSPECT_SINCE set; never dropped by {@link #live}): while there are none, no closed
     * session can count, so the per-session lookups are skipped.
     */
    private int suspects;
    /**
     * A lower bound of every entry's window START (set only to a packet's time or moved forward): while no
     * window can be stale, housekeeping skips the table scan.
     */
    private long oldest = Long.MAX_VALUE, scanOldest;

    /**
     * @param minPackets packets in the window that make a flood
     * @param minSources distinct senders that make it distributed
     * @param soloPackets packets in the window that make a flood even from few senders
     * @param maxReplyRatio the target answering more than this share means a busy service, not a flood
     * @param maxPorts more distinct destination ports than this means a port scan, not a flood
     */
    FloodRun(String detector, String type, AlertSink sink, Set<PacketInterest> interests, long window,
            double minPackets, double minSources, double soloPackets, double maxReplyRatio, double maxPorts) {
        this.detector = detector;
        this.type = type;
        this.sink = sink;
        this.interests = interests;
        this.window = window;
        this.minPackets = minPackets;
        this.minSources = minSources;
        this.soloPackets = soloPackets;
        this.maxReplyRatio = maxReplyRatio;
        this.maxPorts = maxPorts;
        this.live = (t, s) -> {
            if (t.get(s, ALERTS) > 0 || t.get(s, SUSPECT_SINCE) != 0 || t.get(s, ACTIVE_UNTIL) > now
                    || now - t.get(s, START) < 2 * window) {
                scanOldest = Math.min(scanOldest, t.get(s, START));
                return true;
            }
            return false;
        };
    }

    @Override
    public Set<PacketInterest> packetInterests() {
        return interests;
    }

    /** The packet counts toward its destination. */
    abstract boolean inbound(PacketView p);

    /** The packet is the target (its source) answering. */
    abstract boolean reply(PacketView p);

    /** Whether a session to a flooded target belongs to the flood (gets the tag). */
    abstract boolean isFloodSession(Session s);

    /** Whether the originator completed the handshake (only used when {@link #maxEstablished} is set). */
    boolean established(Session s) {
        return false;
    }

    abstract String what();

    @Override
    public void onPacket(PacketView p) {
        long t = p.timestampNanos;
        now = t;
        if (t < oldest) {
            oldest = t;
        }
        if (reply(p)) {
            int s = targets.get(p.srcHi, p.srcLo);
            if (s >= 0) {
                Windows.roll(targets, s, START, 2, t, window);
                Windows.add(targets, s, START, REPLY, 1);
            }
        }
        if (!inbound(p) || Windows.isGroupAddress(p.dstHi, p.dstLo)) {
            return;
        }
        int s = targets.put(p.dstHi, p.dstLo);
        if (s < 0) {
            return; // bounded memory, counted by the table and reported at the end
        }
        Windows.roll(targets, s, START, 2, t, window);
        Windows.add(targets, s, START, IN, 1);
        targets.set(s, SOURCES, KeyTable.sketch(targets.get(s, SOURCES), p.srcHi, p.srcLo));
        targets.set(s, SRC_HI, p.srcHi);
        targets.set(s, SRC_LO, p.srcLo);
        targets.set(s, PORT, p.dstPort);
        targets.set(s, PORTS, KeyTable.sketch(targets.get(s, PORTS), p.dstPort, 0));
        if (targets.get(s, ACTIVE_UNTIL) > t) {
            // Same episode: extend it instead of raising again.
            targets.add(s, EPISODE_IN, 1);
            targets.set(s, ACTIVE_UNTIL, t + window);
            return;
        }
        check(s, t);
    }

    private void check(int s, long t) {
        double in = Windows.estimate(targets, s, START, IN, t, window);
        if (in < minPackets) {
            return;
        }
        double replies = Windows.estimate(targets, s, START, REPLY, t, window);
        double sources = KeyTable.distinct(targets.get(s, SOURCES));
        double replyRatio = replies / in;
        double ports = KeyTable.distinct(targets.get(s, PORTS));
        if (replyRatio > maxReplyRatio || (sources < minSources && in < soloPackets) || ports > maxPorts) {
            return;
        }
        targets.set(s, ACTIVE_UNTIL, t + window);
        targets.set(s, EPISODE_IN, (long) in);
        targets.set(s, REPLIES_AT, (long) replies);
        targets.set(s, SOURCES_AT, Math.round(sources));
        if (!Double.isNaN(maxEstablished)) {
            // A busy server also receives many SYNs; its clients complete their handshakes. Decide when the
            // target's sessions tell (or at the end of input).
            suspect(s, t - window);
            targets.set(s, SESSIONS, 0);
            targets.set(s, ESTABLISHED, 0);
            return;
        }
        raise(s, t, Double.NaN);
    }

    /** Sets the entry's SUSPECT_SINCE (0: not suspected), keeping {@link #suspects}. */
    private void suspect(int s, long since) {
        long before = targets.get(s, SUSPECT_SINCE);
        if (before == 0 && since != 0) {
            suspects++;
        } else if (before != 0 && since == 0) {
            suspects--;
        }
        targets.set(s, SUSPECT_SINCE, since);
    }

    private void raise(int s, long t, double establishedShare) {
        suspect(s, 0);
        targets.add(s, ALERTS, 1);
        anyAlert = true;
        long in = targets.get(s, EPISODE_IN);
        long replies = targets.get(s, REPLIES_AT);
        long sources = targets.get(s, SOURCES_AT);
        String target = RuleDetector.addr(targets.key1(s), targets.key2(s));
        String source = sources < 2.5 ? RuleDetector.addr(targets.get(s, SRC_HI), targets.get(s, SRC_LO))
                : "multiple sources (about " + sources + ")";
        java.util.Map<String, Object> evidence = RuleDetector.evidence("packets_in_episode", in, "window_s",
                RuleDetector.seconds(window), "threshold", Math.round(minPackets), "distinct_sources_est", sources,
                "replies_in_window_at_threshold", replies, "reply_ratio", RuleDetector.round((double) replies / Math.max(1, in), 3),
                "last_dst_port", targets.get(s, PORT), "distinct_ports_est",
                Math.round(KeyTable.distinct(targets.get(s, PORTS))));
        if (!Double.isNaN(establishedShare)) {
            evidence.put("sessions_checked", targets.get(s, SESSIONS));
            evidence.put("handshakes_completed_share", RuleDetector.round(establishedShare, 3));
        }
        sink.raise(RuleDetector.alert(detector, type, Severity.HIGH, t, source, target,
                what() + " against " + target + ": " + in + " packets from " + source + " (threshold "
                        + Math.round(minPackets) + " within " + RuleDetector.seconds(window) + " s)",
                evidence, List.of()));
    }

    @Override
    public void onSessions(SessionBatch batch) {
        if (!Double.isNaN(maxEstablished) && suspects > 0) {
            for (Session x : batch.closed()) {
                int slot = targets.get(x.respHi(), x.respLo());
                long since = slot < 0 ? 0 : targets.get(slot, SUSPECT_SINCE);
                if (since == 0 || x.startNanos() < since || !isFloodSession(x) && !established(x)) {
                    continue;
                }
                targets.add(slot, SESSIONS, 1);
                if (established(x)) {
                    targets.add(slot, ESTABLISHED, 1);
                }
                if (targets.get(slot, SESSIONS) >= DECIDE_AFTER) {
                    decide(slot, x.lastNanos());
                }
            }
        }
        if (anyAlert) {
            tag(batch.opened());
            tag(batch.closed());
        }
    }

    private void decide(int slot, long t) {
        long n = targets.get(slot, SESSIONS);
        double share = n == 0 ? 0 : (double) targets.get(slot, ESTABLISHED) / n;
        if (share <= maxEstablished) {
            raise(slot, Math.max(t, now), n == 0 ? Double.NaN : share);
        } else {
            suspect(slot, 0); // a busy server: its clients completed their handshakes
        }
    }

    /** Bounds the targets table at {@code maxTargets} entries instead (tests); before the first packet only. */
    FloodRun bound(int maxTargets) {
        targets = new KeyTable(WIDTH, maxTargets);
        return this;
    }

    @Override
    public void finish() {
        for (int i = 0; i < targets.capacity(); i++) {
            if (targets.used(i) && targets.get(i, SUSPECT_SINCE) != 0) {
                decide(i, now);
            }
        }
        RuleDetector.warnUntracked(sink, targets.refused(), "packets", targets.maxSize(), "target addresses");
        RuleDetector.warnSaturated(sink, targets.saturated(), "packets to or from one target");
    }

    private void tag(List<Session> sessions) {
        for (Session s : sessions) {
            int slot = targets.get(s.respHi(), s.respLo());
            if (slot >= 0 && targets.get(slot, ALERTS) > 0 && isFloodSession(s)) {
                s.addTag(detector);
            }
        }
    }

    @Override
    public void onTime(long nowNanos) {
        now = nowNanos;
        if (targets.size() > 1024 && now - oldest >= 2 * window) {
            scanOldest = Long.MAX_VALUE;
            targets.retain(live);
            oldest = scanOldest;
        }
    }
}
