package org.weir.examples.detector.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.weir.core.Enrichment;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.Transport;
import org.weir.detect.Alert;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;

/**
 * An example of a third-party detector: one DS component implementing {@link Detector}, nothing else. Dropping this
 * bundle into Weir makes it run; removing it stops it. It reports logins over protocols that send passwords in
 * clear text (FTP, Telnet, POP3, IMAP without TLS): a session to one of those ports in which the client sent data.
 */
@Component(service = Detector.class)
public final class CleartextLoginDetector implements Detector {

    public static final String ID = "example_cleartext_login";

    @Override
    public DetectorInfo info() {
        return new DetectorInfo(ID, "Cleartext login (example)", "Credential exposure", Severity.LOW,
                "Reports each client that talked to a cleartext login service (FTP, Telnet, POP3, IMAP), once "
                        + "per client and server: whoever can see the traffic can read the password.",
                List.of(new Parameter("ports", "ports", "21,23,110,143", "cleartext login ports")));
    }

    /**
     * What this detector reads of the enrichers' work (names, locations, tags, ...): none, as it judges ports and
     * bytes alone. A detector that does not say gets all of it computed for it, which costs time on every run.
     */
    @Override
    public Set<Enrichment> reads() {
        return Set.of();
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        // The values as the declared types, checked as the host checked them; a missing one falls back to its
        // default with a warning.
        boolean[] ports = new ParameterReader(info(), parameters, sink::warn).ports("ports");
        Set<String> reported = new HashSet<>();
        return new DetectorRun() {
            @Override
            public void onSessions(SessionBatch batch) {
                for (Session s : batch.closed()) {
                    if (s.transport() != Transport.TCP || !ports[s.respPort()] || s.origBytes() == 0) {
                        continue;
                    }
                    s.addTag(ID);
                    String server = s.respAddress() + ":" + s.respPort();
                    if (reported.add(s.origAddress() + ">" + server)) {
                        sink.raise(new Alert(ID, "cleartext_login", Severity.LOW, s.lastNanos(), s.origAddress(),
                                server, s.origAddress() + " logged in to " + server + " over a cleartext protocol",
                                Map.of("port", s.respPort(), "orig_bytes", s.origBytes()), List.of(s.uid())));
                    }
                }
            }
        };
    }
}
