package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.testsupport.Corpus;

/**
 * Zeek btest cases whose expectations are script prints rather than conn.log: history/conn_state pairs, endpoint
 * records ({@code size}, {@code state}, {@code num_pkts}, {@code num_bytes_ip}) and connection ids after flips.
 * Each test reads Zeek's expected output file and derives the expectation from it.
 */
class ZeekOutputsTest {

    private static final Pattern ENDPOINT = Pattern
            .compile("\\[size=(\\d+), state=(\\d+), num_pkts=(\\d+), num_bytes_ip=(\\d+),");
    private static final Pattern CONN_ID = Pattern
            .compile("orig_h=([^,]+), orig_p=(\\d+)/(\\w+), resp_h=([^,]+), resp_p=(\\d+)/\\w+");

    private static List<String> lines(String path) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(Corpus.resolve(path))) {
            if (!l.startsWith("### ") && !l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    private static String id(Matcher m) {
        return m.group(3) + " " + m.group(1) + ":" + m.group(2) + " > " + m.group(4) + ":" + m.group(5);
    }

    /** {@code print c$history, c$conn$conn_state} for four RST traces ({@code -b -C}). */
    @Test
    void connStateOfResets() throws IOException {
        String dir = "zeek/scripts.base.protocols.conn.conn_state-RST-behavior/";
        List<String> expected = lines(dir + "baseline/out");
        String[] traces = {"single-rst.pcap", "syn-then-rst.pcap", "syn-then-ack-then-rst.pcap",
            "syn-then-stuff-then-rst.pcap"};
        List<String> actual = new ArrayList<>();
        for (String t : traces) {
            for (Session s : Runs.run(dir + "traces/tcp/" + t, true, Cases.BARE)) {
                actual.add(s.history() + ", " + s.connState());
            }
        }
        assertEquals(expected, actual);
    }

    private static String endpoints(Session s) {
        TcpConnection tcp = (TcpConnection) s;
        return "[size=" + s.origBytes() + ", state=" + tcp.endpointState(true) + ", num_pkts=" + s.origPackets()
                + ", num_bytes_ip=" + s.origIpBytes() + ",\n[size=" + s.respBytes() + ", state="
                + tcp.endpointState(false) + ", num_pkts=" + s.respPackets() + ", num_bytes_ip=" + s.respIpBytes()
                + ",";
    }

    private static String expectedEndpoints(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            Matcher m = ENDPOINT.matcher(l);
            if (m.find()) {
                sb.append(sb.isEmpty() ? "" : "\n").append(m.group(0));
            }
        }
        return sb.toString();
    }

    /** An injected RST right after the SYN must not initialise the sizes ({@code c$orig}, {@code c$resp}). */
    @Test
    void rstAfterSyn() throws IOException {
        String dir = "zeek/core.tcp.rst-after-syn/";
        List<Session> sessions = Runs.run(dir + "traces/tcp/rst-inject-rae.pcap", false, Cases.BARE);
        List<String> expected = lines(dir + "baseline/.stdout");
        Matcher id = CONN_ID.matcher(expected.get(0));
        assertTrue(id.find());
        assertEquals(1, sessions.size());
        assertEquals(id(id), Runs.key(sessions.get(0), true));
        assertEquals(expectedEndpoints(expected), endpoints(sessions.get(0)));
    }

    /** A retransmitted FIN: endpoint states CLOSED/RESET, sizes 0. */
    @Test
    void finRetransmission() throws IOException {
        String dir = "zeek/core.tcp.fin-retransmit/";
        List<Session> sessions = Runs.run(dir + "traces/tcp/fin_retransmission.pcap", false, Cases.BARE);
        assertEquals(1, sessions.size());
        assertEquals(expectedEndpoints(lines(dir + "baseline/out")), endpoints(sessions.get(0)));
    }

    /** Retransmissions on both sides: {@code T}/{@code t} again at the 10th ({@code ShADTadtTtFf}). */
    @Test
    void duplicateSegmentsRepeatRetransmissionLetters() throws IOException {
        String dir = "zeek/core.tcp.tcp-dups/";
        List<Session> sessions = Runs.run(dir + "traces/tcp/ssh-dups.pcap", true, Cases.BARE);
        String remove = lines(dir + "baseline/out").stream().filter(l -> l.startsWith("REMOVE:")).findFirst()
                .orElseThrow();
        Matcher id = CONN_ID.matcher(remove);
        assertTrue(id.find());
        assertEquals(1, sessions.size());
        assertEquals(id(id), Runs.key(sessions.get(0), true));
        assertEquals(remove.substring(remove.lastIndexOf(", ") + 2), sessions.get(0).history());
    }

    /** SYN-ACK seen before the SYN: the roles flip (with likely_server_ports empty, so not by port). */
    @Test
    void synAckBeforeSynFlipsRoles() throws IOException {
        String dir = "zeek/core.connection_flip_roles/";
        List<Session> sessions = Runs.run(dir + "traces/tcp/handshake-reorder.pcap", false, Cases.BARE);
        String removed = lines(dir + "baseline/out").stream().filter(l -> l.startsWith("connection_state_remove"))
                .findFirst().orElseThrow();
        Matcher id = CONN_ID.matcher(removed);
        assertTrue(id.find());
        assertEquals(1, sessions.size());
        assertEquals(id(id), Runs.key(sessions.get(0), true));
        assertTrue(sessions.get(0).history().contains("^"), sessions.get(0).history());
    }

    /** A segment with a truncated header creates nothing; the connection's final orientation is Zeek's. */
    @Test
    void truncatedHeaderConnection() throws IOException {
        String dir = "zeek/core.tcp.truncated-header/";
        List<Session> sessions = Runs.run(dir + "traces/tcp/truncated-header.pcap", false, Cases.BARE);
        List<String> expected = lines(dir + "baseline/out");
        Matcher last = CONN_ID.matcher(expected.get(expected.size() - 1));
        assertTrue(last.find());
        assertFalse(sessions.isEmpty());
        for (Session s : sessions) {
            assertEquals(id(last), Runs.key(s, true));
        }
    }

    /** ICMP "ports": echo request and reply are one connection (8/0); errors are one-way (type/code). */
    @Test
    void icmpConnectionIds() throws IOException {
        String dir = "zeek/core.icmp.icmp-events/";
        List<String> expectedIds = new ArrayList<>();
        for (String l : lines(dir + "baseline/output")) {
            if (l.trim().startsWith("conn_id:")) {
                Matcher m = CONN_ID.matcher(l);
                assertTrue(m.find());
                if (!expectedIds.contains(id(m))) {
                    expectedIds.add(id(m));
                }
            }
        }
        List<String> actual = new ArrayList<>();
        for (String t : new String[] {"icmp-destunreach-udp.pcap", "icmp-timeexceeded.pcap", "icmp-ping.pcap"}) {
            for (Session s : Runs.run(dir + "traces/icmp/" + t, false, Cases.BARE)) {
                if (s.ipProtocol() == 1 || s.ipProtocol() == 58) {
                    actual.add(Runs.key(s, true));
                }
            }
        }
        assertEquals(expectedIds, actual);
    }
}
