package org.weir.packet.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.weir.core.DecodeStatistics;

/** Counters by reason, in a plain array so that counting on the packet path costs one increment. */
final class Stats implements DecodeStatistics {

    /** Reasons, named like Zeek's weirds where Zeek has one. */
    enum Reason {
        truncated_ethernet_frame, truncated_link_header, truncated_VLAN_header, truncated_pppoe_header,
        truncated_PBB_header, truncated_vntag_header, exceeded_link_layers, truncated_802_11_header,
        truncated_802_11_amsdu_header, truncated_802_11_amsdu_packet, invalid_802_11_amsdu_inner_packet,
        truncated_802_11_llc_header, truncated_nflog_header, unknown_nflog_version, nflog_no_pcap_payload,
        nflog_bad_tlv_len, FDDI_analyzer_failed, truncated_snap_llc_header, truncated_snap_header,
        truncated_ppp_header, truncated_ppp_hdlc_header, truncated_ppp_serial_header,
        undefined_ether_type, undefined_vlan_protocol, unknown_link_type, unknown_protocol, non_ip_packet_in_encap,
        truncated_IP, unknown_ip_version, ip_hdr_len_zero, truncated_IP_len, invalid_IP_header_size,
        internally_truncated_header, IPv4_min_header_size, bad_IP_checksum, ipv6_no_next,
        incompletely_captured_fragment, fragment_overlap, fragment_inconsistency, excessively_large_fragment,
        fragment_dropped_memory_bound, fragment_timeout,
        truncated_header, bad_TCP_header_len, bad_TCP_checksum, bad_UDP_checksum, bad_ICMP_checksum,
        UDP_datagram_length_mismatch,
        exceeded_tunnel_max_depth, truncated_inner_IP, inner_IP_payload_length_mismatch, invalid_inner_IP_version,
        truncated_GRE, unknown_gre_version, unknown_gre_flags, unknown_gre_protocol, gre_routing, egre_protocol_type,
        teredo_violation, ayiya_violation, ayiya_empty_packet, vxlan_violation, vxlan_empty_packet, geneve_violation,
        geneve_invalid_version, geneve_empty_packet, gtp_violation
    }

    private static final Reason[] REASONS = Reason.values();

    final long[] counts = new long[REASONS.length];
    long frames;

    void count(Reason r) {
        counts[r.ordinal()]++;
    }

    long count(String reason) {
        return counts[Reason.valueOf(reason).ordinal()];
    }

    @Override
    public long framesDecoded() {
        return frames;
    }

    @Override
    public Map<String, Long> anomalies() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Reason r : REASONS) {
            if (counts[r.ordinal()] != 0) {
                m.put(r.name(), counts[r.ordinal()]);
            }
        }
        return m;
    }
}
