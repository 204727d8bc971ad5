package org.weir.detect.rules.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.weir.core.Enrichment;
import org.weir.core.IpAddress;
import org.weir.core.Session;
import org.weir.detect.Alert;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;

/** Shared plumbing of the rule detectors: the description and small helpers to build alerts. */
abstract class RuleDetector implements Detector {

    static final long SECOND = 1_000_000_000L;

    private final DetectorInfo info;

    RuleDetector(DetectorInfo info) {
        this.info = info;
    }

    @Override
    public final DetectorInfo info() {
        return info;
    }

    /** The rules judge the traffic alone: nothing of the enrichers' work. */
    @Override
    public final Set<Enrichment> reads() {
        return Set.of();
    }

    /**
     * The run parameters as declared. The host passes every one, defaults filled in; a missing one (a caller that
     * bypasses the host) takes its default, with a warning to {@code sink}.
     */
    final ParameterReader read(Map<String, String> parameters, AlertSink sink) {
        return new ParameterReader(info, parameters, sink::warn);
    }

    /**
     * Warns, when {@code untracked > 0}, that a bounded table was full: {@code untracked} {@code what} (e.g.
     * "sessions") were not counted because more than {@code bound} {@code keys} (e.g. "(source, port) keys") were
     * tracked at once. Called at the end of a run, never per packet.
     */
    static void warnUntracked(AlertSink sink, long untracked, String what, long bound, String keys) {
        if (untracked > 0) {
            sink.warn(String.format(Locale.ROOT, "%,d %s not tracked: more than %,d %s at once (memory bound)",
                    untracked, what, bound, keys));
        }
    }

    /** Warns, when {@code clamped > 0}, that counts of {@code what} saturated at {@link Windows#MAX_COUNT}. */
    static void warnSaturated(AlertSink sink, long clamped, String what) {
        if (clamped > 0) {
            sink.warn(String.format(Locale.ROOT, "%,d additions to counts of %s not counted: a count reached its "
                    + "maximum, %,d, within one window", clamped, what, Windows.MAX_COUNT));
        }
    }

    /** {@code bound} when positive (a test's small bound), else {@code normal}. */
    static int bounded(int bound, int normal) {
        return bound > 0 ? bound : normal;
    }

    /** Evidence in insertion order: key, value, key, value, ... */
    static Map<String, Object> evidence(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Alert alert(String detector, String type, Severity severity, long time, String source, String target,
            String summary, Map<String, Object> evidence, List<String> uids) {
        return new Alert(detector, type, severity, time, source, target, summary, evidence,
                List.copyOf(uids == null ? List.of() : uids));
    }

    static String addr(long hi, long lo) {
        return IpAddress.toString(hi, lo);
    }

    /** Seconds with millisecond precision, for evidence. */
    static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1e3;
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    static String endpoint(Session s) {
        return s.respAddress() + ":" + s.respPort() + "/" + s.transport().zeekName();
    }

    /**
     * A bounded sample of distinct uids (alerts carry a sample, not every session), in order of arrival. Kept by
     * detectors per host or pair for minutes, so the uids are held packed ({@link PackedUid}), not as strings.
     */
    static final class UidSample {
        /** Two longs per uid; a uid that does not pack is in {@link #unpacked} at its index. */
        private long[] packed = new long[4];
        private String[] unpacked;
        private int size;
        private final int max;

        UidSample(int max) {
            this.max = max;
        }

        void add(String uid) {
            if (uid == null || size >= max) {
                return;
            }
            long high = PackedUid.high(uid), low = high == PackedUid.UNPACKED ? 0 : PackedUid.low(uid);
            for (int i = 0; i < size; i++) {
                if (packed[2 * i] == high && packed[2 * i + 1] == low
                        && (high != PackedUid.UNPACKED || uid.equals(unpacked[i]))) {
                    return;
                }
            }
            if (2 * size == packed.length) {
                packed = Arrays.copyOf(packed, 2 * Math.min(max, 2 * size));
            }
            packed[2 * size] = high;
            packed[2 * size + 1] = low;
            if (high == PackedUid.UNPACKED) {
                if (unpacked == null) {
                    unpacked = new String[max];
                }
                unpacked[size] = uid;
            }
            size++;
        }

        List<String> list() {
            List<String> uids = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                long high = packed[2 * i];
                uids.add(high == PackedUid.UNPACKED ? unpacked[i] : PackedUid.unpack(high, packed[2 * i + 1]));
            }
            return uids;
        }
    }
}
