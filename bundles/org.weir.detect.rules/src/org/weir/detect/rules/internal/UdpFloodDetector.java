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

/**
 * UDP flood: a unicast host receiving many UDP datagrams that it does not answer. A busy UDP service (DNS, QUIC,
 * VoIP) answers, so the reply ratio separates it; one-way streams need the solo volume to look like a flood.
 */
@Component(service = Detector.class)
public final class UdpFloodDetector extends RuleDetector {

    public static final String ID = "udp_flood";

    public UdpFloodDetector() {
        super(new DetectorInfo(ID, "UDP flood", "Denial of service", Severity.HIGH,
                "Counts UDP datagrams to each unicast host in a sliding window and the datagrams it sends back; "
                        + "min_packets barely answered (reply ratio under max_reply_ratio) from several sources, "
                        + "or solo_packets from any, is a flood.",
                List.of(new Parameter("min_packets", "int", "300", "datagrams to one host within the window"),
                        new Parameter("window", "duration", "10", "sliding window length"),
                        new Parameter("min_sources", "int", "10", "distinct senders required below solo_packets"),
                        new Parameter("solo_packets", "int", "5000",
                                "datagrams that suffice from any number of senders"),
                        new Parameter("max_reply_ratio", "double", "0.1",
                                "largest share of answered datagrams still counted as a flood"))));
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        ParameterReader p = read(parameters, sink);
        return new FloodRun(ID, "udp_flood", sink, Set.of(PacketInterest.UDP), p.nanos("window"),
                p.intValue("min_packets"), p.intValue("min_sources"), p.intValue("solo_packets"),
                p.doubleValue("max_reply_ratio"), Double.MAX_VALUE) {
            @Override
            boolean inbound(PacketView v) {
                return v.protocol == 17;
            }

            @Override
            boolean reply(PacketView v) {
                return v.protocol == 17; // a datagram is also an answer from its sender
            }

            @Override
            boolean isFloodSession(Session s) {
                return s.transport() == Transport.UDP && s.respPackets() == 0;
            }

            @Override
            String what() {
                return "UDP flood";
            }
        };
    }
}
