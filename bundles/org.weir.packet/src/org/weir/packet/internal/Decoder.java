package org.weir.packet.internal;

import java.util.function.LongConsumer;

import org.weir.core.DecodeStatistics;
import org.weir.core.DecoderOptions;
import org.weir.core.IpAddress;
import org.weir.core.LinkTypes;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.TunnelType;
import org.weir.packet.internal.Stats.Reason;

/**
 * Decodes link layers, VLAN/MPLS/PPPoE, provider backbone frames and VN-Tags, IPv4/IPv6 (with reassembly), tunnels
 * and transport headers into the {@link PacketView}. Which packets are dropped and which still reach the handler
 * follows Zeek's packet analysis, so that a session table on top of it can reproduce Zeek's conn.log:
 * <ul>
 * <li>IP-level problems (truncated or inconsistent IP header, bad IPv4 checksum, wire length below the IP length)
 * drop the packet; a captured length below the IP length does not (only the wire length counts).</li>
 * <li>A transport header that is missing or cut is delivered with {@link PacketView#transportTruncated} (Zeek makes
 * no connection for it); a bad transport checksum is delivered with {@link PacketView#transportChecksumBad} (Zeek
 * records it in the history).</li>
 * <li>UDP tunnels deliver the outer UDP layer, then the inner one; IP-in-IP and GRE deliver only the inner one (Zeek
 * makes no connection for the outer IP tunnel).</li>
 * <li>A UDP payload goes to the tunnel registered on its connection's responder port, which the handler tells
 * while it takes the outer layer ({@link PacketView#udpResponderPort}); the tunnel is opened only if the handler
 * did not refuse it for that connection ({@link PacketView#refusedTunnels}); a malformed tunnel header or one
 * encapsulation too many is told to the handler ({@link PacketHandler#onTunnelRefused}), as Zeek's tunnel
 * analyzers mark the connection.</li>
 * </ul>
 * One instance per pipeline thread; nothing is allocated per packet.
 */
public final class Decoder implements PacketDecoder {

    /**
     * Zeek's {@code Tunnel::max_depth} (4 since Zeek raised it from 2 for cloud traffic mirrored through VXLAN and
     * Geneve): encapsulations nested deeper are not decoded.
     */
    static final int MAX_TUNNEL_DEPTH = 4;

    static final int TEREDO_PORT = 3544, VXLAN_PORT = 4789, GENEVE_PORT = 6081, AYIYA_PORT = 5072, GTPU_PORT = 2152,
            GTPC_PORT = 2123, GRE_UDP_PORT = 4754;

    private final boolean verify;
    private final Stats stats = new Stats();
    private final FragmentReassembler fragments;

    // Per-frame state (fields rather than parameters to keep the recursion cheap).
    private PacketView v;
    private PacketHandler h;
    private int delivered;
    private int depth;
    /**
     * Link layers nested in this frame (provider backbone frames carry whole Ethernet frames): bounded, so that a
     * crafted frame cannot nest them until the stack runs out. A bound for the stack, not Zeek's (whose limit of
     * 25 packet analyzers in a chain stops such a nest a few levels earlier).
     */
    private int linkLayers;
    private static final int MAX_LINK_LAYERS = 16;
    private int tunnelType;
    private long tSrcHi, tSrcLo, tDstHi, tDstLo;
    private int tSrcPort, tDstPort, tProto;
    /** True while decoding inside a reassembled datagram (its header checksum is not re-checked). */
    private boolean inReassembled;

    public Decoder(DecoderOptions options) {
        this.verify = !options.ignoreChecksums();
        this.fragments = new FragmentReassembler(options.maxFragmentBytes(), options.fragmentTimeoutNanos(), stats);
    }

    @Override
    public DecodeStatistics statistics() {
        return stats;
    }

    @Override
    public void reassembledFrames(LongConsumer action) {
        fragments.completedFrames(action);
    }

    /** Bytes of fragments awaiting reassembly. */
    int fragmentsHeld() {
        return fragments.held();
    }

    /** Counter of one reason (tests). */
    long count(String reason) {
        return stats.count(reason);
    }

    @Override
    public int decode(PacketView view, PacketHandler handler) {
        view.resetLayers();
        stats.frames++;
        v = view;
        h = handler;
        delivered = 0;
        depth = 0;
        linkLayers = 0;
        tunnelType = 0;
        inReassembled = false;
        byte[] d = view.data;
        int p = view.frameOffset;
        int end = p + view.capturedLength;
        long wireEnd = (long) p + view.wireLength;
        try {
            if (!link(view.linkType, d, p, end, wireEnd)) {
                // Not IP (ARP, unknown type, cut link header): delivered once so that frame counters see it.
                if (delivered == 0 && v.ipVersion == 0) {
                    deliver();
                }
            }
        } finally {
            // A reassembled layer pointed the view at the reassembly buffer; the frame stays the reader's.
            view.data = d;
            v = null;
            h = null;
        }
        return delivered;
    }

    // ---- link layers --------------------------------------------------------------------------------------

    /**
     * Decodes a link layer. Returns false when the frame carries no IP (the caller decides whether a non-IP layer is
     * delivered), true when it reached IP, whatever happened there.
     */
    private boolean link(int linkType, byte[] d, int p, int end, long wireEnd) {
        switch (linkType) {
            case LinkTypes.ETHERNET:
                return ethernet(d, p, end, wireEnd);
            case LinkTypes.RAW, 12, 14, LinkTypes.IPV4, LinkTypes.IPV6:
                return rawIp(linkType, d, p, end, wireEnd);
            case LinkTypes.NULL, LinkTypes.LOOP:
                return nullLoop(d, p, end, wireEnd);
            case LinkTypes.LINUX_SLL:
                return sll(d, p, end, wireEnd);
            case LinkTypes.LINUX_SLL2:
                return sll2(d, p, end, wireEnd);
            case LinkTypes.PPP, LinkTypes.PPP_HDLC:
                return ppp(linkType, d, p, end, wireEnd);
            case LinkTypes.PPP_ETHER:
                return pppoeSession(d, p, end, wireEnd);
            case LinkTypes.C_HDLC:
                if (end - p < 4) {
                    stats.count(Reason.truncated_link_header);
                    return false;
                }
                return etherType(Bytes.be16(d, p + 2), d, p + 4, end, wireEnd);
            case LinkTypes.IEEE802_11:
                return ieee80211(d, p, end, wireEnd);
            case LinkTypes.NFLOG:
                return nflog(d, p, end, wireEnd);
            case LinkTypes.FDDI:
                // Zeek's FDDI analyzer skips the FDDI header and an LLC header (13 + 8 bytes) and hands the rest
                // to IP, which goes by the version nibble.
                if (end - p <= 21) {
                    stats.count(Reason.FDDI_analyzer_failed);
                    return false;
                }
                return rawIp(LinkTypes.RAW, d, p + 21, end, wireEnd);
            case LinkTypes.IEEE802_11_RADIOTAP:
                if (end - p < 4) {
                    stats.count(Reason.truncated_link_header);
                    return false;
                }
                int rtLen = (d[p + 2] & 0xFF) | ((d[p + 3] & 0xFF) << 8);
                if (rtLen >= end - p) { // Zeek checks nothing else of the radiotap header
                    stats.count(Reason.truncated_link_header);
                    return false;
                }
                return ieee80211(d, p + rtLen, end, wireEnd);
            default:
                // Zeek's root analyzer hands a link type it does not know to IP (its default analyzer), which goes
                // by the version nibble.
                stats.count(Reason.unknown_link_type);
                return rawIp(LinkTypes.RAW, d, p, end, wireEnd);
        }
    }

