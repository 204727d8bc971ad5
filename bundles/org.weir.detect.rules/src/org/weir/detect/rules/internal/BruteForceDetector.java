package org.weir.detect.rules.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.Transport;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;

/**
 * Password guessing against login services, after Zeek's SSH and FTP brute-force policies: one source making many
 * short login exchanges with the same service in a short time. Without parsing each protocol's failure reply, an
 * attempt is a TCP session to a login port that exchanged data both ways yet stayed short and small (a successful
 * interactive login lasts or transfers more); failed handshakes are left to the port-scan detector.
 */
@Component(service = Detector.class)
public final class BruteForceDetector extends RuleDetector {

    public static final String ID = "brute_force";

    private final int bound;

    public BruteForceDetector() {
        this(0);
    }

    /** @param bound entries of each of a run's bounded tables, instead of the normal bounds when positive (tests) */
    BruteForceDetector(int bound) {
        super(new DetectorInfo(ID, "Brute-force login", "Credential access", Severity.HIGH,
                "Counts short, small login exchanges (data both ways, at most max_duration and max_resp_bytes) "
                        + "from one source to one login service port within the window; min_attempts of them is "
                        + "password guessing, as Zeek's SSH::Password_Guessing and FTP::Bruteforcing notices.",
                List.of(new Parameter("min_attempts", "int", "10", "login attempts within the window"),
                        new Parameter("window", "duration", "300", "sliding window over attempt start times"),
                        new Parameter("max_duration", "duration", "30", "longest session still counted as an attempt"),
                        new Parameter("max_resp_bytes", "long", "20000",
                                "most responder payload bytes of an attempt (a failed login answers little)"),
                        // Interactive and remote-login services only: mail relays (25), directory and database
                        // clients (389, 1433, 3306, 5432, 6379) and IMAP/POP pollers open short authenticated
                        // sessions all day; add their ports where repeated logins are unusual.
                        new Parameter("ports", "ports", "21,22,23,110,143,445,3389,5900",
                                "login service ports"))));
        this.bound = bound;
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        return new Run(read(parameters, sink), sink, bound);
    }

    /**
     * One source's attempts on one port within the window, oldest first, with what an alert needs of each (not a
     * snapshot of the session, which would also compute its Community ID): its start, responder, responder bytes
     * and packed uid, in a ring of longs.
     */
    static final class Attempts {
        private static final int START = 0, RESP_HI = 1, RESP_LO = 2, RESP_BYTES = 3, UID_HIGH = 4, UID_LOW = 5,
                FIELDS = 6;
        /** {@link #FIELDS} longs per attempt; capacity a power of two. */
        private long[] ring = new long[FIELDS];
        /** The uids that do not pack, by ring position; made for the first. */
        private String[] unpackedUids;
        private int head, size;
        long alertedUntil = Long.MIN_VALUE;

        void add(long start, long respHi, long respLo, long respBytes, String uid) {
            if (size * FIELDS == ring.length) {
                grow();
            }
            int i = (head + size) & (capacity() - 1);
            int o = i * FIELDS;
            ring[o + START] = start;
            ring[o + RESP_HI] = respHi;
            ring[o + RESP_LO] = respLo;
            ring[o + RESP_BYTES] = respBytes;
            long high = PackedUid.high(uid);
            ring[o + UID_HIGH] = high;
            if (high == PackedUid.UNPACKED) {
                if (unpackedUids == null) {
                    unpackedUids = new String[capacity()];
                }
                unpackedUids[i] = uid;
            } else {
                ring[o + UID_LOW] = PackedUid.low(uid);
                if (unpackedUids != null) {
                    unpackedUids[i] = null;
                }
            }
            size++;
        }

        /** Drops the oldest attempts while they started before {@code t}. */
        void dropStartedBefore(long t) {
            while (size > 0 && ring[head * FIELDS + START] < t) {
                if (unpackedUids != null) {
                    unpackedUids[head] = null;
                }
                head = (head + 1) & (capacity() - 1);
                size--;
            }
        }

        int size() {
            return size;
        }

        /** Field of the {@code n}-th oldest attempt. */
        private long get(int n, int field) {
            return ring[((head + n) & (capacity() - 1)) * FIELDS + field];
        }

        long start(int n) {
            return get(n, START);
        }

        long respHi(int n) {
            return get(n, RESP_HI);
        }

        long respLo(int n) {
            return get(n, RESP_LO);
        }

        long respBytes(int n) {
            return get(n, RESP_BYTES);
        }

        String uid(int n) {
            long high = get(n, UID_HIGH);
            return high == PackedUid.UNPACKED ? unpackedUids[(head + n) & (capacity() - 1)]
                    : PackedUid.unpack(high, get(n, UID_LOW));
        }

        private int capacity() {
            return ring.length / FIELDS;
        }

