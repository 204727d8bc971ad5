package org.weir.detect.rules.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * Traffic spikes: a second whose IP byte volume lies at least z standard deviations above the rolling baseline
 * (exponentially weighted mean and variance of the previous seconds, idle seconds included). Names the host that
 * received the most bytes in that second.
 */
@Component(service = Detector.class)
public final class TrafficSpikeDetector extends RuleDetector {

    public static final String ID = "traffic_spike";

    private final int bound;

    public TrafficSpikeDetector() {
        this(0);
    }

    /** @param bound entries of each of a run's bounded tables, instead of the normal bounds when positive (tests) */
    TrafficSpikeDetector(int bound) {
        super(new DetectorInfo(ID, "Traffic spike", "Anomaly", Severity.MEDIUM,
                "Keeps an exponentially weighted mean and variance of bytes per second over about baseline "
                        + "seconds; a second at least min_z standard deviations above the mean (and at least "
                        + "min_ratio times it and min_bytes) is a spike, once the baseline has warm_up seconds.",
                List.of(new Parameter("min_z", "double", "3", "z-score of a spike"),
                        new Parameter("baseline", "duration", "60", "time constant of the rolling baseline"),
                        new Parameter("warm_up", "duration", "30", "seconds of baseline before reporting"),
                        new Parameter("min_ratio", "double", "2", "spike volume relative to the mean"),
                        new Parameter("min_bytes", "long", "100000", "spike volume in bytes per second"),
                        new Parameter("holdoff", "duration", "60", "quiet time after a reported spike"))));
        this.bound = bound;
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        return new Run(read(parameters, sink), sink, bound);
    }

    static final class Run implements DetectorRun {
        private final AlertSink sink;
        private final double minZ, alpha, minRatio;
        private final long warmUp, minBytes, holdoff;
        private static final int MAX_RECEIVERS = 1 << 16;
        private final KeyTable receivers;
        /**
         * The receivers table's refusals before the current second; packets of alerted seconds that it refused
         * (their receivers not counted for the top receiver), and those alerts.
         */
        private long refusedBefore, untracked, incompleteAlerts;
        /**
         * The current second's packets as (destination hi, lo, length), in arrival order. They are summed into
         * {@link #receivers} only when the second scores as a spike (or the buffer is full), so a packet costs
         * sequential stores rather than a probe of a table far larger than the caches.
         */
        private long[] pending = new long[3 * 1024];
        private int pendingLength;
        private static final int MAX_PENDING = 3 << 18;
        private long second = Long.MIN_VALUE;
        private long bytes, packets, seconds;
        private double mean, var;
        private long quietUntil = Long.MIN_VALUE;

        Run(ParameterReader p, AlertSink sink, int bound) {
            this.sink = sink;
            this.receivers = new KeyTable(1, bounded(bound, MAX_RECEIVERS));
            this.minZ = p.doubleValue("min_z");
            this.alpha = 1.0 / Math.max(1, p.nanos("baseline") / (double) SECOND);
            this.warmUp = p.nanos("warm_up") / SECOND;
            this.minRatio = p.doubleValue("min_ratio");
            this.minBytes = p.longValue("min_bytes");
            this.holdoff = p.nanos("holdoff");
        }

        @Override
        public Set<PacketInterest> packetInterests() {
            return Set.of(PacketInterest.ALL_IP);
        }

        @Override
        public void onPacket(PacketView p) {
            if (p.tunnelDepth > 0) {
                return; // counted once, as its outer packet
            }
            long sec = Math.floorDiv(p.timestampNanos, SECOND);
            if (sec != second) {
                close(sec);
            }
            bytes += p.ipTotalLength;
            packets++;
            if (pendingLength == pending.length) {
                if (pending.length < MAX_PENDING) {
                    pending = Arrays.copyOf(pending, pending.length * 2);
                } else {
                    flush();
                }
            }
            long[] b = pending;
            int n = pendingLength;
            b[n] = p.dstHi;
            b[n + 1] = p.dstLo;
            b[n + 2] = p.ipTotalLength;
            pendingLength = n + 3;
        }

        /** Sums the pending packets into the receivers table, in arrival order. */
        private void flush() {
            long[] b = pending;
            for (int i = 0; i < pendingLength; i += 3) {
                int s = receivers.put(b[i], b[i + 1]);
                if (s >= 0) {
                    receivers.add(s, 0, b[i + 2]);
                }
            }
            pendingLength = 0;
        }

        /** Ends the current second (and idle ones up to {@code next}), scoring it against the baseline. */
        private void close(long next) {
            if (second != Long.MIN_VALUE) {
                score(second, bytes);
                long idle = Math.min(next - second - 1, 3600);
                for (long i = 0; i < idle; i++) {
                    score(second + 1 + i, 0);
                }
            }
            second = next;
            bytes = 0;
            packets = 0;
            pendingLength = 0;
            refusedBefore = receivers.refused();
            if (receivers.size() > 0) {
                receivers.clear();
            }
        }

        private void score(long sec, long x) {
            double sd = Math.sqrt(var);
            if (seconds >= warmUp && x >= minBytes && x >= minRatio * mean && sec * SECOND >= quietUntil) {
                double z = sd > 0 ? (x - mean) / sd : Double.POSITIVE_INFINITY;
                if (z >= minZ) {
                    quietUntil = sec * SECOND + holdoff;
                    flush();
                    if (receivers.refused() > refusedBefore) {
                        untracked += receivers.refused() - refusedBefore;
                        incompleteAlerts++;
                    }
                    String top = "";
                    long topBytes = 0;
                    for (int i = 0; i < receivers.capacity(); i++) {
                        if (receivers.used(i) && receivers.get(i, 0) > topBytes) {
                            topBytes = receivers.get(i, 0);
                            top = addr(receivers.key1(i), receivers.key2(i));
                        }
                    }
                    sink.raise(alert(ID, "traffic_spike", Severity.MEDIUM, sec * SECOND, "", top,
                            "Traffic spike: " + x + " bytes in one second, " + round(x / Math.max(mean, 1), 1)
                                    + " times the baseline (z = " + (Double.isInfinite(z) ? "inf" : round(z, 1))
                                    + "); top receiver " + top,
                            evidence("bytes_per_s", x, "baseline_mean", round(mean, 1), "baseline_sd", round(sd, 1),
                                    "z", Double.isInfinite(z) ? "inf" : round(z, 2), "top_receiver_bytes", topBytes,
                                    "packets", packets),
                            List.of()));
                }
            }
            // Exponentially weighted mean and variance (West's incremental form).
            double diff = x - mean;
            double incr = alpha * diff;
            mean += incr;
            var = (1 - alpha) * (var + diff * incr);
            seconds++;
        }

        @Override
        public void onSessions(SessionBatch batch) {
        }

        @Override
        public void finish() {
            if (second != Long.MIN_VALUE) {
                score(second, bytes);
                second = Long.MIN_VALUE;
            }
            if (untracked > 0) {
                sink.warn(String.format(Locale.ROOT, "%,d packets not counted for the top receiver of %,d alerts: "
                        + "more than %,d receivers in one second (memory bound)", untracked, incompleteAlerts,
                        receivers.maxSize()));
            }
        }
    }
}
