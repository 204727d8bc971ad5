package org.weir.detect.rules.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
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

    public BruteForceDetector() {
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
                        new Parameter("ports", "string", "21,22,23,110,143,445,3389,5900",
                                "login service ports (comma-separated)"))));
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        return new Run(read(parameters), sink);
    }

    private record Key(long hi, long lo, int port) {
    }

    /**
     * What an alert needs of one attempt: its start, responder, uid and responder bytes (not a snapshot of the whole
     * session, which would also compute its Community ID).
     */
    private record Attempt(long startNanos, long respHi, long respLo, String uid, long respBytes) {
        String respAddress() {
            return addr(respHi, respLo);
        }
    }

    private static final class Attempts {
        final ArrayDeque<Attempt> window = new ArrayDeque<>();
        long alertedUntil = Long.MIN_VALUE;
        long total;
    }

    private static final class Run implements DetectorRun {
        private final AlertSink sink;
        private final int minAttempts;
        private final long window, maxDuration, maxResp;
        private final boolean[] ports;
        private final Map<Key, Attempts> bySource = new HashMap<>();
        /** A lower bound of every source's latest attempt start. */
        private long oldest = Long.MAX_VALUE;

        Run(ParameterReader p, AlertSink sink) {
            this.sink = sink;
            this.minAttempts = p.intValue("min_attempts");
            this.window = p.nanos("window");
            this.maxDuration = p.nanos("max_duration");
            this.maxResp = p.longValue("max_resp_bytes");
            this.ports = portSet(p.text("ports"));
        }

        boolean isAttempt(Session s) {
            if (s.transport() != Transport.TCP || s.respPort() < 0 || s.respPort() > 65535 || !ports[s.respPort()]) {
                return false;
            }
            String h = s.history();
            boolean talked = h.indexOf('D') >= 0 && h.indexOf('d') >= 0;
            return talked && s.durationNanos() <= maxDuration && s.respBytes() <= maxResp;
        }

        @Override
        public void onSessions(SessionBatch batch) {
            for (Session s : batch.closed()) {
                if (!isAttempt(s)) {
                    continue;
                }
                Attempts a = bySource.computeIfAbsent(new Key(s.origHi(), s.origLo(), s.respPort()),
                        k -> new Attempts());
                a.total++;
                oldest = Math.min(oldest, s.startNanos());
                a.window.addLast(new Attempt(s.startNanos(), s.respHi(), s.respLo(), s.uid(), s.respBytes()));
                long newest = s.startNanos();
                while (a.window.peekFirst().startNanos() < newest - window) {
                    a.window.pollFirst();
                }
                if (a.alertedUntil >= s.startNanos()) {
                    s.addTag(ID);
                    a.alertedUntil = s.startNanos() + window;
                    continue;
                }
                if (a.window.size() < minAttempts) {
                    continue;
                }
                a.alertedUntil = s.startNanos() + window;
                s.addTag(ID);
                Set<String> servers = new LinkedHashSet<>();
                RuleDetector.UidSample uids = new RuleDetector.UidSample(50);
                double sum = 0, sumSq = 0;
                for (Attempt x : a.window) {
                    servers.add(x.respAddress());
                    uids.add(x.uid());
                    sum += x.respBytes();
                    sumSq += (double) x.respBytes() * x.respBytes();
                }
                int n = a.window.size();
                double mean = sum / n;
                double cv = mean > 0 ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) / mean : 0;
                long span = s.startNanos() - a.window.peekFirst().startNanos();
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
        public void onTime(long now) {
            // Skipped while the oldest start added since the last sweep (a lower bound of every source's latest
            // attempt) is recent: then nothing can be removed.
            if (bySource.size() > 4096 && oldest < now - 2 * window) {
                long min = Long.MAX_VALUE;
                for (var it = bySource.values().iterator(); it.hasNext();) {
                    Attempts a = it.next();
                    if (a.window.isEmpty()
                            || a.window.peekLast().startNanos() < now - 2 * window && a.alertedUntil < now) {
                        it.remove();
                    } else {
                        min = Math.min(min, a.window.peekLast().startNanos());
                    }
                }
                oldest = min;
            }
        }
    }
}
