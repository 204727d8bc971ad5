package org.weir.detect.rules.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.weir.core.IpAddress;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;

/**
 * Beaconing: a host contacting the same peer at regular intervals with regular sizes, as implants check in with
 * their command-and-control server. Scored per (source, destination) pair with RITA's timing and size scores
 * ({@link BeaconScore}) over closed sessions, when the pair's count doubles and at the end of input.
 */
@Component(service = Detector.class)
public final class BeaconDetector extends RuleDetector {

    public static final String ID = "beacon";

    private final int bound;

    public BeaconDetector() {
        this(0);
    }

    /** @param bound entries of each of a run's bounded tables, instead of the normal bounds when positive (tests) */
    BeaconDetector(int bound) {
        super(new DetectorInfo(ID, "Beaconing", "Command and control", Severity.MEDIUM,
                "Scores each source/destination pair with at least min_connections sessions: the mean of RITA's "
                        + "timing score (Bowley skewness and median absolute deviation of the intervals) and size "
                        + "score (the same over originator bytes); at least min_score, with a median interval of "
                        + "min_interval or more, is a beacon.",
                List.of(new Parameter("min_connections", "int", "10", "sessions of one pair before scoring"),
                        new Parameter("min_score", "double", "0.8", "beacon score (0-1) that raises an alert"),
                        new Parameter("min_interval", "duration", "10",
                                "shortest median interval (bursts of quick sessions are not check-ins)"),
                        new Parameter("ignore_ports", "ports", "53,123,5353",
                                "responder ports of protocols periodic by design (DNS, NTP, mDNS)"))));
        this.bound = bound;
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        return new Run(read(parameters, sink), sink, bound);
    }

    /**
     * One pair's sessions, from its second session on (a pair's first session lives in its table row). The first
     * is kept in fields and the arrays are made only for a second one; the addresses are formatted from the key
     * only when an alert is raised.
     */
    private static final class Series {
        /** Sessions of one pair kept for scoring at most. */
        static final int MAX_SESSIONS = 1 << 16;
        double start0, size0;
        double[] starts, sizes;
        int n;
        int nextCheck;
        boolean alerted;
        String lastUid;
        int port;

        void add(double start, double size) {
            if (n == 0) {
                start0 = start;
                size0 = size;
                n = 1;
                return;
            }
            if (starts == null) {
                starts = new double[4];
                sizes = new double[4];
                starts[0] = start0;
                sizes[0] = size0;
            } else if (n == starts.length) {
                if (n >= MAX_SESSIONS) {
                    return; // enough to score; bounded memory (the run counts what it leaves out)
                }
                starts = Arrays.copyOf(starts, n * 2);
                sizes = Arrays.copyOf(sizes, n * 2);
            }
            starts[n] = start;
            sizes[n] = size;
            n++;
        }
    }

    private static final class Run implements DetectorRun {
        private final AlertSink sink;
        private final int minConnections;
        private final double minScore;
        private final double minInterval;
        private final boolean[] ignore;
        // Row fields of a pair that has had one session (its Series, the row's object, comes with the second):
        // its start in nanoseconds and its originator bytes + 1 (never negative, so 0 means no session yet).
        private static final int START0 = 0, SIZE0_PLUS_1 = 1, WIDTH = 2;
        /** Pairs remembered at most (bounded memory); sessions of further new pairs are not scored. */
        private static final int MAX_PAIRS = 1 << 24;
        private final int maxPairs, maxSessions;
        /**
         * Pairs of IPv4 addresses, keyed by both in one long (originator << 32 | responder, then 0): most pairs
         * see one session, which then costs a row of four longs, no objects.
         */
        private final KeyTable v4Pairs;
        /** The other pairs, by (originator, responder) address. */
        private final KeyTable otherPairs;
        /** Sessions not scored: of new pairs past {@link #maxPairs}, of pairs past {@link #maxSessions} sessions. */
        private long untrackedPairs, untrackedSessions;
        /**
         * Bit n: whether the n-th pair (in order of first session) is in {@link #otherPairs}; with the tables' rows
         * in insertion order this restores the pairs' order for {@link #finish()}.
         */
        private long[] otherPairBits = new long[16];
        private int pairCount;
        private long now;

        Run(ParameterReader p, AlertSink sink, int bound) {
            this.sink = sink;
            this.maxPairs = bounded(bound, MAX_PAIRS);
            this.maxSessions = Math.min(Series.MAX_SESSIONS, bounded(bound, Series.MAX_SESSIONS));
            this.v4Pairs = new KeyTable(2, WIDTH, maxPairs);
            this.otherPairs = new KeyTable(4, WIDTH, maxPairs);
            this.minConnections = p.intValue("min_connections");
            this.minScore = p.doubleValue("min_score");
            this.minInterval = p.nanos("min_interval") / 1e9;
            this.ignore = p.ports("ignore_ports");
        }

        @Override
        public void onSessions(SessionBatch batch) {
            for (Session s : batch.closed()) {
                now = Math.max(now, s.lastNanos());
                if (s.respPort() >= 0 && s.respPort() < 65536 && ignore[s.respPort()]) {
                    continue;
                }
                boolean v4 = IpAddress.isV4(s.origHi(), s.origLo()) && IpAddress.isV4(s.respHi(), s.respLo());
                KeyTable pairs = v4 ? v4Pairs : otherPairs;
                int r = row(pairs, v4, s);
                if (r < 0) {
                    untrackedPairs++; // bounded memory: MAX_PAIRS pairs
                    continue;
                }
                Object x = pairs.object(r);
                if (x == null && pairs.get(r, SIZE0_PLUS_1) == 0 && minConnections > 1 && s.origBytes() >= 0) {
                    // A pair's first session can neither be scored nor tagged yet: keep it in the row.
                    pairs.set(r, START0, s.startNanos());
                    pairs.set(r, SIZE0_PLUS_1, s.origBytes() + 1);
                    continue;
                }
                series(s, pairs, r, (Series) x, s.startNanos() / 1e9, s.origBytes());
            }
        }

