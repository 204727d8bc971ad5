package org.weir.detect.rules.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;

/**
 * SYN flood: many connection requests (SYN without ACK) to one host in a short window, most of which never complete
 * their handshake. Distributed floods (spoofed sources) and single-source floods are both covered. Crossing the SYN
 * threshold makes the target a suspect; its closed sessions then settle it: a busy server's clients complete their
 * handshakes, a flood's do not (decided after 20 sessions, or at the end of input).
 */
@Component(service = Detector.class)
public final class SynFloodDetector extends RuleDetector {

    public static final String ID = "syn_flood";

    public SynFloodDetector() {
        super(new DetectorInfo(ID, "SYN flood", "Denial of service", Severity.HIGH,
                "Counts TCP SYN segments without ACK sent to each host in a sliding window; at least min_syn of "
                        + "them on at most max_ports ports, whose sessions mostly never complete the handshake "
                        + "(at most max_completed of them), is a SYN flood exhausting the target's half-open queue.",
                List.of(new Parameter("min_syn", "int", "100", "SYNs without ACK to one host within the window"),
                        new Parameter("window", "duration", "10", "sliding window length"),
                        new Parameter("min_sources", "int", "1", "distinct senders required below solo_syn"),
                        new Parameter("solo_syn", "int", "100", "SYNs that suffice from any number of senders"),
                        new Parameter("max_ports", "int", "10",
                                "more distinct target ports than this is a port scan, not a flood"),
                        new Parameter("max_completed", "double", "0.5",
                                "largest share of the target's sessions with a completed handshake (a busy server's "
                                        + "clients complete theirs)"))));
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        ParameterReader p = read(parameters, sink);
        // A listening target answers every SYN with a SYN-ACK, so replies do not clear a SYN flood (ratio 1.0).
        FloodRun run = new FloodRun(ID, "syn_flood", sink, Set.of(PacketInterest.TCP_CONTROL), p.nanos("window"),
                p.intValue("min_syn"), p.intValue("min_sources"), p.intValue("solo_syn"), Double.MAX_VALUE,
                p.intValue("max_ports")) {
            @Override
            boolean inbound(PacketView v) {
                return v.protocol == 6 && (v.tcpFlags & 0x12) == 0x02;
            }

            @Override
            boolean reply(PacketView v) {
                return v.protocol == 6 && (v.tcpFlags & 0x12) == 0x12;
            }

            @Override
            boolean isFloodSession(Session s) {
                // The originator never acknowledged anything: no handshake completed (S0, REJ, half-open resets).
                return s.ipProtocol() == 6 && !s.historyContains('A') && !s.historyContains('D');
            }

            @Override
            boolean established(Session s) {
                return s.ipProtocol() == 6 && (s.historyContains('A') || s.historyContains('D'));
            }

            @Override
            String what() {
                return "SYN flood";
            }
        };
        run.maxEstablished = p.doubleValue("max_completed");
        return run;
    }
}