    private boolean ethernet(byte[] d, int p, int end, long wireEnd) {
        // Zeek wants more than the 14-byte header plus two bytes before it looks at a frame.
        if (end - p <= 16) {
            stats.count(Reason.truncated_ethernet_frame);
            return false;
        }
        if ((d[p + 12] & 0xFF) == 0x89 && (d[p + 13] & 0xFF) == 0x03) {
            // Cisco FabricPath: a 16-byte outer header before the real Ethernet frame.
            if (end - p <= 16 + 14) {
                stats.count(Reason.truncated_link_header);
                return false;
            }
            p += 16;
        }
        v.dstMac = mac(d, p);
        v.srcMac = mac(d, p + 6);
        int type = Bytes.be16(d, p + 12);
        p += 14;
        if (type >= 0x600) {
            return etherType(type, d, p, end, wireEnd);
        }
        if (type > 1500) {
            stats.count(Reason.undefined_ether_type);
            return false;
        }
        if (end - p < type) {
            stats.count(Reason.truncated_ethernet_frame);
            return false;
        }
        return llc(d, p, end, wireEnd);
    }

    /**
     * An 802.2 LLC payload: only SNAP carries something worth following, and as Zeek's SNAP analyzer takes it: an
     * LLC header of 3 bytes (4 unless the control field says unnumbered), a zero organisation code, then IP (Zeek
     * registers IP and ARP after SNAP, nothing else). Other LLC frames and Novell's raw 802.3 carry no IP.
     */
    private boolean llc(byte[] d, int p, int end, long wireEnd) {
        if (end - p < 2 || (d[p] & 0xFF) != 0xAA || (d[p + 1] & 0xFF) != 0xAA) {
            return false;
        }
        if (end - p < 3) {
            stats.count(Reason.truncated_snap_llc_header);
            return false;
        }
        int q = p + ((d[p + 2] & 0x03) == 0x03 ? 3 : 4);
        if (end - q < 5) {
            stats.count(Reason.truncated_snap_header);
            return false;
        }
        if (d[q] != 0 || d[q + 1] != 0 || d[q + 2] != 0) {
            return false; // a vendor's own protocol numbers
        }
        return ipOfType(Bytes.be16(d, q + 3), d, q + 5, end, wireEnd);
    }

    /**
     * IP behind a layer that names it by EtherType and after which Zeek registers nothing else worth following
     * (SNAP, Linux cooked frames, 802.11): false for any other type.
     */
    private boolean ipOfType(int type, byte[] d, int p, int end, long wireEnd) {
        if (type != 0x0800 && type != 0x86DD) {
            return false;
        }
        v.etherType = type;
        return ip(d, p, end, wireEnd);
    }

    private boolean etherType(int type, byte[] d, int p, int end, long wireEnd) {
        while (true) {
            v.etherType = type;
            switch (type) {
                case 0x0800, 0x86DD:
                    return ip(d, p, end, wireEnd);
                case 0x8100, 0x88A8, 0x9100: {
                    if (end - p <= 4) {
                        stats.count(Reason.truncated_VLAN_header);
                        return false;
                    }
                    int id = Bytes.be16(d, p) & 0x0FFF;
                    if (v.vlan < 0) {
                        v.vlan = id;
                    } else {
                        v.innerVlan = id; // like Zeek, a third tag overwrites the inner one
                    }
                    type = Bytes.be16(d, p + 2);
                    p += 4;
                    if (type < 0x600) {
                        if (type > 1500) {
                            stats.count(Reason.undefined_vlan_protocol);
                            return false;
                        }
                        return llc(d, p, Math.min(end, p + type), wireEnd);
                    }
                    if (type == 0x88A8 || type == 0x9100) {
                        // Zeek's VLAN analyzer registers only 802.1Q (0x8100) for a tag behind a tag.
                        stats.count(Reason.unknown_protocol);
                        return false;
                    }
                    continue;
                }
                case 0x8847: // unicast MPLS; Zeek registers no analyzer for the multicast type 0x8848
                    return mpls(d, p, end, wireEnd);
                case 0x8864:
                    return pppoeSession(d, p, end, wireEnd);
                case 0x88E7: {
                    // IEEE 802.1ah provider backbone bridging: a 4-byte I-TAG, then the customer's Ethernet frame
                    // (Zeek's PBB analyzer hands it to its Ethernet analyzer: the customer's addresses and tags).
                    if (end - p <= 18) {
                        stats.count(Reason.truncated_PBB_header);
                        return false;
                    }
                    if (++linkLayers > MAX_LINK_LAYERS) {
                        stats.count(Reason.exceeded_link_layers);
                        return false;
                    }
                    return ethernet(d, p + 4, end, wireEnd);
                }
                case 0x8926: {
                    // VN-Tag: 6 bytes with the next type in the last two. Zeek's VN-Tag analyzer forwards only to
                    // its VLAN analyzer; any other type is left undecoded.
                    if (end - p <= 6) {
                        stats.count(Reason.truncated_vntag_header);
                        return false;
                    }
                    type = Bytes.be16(d, p + 4);
                    p += 6;
                    if (type != 0x8100 && type != 0x88A8 && type != 0x9100) {
                        stats.count(Reason.unknown_protocol);
                        return false;
                    }
                    continue;
                }
                case 0x0806, 0x8035, 0x8863:
                    return false;
                default:
                    stats.count(Reason.unknown_protocol);
                    return false;
            }
        }
    }

    private boolean mpls(byte[] d, int p, int end, long wireEnd) {
        while (true) {
            if (end - p <= 4) {
                stats.count(Reason.truncated_link_header);
                return false;
            }
            boolean bottom = (d[p + 2] & 0x01) != 0;
            p += 4;
            if (bottom) {
                break;
            }
        }
        // RFC 3032 does not say what follows the stack; like Zeek, hand it to IP, which goes by the version nibble.
        v.etherType = ((d[p] & 0xFF) >>> 4) == 6 ? 0x86DD : 0x0800;
        return ip(d, p, end, wireEnd);
    }

    private boolean pppoeSession(byte[] d, int p, int end, long wireEnd) {
        if (end - p <= 8) {
            stats.count(Reason.truncated_pppoe_header);
            return false;
        }
        return pppProtocol(Bytes.be16(d, p + 6), d, p + 8, end, wireEnd);
    }

    private boolean pppProtocol(int proto, byte[] d, int p, int end, long wireEnd) {
        switch (proto) {
            case 0x0021:
                v.etherType = 0x0800;
                return ip(d, p, end, wireEnd);
            case 0x0057:
                v.etherType = 0x86DD;
                return ip(d, p, end, wireEnd);
            case 0x0281:
                v.etherType = 0x8847;
                return mpls(d, p, end, wireEnd);
            default:
                return false;
        }
    }

