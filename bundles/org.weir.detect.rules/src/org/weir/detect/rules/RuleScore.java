package org.weir.detect.rules;

import java.util.List;
import java.util.Map;

import org.weir.core.Session;

/**
 * A session's 0–1 anomaly score from the rule detectors that tagged it. Each detector's tag is one piece of
 * evidence with a weight that reflects how specific the rule is (its default severity); the pieces are combined as
 * independent evidence with a noisy-OR:
 *
 * <pre>
 * score = 1 − Π over distinct rule tags d of (1 − w(d))
 * w = 0.7 for high-severity rules (brute_force, syn_flood, icmp_flood, udp_flood, dns_tunnel, arp_spoof),
 *     0.4 for medium ones (port_scan, beacon, ttl_anomaly, traffic_spike),
 *     0.2 for low ones (long_connection, transport_anomaly)
 * </pre>
 *
 * A session no rule tagged scores 0; one high-severity tag scores 0.7, two of them 0.91, a low and a medium
 * 0.52. Tags of other kinds ({@code anomaly:}, {@code blacklist:}, unknown detectors) do not count here: they
 * carry their own verdicts.
 */
public final class RuleScore {

    /** Weight of each rule detector's tag. */
    public static final Map<String, Double> WEIGHTS = Map.ofEntries(Map.entry("brute_force", 0.7),
            Map.entry("syn_flood", 0.7), Map.entry("icmp_flood", 0.7), Map.entry("udp_flood", 0.7),
            Map.entry("dns_tunnel", 0.7), Map.entry("arp_spoof", 0.7), Map.entry("port_scan", 0.4),
            Map.entry("beacon", 0.4), Map.entry("ttl_anomaly", 0.4), Map.entry("traffic_spike", 0.4),
            Map.entry("long_connection", 0.2), Map.entry("transport_anomaly", 0.2));

    private RuleScore() {
    }

    public static double score(Session session) {
        return score(session.tags());
    }

    public static double score(List<String> tags) {
        double keep = 1;
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            if (tags.indexOf(t) != i) {
                continue; // the same evidence counts once
            }
            Double w = WEIGHTS.get(t);
            if (w != null) {
                keep *= 1 - w;
            }
        }
        return Math.round((1 - keep) * 1000) / 1000.0;
    }

    /** A word for the score: {@code normal} below 0.3, {@code suspicious} below 0.7, else {@code abnormal}. */
    public static String label(double score) {
        return score < 0.3 ? "normal" : score < 0.7 ? "suspicious" : "abnormal";
    }
}
