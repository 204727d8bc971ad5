package org.weir.ui.sessions.internal;

import java.util.Map;

import org.weir.core.Session;

/**
 * What a cell of conn_state or history means, for the table's tool tip: Zeek's codes, spelled out for the session at
 * hand, so that nobody has to look up what {@code ShADadFf} or {@code RSTOS0} says about a connection.
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

    private CellExplanation() {
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
