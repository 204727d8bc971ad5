package org.weir.detect.eif;

import java.util.List;
import java.util.Objects;

import org.weir.core.Session;

/**
 * The twelve numbers the anomaly model sees for a session, in EDAMAME's order: process, duration, total bytes,
 * total packets, segment inter-arrival, in/out ratio, average packet size, inter-arrival regularity, packet rate,
 * missed bytes, segments, destination port.
 *
 * <p>Categorical values (process name, destination service) become a {@link StableHash stable hash} in [0, 1), so
 * the same name gives the same value on every run and machine. Heavy-tailed counts and times are log-scaled
 * ({@code ln(1 + x)}): a forest's random cuts fall uniformly between a node's minimum and maximum, and on a linear
 * scale a single 10 GB transfer would leave every other session in the first cut's left half. The average packet
 * size is log-scaled too: it is not heavy-tailed, but an extended cut's slope weighs each feature by its spread,
 * and a linear range of tens to thousands of bytes would outweigh every other feature (a 2 GB upload then scored
 * as ordinary in tests). The log-scaled features span about 0 to 25; the hashed categories and the regularity
 * span [0, 1], so they count fully in axis-parallel cuts and less in extended ones.
 *
 * <p>What the session table does not provide yet is approximated, and replaced once a {@link Context} supplies it:
 * <ul>
 * <li>process: unknown processes give 0 (EDAMAME's value for a session without process attribution);</li>
 * <li>segments (bursts of packets separated by idle gaps) and their timing: without per-packet times a session is
 *     taken as one segment; the inter-arrival feature is then the mean gap between its packets,
 *     {@code duration / (packets − 1)}, which is exact as a mean; regularity is 0, as EDAMAME reports for a
 *     single-segment session.</li>
 * </ul>
 * Directions follow the originator: outbound is what the originator sent, inbound what the responder sent.
 *
 * <p>Instances are immutable and thread-safe; {@link #extract} allocates nothing unless the context does.
 */
public final class SessionFeatures {

    /** Number of features. */
    public static final int COUNT = 12;

    public static final int PROCESS = 0, DURATION = 1, BYTES = 2, PACKETS = 3, SEGMENT_INTERARRIVAL = 4,
            IN_OUT_RATIO = 5, AVG_PACKET_SIZE = 6, INTERARRIVAL_REGULARITY = 7, PACKET_RATE = 8, MISSED_BYTES = 9,
            SEGMENTS = 10, DST_PORT = 11;

    /** Feature names, by index, as used in reports and evidence. */
    public static final List<String> NAMES = List.of("process", "duration", "bytes", "packets",
            "segment_interarrival", "in_out_ratio", "avg_packet_size", "interarrival_regularity", "packet_rate",
            "missed_bytes", "segments", "dst_port");

    /**
     * Activity bursts of a session: what a session table that keeps per-packet timing can report. A segment ends
     * after an idle gap (EDAMAME: no packet for the segment timeout).
     *
     * @param count number of segments (≥ 1 for a session with packets)
     * @param meanGapSeconds mean time from the end of one segment to the start of the next (0 for one segment)
     */
    public record Segments(int count, double meanGapSeconds) {
    }

    /**
     * What the session alone does not tell: the hook for process attribution and per-packet timing. Either
     * method may return null when it does not know, and the approximation described above is used.
     */
    public interface Context {

        /** The local process that owns the session, or null. */
        default String processName(Session session) {
            return null;
        }

        /** The session's activity segments, or null. */
        default Segments segments(Session session) {
            return null;
        }
    }

    private static final Context NONE = new Context() {
    };

    private final Context context;

    /** Features from the session alone. */
    public SessionFeatures() {
        this(NONE);
    }

    public SessionFeatures(Context context) {
        this.context = Objects.requireNonNull(context);
    }

    /**
     * Whether the features come from the session alone (no {@link Context}): then a closed session, which no longer
     * changes, gives the same features whenever they are extracted.
     */
    boolean fromSessionAlone() {
        return context == NONE;
    }

    /** A new array of the session's {@link #COUNT} features. */
    public double[] extract(Session s) {
        double[] out = new double[COUNT];
        extract(s, out, 0);
        return out;
    }

    /** Writes the session's features to {@code out[offset .. offset + COUNT)}; every value is finite. */
    public void extract(Session s, double[] out, int offset) {
        double duration = Math.max(0, s.durationNanos()) / 1e9;
        long origBytes = Math.max(0, s.origBytes()), respBytes = Math.max(0, s.respBytes());
        long packets = Math.max(0, s.origPackets()) + Math.max(0, s.respPackets());
        long ipBytes = Math.max(0, s.origIpBytes()) + Math.max(0, s.respIpBytes());

        String process = context.processName(s);
        Segments seg = context.segments(s);
        int segments;
        double gap, regularity;
        if (seg != null && seg.count() > 0) {
            segments = seg.count();
            gap = Math.max(0, seg.meanGapSeconds());
            regularity = regularity(duration, segments, gap);
        } else {
            segments = packets > 0 ? 1 : 0;
            gap = packets > 1 ? duration / (packets - 1) : 0;
            regularity = 0;
        }

        out[offset + PROCESS] = process == null || process.isEmpty() ? 0 : StableHash.unit(process);
        out[offset + DURATION] = Math.log1p(duration);
        out[offset + BYTES] = Math.log1p(origBytes + respBytes);
        out[offset + PACKETS] = Math.log1p(packets);
        out[offset + SEGMENT_INTERARRIVAL] = Math.log1p(gap);
        // ln((in + 1) / (out + 1)): 0 when balanced, symmetric in the two directions, finite with a silent side.
        out[offset + IN_OUT_RATIO] = Math.log1p(respBytes) - Math.log1p(origBytes);
        out[offset + AVG_PACKET_SIZE] = packets > 0 ? Math.log1p((double) ipBytes / packets) : 0;
        out[offset + INTERARRIVAL_REGULARITY] = regularity;
        out[offset + PACKET_RATE] = duration > 0 ? Math.log1p(packets / duration) : 0;
        out[offset + MISSED_BYTES] = Math.log1p(Math.max(0, s.missedBytes()));
        out[offset + SEGMENTS] = Math.log1p(segments);
        out[offset + DST_PORT] = StableHash.unit(transportName(s), Math.max(0, s.respPort()));
        for (int i = offset; i < offset + COUNT; i++) {
            if (!Double.isFinite(out[i])) {
                out[i] = 0; // a clock step backwards or a counter overflow must not poison the forest
            }
        }
    }

    /**
     * How close the mean gap between segments is to even spacing over the session, in [0, 1]: 1 when the
     * segments are evenly spread, 0 when one gap holds all the idle time or there is only one segment.
     */
    static double regularity(double durationSeconds, int segments, double meanGapSeconds) {
        if (segments < 2 || durationSeconds <= 0) {
            return 0;
        }
        double expected = durationSeconds / (segments - 1);
        double r = 1 - Math.abs(meanGapSeconds - expected) / expected;
        return Math.max(0, Math.min(1, r));
    }

    /**
     * The destination as a category is transport and responder port, e.g. {@code tcp/443} (for ICMP the code, as
     * Zeek logs it), hashed like the string.
     */
    private static String transportName(Session s) {
        return s.transport() == null ? "unknown_transport" : s.transport().zeekName();
    }
}
