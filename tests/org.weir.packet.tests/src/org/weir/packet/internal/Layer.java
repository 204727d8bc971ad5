package org.weir.packet.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.weir.core.CaptureReader;
import org.weir.core.DecoderOptions;
import org.weir.core.IpAddress;
import org.weir.core.PacketView;

/** A copy of one delivered layer (tests keep them; handlers on the hot path never do). */
record Layer(long frame, int depth, int tunnelType, int etherType, int vlan, int innerVlan, long srcMac, long dstMac,
        int ipVersion, String src, String dst, int ttl, int protocol, int ipTotalLength, int ipHeaderLength,
        boolean reassembled, int srcPort, int dstPort, int tcpFlags, long tcpSeq, long tcpAck, int tcpWindow,
        int tcpHeaderLength, int payloadLength, int payloadCapturedLength, int l4CapturedLength,
        boolean transportTruncated, boolean transportChecksumBad, String tunnelSrc, String tunnelDst,
        int tunnelSrcPort, int tunnelDstPort, int tunnelProtocol, byte[] payload, byte[] datagram) {

    static Layer of(PacketView v) {
        byte[] payload = new byte[Math.max(0, v.payloadCapturedLength)];
        if (payload.length > 0) {
            System.arraycopy(v.data, v.payloadOffset, payload, 0, payload.length);
        }
        // The IP packet as far as it is present (the reassembled datagram for a reassembled layer).
        int ipBytes = v.ipVersion == 0 ? 0
                : Math.max(0, Math.min(v.ipTotalLength, v.l4Offset + v.l4CapturedLength - v.ipOffset));
        byte[] datagram = new byte[ipBytes];
        if (ipBytes > 0) {
            System.arraycopy(v.data, v.ipOffset, datagram, 0, ipBytes);
        }
        return new Layer(v.frameNumber, v.tunnelDepth, v.tunnelType, v.etherType, v.vlan, v.innerVlan, v.srcMac,
                v.dstMac, v.ipVersion, v.ipVersion == 0 ? "" : IpAddress.toString(v.srcHi, v.srcLo),
                v.ipVersion == 0 ? "" : IpAddress.toString(v.dstHi, v.dstLo), v.ttl, v.protocol, v.ipTotalLength,
                v.ipHeaderLength, v.reassembled, v.srcPort, v.dstPort, v.tcpFlags, v.tcpSeq, v.tcpAck, v.tcpWindow,
                v.tcpHeaderLength, v.payloadLength, v.payloadCapturedLength, v.l4CapturedLength,
                v.transportTruncated, v.transportChecksumBad,
                v.tunnelDepth == 0 ? "" : IpAddress.toString(v.tunnelSrcHi, v.tunnelSrcLo),
                v.tunnelDepth == 0 ? "" : IpAddress.toString(v.tunnelDstHi, v.tunnelDstLo), v.tunnelSrcPort,
                v.tunnelDstPort, v.tunnelProtocol, payload, datagram);
    }

    /** Decodes every frame of a capture; the layers of frame n are at index n-1. */
    static List<List<Layer>> decodeAll(Path file, DecoderOptions options) throws IOException {
        return decodeAll(file, new Decoder(options));
    }

    static List<List<Layer>> decodeAll(Path file, Decoder decoder) throws IOException {
        List<List<Layer>> out = new ArrayList<>();
        try (CaptureReader r = Captures.open(file)) {
            PacketView v = new PacketView();
            while (r.next(v)) {
                List<Layer> layers = new ArrayList<>(2);
                int n = decoder.decode(v, p -> layers.add(Layer.of(p)));
                if (n != layers.size()) {
                    throw new AssertionError("decode returned " + n + " but delivered " + layers.size());
                }
                out.add(layers);
            }
        }
        return out;
    }

    /** Colon-separated MAC as tshark prints it. */
    static String mac(long m) {
        if (m < 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (m >>> (8 * i)) & 0xFF;
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
