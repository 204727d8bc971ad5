package org.weir.detect.rules.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.Parameter;
import org.weir.detect.Severity;

/**
 * Long connections: sessions open for hours, as remote-access tools and tunnels keep them (RITA's long-connection
 * analysis). Reported once per session, while still open when the table reports it updated, or when it closes.
 */
@Component(service = Detector.class)
public final class LongConnectionDetector extends RuleDetector {

    public static final String ID = "long_connection";

    public LongConnectionDetector() {
        super(new DetectorInfo(ID, "Long connection", "Command and control", Severity.LOW,
                "Reports each session lasting at least min_duration (first to last packet).",
                List.of(new Parameter("min_duration", "duration", "3600", "session duration that is reported"))));
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        long min = read(parameters, sink).nanos("min_duration");
        Set<String> reported = new HashSet<>();
        return new DetectorRun() {
            @Override
            public void onSessions(SessionBatch batch) {
                check(batch.updated());
                check(batch.closed());
            }

            private void check(List<Session> sessions) {
                for (Session s : sessions) {
                    if (s.durationNanos() < min) {
                        continue;
                    }
                    s.addTag(ID);
                    if (!reported.add(s.uid())) {
                        if (s.isClosed()) {
                            reported.remove(s.uid());
                        }
                        continue;
                    }
                    if (s.isClosed()) {
                        reported.remove(s.uid());
                    }
                    sink.raise(alert(ID, "long_connection", Severity.LOW, s.lastNanos(), s.origAddress(),
                            endpoint(s),
                            s.origAddress() + " has been connected to " + endpoint(s) + " for "
                                    + Math.round(s.durationNanos() / 60e9) + " min",
                            evidence("duration_s", seconds(s.durationNanos()), "orig_bytes", s.origBytes(),
                                    "resp_bytes", s.respBytes(), "threshold_s", seconds(min), "closed",
                                    s.isClosed()),
                            List.of(s.uid())));
                }
            }
        };
    }
}
