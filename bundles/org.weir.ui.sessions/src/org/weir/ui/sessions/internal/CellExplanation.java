package org.weir.ui.sessions.internal;

import java.util.EnumMap;
import java.util.Map;

import org.weir.core.Session;

/**
 * What a column means, and what a cell of conn_state or history means, for the table's tool tips: Zeek's codes
 * spelled out for the session at hand, so that nobody has to look up what {@code ShADadFf} or {@code RSTOS0} says
 * about a connection, or what orig_bytes counts.
 */
final class CellExplanation {

    /** Zeek's connection states (conn.log's conn_state). */
    private static final Map<String, String> STATES = Map.ofEntries(
            Map.entry("S0", "the originator tried to connect; no reply was seen"),
            Map.entry("S1", "established, not closed"),
            Map.entry("SF", "established and closed normally (or, without a TCP handshake, a two-way exchange)"),
            Map.entry("REJ", "the connection attempt was refused"),
            Map.entry("S2", "established; the originator tried to close it, the responder did not answer that"),
            Map.entry("S3", "established; the responder tried to close it, the originator did not answer that"),
            Map.entry("RSTO", "established, then aborted by the originator (RST)"),
            Map.entry("RSTR", "the responder reset it (RST)"),
            Map.entry("RSTOS0", "the originator sent a SYN, then a RST; no SYN-ACK was seen"),
            Map.entry("RSTRH", "the responder sent a SYN-ACK, then a RST; no SYN from the originator was seen"),
            Map.entry("SH", "the originator sent a SYN, then a FIN; no SYN-ACK was seen (half open)"),
            Map.entry("SHR", "the responder sent a SYN-ACK, then a FIN; no SYN from the originator was seen"),
            Map.entry("OTH", "no SYN seen: traffic from the middle of a connection"));

    /** Zeek's history letters, in lower case; upper case is the same from the originator. */
    private static final Map<Character, String> LETTERS = Map.ofEntries(
            Map.entry('s', "a SYN without ACK"),
            Map.entry('h', "a SYN-ACK (handshake)"),
            Map.entry('a', "a pure ACK"),
            Map.entry('d', "a packet with payload (data)"),
            Map.entry('f', "a FIN"),
            Map.entry('r', "a RST"),
            Map.entry('c', "a packet with a bad checksum"),
            Map.entry('g', "a content gap"),
            Map.entry('t', "a retransmission of payload"),
            Map.entry('w', "a zero window advertised"),
            Map.entry('i', "an inconsistent packet (such as FIN and RST together)"),
            Map.entry('q', "a packet with SYN and FIN or RST together"));

    /** Each column's meaning, as a header's tool tip says it. */
    private static final Map<SessionColumn, String> COLUMNS = columns();

    private CellExplanation() {
    }