    /**
     * A PPP frame as Zeek's analyzers take it: for LINKTYPE_PPP, a 2-byte protocol, behind HDLC-like address and
     * control bytes when those are FF 03 (no protocol field compression); for LINKTYPE_PPP_HDLC (PPP serial) always
     * 4 bytes with the protocol in the last two.
     */
    private boolean ppp(int linkType, byte[] d, int p, int end, long wireEnd) {
        if (linkType == LinkTypes.PPP_HDLC) {
            if (end - p <= 4) {
                stats.count(Reason.truncated_ppp_serial_header);
                return false;
            }
            return pppProtocol(Bytes.be16(d, p + 2), d, p + 4, end, wireEnd);
        }
        if (end - p <= 2) {
            stats.count(Reason.truncated_ppp_header);
            return false;
        }
        if ((d[p] & 0xFF) == 0xFF && (d[p + 1] & 0xFF) == 0x03) {
            if (end - p <= 4) {
                stats.count(Reason.truncated_ppp_hdlc_header);
                return false;
            }
            return pppProtocol(Bytes.be16(d, p + 2), d, p + 4, end, wireEnd);
        }
        return pppProtocol(Bytes.be16(d, p), d, p + 2, end, wireEnd);
    }

    private boolean rawIp(int linkType, byte[] d, int p, int end, long wireEnd) {
        if (end - p < 1) {
            stats.count(Reason.truncated_IP);
            return false;
        }
        int version = linkType == LinkTypes.IPV4 ? 4 : linkType == LinkTypes.IPV6 ? 6 : (d[p] & 0xFF) >>> 4;
        v.etherType = version == 6 ? 0x86DD : 0x0800;
        return ip(d, p, end, wireEnd);
    }

    private boolean nullLoop(byte[] d, int p, int end, long wireEnd) {
        if (end - p < 4) {
            stats.count(Reason.truncated_link_header);
            return false;
        }
        // NULL stores the address family in the capturing host's byte order, LOOP in network order: accept both.
        int af = Bytes.be32(d, p);
        if ((af & 0xFFFF_0000) != 0) {
            af = Integer.reverseBytes(af);
        }
        p += 4;
        switch (af) {
            case 2:
                v.etherType = 0x0800;
                return ip(d, p, end, wireEnd);
            case 10, 24, 28, 30:
                v.etherType = 0x86DD;
                return ip(d, p, end, wireEnd);
            default:
                stats.count(Reason.unknown_protocol);
                return false;
        }
    }

    private boolean sll(byte[] d, int p, int end, long wireEnd) {
        if (end - p < 16) {
            stats.count(Reason.truncated_link_header);
            return false;
        }
        int addrLen = Bytes.be16(d, p + 4);
        if (addrLen == 6) {
            v.srcMac = mac(d, p + 6);
        }
        // Zeek's SLL and SLL2 analyzers register IP and ARP only: a VLAN tag the kernel left in place, an LLC frame
        // (protocol 4) or anything else is not followed.
        return ipOfType(Bytes.be16(d, p + 14), d, p + 16, end, wireEnd);
    }

    private boolean sll2(byte[] d, int p, int end, long wireEnd) {
        if (end - p < 20) {
            stats.count(Reason.truncated_link_header);
            return false;
        }
        if ((d[p + 11] & 0xFF) == 6) {
            v.srcMac = mac(d, p + 12);
        }
        return ipOfType(Bytes.be16(d, p), d, p + 20, end, wireEnd); // IP only, as for SLL
    }

    /**
     * A netfilter log message as Zeek's NFLOG analyzer takes it: address family and version 0, then type-length
     * values up to the packet payload (type 9), which runs to the end of the frame. The values are in the capturing
     * host's byte order, which libpcap turns into the reader's: little-endian here, as on the Linux hosts that write
     * such files and the hosts Zeek reads them on.
     */
    private boolean nflog(byte[] d, int p, int end, long wireEnd) {
        if (end - p <= 4) {
            stats.count(Reason.truncated_nflog_header);
            return false;
        }
        int family = d[p] & 0xFF;
        if (d[p + 1] != 0) {
            stats.count(Reason.unknown_nflog_version);
            return false;
        }
        p += 4;
        while (true) {
            if (end - p <= 4) {
                stats.count(Reason.nflog_no_pcap_payload);
                return false;
            }
            int length = (d[p] & 0xFF) | ((d[p + 1] & 0xFF) << 8);
            int type = (d[p + 2] & 0xFF) | ((d[p + 3] & 0xFF) << 8);
            if (type == 9) {
                p += 4;
                break;
            }
            if (length < 4) {
                stats.count(Reason.nflog_bad_tlv_len);
                return false;
            }
            p += (length + 3) & ~3; // values are padded to four bytes, which the length may leave out
        }
        if (family != 2 && family != 10) {
            stats.count(Reason.unknown_protocol); // Zeek hands only AF_INET and AF_INET6 to IP
            return false;
        }
        v.etherType = family == 2 ? 0x0800 : 0x86DD;
        return ip(d, p, end, wireEnd);
    }

    /**
     * An 802.11 frame as Zeek's IEEE 802.11 analyzer takes it: data frames only; the fourth address when both DS
     * bits are set; a QoS control field (an HT control field is not skipped, as Zeek does not); a protected QoS frame
     * is left alone; the payload behind an LLC/SNAP header with a zero organisation code, IP only. An A-MSDU carries
     * several such payloads, each delivered.
     */
    private boolean ieee80211(byte[] d, int p, int end, long wireEnd) {
        int hl = 24;
        if (end - p <= hl) {
            stats.count(Reason.truncated_802_11_header);
            return false;
        }
        int fc0 = d[p] & 0xFF, fc1 = d[p + 1] & 0xFF;
        if ((fc0 & 0x08) == 0 || (fc0 & 0x40) != 0) {
            return false; // management and control frames; data subtypes without data
        }
        boolean toDs = (fc1 & 0x01) != 0, fromDs = (fc1 & 0x02) != 0;
        if (toDs && fromDs) {
            hl += 6;
        }
        if (end - p <= hl) {
            stats.count(Reason.truncated_802_11_header);
            return false;
        }
        boolean amsdu = false;
        if ((fc0 & 0x80) != 0) {
            amsdu = (d[p + hl] & 0x80) != 0;
            if ((fc1 & 0x40) != 0) {
                return false; // protected: encrypted
            }
            hl += 2;
        }
        if (end - p <= hl) {
            stats.count(Reason.truncated_802_11_header);
            return false;
        }
        long a1 = mac(d, p + 4), a2 = mac(d, p + 10), a3 = mac(d, p + 16);
        v.dstMac = toDs ? a3 : a1;
        v.srcMac = fromDs ? (toDs ? mac(d, p + 24) : a3) : a2;
        int q = p + hl;
        if (!amsdu) {
            return snap80211(d, q, end, wireEnd);
        }
        // A-MSDU subframes: destination, source, length, then an LLC payload, padded to four bytes but the last.
        boolean any = false;
        while (q < end) {
            if (end - q < 14) {
                stats.count(Reason.truncated_802_11_amsdu_header);
                return any;
            }
            int n = Bytes.be16(d, q + 12);
            if (end - q < 14 + n) {
                stats.count(Reason.truncated_802_11_amsdu_packet);
                return any;
            }
            q += 14;
            if (any) {
                clearNetworkAndTransport(); // the subframe before it was delivered; this one is a new packet
            }
            if (!snap80211(d, q, q + n, Math.min(wireEnd, q + n))) {
                stats.count(Reason.invalid_802_11_amsdu_inner_packet);
                return any;
            }
            any = true;
            q += n;
            int pad = n % 4;
            if (end - q >= pad) {
                q += pad;
            }
        }
        return any;
    }

