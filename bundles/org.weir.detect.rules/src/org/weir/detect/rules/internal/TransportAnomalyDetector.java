package org.weir.detect.rules.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * TCP sessions that do not behave like healthy transfers, read from Zeek's history and counters: heavy
 * retransmission ({@code t}/{@code T}; Zeek repeats the letter at 1, 10, 100, ... occurrences), sequence gaps
 * ({@code g}/{@code G}, {@code missed_bytes}: data the sensor never saw, from capture loss or evasion) and streams of
 * tiny segments (covert trickling, keystroke channels, resource exhaustion). One alert per kind and host pair.
 */
@Component(service = Detector.class)
public final class TransportAnomalyDetector extends RuleDetector {

    public static final String ID = "transport_anomaly";

    public TransportAnomalyDetector() {
        super(new DetectorInfo(ID, "Transport anomalies", "Evasion / network health", Severity.LOW,
                "Flags TCP sessions with at least min_retransmits retransmissions making up min_retransmit_share of "
                        + "their packets, sessions with sequence gaps or missed bytes, and sessions of at least "
                        + "min_small_packets packets averaging under max_small_payload payload bytes.",
                List.of(new Parameter("min_retransmits", "int", "10",
                                "retransmissions in one direction (Zeek counts them in powers of ten)"),
                        new Parameter("min_retransmit_share", "double", "0.1",
                                "retransmissions as a share of the session's packets"),
                        new Parameter("gaps", "boolean", "true", "report sequence gaps and missed bytes"),
                        new Parameter("min_small_packets", "int", "200", "packets of a tiny-segment session"),
                        new Parameter("max_small_payload", "double", "8",
                                "average payload bytes per packet below which segments are tiny"))));
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        return new Run(read(parameters, sink), sink);
    }

    /** Lower bound of the events behind a history letter: Zeek logs it again at 10, 100, 1000 occurrences. */
    static long letterCount(String history, char letter) {
        int n = 0;
        for (int i = 0; i < history.length(); i++) {
            if (history.charAt(i) == letter) {
                n++;
            }
        }
        return n == 0 ? 0 : (long) Math.pow(10, n - 1);
    }

    private record Key(String type, String orig, String resp) {
    }

    private static final class Run implements DetectorRun {
        private final AlertSink sink;
        private final long minRetransmits;
        private final double minShare, maxSmallPayload;
        private final boolean gaps;
        private final long minSmallPackets;
        private final Map<Key, Integer> reported = new HashMap<>();

        Run(ParameterReader p, AlertSink sink) {
            this.sink = sink;
            this.minRetransmits = p.intValue("min_retransmits");
            this.minShare = p.doubleValue("min_retransmit_share");
            this.gaps = p.booleanValue("gaps");
            this.minSmallPackets = p.intValue("min_small_packets");
            this.maxSmallPayload = p.doubleValue("max_small_payload");
        }

        @Override
        public void onSessions(SessionBatch batch) {
            for (Session s : batch.closed()) {
                if (s.transport() != Transport.TCP) {
                    continue;
                }
                long packets = s.origPackets() + s.respPackets();
                if (s.historyContains('T') || s.historyContains('t')) { // the text only for the few with them
                    String h = s.history();
                    long rx = Math.max(letterCount(h, 'T'), letterCount(h, 't'));
                    if (rx >= minRetransmits && packets > 0 && (double) rx / packets >= minShare) {
                        raise(s, "retransmissions", "retransmitted at least " + rx + " of " + packets + " packets",
                                evidence("retransmits_min", rx, "packets", packets, "history", h));
                    }
                }
                if (gaps && (s.missedBytes() > 0 || s.historyContains('G') || s.historyContains('g'))) {
                    raise(s, "sequence_gap", "has sequence gaps (" + s.missedBytes() + " bytes never seen)",
                            evidence("missed_bytes", s.missedBytes(), "history", s.history(), "orig_bytes",
                                    s.origBytes(), "resp_bytes", s.respBytes()));
                }
                long payload = s.origBytes() + s.respBytes();
                if (packets >= minSmallPackets && payload > 0 && (double) payload / packets < maxSmallPayload) {
                    raise(s, "small_packets",
                            "carried " + payload + " payload bytes in " + packets + " packets (tiny segments)",
                            evidence("packets", packets, "payload_bytes", payload, "mean_payload",
                                    round((double) payload / packets, 2)));
                }
            }
        }

        private void raise(Session s, String type, String what, Map<String, Object> evidence) {
            s.addTag(ID);
            Key k = new Key(type, s.origAddress(), s.respAddress());
            if (reported.merge(k, 1, Integer::sum) > 1) {
                return;
            }
            sink.raise(alert(ID, type, Severity.LOW, s.lastNanos(), s.origAddress(), endpoint(s),
                    "TCP session " + s.origAddress() + " -> " + endpoint(s) + " " + what, evidence,
                    List.of(s.uid())));
        }
    }
}