    private static Map<SessionColumn, String> columns() {
        Map<SessionColumn, String> m = new EnumMap<>(SessionColumn.class);
        m.put(SessionColumn.TS, "when the first packet of the connection was seen");
        m.put(SessionColumn.UID, "the connection's unique id; other Zeek logs name it the same way");
        m.put(SessionColumn.ORIG_H, "the originator's address: the end that started the connection");
        m.put(SessionColumn.ORIG_P, "the originator's port (for ICMP the message type)");
        m.put(SessionColumn.RESP_H, "the responder's address");
        m.put(SessionColumn.RESP_P, "the responder's port (for ICMP the message code)");
        m.put(SessionColumn.PROTO, "the transport protocol");
        m.put(SessionColumn.SERVICE, "the application protocols whose analyzers recognised the traffic");
        m.put(SessionColumn.DURATION, "seconds from the first packet to the last");
        m.put(SessionColumn.ORIG_BYTES, "payload bytes the originator sent (for TCP from sequence numbers, so "
                + "retransmissions count once and gaps count too)");
        m.put(SessionColumn.RESP_BYTES, "payload bytes the responder sent (as orig_bytes)");
        m.put(SessionColumn.CONN_STATE, "how the connection went, in Zeek's codes (hover over a cell)");
        m.put(SessionColumn.LOCAL_ORIG, "whether the originator is in a local network (here: the private address "
                + "space)");
        m.put(SessionColumn.LOCAL_RESP, "whether the responder is in a local network");
        m.put(SessionColumn.MISSED_BYTES, "payload bytes lost in gaps of the capture");
        m.put(SessionColumn.HISTORY, "what each side sent, in order, one letter each (hover over a cell)");
        m.put(SessionColumn.ORIG_PKTS, "packets the originator sent");
        m.put(SessionColumn.ORIG_IP_BYTES, "IP bytes (headers included) the originator sent");
        m.put(SessionColumn.RESP_PKTS, "packets the responder sent");
        m.put(SessionColumn.RESP_IP_BYTES, "IP bytes (headers included) the responder sent");
        m.put(SessionColumn.TUNNEL_PARENTS, "the uids of the tunnels the connection was carried in");
        m.put(SessionColumn.IP_PROTO, "the IP protocol number");
        m.put(SessionColumn.ORIG_L2_ADDR, "the originator's MAC address (of the first packet)");
        m.put(SessionColumn.RESP_L2_ADDR, "the responder's MAC address");
        m.put(SessionColumn.VLAN, "the outer VLAN id");
        m.put(SessionColumn.INNER_VLAN, "the inner VLAN id (802.1Q in 802.1Q)");
        m.put(SessionColumn.COMMUNITY_ID, "the Community ID flow hash, the same in Zeek, Suricata and other tools");
        m.put(SessionColumn.ORIG_COUNTRY, "the originator's country (GeoIP)");
        m.put(SessionColumn.ORIG_CITY, "the originator's city (GeoIP)");
        m.put(SessionColumn.RESP_COUNTRY, "the responder's country (GeoIP)");
        m.put(SessionColumn.RESP_CITY, "the responder's city (GeoIP)");
        m.put(SessionColumn.ORIG_AS_NUMBER, "the autonomous system the originator's address belongs to");
        m.put(SessionColumn.ORIG_AS_ORGANIZATION, "the organisation that owns the originator's autonomous system");
        m.put(SessionColumn.RESP_AS_NUMBER, "the autonomous system the responder's address belongs to");
        m.put(SessionColumn.RESP_AS_ORGANIZATION, "the organisation that owns the responder's autonomous system");
        m.put(SessionColumn.ORIG_DOMAIN, "a name of the originator's address, from the capture's DNS or multicast "
                + "DNS answers");
        m.put(SessionColumn.RESP_DOMAIN, "the name the responder was reached by: TLS server name, HTTP Host, or a "
                + "DNS answer for its address");
        m.put(SessionColumn.RESP_REGISTERED_DOMAIN, "the registered part of resp_domain (by the public suffix list)");
        m.put(SessionColumn.RESP_NAME_SOURCE, "where resp_domain came from: sni, http, dns or mdns");
        m.put(SessionColumn.ORIG_MAC_VENDOR, "the maker of the originator's network card (IEEE registry)");
        m.put(SessionColumn.RESP_MAC_VENDOR, "the maker of the responder's network card (IEEE registry)");
        m.put(SessionColumn.RESP_PORT_SERVICE, "the service the responder's port is known for");
        m.put(SessionColumn.RESP_PORT_CVES, "vulnerabilities known for that port's service");
        m.put(SessionColumn.CRITICALITY, "tags the intelligence feeds and detectors gave the session (blacklists, "
                + "anomalies)");
        m.put(SessionColumn.VERDICT, "the whitelist's verdict on the session");
        m.put(SessionColumn.VERDICT_RULE, "the whitelist rule that decided the verdict");
        return m;
    }

    /** What the column means, for its header's tool tip: its name first. */
    static String ofColumn(SessionColumn column) {
        String meaning = COLUMNS.get(column);
        return meaning == null ? column.title : column.title + ": " + meaning;
    }

    /** The explanation of this column's cell for the session, or null when the column needs none. */
    static String of(SessionColumn column, Session s) {
        return switch (column) {
            case CONN_STATE -> state(s.connState());
            case HISTORY -> history(s.history());
            default -> null;
        };
    }

    static String state(String code) {
        String meaning = code == null ? null : STATES.get(code);
        return meaning == null ? null : code + ": " + meaning;
    }

    /**
     * A line for each letter of the history, in order: who (upper case the originator, lower case the responder) and
     * what. A letter again means: for s, h, f, r another one with another sequence number; for c, g, t, w ten times
     * as many (Zeek writes them again at 10, 100, … occurrences).
     */
    static String history(String history) {
        if (history == null || history.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder("history, in the order first seen (upper case: originator):");
        for (int i = 0; i < history.length(); i++) {
            char letter = history.charAt(i);
            char lower = Character.toLowerCase(letter);
            out.append('\n').append(letter).append("  ");
            if (letter == '^') {
                out.append("Zeek's heuristics flipped originator and responder");
                continue;
            }
            String what = lower == 'x' ? "the analysis is partial: a limit was reached" : LETTERS.get(lower);
            if (what == null) {
                out.append("(not a letter Zeek writes)");
                continue;
            }
            out.append(Character.isUpperCase(letter) ? "originator: " : "responder: ").append(what);
            long before = history.substring(0, i).chars().filter(c -> c == letter).count();
            if (before > 0 && "cgtw".indexOf(lower) >= 0) {
                out.append(", at least ").append((long) Math.pow(10, before)).append(" of them");
            } else if (before > 0) {
                out.append(", again (another sequence number)");
            }
        }
        return out.toString();
    }
}