    /** The LLC/SNAP header of an 802.11 payload (organisation code zero), then IP. */
    private boolean snap80211(byte[] d, int p, int end, long wireEnd) {
        if (end - p < 8) {
            stats.count(Reason.truncated_802_11_llc_header);
            return false;
        }
        if ((d[p] & 0xFF) != 0xAA || (d[p + 1] & 0xFF) != 0xAA || (d[p + 2] & 0xFF) != 0x03 || d[p + 3] != 0
                || d[p + 4] != 0 || d[p + 5] != 0) {
            return false;
        }
        return ipOfType(Bytes.be16(d, p + 6), d, p + 8, end, wireEnd);
    }

    private static long mac(byte[] d, int p) {
        return ((long) Bytes.be16(d, p) << 32) | (Bytes.be32(d, p + 2) & 0xFFFF_FFFFL);
    }

    // ---- IP -----------------------------------------------------------------------------------------------

    private void clearNetworkAndTransport() {
        v.ipVersion = v.ipOffset = v.ipHeaderLength = v.ipTotalLength = v.ttl = 0;
        v.srcHi = v.srcLo = v.dstHi = v.dstLo = 0;
        v.protocol = 0;
        v.reassembled = false;
        v.l4Offset = v.l4CapturedLength = 0;
        v.srcPort = v.dstPort = -1;
        v.tcpFlags = v.tcpWindow = v.tcpHeaderLength = 0;
        v.tcpSeq = v.tcpAck = 0;
        v.payloadOffset = v.payloadLength = v.payloadCapturedLength = 0;
        v.transportChecksumBad = v.ipChecksumBad = v.transportTruncated = false;
    }

    /**
     * Decodes an IP packet at {@code p}. {@code end} is the end of the captured bytes; {@code wireEnd} where the
     * packet would end on the wire (Zeek checks the IP length against the wire length, not the captured one).
     * Like Zeek, the version nibble decides, whatever the layer below announced.
     * Always returns true: the frame was IP, delivered or not.
     */
    private boolean ip(byte[] d, int p, int end, long wireEnd) {
        if (depth > 0) {
            clearNetworkAndTransport(); // the outer packet's layers; the outermost found the view reset
        }
        int cap = end - p;
        if (cap < 20) {
            stats.count(Reason.truncated_IP);
            return true;
        }
        int version = (d[p] & 0xFF) >>> 4;
        if (version == 4) {
            return ipv4(d, p, end, wireEnd);
        }
        if (version == 6) {
            if (cap < 40) {
                stats.count(Reason.truncated_IP);
                return true;
            }
            return ipv6(d, p, end, wireEnd);
        }
        stats.count(Reason.unknown_ip_version);
        return true;
    }

    private boolean ipv4(byte[] d, int p, int end, long wireEnd) {
        int cap = end - p;
        int hl = (d[p] & 0x0F) * 4;
        int total = Bytes.be16(d, p + 2);
        if (total == 0) {
            // Segmentation offload zeroes the length; Zeek copes only when checksums are ignored.
            stats.count(Reason.ip_hdr_len_zero);
            if (verify) {
                return true;
            }
            total = cap;
        }
        if (p + (long) total > wireEnd) {
            stats.count(Reason.truncated_IP_len);
            return true;
        }
        if (hl > total) {
            stats.count(Reason.invalid_IP_header_size);
            return true;
        }
        if (hl > cap) {
            stats.count(Reason.internally_truncated_header);
            return true;
        }
        if (hl < 20) {
            stats.count(Reason.IPv4_min_header_size);
            return true;
        }
        if (verify && !inReassembled
                && Checksum.fold(hl == 20 ? Checksum.sum20(d, p) : Checksum.sum(d, p, hl, 0)) != 0xFFFF) {
            stats.count(Reason.bad_IP_checksum);
            return true;
        }
        int fragField = Bytes.be16(d, p + 6);
        if ((fragField & 0x3FFF) != 0) {
            int fragOffset = (fragField & 0x1FFF) * 8;
            if (cap < total) {
                stats.count(Reason.incompletely_captured_fragment);
                // Reassembly is doomed; only the first fragment is still useful (header-only traces).
                if (fragOffset != 0) {
                    return true;
                }
            } else {
                if (!fragments.addV4(d, p, hl, total, v.timestampNanos, v.frameNumber)) {
                    return true;
                }
                byte[] rd = fragments.out;
                int rlen = fragments.outLength;
                v.data = rd;
                inReassembled = true;
                boolean r = ipv4Body(rd, 0, rlen, rlen, Bytes.be16(rd, 2), (rd[0] & 0x0F) * 4);
                v.reassembled = true;
                return r;
            }
        }
        return ipv4Body(d, p, end, wireEnd, total, hl);
    }

    private boolean ipv4Body(byte[] d, int p, int end, long wireEnd, int total, int hl) {
        v.ipVersion = 4;
        v.ipOffset = p;
        v.ipHeaderLength = hl;
        v.ipTotalLength = total;
        v.ttl = d[p + 8] & 0xFF;
        v.srcHi = 0;
        v.srcLo = IpAddress.v4Lo(Bytes.be32(d, p + 12));
        v.dstHi = 0;
        v.dstLo = IpAddress.v4Lo(Bytes.be32(d, p + 16));
        v.reassembled = inReassembled;
        int proto = d[p + 9] & 0xFF;
        v.protocol = proto;
        // Link padding after the IP packet is not part of it (Zeek's tunnel checks see only the IP payload).
        int ipEnd = (int) Math.min(end, p + (long) total);
        return transport(d, p, ipEnd, wireEnd, proto, p + hl, total - hl);
    }

