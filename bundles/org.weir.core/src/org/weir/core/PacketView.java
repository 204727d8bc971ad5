package org.weir.core;

/**
 * A reusable, mutable view of one captured frame and of the layer currently being delivered.
 *
 * <p>This is the flyweight of the hot path: one instance per pipeline, refilled for every frame. A
 * {@link CaptureReader} fills the frame fields; a {@link PacketDecoder} fills the layer fields and hands the
 * view to a {@link PacketHandler} once per transport layer (for a tunnelled frame: first the outer layer, then
 * the inner one, with {@link #tunnelDepth} &gt; 0 and the {@code tunnel*} fields describing the outer flow).
 * Handlers must copy what they keep: the view and its {@link #data} are overwritten by the next frame.
 *
 * <p>Addresses are 128-bit values in two longs; IPv4 addresses are stored IPv4-mapped ({@code ::ffff:a.b.c.d}),
 * see {@link IpAddress}. Unset integer fields are {@code -1} where noted.
 */
public final class PacketView {

    // ---- frame (filled by the reader) ------------------------------------------------------------------

    /** Buffer holding the frame; the frame starts at {@link #frameOffset}. Not owned by the view. */
    public byte[] data;
    public int frameOffset;
    /** Bytes of the frame present in {@link #data}. */
    public int capturedLength;
    /** Length of the frame on the wire (may exceed {@link #capturedLength} when a snap length cut it). */
    public int wireLength;
    /** Capture time, nanoseconds since the Unix epoch. */
    public long timestampNanos;
    /** Link type of the frame (LINKTYPE_* numbers as in pcap, see {@link LinkTypes}). */
    public int linkType;
    /** pcapng interface id, 0 for pcap. */
    public int interfaceId;
    /** Sequence number of the frame in its source, starting at 1. */
    public long frameNumber;

    // ---- layer 2 ---------------------------------------------------------------------------------------

    /** Source and destination MAC (48 bits in the low bits), -1 if the link has none. */
    public long srcMac = -1, dstMac = -1;
    /** Outer and inner 802.1Q VLAN id, -1 if absent. */
    public int vlan = -1, innerVlan = -1;
    /** EtherType of the network layer (0x0800, 0x86DD, 0x0806 ARP, ...), -1 if unknown. */
    public int etherType = -1;

    // ---- network layer ---------------------------------------------------------------------------------

    /** 4 or 6 for an IP layer, 0 when the delivered layer is not IP (ARP, unknown EtherType). */
    public int ipVersion;
    /** Offset in {@link #data} of the IP header. */
    public int ipOffset;
    /** Length of the IP header including IPv6 extension headers up to the transport header. */
    public int ipHeaderLength;
    /**
     * Total length of the IP packet as its header claims (IPv4 total length, IPv6 payload length + 40). For a
     * reassembled fragment, the length of the reassembled datagram. This is what Zeek sums in *_ip_bytes.
     */
    public int ipTotalLength;
    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl;
    public long srcHi, srcLo, dstHi, dstLo;
    /** Transport protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...). */
    public int protocol;
    /** True when this layer was rebuilt from IP fragments; {@link #data} then points at the reassembly buffer. */
    public boolean reassembled;

    // ---- transport layer -------------------------------------------------------------------------------

    /** Offset in {@link #data} of the transport header. */
    public int l4Offset;
    /** Transport bytes present in {@link #data} from {@link #l4Offset} (header + payload actually captured). */
    public int l4CapturedLength;
    /** TCP/UDP ports; for ICMP/ICMPv6 the type and code. -1 if the transport header is missing. */
    public int srcPort = -1, dstPort = -1;
    /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80). */
    public int tcpFlags;
    /** TCP sequence and acknowledgement numbers as unsigned 32-bit values. */
    public long tcpSeq, tcpAck;
    public int tcpWindow;
    public int tcpHeaderLength;
    /** Offset in {@link #data} of the transport payload. */
    public int payloadOffset;
    /**
     * Payload length according to the IP and transport headers (TCP: IP length − headers; UDP: UDP length − 8),
     * regardless of how much was captured.
     */
    public int payloadLength;
    /** Payload bytes actually present in {@link #data}. */
    public int payloadCapturedLength;
    /** The transport checksum was verified and is wrong (never set when checksums are ignored or cannot be checked). */
    public boolean transportChecksumBad;
    /** The IPv4 header checksum was verified and is wrong. */
    public boolean ipChecksumBad;
    /** The transport header is shorter than its protocol requires (truncated capture). */
    public boolean transportTruncated;

    // ---- tunnel context --------------------------------------------------------------------------------

    /** 0 for the outermost layer; n for a layer found inside n encapsulations. */
    public int tunnelDepth;
    /** Kind of the innermost encapsulation around this layer ({@link TunnelType} ordinal), valid when depth &gt; 0. */
    public int tunnelType;
    /** The outer flow that carried this layer (the directly enclosing one), valid when depth &gt; 0. */
    public long tunnelSrcHi, tunnelSrcLo, tunnelDstHi, tunnelDstLo;
    public int tunnelSrcPort, tunnelDstPort, tunnelProtocol;

    /**
     * Written by the session table while it takes a UDP layer, read by the decoder right after: the tunnel analyzers
     * (a bit per {@link TunnelType} ordinal) that found this connection's payload malformed before. As Zeek's
     * {@code AnalyzerViolated}, the decoder decapsulates nothing more with them on this connection.
     */
    public int refusedTunnels;

    /**
     * Written by the session table while it takes a UDP layer, read by the decoder right after: the responder port of
     * the layer's connection, on which Zeek hands the payload to a tunnel analyzer (the roles settled by the likely
     * server ports when the connection was made, or flipped later by an analyzer); -1 when no table answered.
     */
    public int udpResponderPort = -1;

    /** Clears the layer fields before a new frame is decoded; frame fields are left to the reader. */
    public void resetLayers() {
        srcMac = dstMac = -1;
        vlan = innerVlan = etherType = -1;
        ipVersion = ipOffset = ipHeaderLength = ipTotalLength = ttl = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        protocol = 0;
        reassembled = false;
        l4Offset = l4CapturedLength = 0;
        srcPort = dstPort = -1;
        tcpFlags = tcpWindow = tcpHeaderLength = 0;
        tcpSeq = tcpAck = 0;
        payloadOffset = payloadLength = payloadCapturedLength = 0;
        transportChecksumBad = ipChecksumBad = transportTruncated = false;
        tunnelDepth = tunnelType = 0;
        tunnelSrcHi = tunnelSrcLo = tunnelDstHi = tunnelDstLo = 0;
        tunnelSrcPort = tunnelDstPort = tunnelProtocol = 0;
        refusedTunnels = 0;
        udpResponderPort = -1;
    }

    public boolean isTcp() {
        return ipVersion != 0 && protocol == 6;
    }

    public boolean isUdp() {
        return ipVersion != 0 && protocol == 17;
    }

    public boolean isIcmp() {
        return ipVersion != 0 && (protocol == 1 || protocol == 58);
    }

    /** Unsigned byte at an absolute offset of {@link #data}. */
    public int u8(int offset) {
        return data[offset] & 0xFF;
    }

    /** Big-endian unsigned 16-bit value at an absolute offset of {@link #data}. */
    public int u16(int offset) {
        return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    }
}