        private void grow() {
            int capacity = capacity();
            long[] grown = new long[ring.length * 2];
            String[] uids = unpackedUids == null ? null : new String[capacity * 2];
            for (int n = 0; n < size; n++) {
                int i = (head + n) & (capacity - 1);
                System.arraycopy(ring, i * FIELDS, grown, n * FIELDS, FIELDS);
                if (uids != null) {
                    uids[n] = unpackedUids[i];
                }
            }
            ring = grown;
            unpackedUids = uids;
            head = 0;
        }
    }

    private static final class Run implements DetectorRun {
        /** Sources (per login port) remembered at most; attempts of further new ones are not counted. */
        private static final int MAX_SOURCES = 1 << 24;
        private final AlertSink sink;
        private final int minAttempts;
        private final long window, maxDuration, maxResp;
        private final boolean[] ports;
        /** By (source address, login port, 0); each row's object is its {@link Attempts}. */
        private final KeyTable bySource;
        /** A lower bound of every source's latest attempt start. */
        private long oldest = Long.MAX_VALUE;

        Run(ParameterReader p, AlertSink sink, int bound) {
            this.sink = sink;
            this.bySource = new KeyTable(4, 0, bounded(bound, MAX_SOURCES));
            this.minAttempts = p.intValue("min_attempts");
            this.window = p.nanos("window");
            this.maxDuration = p.nanos("max_duration");
            this.maxResp = p.longValue("max_resp_bytes");
            this.ports = p.ports("ports");
        }

        boolean isAttempt(Session s) {
            if (s.transport() != Transport.TCP || !ports[s.respPort()]) { // a session's ports are 16 bits
                return false;
            }
            boolean talked = s.historyContains('D') && s.historyContains('d');
            return talked && s.durationNanos() <= maxDuration && s.respBytes() <= maxResp;
        }

        @Override
        public void onSessions(SessionBatch batch) {
            for (Session s : batch.closed()) {
                if (!isAttempt(s)) {
                    continue;
                }
                int r = bySource.put(s.origHi(), s.origLo(), s.respPort(), 0);
                if (r < 0) {
                    continue; // bounded memory: MAX_SOURCES sources, counted by the table and reported at the end
                }
                Attempts a = (Attempts) bySource.object(r);
                if (a == null) {
                    a = new Attempts();
                    bySource.object(r, a);
                }
                oldest = Math.min(oldest, s.startNanos());
                a.add(s.startNanos(), s.respHi(), s.respLo(), s.respBytes(), s.uid());
                a.dropStartedBefore(s.startNanos() - window);
                if (a.alertedUntil >= s.startNanos()) {
                    s.addTag(ID);
                    a.alertedUntil = s.startNanos() + window;
                    continue;
                }
                if (a.size() < minAttempts) {
                    continue;
                }
                a.alertedUntil = s.startNanos() + window;
                s.addTag(ID);
                Set<String> servers = new LinkedHashSet<>();
                RuleDetector.UidSample uids = new RuleDetector.UidSample(50);
                double sum = 0, sumSq = 0;
                int n = a.size();
                for (int i = 0; i < n; i++) {
                    servers.add(addr(a.respHi(i), a.respLo(i)));
                    uids.add(a.uid(i));
                    sum += a.respBytes(i);
                    sumSq += (double) a.respBytes(i) * a.respBytes(i);
                }
                double mean = sum / n;
                double cv = mean > 0 ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) / mean : 0;
                long span = s.startNanos() - a.start(0);
                String service = s.service().isEmpty() ? s.respPort() + "/tcp" : s.service() + " (" + s.respPort()
                        + "/tcp)";
                String target = servers.size() == 1 ? servers.iterator().next() + ":" + s.respPort()
                        : servers.size() + " servers on port " + s.respPort();
                sink.raise(alert(ID, "password_guessing", Severity.HIGH, s.lastNanos(), s.origAddress(), target,
                        s.origAddress() + " appears to be guessing " + service + " passwords: " + n
                                + " short login sessions to " + target + " in " + seconds(span) + " s",
                        evidence("attempts", n, "window_s", seconds(window), "threshold", minAttempts, "span_s",
                                seconds(span), "servers", servers.size(), "mean_resp_bytes", round(mean, 1),
                                "resp_bytes_cv", round(cv, 3)),
                        uids.list()));
            }
        }

        @Override
        public void finish() {
            warnUntracked(sink, bySource.refused(), "login attempts", bySource.maxSize(), "(source, login port) keys");
        }

        @Override
        public void onTime(long now) {
            // Skipped while the oldest start added since the last sweep (a lower bound of every source's latest
            // attempt) is recent: then nothing can be removed.
            if (bySource.size() > 4096 && oldest < now - 2 * window) {
                long[] min = {Long.MAX_VALUE};
                bySource.retain((t, r) -> {
                    Attempts a = (Attempts) t.object(r);
                    long latest = a.start(a.size() - 1);
                    if (latest < now - 2 * window && a.alertedUntil < now) {
                        return false;
                    }
                    min[0] = Math.min(min[0], latest);
                    return true;
                });
                oldest = min[0];
            }
        }
    }
}