    private boolean ipv6(byte[] d, int p, int end, long wireEnd) {
        int total = Bytes.be16(d, p + 4) + 40;
        if (p + (long) total > wireEnd) {
            stats.count(Reason.truncated_IP_len);
            return true;
        }
        // Walk the extension headers as far as they are captured and inside the packet.
        int limit = Math.min(end, p + total);
        int next = d[p + 6] & 0xFF;
        int q = p + 40;
        int fragHeader = -1;
        int finalDst = -1;
        int nextField = p + 6;
        boolean chain = true;
        while (chain) {
            switch (next) {
                case 0, 43, 60, 135: { // hop-by-hop, routing, destination options, mobility
                    if (limit - q < 2) {
                        stats.count(Reason.truncated_IP);
                        return true;
                    }
                    int len = ((d[q + 1] & 0xFF) + 1) * 8;
                    if (limit - q < len) {
                        stats.count(Reason.truncated_IP);
                        return true;
                    }
                    if (next == 43) {
                        int type = d[q + 2] & 0xFF, segmentsLeft = d[q + 3] & 0xFF;
                        // The first type 0 or 2 routing header with segments left names the final destination:
                        // the address of the connection (Zeek) and of the checksum's pseudo-header.
                        if (finalDst < 0 && segmentsLeft > 0 && (type == 0 || type == 2) && len >= 24) {
                            finalDst = q + len - 16;
                        }
                    }
                    if (next == 135) {
                        chain = false; // mobility header: the last header, like a transport
                        break;
                    }
                    next = d[q] & 0xFF;
                    nextField = q;
                    q += len;
                    break;
                }
                case 51: { // authentication header
                    if (limit - q < 2) {
                        stats.count(Reason.truncated_IP);
                        return true;
                    }
                    int len = ((d[q + 1] & 0xFF) + 2) * 4;
                    if (limit - q < len) {
                        stats.count(Reason.truncated_IP);
                        return true;
                    }
                    next = d[q] & 0xFF;
                    nextField = q;
                    q += len;
                    break;
                }
                case 44: { // fragment
                    if (limit - q < 8) {
                        stats.count(Reason.truncated_IP);
                        return true;
                    }
                    int off = Bytes.be16(d, q + 2);
                    if ((off & 0xFFF9) != 0) { // offset or M flag set: a real fragment
                        fragHeader = q;
                        chain = false;
                        break;
                    }
                    next = d[q] & 0xFF; // atomic fragment: the chain just goes on
                    nextField = q;
                    q += 8;
                    break;
                }
                default:
                    chain = false;
            }
        }
        int hl = q - p;
        if (fragHeader >= 0) {
            int fragOffset = Bytes.be16(d, fragHeader + 2) & 0xFFF8;
            if (end - p < total) {
                stats.count(Reason.incompletely_captured_fragment);
                if (fragOffset != 0) {
                    return true;
                }
                hl += 8;
                next = d[fragHeader] & 0xFF;
            } else {
                if (!fragments.addV6(d, p, fragHeader, nextField, total, v.timestampNanos, v.frameNumber)) {
                    return true;
                }
                byte[] rd = fragments.out;
                v.data = rd;
                inReassembled = true;
                // The reassembled datagram has no fragment header: decode it from the start.
                return ipv6(rd, 0, fragments.outLength, fragments.outLength);
            }
        }
        if (hl > total) {
            stats.count(Reason.invalid_IP_header_size);
            return true;
        }
        v.ipVersion = 6;
        v.ipOffset = p;
        v.ipHeaderLength = hl;
        v.ipTotalLength = total;
        v.ttl = d[p + 7] & 0xFF;
        v.srcHi = be64(d, p + 8);
        v.srcLo = be64(d, p + 16);
        int dst = finalDst >= 0 ? finalDst : p + 24;
        v.dstHi = be64(d, dst);
        v.dstLo = be64(d, dst + 8);
        v.protocol = next;
        v.reassembled = inReassembled;
        if (next == 59) {
            // No next header: a Teredo bubble inside Teredo, a weird elsewhere; never a connection.
            if (tunnelType != TunnelType.TEREDO.ordinal() || depth == 0) {
                stats.count(Reason.ipv6_no_next);
            }
            return true;
        }
        return transport(d, p, (int) Math.min(end, p + (long) total), wireEnd, next, p + hl, total - hl);
    }

    private static long be64(byte[] d, int p) {
        return ((long) Bytes.be32(d, p) << 32) | (Bytes.be32(d, p + 4) & 0xFFFF_FFFFL);
    }

    // ---- transport ----------------------------------------------------------------------------------------

    /**
     * @param l4 offset of the transport header
     * @param ipPayload transport bytes according to the IP header
     */
    private boolean transport(byte[] d, int ipStart, int end, long wireEnd, int proto, int l4, int ipPayload) {
        // Captured transport bytes; Zeek's "remaining" also counts link padding after the IP packet.
        int remaining = Math.max(0, end - l4);
        int inPacket = Math.max(0, Math.min(remaining, ipPayload));
        v.l4Offset = l4;
        v.l4CapturedLength = inPacket;
        switch (proto) {
            case 6:
                tcp(d, l4, end, wireEnd, ipPayload, remaining);
                return true;
            case 17:
                udp(d, l4, end, wireEnd, ipPayload, remaining);
                return true;
            case 1, 58:
                icmp(d, l4, ipPayload, remaining, proto);
                return true;
            case 4, 41:
                ipInIp(d, l4, end, proto);
                return true;
            case 47:
                gre(d, l4, end);
                return true;
            default:
                // Any other protocol (ESP, SCTP, OSPF, ...): Zeek 8 logs an "unknown_transport" connection.
                v.payloadOffset = l4;
                v.payloadLength = ipPayload;
                v.payloadCapturedLength = inPacket;
                deliver();
                return true;
        }
    }

    /** Zeek's header check: the IP length must leave room for the header, and the capture must hold it. */
    private boolean headerPresent(int minLength, int ipPayload, int remaining) {
        if (ipPayload != 0 && ipPayload < minLength) {
            stats.count(Reason.truncated_header);
            v.transportTruncated = true;
            deliver();
            return false;
        }
        if (remaining < minLength) {
            stats.count(Reason.internally_truncated_header);
            v.transportTruncated = true;
            deliver();
            return false;
        }
        return true;
    }

    private void tcp(byte[] d, int l4, int end, long wireEnd, int ipPayload, int remaining) {
        if (!headerPresent(20, ipPayload, remaining)) {
            return;
        }
        v.srcPort = Bytes.be16(d, l4);
        v.dstPort = Bytes.be16(d, l4 + 2);
        v.tcpSeq = Bytes.be32(d, l4 + 4) & 0xFFFF_FFFFL;
        v.tcpAck = Bytes.be32(d, l4 + 8) & 0xFFFF_FFFFL;
        int hl = ((d[l4 + 12] & 0xFF) >>> 4) * 4;
        v.tcpHeaderLength = hl;
        v.tcpFlags = d[l4 + 13] & 0xFF;
        v.tcpWindow = Bytes.be16(d, l4 + 14);
        if (hl < 20 || hl > ipPayload || hl > remaining) {
            // Zeek creates the connection but analyses nothing of this segment; tcpHeaderLength tells.
            stats.count(hl < 20 ? Reason.bad_TCP_header_len : Reason.truncated_header);
            v.payloadOffset = l4 + Math.min(Math.max(hl, 20), remaining);
            v.payloadLength = 0;
            v.payloadCapturedLength = 0;
            deliver();
            return;
        }
        v.payloadOffset = l4 + hl;
        v.payloadLength = ipPayload - hl;
        v.payloadCapturedLength = Math.max(0, Math.min(remaining, ipPayload) - hl);
        // Only a fully captured segment can be verified.
        if (verify && remaining >= ipPayload && !checksumOk(d, l4, ipPayload, 6)) {
            stats.count(Reason.bad_TCP_checksum);
            v.transportChecksumBad = true;
        }
        deliver();
    }

    private void udp(byte[] d, int l4, int end, long wireEnd, int ipPayload, int remaining) {
        if (!headerPresent(8, ipPayload, remaining)) {
            return;
        }
        int len = ipPayload != 0 ? ipPayload : remaining;
        int sport = Bytes.be16(d, l4), dport = Bytes.be16(d, l4 + 2);
        int ulen = Bytes.be16(d, l4 + 4);
        int sum = Bytes.be16(d, l4 + 6);
        v.srcPort = sport;
        v.dstPort = dport;
        v.payloadOffset = l4 + 8;
        v.payloadLength = Math.max(0, ulen - 8);
        int payloadCaptured = Math.min(len, remaining) - 8;
        v.payloadCapturedLength = Math.max(0, Math.min(payloadCaptured, ulen - 8));
        // Zeek verifies only when the whole frame was captured.
        boolean check = verify && remaining >= len && wireEnd <= end;
        if (check && len > 8 + 8 + 14 && (d[l4 + 8] & 0x08) != 0 && dport == VXLAN_PORT && sum == 0) {
            check = false; // VXLAN senders transmit a zero checksum
        }
        if (check) {
            boolean bad = v.ipVersion == 4 ? sum != 0 && !checksumOk(d, l4, len, 17) : !checksumOk(d, l4, len, 17);
            if (bad) {
                stats.count(Reason.bad_UDP_checksum);
                v.transportChecksumBad = true;
                deliver();
                return; // Zeek stops here: no tunnel decoding of a corrupt datagram
            }
        }
        if (ulen != len) {
            stats.count(Reason.UDP_datagram_length_mismatch);
        }
        deliver();
        int payload = l4 + 8;
        int payloadEnd = payload + Math.max(0, Math.min(len, remaining) - 8);
        udpTunnel(d, payload, payloadEnd, wireEnd, sport, dport);
    }

