package org.weir.detect.rules.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;

/** ICMP flood: far more ICMP messages to one host than diagnostics (ping, traceroute) ever send. */
@Component(service = Detector.class)
public final class IcmpFloodDetector extends RuleDetector {

    public static final String ID = "icmp_flood";

    public IcmpFloodDetector() {
        super(new DetectorInfo(ID, "ICMP flood", "Denial of service", Severity.HIGH,
                "Counts ICMP/ICMPv6 messages other than replies sent to each unicast host in a sliding window; "
                        + "min_packets from several sources, or solo_packets from any, is a flood (ping and "
                        + "traceroute send a few per second).",
                List.of(new Parameter("min_packets", "int", "200", "ICMP messages to one host within the window"),
                        new Parameter("window", "duration", "10", "sliding window length"),
                        new Parameter("min_sources", "int", "5", "distinct senders required below solo_packets"),
                        new Parameter("solo_packets", "int", "1000",
                                "messages that suffice from any number of senders"))));
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        ParameterReader p = read(parameters, sink);
        return new FloodRun(ID, "icmp_flood", sink, Set.of(PacketInterest.ICMP), p.nanos("window"),
                p.intValue("min_packets"), p.intValue("min_sources"), p.intValue("solo_packets"), Double.MAX_VALUE,
                Double.MAX_VALUE) {
            @Override
            boolean inbound(PacketView v) {
                // Echo replies (0, 129) answer the receiver's own requests; ND/RA chatter (133-137) is link upkeep.
                int type = v.srcPort;
                if (v.protocol == 1) {
                    return type != 0;
                }
                return v.protocol == 58 && type != 129 && (type < 133 || type > 137);
            }

            @Override
            boolean reply(PacketView v) {
                return false;
            }

            @Override
            boolean isFloodSession(Session s) {
                return s.transport() == Transport.ICMP;
            }

            @Override
            String what() {
                return "ICMP flood";
            }
        };
    }
}