        /** The row of the session's pair, made for a new pair unless there are MAX_PAIRS; -1 if none. */
        private int row(KeyTable pairs, boolean v4, Session s) {
            long v4Pair = s.origLo() << 32 | (s.respLo() & 0xFFFF_FFFFL);
            if (pairCount >= maxPairs) {
                return v4 ? pairs.get(v4Pair, 0) : pairs.get(s.origHi(), s.origLo(), s.respHi(), s.respLo());
            }
            int known = pairs.size();
            int r = v4 ? pairs.put(v4Pair, 0) : pairs.put(s.origHi(), s.origLo(), s.respHi(), s.respLo());
            if (pairs.size() > known) {
                if (pairCount == otherPairBits.length * 64) {
                    otherPairBits = Arrays.copyOf(otherPairBits, otherPairBits.length * 2);
                }
                if (!v4) {
                    otherPairBits[pairCount >>> 6] |= 1L << pairCount;
                }
                pairCount++;
            }
            return r;
        }

        /** A session of a pair that has (or now gets) a Series: kept apart from the loop, which most take. */
        private void series(Session s, KeyTable pairs, int r, Series x, double start, double size) {
            if (x == null) {
                x = new Series();
                x.nextCheck = minConnections;
                if (pairs.get(r, SIZE0_PLUS_1) != 0) {
                    x.add(pairs.get(r, START0) / 1e9, pairs.get(r, SIZE0_PLUS_1) - 1);
                }
                pairs.object(r, x);
            }
            if (x.n >= maxSessions) {
                untrackedSessions++;
                return;
            }
            x.add(start, size);
            x.port = s.respPort();
            if (x.n >= minConnections) {
                x.lastUid = s.uid(); // only a pair that can be scored ever reports it
            }
            if (x.alerted) {
                s.addTag(ID);
            } else if (x.n >= x.nextCheck) {
                x.nextCheck = x.n * 2;
                if (evaluate(s.origHi(), s.origLo(), s.respHi(), s.respLo(), x)) {
                    s.addTag(ID);
                }
            }
        }

        private boolean evaluate(long origHi, long origLo, long respHi, long respLo, Series x) {
            if (x.alerted || x.n < minConnections) {
                return false;
            }
            double[] starts = x.starts != null ? x.starts : new double[] {x.start0};
            double[] sizes = x.sizes != null ? x.sizes : new double[] {x.size0};
            // Closed sessions arrive in closing order; score them in start order.
            double[] order = Arrays.copyOf(starts, x.n);
            Arrays.sort(order);
            double[] gaps = new double[x.n - 1];
            for (int i = 1; i < x.n; i++) {
                gaps[i - 1] = order[i] - order[i - 1];
            }
            Arrays.sort(gaps);
            double medianGap = BeaconScore.median(gaps, 0, gaps.length);
            if (medianGap < minInterval) {
                return false;
            }
            double ts = BeaconScore.timing(order, x.n);
            double ds = BeaconScore.size(sizes, x.n);
            double score = (ts + ds) / 2;
            if (score < minScore) {
                return false;
            }
            x.alerted = true;
            String src = addr(origHi, origLo), dst = addr(respHi, respLo);
            sink.raise(alert(ID, "beacon", Severity.MEDIUM, now, src, dst,
                    src + " contacts " + dst + " like a beacon: " + x.n + " sessions about every "
                            + round(medianGap, 1) + " s (score " + round(score, 3) + ")",
                    evidence("score", round(score, 3), "timing_score", round(ts, 3), "size_score", round(ds, 3),
                            "connections", x.n, "median_interval_s", round(medianGap, 3), "last_port", x.port,
                            "span_s", round(order[x.n - 1] - order[0], 1)),
                    List.of(x.lastUid)));
            return true;
        }

        @Override
        public void finish() {
            warnUntracked(sink, untrackedPairs, "sessions", maxPairs, "(originator, responder) pairs");
            if (untrackedSessions > 0) {
                sink.warn(String.format(Locale.ROOT, "%,d sessions not scored: pairs are scored on their first %,d "
                        + "sessions (memory bound)", untrackedSessions, maxSessions));
            }
            // Pairs in the order of their first session; a pair with one session cannot score.
            int v4Row = 0, otherRow = 0;
            for (int n = 0; n < pairCount; n++) {
                if ((otherPairBits[n >>> 6] & 1L << n) != 0) {
                    int r = otherRow++;
                    if (otherPairs.object(r) instanceof Series x) {
                        evaluate(otherPairs.key1(r), otherPairs.key2(r), otherPairs.key3(r), otherPairs.key4(r), x);
                    }
                } else {
                    int r = v4Row++;
                    if (v4Pairs.object(r) instanceof Series x) {
                        long pair = v4Pairs.key1(r);
                        evaluate(0, IpAddress.v4Lo((int) (pair >>> 32)), 0, IpAddress.v4Lo((int) pair), x);
                    }
                }
            }
        }
    }
}