    private void icmp(byte[] d, int l4, int ipPayload, int remaining, int proto) {
        if (!headerPresent(8, ipPayload, remaining)) {
            return;
        }
        v.srcPort = d[l4] & 0xFF;
        v.dstPort = d[l4 + 1] & 0xFF;
        v.payloadOffset = l4 + 8;
        v.payloadLength = Math.max(0, ipPayload - 8);
        v.payloadCapturedLength = Math.max(0, Math.min(remaining, ipPayload) - 8);
        if (verify && remaining >= ipPayload) {
            boolean ok = proto == 58 ? checksumOk(d, l4, ipPayload, 58)
                    : Checksum.fold(Checksum.sum(d, l4, ipPayload, 0)) == 0xFFFF;
            if (!ok) {
                stats.count(Reason.bad_ICMP_checksum);
                v.transportChecksumBad = true;
            }
        }
        deliver();
    }

    /** Verifies a TCP/UDP/ICMPv6 checksum over the pseudo-header of the current IP layer. */
    private boolean checksumOk(byte[] d, int l4, int len, int proto) {
        long acc = (long) proto + len;
        if (v.ipVersion == 4) {
            // The addresses: two loads, not the loop.
            acc += (Bytes.be32(d, v.ipOffset + 12) & 0xFFFF_FFFFL) + (Bytes.be32(d, v.ipOffset + 16) & 0xFFFF_FFFFL);
        } else {
            acc += (v.srcHi >>> 48) + ((v.srcHi >>> 32) & 0xFFFF) + ((v.srcHi >>> 16) & 0xFFFF) + (v.srcHi & 0xFFFF);
            acc += (v.srcLo >>> 48) + ((v.srcLo >>> 32) & 0xFFFF) + ((v.srcLo >>> 16) & 0xFFFF) + (v.srcLo & 0xFFFF);
            acc += (v.dstHi >>> 48) + ((v.dstHi >>> 32) & 0xFFFF) + ((v.dstHi >>> 16) & 0xFFFF) + (v.dstHi & 0xFFFF);
            acc += (v.dstLo >>> 48) + ((v.dstLo >>> 32) & 0xFFFF) + ((v.dstLo >>> 16) & 0xFFFF) + (v.dstLo & 0xFFFF);
        }
        if (len >= 20) {
            // A TCP header, or a UDP header and its first 12 bytes: fixed loads; the loop only for what follows.
            acc += Checksum.sum20(d, l4);
            l4 += 20;
            len -= 20;
        }
        return Checksum.fold(Checksum.sum(d, l4, len, acc)) == 0xFFFF;
    }

    // ---- delivery and tunnels -----------------------------------------------------------------------------

    private void deliver() {
        if (depth > 0) {
            v.tunnelDepth = depth;
            v.tunnelType = tunnelType;
            v.tunnelSrcHi = tSrcHi;
            v.tunnelSrcLo = tSrcLo;
            v.tunnelDstHi = tDstHi;
            v.tunnelDstLo = tDstLo;
            v.tunnelSrcPort = tSrcPort;
            v.tunnelDstPort = tDstPort;
            v.tunnelProtocol = tProto;
        }
        v.refusedTunnels = 0;
        v.udpResponderPort = -1;
        delivered++;
        h.onPacket(v);
    }

    /** Enters one more encapsulation around what is decoded next; false (and counted) beyond Zeek's depth. */
    private boolean enterTunnel(TunnelType type, int srcPort, int dstPort) {
        if (depth >= MAX_TUNNEL_DEPTH) {
            stats.count(Reason.exceeded_tunnel_max_depth);
            return false;
        }
        tSrcHi = v.srcHi;
        tSrcLo = v.srcLo;
        tDstHi = v.dstHi;
        tDstLo = v.dstLo;
        tSrcPort = srcPort;
        tDstPort = dstPort;
        tProto = v.protocol;
        depth++;
        tunnelType = type.ordinal();
        // The inner packet is a new packet for Zeek: it keeps no link-layer context of the outer one.
        v.srcMac = v.dstMac = -1;
        v.vlan = v.innerVlan = -1;
        v.etherType = -1;
        return true;
    }

    private void ipInIp(byte[] d, int l4, int end, int proto) {
        int cap = end - l4;
        if (!enterTunnel(TunnelType.IP_IN_IP, 0, 0)) {
            return;
        }
        // The inner packet must fill the outer payload exactly (Zeek's ParsePacket).
        if (!innerLengthOk(d, l4, cap, proto == 4 ? 4 : 6)) {
            return;
        }
        v.etherType = proto == 4 ? 0x0800 : 0x86DD;
        ip(d, l4, end, end);
    }

    /** Checks an inner IP header against the bytes that carry it; counts Zeek's weird when they disagree. */
    private boolean innerLengthOk(byte[] d, int p, int cap, int version) {
        if (cap < (version == 6 ? 40 : 20)) {
            stats.count(version == 6 ? Reason.truncated_inner_IP : Reason.invalid_inner_IP_version);
            return false;
        }
        if (((d[p] & 0xFF) >>> 4) != version) {
            stats.count(Reason.invalid_inner_IP_version);
            return false;
        }
        int total = version == 4 ? Bytes.be16(d, p + 2) : Bytes.be16(d, p + 4) + 40;
        if (cap < total) {
            stats.count(Reason.truncated_inner_IP);
            return false;
        }
        if (cap > total) {
            stats.count(Reason.inner_IP_payload_length_mismatch);
            return false;
        }
        return true;
    }

    private void gre(byte[] d, int p, int end) {
        int cap = end - p;
        if (cap < 4) {
            stats.count(Reason.truncated_GRE);
            return;
        }
        int flags = Bytes.be16(d, p);
        int proto = Bytes.be16(d, p + 2);
        int version = flags & 0x7;
        // Header length as Zeek computes it: the deprecated routing bit adds nothing (such packets are refused).
        int len = 4 + ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0)
                + ((flags & 0x1000) != 0 ? 4 : 0) + ((flags & 0x0080) != 0 ? 4 : 0);
        if (version > 1) {
            stats.count(Reason.unknown_gre_version);
            return;
        }
        int eth = 0, erspan = 0;
        boolean ethernetInside = false, aruba = false;
        if (version == 0) {
            if (proto == 0x6558) {
                if (cap <= len + 14) {
                    stats.count(Reason.truncated_GRE);
                    return;
                }
                ethernetInside = true;
                eth = 14;
            } else if (proto == 0x88BE) {
                if (cap <= len + 14) {
                    stats.count(Reason.truncated_GRE);
                    return;
                }
                ethernetInside = true;
                eth = 14;
                erspan = (flags & 0x1000) != 0 ? 8 : 0; // type II has a header, type I (no sequence) none
            } else if (proto == 0x22EB) {
                if (cap <= len + 14 + 12) {
                    stats.count(Reason.truncated_GRE);
                    return;
                }
                ethernetInside = true;
                eth = 14;
                erspan = 12;
                if ((d[p + len + erspan - 1] & 0x01) != 0) { // type III with the optional platform sub-header
                    if (cap <= len + erspan + 8 + eth) {
                        stats.count(Reason.truncated_GRE);
                        return;
                    }
                    erspan += 8;
                }
            } else if (isArubaType(proto)) {
                if (cap <= len) {
                    stats.count(Reason.truncated_GRE);
                    return;
                }
                aruba = true;
            }
        } else if (proto != 0x880B) {
            stats.count(Reason.egre_protocol_type); // enhanced GRE must carry PPTP
            return;
        }
        if ((flags & 0x4000) != 0) {
            stats.count(Reason.gre_routing);
            return;
        }
        if ((flags & 0x0078) != 0) {
            stats.count(Reason.unknown_gre_flags);
            return;
        }
        int ppp = version == 1 ? 4 : 0;
        if (cap < len + ppp + eth + erspan) {
            stats.count(Reason.truncated_GRE);
            return;
        }
        int inner = p + len + ppp + erspan;
        if (version == 1) {
            // PPTP: PPP address/control, then the protocol; only IP is followed, and it must fill the payload.
            int pppProto = Bytes.be16(d, p + len + 2);
            if (pppProto != 0x0021 && pppProto != 0x0057) {
                stats.count(Reason.non_ip_packet_in_encap);
                return;
            }
            int ver = pppProto == 0x0021 ? 4 : 6;
            if (!enterTunnel(TunnelType.GRE, 0, 0) || !innerLengthOk(d, inner, end - inner, ver)) {
                return;
            }
            v.etherType = ver == 4 ? 0x0800 : 0x86DD;
            ip(d, inner, end, end);
            return;
        }
        if (ethernetInside) {
            if (enterTunnel(TunnelType.GRE, 0, 0)) {
                ethernet(d, inner, end, end);
            }
            return;
        }
        if (aruba) {
            // Aruba access points tunnel their clients' 802.11 frames (Zeek's GRE analyzer hands them to its 802.11
            // analyzer).
            if (enterTunnel(TunnelType.GRE, 0, 0)) {
                ieee80211(d, inner, end, end);
            }
            return;
        }
        switch (proto) {
            case 0x0800, 0x86DD:
                // The inner packet is as long as what the capture holds after the GRE header.
                if (enterTunnel(TunnelType.GRE, 0, 0)) {
                    v.etherType = proto;
                    ip(d, inner, end, end);
                }
                return;
            case 0x8847:
                if (enterTunnel(TunnelType.GRE, 0, 0)) {
                    mpls(d, inner, end, end);
                }
                return;
            default:
                stats.count(Reason.unknown_gre_protocol); // ARP, ...: no connection inside
        }
    }

    /** The GRE protocol types Zeek registers for Aruba's 802.11 tunnels: 0x8200 to 0x8370 by 0x10, and 0x9000. */
    private static boolean isArubaType(int proto) {
        return proto >= 0x8200 && proto <= 0x8370 && (proto & 0x0F) == 0 || proto == 0x9000;
    }

    /** Tunnels over UDP, recognised like Zeek: by the responder's well-known port, Teredo and AYIYA also by content. */
    private void udpTunnel(byte[] d, int p, int end, long wireEnd, int sport, int dport) {
        int len = end - p;
        int rp = v.udpResponderPort;
        if (onPort(VXLAN_PORT, rp, sport, dport)) {
            if (admits(TunnelType.VXLAN)) {
                vxlan(d, p, end, wireEnd, sport, dport);
            }
        } else if (onPort(GENEVE_PORT, rp, sport, dport)) {
            if (admits(TunnelType.GENEVE)) {
                geneve(d, p, end, wireEnd, sport, dport);
            }
        } else if (onPort(GTPU_PORT, rp, sport, dport) || onPort(GTPC_PORT, rp, sport, dport)) {
            gtp(d, p, end, wireEnd, sport, dport);
        } else if (onPort(AYIYA_PORT, rp, sport, dport)) {
            if (admits(TunnelType.AYIYA)) {
                ayiya(d, p, end, wireEnd, sport, dport);
            }
        } else if (onPort(GRE_UDP_PORT, rp, sport, dport)) {
            gre(d, p, end); // GRE-in-UDP (RFC 8086): the GRE header right behind the UDP header
        } else if (onPort(TEREDO_PORT, rp, sport, dport) || looksLikeTeredo(d, p, len)) {
            if (admits(TunnelType.TEREDO)) {
                teredo(d, p, end, wireEnd, sport, dport);
            }
        } else if (len >= 3 && (d[p + 1] & 0xFF) == 0x52 && (d[p + 2] & 0xFF) == 0x11) {
            if (admits(TunnelType.AYIYA)) {
                ayiya(d, p, end, wireEnd, sport, dport); // Zeek's content detection for AYIYA
            }
        }
    }

    /**
     * What Zeek's VXLAN, Geneve, Teredo and AYIYA analyzers check before they parse: that they have not found this UDP
     * connection's payload malformed before (the table answers in {@link PacketView#refusedTunnels}), then the
     * depth, which when exceeded marks the connection ({@code X}) instead of being a violation. GTP checks neither
     * way: it decapsulates after a violation, and its depth limit is checked later and marks nothing.
     */
    private boolean admits(TunnelType type) {
        if ((v.refusedTunnels & (1 << type.ordinal())) != 0) {
            return false;
        }
        if (depth >= MAX_TUNNEL_DEPTH) {
            stats.count(Reason.exceeded_tunnel_max_depth);
            h.onTunnelRefused(type.ordinal(), false);
            return false;
        }
        return true;
    }

    /** A tunnel analyzer's violation: counted, and the UDP connection refuses that analyzer from now on. */
    private void violation(TunnelType type, Reason reason) {
        stats.count(reason);
        h.onTunnelRefused(type.ordinal(), true);
    }

    /**
     * Whether Zeek hands the payload to the tunnel analyzer registered on {@code port}: Zeek dispatches on the
     * responder port of the connection ({@code responderPort}, which the session table tells while it takes the
     * layer). Without a table (-1) it is guessed: either port may be the tunnel's, except when the other one is a
     * well-known service port, which is then taken for the responder's (a client that happened to pick the tunnel
     * port as its ephemeral port).
     */
    private static boolean onPort(int port, int responderPort, int sport, int dport) {
        if (responderPort >= 0) {
            return responderPort == port;
        }
        if (dport == port) {
            return sport >= 1024 || sport == port;
        }
        return sport == port && dport >= 1024;
    }

    private void vxlan(byte[] d, int p, int end, long wireEnd, int sport, int dport) {
        if (end - p < 8 || (d[p] & 0x08) == 0) {
            violation(TunnelType.VXLAN, Reason.vxlan_violation);
            return;
        }
        if (end - p == 8) {
            stats.count(Reason.vxlan_empty_packet);
            return;
        }
        if (enterTunnel(TunnelType.VXLAN, sport, dport)) {
            innerEthernet(d, p + 8, end, wireEnd);
        }
    }

    private void innerEthernet(byte[] d, int p, int end, long wireEnd) {
        if (!ethernet(d, p, end, wireEnd)) {
            // A non-IP inner frame (ARP, ...) is no connection for Zeek; nothing more to deliver.
            v.ipVersion = 0;
        }
    }

    private void geneve(byte[] d, int p, int end, long wireEnd, int sport, int dport) {
        if (end - p < 8) {
            violation(TunnelType.GENEVE, Reason.geneve_violation);
            return;
        }
        if (((d[p] & 0xFF) >>> 6) != 0) {
            stats.count(Reason.geneve_invalid_version);
            return;
        }
        int len = 8 + (d[p] & 0x3F) * 4;
        if (end - p < len) {
            violation(TunnelType.GENEVE, Reason.geneve_violation);
            return;
        }
        if (end - p == len) {
            stats.count(Reason.geneve_empty_packet);
            return;
        }
        int proto = Bytes.be16(d, p + 2);
        int inner = p + len;
        if (!enterTunnel(TunnelType.GENEVE, sport, dport)) {
            return;
        }
        switch (proto) {
            case 0x6558 -> innerEthernet(d, inner, end, wireEnd);
            case 0x0800, 0x86DD -> {
                v.etherType = proto;
                ip(d, inner, end, wireEnd);
            }
            default -> stats.count(Reason.unknown_protocol); // ARP and others: no connection inside
        }
    }

    private void gtp(byte[] d, int p, int end, long wireEnd, int sport, int dport) {
        int len = end - p;
        if (len < 8) {
            stats.count(Reason.gtp_violation);
            return;
        }
        int flags = d[p] & 0xFF;
        int type = d[p + 1] & 0xFF;
        if (depth > 0 && tunnelType == TunnelType.GTPV1.ordinal()) {
            stats.count(Reason.gtp_violation); // GTP is never carried in GTP
            return;
        }
        if ((flags >>> 5) != 1) {
            stats.count(Reason.gtp_violation);
            return;
        }
        if ((flags & 0x10) == 0) {
            return; // GTP' (charging): nothing to decode
        }
        if (type != 0xFF) {
            return; // signalling (echo, error indication, ...): no user data inside
        }
        int q = p + 8;
        if ((flags & 0x07) != 0) {
            if (end - q < 4) {
                stats.count(Reason.gtp_violation);
                return;
            }
            int nextExt = d[q + 3] & 0xFF;
            q += 4;
            while ((flags & 0x04) != 0 && nextExt != 0) {
                if (end - q < 4) {
                    stats.count(Reason.gtp_violation);
                    return;
                }
                int extLen = (d[q] & 0xFF) * 4;
                if (extLen == 0 || end - q < extLen) {
                    stats.count(Reason.gtp_violation);
                    return;
                }
                nextExt = d[q + extLen - 1] & 0xFF;
                q += extLen;
            }
        }
        if (end - q < 1) {
            stats.count(Reason.gtp_violation);
            return;
        }
        int version = (d[q] & 0xFF) >>> 4;
        if (version != 4 && version != 6) {
            stats.count(Reason.gtp_violation);
            return;
        }
        if (!innerLengthOk(d, q, end - q, version)) {
            return;
        }
        if (enterTunnel(TunnelType.GTPV1, sport, dport)) {
            v.etherType = version == 4 ? 0x0800 : 0x86DD;
            ip(d, q, end, wireEnd);
        }
    }

    private void ayiya(byte[] d, int p, int end, long wireEnd, int sport, int dport) {
        if (end - p < 8) {
            violation(TunnelType.AYIYA, Reason.ayiya_violation);
            return;
        }
        int hdr = 8 + (1 << ((d[p] & 0xFF) >>> 4)) + ((d[p + 1] & 0xFF) >>> 4) * 4;
        if (end - p < hdr) {
            violation(TunnelType.AYIYA, Reason.ayiya_violation);
            return;
        }
        if ((d[p + 2] & 0x0F) != 1) {
            return; // not a "forward" operation: nothing inside
        }
        int next = d[p + 3] & 0xFF;
        int inner = p + hdr;
        if (inner == end) {
            stats.count(Reason.ayiya_empty_packet);
            return;
        }
        if (next != 4 && next != 41) {
            stats.count(Reason.unknown_protocol);
            return;
        }
        // Unlike the other IP tunnels, Zeek hands AYIYA's payload to IP without an exact length check.
        if (enterTunnel(TunnelType.AYIYA, sport, dport)) {
            v.etherType = next == 4 ? 0x0800 : 0x86DD;
            ip(d, inner, end, wireEnd);
        }
    }

    /**
     * Zeek's content detection for Teredo on other ports: an IPv6 header with a Teredo (2001:0::/32) address, or an
     * authentication and/or origin indication header followed by something that looks like IPv6.
     */
    private static boolean looksLikeTeredo(byte[] d, int p, int len) {
        if (len < 40) {
            return false;
        }
        int b0 = d[p] & 0xFF, b1 = d[p + 1] & 0xFF;
        if ((b0 >>> 4) != 6 && (b0 != 0 || (b1 != 0 && b1 != 1))) {
            return false;
        }
        if ((b0 >>> 4) == 6 && (isTeredoPrefix(d, p + 8) || isTeredoPrefix(d, p + 24))) {
            return true;
        }
        int q = p, n = len, tag = b1;
        if (tag == 1) {
            int skip = 13 + (d[q + 2] & 0xFF) + (d[q + 3] & 0xFF);
            if (n < skip) {
                return false;
            }
            q += skip;
            n -= skip;
            if (n < 40) {
                return false;
            }
            tag = Bytes.be16(d, q);
        }
        if (tag != 0 || n < 8) {
            return false;
        }
        q += 8;
        n -= 8;
        return n >= 40 && ((d[q] & 0xFF) >>> 4) == 6;
    }

    private static boolean isTeredoPrefix(byte[] d, int p) {
        return d[p] == 0x20 && d[p + 1] == 0x01 && d[p + 2] == 0 && d[p + 3] == 0;
    }

    private void teredo(byte[] d, int p, int end, long wireEnd, int sport, int dport) {
        // Optional authentication, then optional origin indication, then IPv6.
        int q = p;
        boolean origin = false, auth = false;
        while (true) {
            int n = end - q;
            if (n < 2) {
                violation(TunnelType.TEREDO, Reason.teredo_violation);
                return;
            }
            int tag = Bytes.be16(d, q);
            if (tag == 0) {
                if (origin || n < 8) {
                    violation(TunnelType.TEREDO, Reason.teredo_violation);
                    return;
                }
                origin = true;
                q += 8;
            } else if (tag == 1) {
                if (origin || auth || n < 4) {
                    violation(TunnelType.TEREDO, Reason.teredo_violation);
                    return;
                }
                int tot = 4 + (d[q + 2] & 0xFF) + (d[q + 3] & 0xFF) + 8 + 1;
                if (n < tot) {
                    violation(TunnelType.TEREDO, Reason.teredo_violation);
                    return;
                }
                auth = true;
                q += tot;
            } else if ((tag >>> 12) == 6) {
                if (n < 40) {
                    violation(TunnelType.TEREDO, Reason.teredo_violation);
                    return;
                }
                break;
            } else {
                violation(TunnelType.TEREDO, Reason.teredo_violation);
                return;
            }
        }
        int n = end - q;
        int total = Bytes.be16(d, q + 4) + 40;
        if (n < total) {
            violation(TunnelType.TEREDO, Reason.teredo_violation);
            return;
        }
        if (n > total && !((d[q + 6] & 0xFF) == 59 && total == 40)) {
            violation(TunnelType.TEREDO, Reason.teredo_violation); // only a bubble may carry trailing bytes
            return;
        }
        if (enterTunnel(TunnelType.TEREDO, sport, dport)) {
            v.etherType = 0x86DD;
            ip(d, q, end, wireEnd);
        }
    }
}
