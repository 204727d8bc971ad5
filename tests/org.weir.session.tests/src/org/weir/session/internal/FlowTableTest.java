package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.SessionOptions;

/** Rules of the table on hand-made packets: orientation, history letters, timers, eviction, batches. */
class FlowTableTest {

    private static final String C = "10.0.0.1", S = "10.0.0.2";
    private static final int[] NONE = {};

    private final List<SessionBatch> batches = new ArrayList<>();
    private final List<Session> closed = new ArrayList<>();

    private FlowTable table(SessionOptions options, boolean bare) {
        ZeekConfig config = ZeekConfig.defaults(options);
        if (bare) {
            config.likelyServerPorts(NONE, NONE).dnsPorts(NONE).ntpPorts(NONE).httpAnalyzer(false);
        }
        FlowTable t = new FlowTable(options, config, 7);
        t.addListener(b -> {
            batches.add(b);
            closed.addAll(b.closed());
        });
        return t;
    }

    private FlowTable table() {
        return table(SessionOptions.defaults(), false);
    }

    private Session only(FlowTable t) {
        t.closeAll();
        assertEquals(1, closed.size(), closed.toString());
        return closed.get(0);
    }

    /** A complete connection: three-way handshake, data both ways, FIN exchange. */
    private static void handshakeDataFin(FlowTable t, String client, int port) {
        Pkt.tcp(client, port, S, 80).at(1).flags("S").seq(100).to(t);
        Pkt.tcp(S, 80, client, port).at(1.1).flags("SA").seq(500).ack(101).to(t);
        Pkt.tcp(client, port, S, 80).at(1.2).flags("A").seq(101).ack(501).to(t);
        Pkt.tcp(client, port, S, 80).at(1.3).flags("AP").seq(101).ack(501).payload(10).to(t);
        Pkt.tcp(S, 80, client, port).at(1.4).flags("AP").seq(501).ack(111).payload(20).to(t);
        Pkt.tcp(client, port, S, 80).at(1.5).flags("AF").seq(111).ack(521).to(t);
        Pkt.tcp(S, 80, client, port).at(1.6).flags("AF").seq(521).ack(112).to(t);
        Pkt.tcp(client, port, S, 80).at(1.7).flags("A").seq(112).ack(522).to(t);
    }

    @Test
    void fullConnection() {
        FlowTable t = table();
        handshakeDataFin(t, C, 40000);
        Session s = only(t);
        // No pure ACK from the server ('a' needs a packet without data), so: ShADdFf.
        assertEquals("ShADdFf", s.history());
        assertEquals("SF", s.connState());
        assertEquals(10, s.origBytes());
        assertEquals(20, s.respBytes());
        assertEquals(5, s.origPackets());
        assertEquals(3, s.respPackets());
        assertEquals(5 * 40 + 10, s.origIpBytes());
        assertEquals(600_000_000L, s.durationNanos(), "the last ACK after both FINs does not extend the duration");
        assertTrue(s.uid().startsWith("C"));
        assertTrue(s.communityId().startsWith("1:"));
        Session copy = s.snapshot(); // a closed record stays readable and copyable
        assertEquals(s.history(), copy.history());
        assertEquals(s.connState(), copy.connState());
        assertEquals(s.origBytes(), copy.origBytes());
    }

    @Test
    void sizesFollowSequenceSpaceAcrossWrapAround() {
        FlowTable t = table();
        long isn = 0xFFFF_FFF0L;
        Pkt.tcp(C, 40000, S, 80).at(1).flags("S").seq(isn).to(t);
        Pkt.tcp(S, 80, C, 40000).at(1.1).flags("SA").seq(7).ack(isn + 1).to(t);
        Pkt.tcp(C, 40000, S, 80).at(1.2).flags("AP").seq(isn + 1).ack(8).payload(100).to(t);
        Pkt.tcp(S, 80, C, 40000).at(1.3).flags("A").seq(8).ack(isn + 101).to(t);
        assertEquals(100, only(t).origBytes());
    }

    @Test
    void udpFromLikelyServerPortFlips() {
        FlowTable t = table();
        Pkt.udp(S, 53, C, 33333).at(1).payload(40).to(t);
        Session s = only(t);
        assertEquals(C, s.origAddress());
        assertEquals(53, s.respPort());
        assertEquals("^d", s.history());
        assertEquals("SHR", s.connState());
    }

    @Test
    void teredoServerReplySeenFirstFlipsAlsoInBareMode() {
        // Zeek's core.tunnels.teredo: a reply from a Teredo server (3544/udp) alone is 3797 -> 3544, SHR, ^d. The
        // tunnel ports are likely server ports even with -b (init-bare loads the packet-protocol scripts).
        for (boolean bare : new boolean[] {false, true}) {
            closed.clear();
            FlowTable t = table(SessionOptions.defaults(), bare);
            if (bare) {
                t.config().likelyServerPorts(NONE, ZeekConfig.TUNNEL_SERVER_PORTS);
            }
            Pkt.udp("65.55.158.81", 3544, C, 3797).at(1).payload(109).to(t);
            Session s = only(t);
            assertEquals(C, s.origAddress());
            assertEquals(3544, s.respPort());
            assertEquals("^d", s.history());
            assertEquals("SHR", s.connState());
        }
    }

    @Test
    void dnsResponseFromTheOriginatorFlips() {
        FlowTable t = table();
        // Both ports 53: no port-based flip; the DNS analyzer sees a response (QR set) from the originator and
        // flips while the UDP adapter delivers it. The adapter had counted its length as the request's, which a
        // flip does not move, and Zeek's ConnSize analyzer counts the packet after the flip, as delivered: the
        // whole datagram is the new originator's (as in scripts.base.protocols.ntp.misordered-ntp below).
        Pkt.udp(S, 53, C, 53).at(1).payload(40).bytes(2, 0x81, 0x80).to(t);
        Session s = only(t);
        assertEquals(C, s.origAddress());
        assertEquals("D^", s.history());
        assertEquals(1, s.origPackets());
        assertEquals(0, s.respPackets());
        assertEquals(40, s.origBytes());
        assertEquals("S0", s.connState());
    }

    @Test
    void ntpServerMessageFromTheOriginatorFlipsOnce() {
        // Zeek's scripts.base.protocols.ntp.misordered-ntp: a server reply (mode 4) seen before the request
        // (mode 3); conn.log: 192.168.1.95:123 -> 17.253.4.253:123, 96 0 S0 D^ 2 152 0 0.
        FlowTable t = table();
        Pkt.udp("17.253.4.253", 123, "192.168.1.95", 123).at(1).payload(48).bytes(0, 0x24).to(t);
        Pkt.udp("192.168.1.95", 123, "17.253.4.253", 123).at(1.959285).payload(48).bytes(0, 0x23).to(t);
        Session s = only(t);
        assertEquals("192.168.1.95", s.origAddress());
        assertEquals("D^", s.history());
        assertEquals(96, s.origBytes());
        assertEquals(0, s.respBytes());
        assertEquals("S0", s.connState());
        assertEquals(2, s.origPackets());
        assertEquals(152, s.origIpBytes());
        assertEquals(0, s.respPackets());
        assertEquals(0.959285, s.durationNanos() / 1e9, 1e-9);
    }

    @Test
    void dnsMessageWithTooManyQuestionsMarksX() {
        FlowTable t = table();
        Pkt.udp(C, 40000, S, 53).at(1).payload(40).bytes(4, 0, 26).to(t); // 26 > dns_max_queries (25)
        Pkt.udp(C, 40000, S, 53).at(2).payload(40).bytes(4, 0, 30).to(t); // X only once
        assertEquals("DX", only(t).history());
    }

    @Test
    void udpToBroadcastDoesNotFlip() {
        FlowTable t = table();
        Pkt.udp(C, 53, "255.255.255.255", 7437).at(1).payload(4).to(t);
        Session s = only(t);
        assertEquals(C, s.origAddress());
        assertEquals("D", s.history());
        assertEquals("S0", s.connState());
    }

    @Test
    void synAckFirstFlipsWhenAnAckFollows() {
        FlowTable t = table(SessionOptions.defaults(), true);
        Pkt.tcp(S, 888, C, 40000).at(1).flags("SA").seq(500).ack(101).to(t);
        Pkt.tcp(C, 40000, S, 888).at(1.1).flags("A").seq(101).ack(501).to(t);
        Session s = only(t);
        assertEquals(C, s.origAddress());
        assertEquals("^hA", s.history());
    }

    @Test
    void synAckAnsweredByRstStaysAsSeen() {
        // A stealth scan: the SYN-ACK's sender stays the originator.
        FlowTable t = table(SessionOptions.defaults(), true);
        Pkt.tcp(S, 888, C, 40000).at(1).flags("SA").seq(500).ack(101).to(t);
        Pkt.tcp(C, 40000, S, 888).at(1.1).flags("R").seq(101).to(t);
        Session s = only(t);
        assertEquals(S, s.origAddress());
        assertEquals("Hr", s.history());
    }

    @Test
    void retransmissionAndChecksumLettersRepeatAtPowersOfTen() {
        FlowTable t = table();
        Pkt.tcp(C, 40000, S, 80).at(1).flags("S").seq(100).to(t);
        Pkt.tcp(S, 80, C, 40000).at(1.1).flags("SA").seq(500).ack(101).to(t);
        Pkt.tcp(C, 40000, S, 80).at(1.2).flags("AP").seq(101).ack(501).payload(10).to(t);
        for (int i = 0; i < 12; i++) {
            Pkt.tcp(C, 40000, S, 80).at(1.3 + i * 0.01).flags("AP").seq(101).ack(501).payload(10).to(t);
        }
        for (int i = 0; i < 100; i++) {
            Pkt.tcp(S, 80, C, 40000).at(2 + i * 0.01).flags("A").seq(501).ack(111).badChecksum().to(t);
        }
        Pkt.tcp(S, 80, C, 40000).at(3.5).flags("A").seq(501).ack(111).window(0).to(t);
        Session s = only(t);
        // T at the 1st and 10th retransmission, c at the 1st, 10th and 100th bad checksum, then a zero window.
        assertEquals("ShDTTcccaw", s.history());
        assertEquals(14, s.origPackets());
        assertEquals(2, s.respPackets(), "segments with a bad checksum are not counted");
    }

    @Test
    void contentGapIsMissedBytes() {
        FlowTable t = table();
        Pkt.tcp(C, 40000, S, 80).at(1).flags("S").seq(100).to(t);
        Pkt.tcp(S, 80, C, 40000).at(1.1).flags("SA").seq(500).ack(101).to(t);
        Pkt.tcp(C, 40000, S, 80).at(1.2).flags("A").seq(101).ack(501).to(t);
        // 1000 bytes from the server never seen, then acked.
        Pkt.tcp(S, 80, C, 40000).at(1.3).flags("AP").seq(1501).ack(101).payload(100).to(t);
        Pkt.tcp(C, 40000, S, 80).at(1.4).flags("A").seq(101).ack(1601).to(t);
        Session s = only(t);
        assertEquals(1000, s.missedBytes());
        assertEquals("ShAdg", s.history());
        assertEquals(1100, s.respBytes());
    }

    @Test
    void udpInactivityStartsASecondConnection() {
        FlowTable t = table();
        Pkt.udp(C, 33333, S, 9999).at(1).payload(10).to(t);
        Pkt.udp(S, 9999, C, 33333).at(2).payload(10).to(t);
        Pkt.udp(C, 33333, S, 9999).at(62.5).payload(10).to(t); // 60.5 s after the last packet: a new conn
        t.closeAll();
        assertEquals(2, closed.size());
        assertEquals("Dd", closed.get(0).history());
        assertEquals("SF", closed.get(0).connState());
        assertEquals("D", closed.get(1).history());
        assertNotEquals(closed.get(0).uid(), closed.get(1).uid());
    }

    @Test
    void anEarlierPacketTimeBecomesTheLastTimeAsZeeksSetLastTime() {
        FlowTable t = table();
        Pkt.udp(C, 40010, S, 5000).at(10).payload(10).to(t);
        Pkt.udp(S, 5000, C, 40010).at(12).payload(10).to(t);
        Pkt.udp(C, 40010, S, 5000).at(11).payload(10).to(t); // out of order: Zeek overwrites last_time
        Pkt.udp(C, 40011, S, 5000).at(20).payload(10).to(t);
        Pkt.udp(C, 40011, S, 5000).at(19.5).payload(10).to(t);
        t.closeAll();
        assertEquals(2, closed.size(), closed.toString());
        assertEquals(1.0, closed.get(0).durationNanos() / 1e9, 1e-9);
        assertEquals(-0.5, closed.get(1).durationNanos() / 1e9, 1e-9, "not positive: logged as unset");
    }

    @Test
    void aTimerArmedBeforeTheTableTimeFiresBeforeTheNextPacketEvenWithoutTimeAdvancing() {
        FlowTable t = table();
        Pkt.tcp(C, 40020, S, 80).at(1).flags("S").seq(100).to(t);
        Pkt.tcp(S, 80, C, 40020).at(1.1).flags("SA").seq(500).ack(101).to(t);
        Pkt.tcp(C, 40020, S, 80).at(1.2).flags("A").seq(101).ack(501).to(t);
        Pkt.udp(C, 40021, S, 5000).at(20).payload(10).to(t); // the table's time is now 20
        // Both FINs with earlier times (merged captures): the close timer, last time + tcp_close_delay (5 s), is
        // armed at 7.1, already past. Zeek's next packet expires it first, so the ACK at 20 opens a new connection.
        Pkt.tcp(C, 40020, S, 80).at(2.0).flags("AF").seq(101).ack(501).to(t);
        Pkt.tcp(S, 80, C, 40020).at(2.1).flags("AF").seq(501).ack(102).to(t);
        Pkt.tcp(C, 40020, S, 80).at(20).flags("A").seq(102).ack(502).to(t);
        t.closeAll();
        List<Session> tcp = closed.stream().filter(x -> x.respPort() == 80 || x.origPort() == 80).toList();
        assertEquals(2, tcp.size(), tcp.toString());
        assertEquals("ShAFf", tcp.get(0).history());
        assertEquals(1.1, tcp.get(0).durationNanos() / 1e9, 1e-9);
        assertEquals(20.0, tcp.get(1).startNanos() / 1e9, 1e-9);
    }

    @Test
    void dnsAnalyzerEndsAnIdleExchangeAtItsTenSecondTimer() {
        FlowTable t = table();
        Pkt.udp(C, 40000, S, 53).at(1).payload(30).to(t);
        Pkt.udp(S, 53, C, 40000).at(1.03).payload(60).bytes(2, 0x81, 0x80).to(t);
        // The analyzer's timer fires at 11 (10 s after the start) with the exchange idle for 9.97 s >= 9 s: the
        // query at 12 is a new connection, although UDP's inactivity timeout (1 min) has not passed.
        Pkt.udp(C, 40000, S, 53).at(12).payload(30).to(t);
        t.closeAll();
        assertEquals(2, closed.size(), closed.toString());
        assertEquals("Dd", closed.get(0).history());
        assertEquals(1.0, closed.get(0).startNanos() / 1e9, 1e-9);
        assertEquals(12.0, closed.get(1).startNanos() / 1e9, 1e-9);
    }

    @Test
    void dnsTimerEndsTheConnectionOnlyWhenIdleForASecondLessThanItsPeriod() {
        FlowTable t = table();
        Pkt.udp(C, 40001, S, 53).at(1).payload(30).to(t);
        Pkt.udp(S, 53, C, 40001).at(2.5).payload(60).bytes(2, 0x81, 0x80).to(t);
        // At 11.4 the timer (due at 11) finds 8.9 s of idleness: the connection stays and the timer fires again
        // 10 s later, at 21.4.
        Pkt.udp(C, 40001, S, 53).at(11.4).payload(30).to(t);
        // Idle 9.5 s when the timer next fires, at 21.4 (the packet at 20.9 comes before it): still one connection.
        Pkt.udp(C, 40001, S, 53).at(20.9).payload(30).to(t);
        // 21.4: idle 0.5 s, next at 31.4; 31.4 (time moved by another flow): idle 10.5 s, the connection ends.
        Pkt.udp("10.9.9.9", 1111, S, 2222).at(21.4).payload(1).to(t);
        Pkt.udp("10.9.9.9", 1111, S, 2222).at(31.4).payload(1).to(t);
        Pkt.udp(C, 40001, S, 53).at(31.5).payload(30).to(t);
        t.closeAll();
        List<Session> dns = closed.stream().filter(x -> x.respPort() == 53).toList();
        assertEquals(2, dns.size(), dns.toString());
        assertEquals(4, dns.get(0).origPackets() + dns.get(0).respPackets());
        assertEquals(31.5, dns.get(1).startNanos() / 1e9, 1e-9);
    }

    @Test
    void withoutTheDnsAnalyzerOnlyInactivityEndsAUdpConnection() {
        FlowTable t = table(SessionOptions.defaults(), true);
        Pkt.udp(C, 40002, S, 53).at(1).payload(30).to(t);
        Pkt.udp(S, 53, C, 40002).at(1.03).payload(60).bytes(2, 0x81, 0x80).to(t);
        Pkt.udp(C, 40002, S, 53).at(12).payload(30).to(t);
        assertEquals(3, only(t).origPackets() + closed.get(0).respPackets());
    }

    @Test
    void newSynAfterCloseStartsANewConnection() {
        FlowTable t = table();
        handshakeDataFin(t, C, 40000);
        Pkt.tcp(C, 40000, S, 80).at(2).flags("S").seq(9000).to(t); // within tcp_close_delay, but a new ISN
        t.closeAll();
        assertEquals(2, closed.size());
        assertEquals("SF", closed.get(0).connState());
        assertEquals("S", closed.get(1).history());
        assertEquals("S0", closed.get(1).connState());
    }

    @Test
    void establishedTcpLivesFiveMinutesWithoutPackets() {
        FlowTable t = table();
        Pkt.tcp(C, 40000, S, 80).at(1).flags("S").seq(100).to(t);
        Pkt.tcp(S, 80, C, 40000).at(1.1).flags("SA").seq(500).ack(101).to(t);
        Pkt.tcp(C, 40000, S, 80).at(1.2).flags("A").seq(101).ack(501).to(t);
        Pkt.tcp(C, 40000, S, 80).at(200).flags("AP").seq(101).ack(501).payload(5).to(t); // idle 199 s: same conn
        Pkt.tcp(C, 40000, S, 80).at(501).flags("AP").seq(106).ack(501).payload(5).to(t); // idle 301 s: a new one
        t.closeAll();
        assertEquals(2, closed.size());
        assertEquals("ShAD", closed.get(0).history());
        assertEquals("S1", closed.get(0).connState());
        assertEquals("D", closed.get(1).history());
        assertEquals("OTH", closed.get(1).connState());
    }

    @Test
    void interactiveServicesGetAnHourOfInactivity() {
        // Zeek's base/protocols/conn/inactivity.zeek: established connections to FTP, SSH, Telnet and rlogin
        // ports live an hour without packets instead of five minutes.
        FlowTable t = table();
        Pkt.tcp(C, 40000, S, 22).at(1).flags("S").seq(100).to(t);
        Pkt.tcp(S, 22, C, 40000).at(1.1).flags("SA").seq(500).ack(101).to(t);
        Pkt.tcp(C, 40000, S, 22).at(1.2).flags("A").seq(101).ack(501).to(t);
        Pkt.tcp(C, 40000, S, 22).at(1800).flags("AP").seq(101).ack(501).payload(5).to(t); // idle 30 min: same
        Pkt.tcp(C, 40000, S, 22).at(5500).flags("AP").seq(106).ack(501).payload(5).to(t); // idle > 1 h: new
        t.closeAll();
        assertEquals(2, closed.size(), closed.toString());
        assertEquals("ShAD", closed.get(0).history());
        assertEquals(1800 - 1, closed.get(0).durationNanos() / 1e9, 1e-9);
        assertEquals("D", closed.get(1).history());
    }

    @Test
    void lateAckAfterTheCloseDelayIsANewConnection() {
        FlowTable t = table();
        handshakeDataFin(t, C, 40000);
        Pkt.tcp(C, 40000, S, 80).at(4).flags("A").seq(112).ack(522).to(t); // within tcp_close_delay (5 s)
        Pkt.tcp(C, 40000, S, 80).at(9).flags("A").seq(112).ack(522).to(t); // after it
        t.closeAll();
        assertEquals(2, closed.size());
        assertEquals(6, closed.get(0).origPackets());
        assertEquals(600_000_000L, closed.get(0).durationNanos(), "packets after both FINs do not extend it");
        assertEquals("A", closed.get(1).history());
    }

    @Test
    void retransmittedSynIsTheSameConnectionUntilTheAttemptTimerEndsIt() {
        FlowTable t = table();
        Pkt.tcp(C, 40000, S, 80).at(1).flags("S").seq(100).to(t);
        Pkt.tcp(C, 40000, S, 80).at(2).flags("S").seq(100).to(t);
        Pkt.tcp(C, 40000, S, 80).at(4).flags("S").seq(100).to(t);
        // Zeek's AttemptTimer removes an unanswered attempt tcp_attempt_delay (5 s) after the first SYN.
        Pkt.tcp(C, 40000, S, 80).at(8).flags("S").seq(100).to(t);
        t.closeAll();
        assertEquals(2, closed.size());
        assertEquals(3, closed.get(0).origPackets());
        assertEquals("S", closed.get(0).history());
        assertEquals(1, closed.get(1).origPackets());
    }

    @Test
    void boundEvictsTheLongestIdleAndDeliversIt() {
        FlowTable t = table(SessionOptions.defaults().withMaxLiveSessions(2), false);
        Pkt.udp(C, 1001, S, 9999).at(1).payload(1).to(t);
        Pkt.udp(C, 1002, S, 9999).at(2).payload(1).to(t);
        Pkt.udp(C, 1001, S, 9999).at(3).payload(1).to(t); // 1002 is now the longest idle
        Pkt.udp(C, 1003, S, 9999).at(4).payload(1).to(t);
        assertEquals(2, t.liveCount());
        assertEquals(1, t.evictedCount());
        t.flush();
        assertEquals(1, closed.size());
        assertEquals(1002, closed.get(0).origPort());
        assertTrue(closed.get(0).isClosed());
    }

    @Test
    void boundEvictsByLastActivityThenByAnIdleOrderKeptToWithinASecondAndASixteenthOfItsSpan() {
        FlowTable t = table(SessionOptions.defaults().withMaxLiveSessions(5), false);
        Pkt.udp(C, 1000, S, 9999).at(0).payload(1).to(t);
        Pkt.udp(C, 1001, S, 9999).at(1).payload(1).to(t);
        Pkt.udp(C, 1009, S, 9999).at(2).payload(1).to(t);
        Pkt.udp(C, 1002, S, 9999).at(10).payload(1).to(t);
        Pkt.udp(C, 1003, S, 9999).at(10.2).payload(1).to(t);
        Pkt.udp(C, 1000, S, 9999).at(10.25).payload(1).to(t); // active again before the bound is in play
        // The bound is reached: the order is made from the last activity, so 1001 goes first, not 1000.
        Pkt.udp(C, 1004, S, 9999).at(10.3).payload(1).to(t);
        // 0.45 s after its place was set, less than a second and than 1/16 of the 8.45 s span: 1002 keeps it.
        Pkt.udp(C, 1002, S, 9999).at(10.45).payload(1).to(t);
        Pkt.udp(C, 1005, S, 9999).at(10.6).payload(1).to(t); // evicts 1009
        Pkt.udp(C, 1006, S, 9999).at(10.7).payload(1).to(t); // evicts 1002, although 1003 is idle longer
        // More than a second after its place was set: 1003 moves behind the others.
        Pkt.udp(C, 1003, S, 9999).at(11.3).payload(1).to(t);
        Pkt.udp(C, 1007, S, 9999).at(11.4).payload(1).to(t); // evicts 1000
        assertEquals(4, t.evictedCount());
        t.flush();
        assertEquals(List.of(1001, 1009, 1002, 1000), closed.stream().map(Session::origPort).toList());
    }

    @Test
    void idleOrderIsDroppedBelowHalfTheBoundAndMadeAgainWhenTheBoundIsReached() {
        FlowTable t = table(SessionOptions.defaults().withMaxLiveSessions(4), false);
        for (int i = 0; i < 5; i++) {
            Pkt.udp(C, 1000 + i, S, 9999).at(i).payload(1).to(t); // the fifth evicts 1000
        }
        // All expire a minute after their packet (1001..1004 at 61..64 s); a newcomer at 64.5 s sees the table
        // nearly empty, well below half the bound.
        Pkt.udp(C, 2000, S, 9999).at(64.5).payload(1).to(t);
        Pkt.udp(C, 2001, S, 9999).at(65).payload(1).to(t);
        Pkt.udp(C, 2000, S, 9999).at(66).payload(1).to(t); // 2001 is now the longest idle
        Pkt.udp(C, 2002, S, 9999).at(67).payload(1).to(t);
        Pkt.udp(C, 2003, S, 9999).at(68).payload(1).to(t);
        Pkt.udp(C, 2004, S, 9999).at(69).payload(1).to(t); // the bound again: evicts 2001, by last activity
        assertEquals(2, t.evictedCount());
        t.flush();
        List<Integer> ports = closed.stream().map(Session::origPort).toList();
        assertEquals(List.of(1000, 1001, 1002, 1003, 1004, 2001), ports);
    }

    @Test
    void timersStayExactAfterManyEvictionsLeaveDeadHeapEntries() {
        FlowTable t = table(SessionOptions.defaults().withMaxLiveSessions(100), false);
        for (int i = 0; i < 3000; i++) {
            Pkt.udp(C, 10000 + i, S, 9999).at(1 + i * 0.001).payload(1).to(t);
        }
        assertEquals(2900, t.evictedCount());
        // One of the 100 left stays active; the others expire 60 s after their packet, not earlier.
        Pkt.udp(S, 9999, C, 12999).at(30).payload(1).to(t);
        t.flush();
        closed.clear();
        Pkt.udp(C, 1, S, 2).at(63.9505).payload(1).to(t); // the last 100 were sent at 3.900 .. 3.999
        t.flush();
        assertEquals(51, closed.size());
        Pkt.udp(C, 1, S, 2).at(89.99).payload(1).to(t);
        t.flush();
        assertEquals(99, closed.size());
        Pkt.udp(C, 1, S, 2).at(90).payload(1).to(t);
        t.flush();
        assertEquals(100, closed.size());
        assertEquals(12999, closed.get(99).origPort());
        assertEquals(1, t.liveCount());
    }

    @Test
    void historyKeepsEveryLetterPastThePackedLength() {
        Conn c = new Conn(new TableContext(ZeekConfig.defaults(SessionOptions.defaults()), new Uids(1)));
        String letters = "^ShADadTtWwGgCcIiQqXxFfRr";
        for (int n = 1; n <= letters.length(); n++) {
            c.replaceHistory(letters.substring(0, n));
            assertEquals(letters.substring(0, n), c.history());
        }
        c.replaceHistory("H");
        assertTrue(c.historyIs('H'));
        c.addHistory('N'); // a letter outside the packed alphabet
        assertEquals("HN", c.history());
        for (int i = 0; i < 20; i++) {
            c.addHistory('T');
        }
        assertEquals("HN" + "T".repeat(20), c.history());
    }

    @Test
    void historyContainsFindsWhatTheTextHas() {
        String letters = "^ShADadTtWwGgCcIiQqXxFfRr";
        List<String> histories = new ArrayList<>(List.of("HN", "SN" + "T".repeat(20)));
        for (int n = 0; n <= letters.length(); n++) {
            histories.add(letters.substring(0, n)); // packed up to 12 letters, then in a builder
        }
        TableContext context = new TableContext(ZeekConfig.defaults(SessionOptions.defaults()), new Uids(1));
        for (String h : histories) {
            Conn c = new Conn(context);
            c.replaceHistory(h);
            for (boolean closed : new boolean[] {false, true}) {
                if (closed) {
                    c.markClosed();
                }
                assertEquals(h, c.history());
                for (char letter : (letters + "NZ").toCharArray()) {
                    assertEquals(h.indexOf(letter) >= 0, c.historyContains(letter), h + " " + letter);
                }
            }
        }
    }

    @Test
    void tcpTimersBeyondTheThreeInFieldsFireInDeadlineOrder() {
        ZeekConfig config = ZeekConfig.defaults(SessionOptions.defaults());
        TcpConnection c = new TcpConnection(new TableContext(config, new Uids(1)));
        // Three in fields, four in the array (which grows once).
        long[] at = {50, 10, 40, 20, 30, 70, 60};
        for (int i = 0; i < at.length; i++) {
            c.addTimer((byte) (i + 1), at[i]);
        }
        assertEquals(10, c.earliestTimer());
        assertEquals(0, c.popDueTimer(9));
        byte[] expected = {2, 4, 5, 3, 1, 7, 6};
        for (byte type : expected) {
            assertEquals(type, c.popDueTimer(100));
        }
        assertEquals(0, c.popDueTimer(100));
        assertEquals(Long.MAX_VALUE, c.earliestTimer());
    }

    @Test
    void closeAllOrdersByStartTimeThenCreationAlsoForPacketsOutOfTimeOrder() {
        FlowTable t = table();
        Pkt.udp(C, 1001, S, 9999).at(5).payload(1).to(t);
        Pkt.udp(C, 1002, S, 9999).at(3).payload(1).to(t); // earlier than the packet before it
        Pkt.udp(C, 1003, S, 9999).at(5).payload(1).to(t);
        Pkt.udp(C, 1004, S, 9999).at(4).payload(1).to(t);
        t.closeAll();
        assertEquals(4, closed.size());
        int[] expected = {1002, 1004, 1001, 1003};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], closed.get(i).origPort());
        }
    }

    @Test
    void icmpRequestAndReplyAreOneConnection() {
        FlowTable t = table();
        Pkt.icmp(C, S, 8, 0).at(1).to(t);
        Pkt.icmp(S, C, 0, 0).at(1.1).to(t);
        Pkt.icmp("fe80::1", "fe80::2", 128, 0).at(2).to(t);
        Pkt.icmp("fe80::2", "fe80::1", 129, 0).at(2.1).to(t);
        Pkt.icmp("10.9.9.9", C, 3, 3).at(3).to(t); // unreachable: one-way, code as "port"
        Pkt.icmp(C, "10.9.9.9", 3, 3).at(3.5).to(t); // the same kind of message back: a connection of its own
        t.closeAll();
        assertEquals(4, closed.size());
        assertEquals(C, closed.get(3).origAddress());
        assertEquals(1, closed.get(2).origPackets());
        assertEquals(0, closed.get(2).respPackets());
        Session echo = closed.get(0);
        assertEquals(8, echo.origPort());
        assertEquals(0, echo.respPort());
        assertEquals(1, echo.origPackets());
        assertEquals(1, echo.respPackets());
        assertEquals("OTH", echo.connState());
        assertEquals(128, closed.get(1).origPort());
        assertEquals(129, closed.get(1).respPort());
        assertEquals(3, closed.get(2).origPort());
        assertEquals(3, closed.get(2).respPort());
    }

    @Test
    void icmpMessageCutBySnapLengthCountsInSizesButNotInPackets() {
        // Zeek's ICMP analyzer forwards a message to the ConnSize analyzer only when it is captured whole.
        FlowTable t = table();
        // Pkt's ICMP payload includes the 8-byte ICMP header: 56 bytes of data each.
        Pkt.icmp(C, S, 8, 0).at(1).payload(64).to(t);
        Pkt.icmp(S, C, 0, 0).at(1.1).payload(64).snapped(20).to(t);
        Session s = only(t);
        assertEquals(1, s.origPackets());
        assertEquals(0, s.respPackets());
        assertEquals(0, s.respIpBytes());
        assertEquals(56, s.origBytes());
        assertEquals(56, s.respBytes());
    }

    @Test
    void segmentWithBadHeaderLengthMakesAnEmptyConnection() {
        FlowTable t = table();
        Pkt p = Pkt.tcp(C, 40000, S, 80).at(1).flags("S").seq(100);
        p.v.tcpHeaderLength = 16; // data offset below 5 words
        p.to(t);
        Session s = only(t);
        assertEquals(0, s.origPackets());
        assertEquals("", s.history());
        assertEquals("OTH", s.connState());
    }

    @Test
    void igmpMakesNoConnectionAsZeeksIgmpAnalyzerTakesIt() {
        FlowTable t = table();
        Pkt.other(2, C, "224.0.0.22").at(1).to(t);
        Pkt.other(132, C, S).at(2).to(t);
        assertEquals("unknown_transport", only(t).transport().zeekName()); // the SCTP packet's, not IGMP's
    }

    @Test
    void unknownTransportHasNoPorts() {
        FlowTable t = table();
        Pkt.other(132, C, S).at(1).to(t);
        Pkt.other(132, S, C).at(1.5).to(t);
        Session s = only(t);
        assertEquals("unknown_transport", s.transport().zeekName());
        assertEquals(0, s.origPort());
        assertEquals(1, s.respPackets());
        assertEquals("OTH", s.connState());
        assertEquals("", s.history());
    }

    @Test
    void vlanIsNotPartOfTheDefaultKey() {
        FlowTable t = table();
        Pkt.udp(C, 1001, S, 9999).at(1).vlan(10, -1).payload(1).to(t);
        Pkt.udp(C, 1001, S, 9999).at(2).vlan(20, -1).payload(1).to(t);
        Session s = only(t);
        assertEquals(10, s.vlan(), "the first packet's VLAN, as Zeek records it");
        assertEquals(2, s.origPackets());
    }

    @Test
    void batchesAndChangedSince() {
        FlowTable t = table();
        Pkt.udp(C, 1001, S, 9999).at(1).payload(1).to(t);
        Pkt.udp(C, 1002, S, 9999).at(2).payload(1).to(t);
        t.flush();
        assertEquals(1, batches.size());
        assertEquals(2, batches.get(0).opened().size());
        assertEquals(2, batches.get(0).updated().size());
        long v = t.version();
        Pkt.udp(S, 9999, C, 1002).at(3).payload(5).to(t);
        List<Session> changed = new ArrayList<>();
        t.changedSince(v, changed::add);
        assertEquals(1, changed.size());
        assertEquals(1002, changed.get(0).origPort());
        assertEquals("Dd", changed.get(0).history());
        assertTrue(changed.get(0).version() > v);
        t.flush();
        assertEquals(0, batches.get(1).opened().size());
        assertEquals(1, batches.get(1).updated().size());
        Pkt.udp(C, 1001, S, 9999).at(4).payload(1).to(t);
        t.closeAll();
        assertEquals(2, batches.get(2).closed().size());
        assertEquals(List.of(), batches.get(2).updated(), "changed, then closed in the same batch: not updated");
        assertEquals(0, t.liveCount());
    }

    @Test
    void defaultUidsComeFromTheInput() {
        List<List<String>> runs = new ArrayList<>();
        for (int port : new int[] {40000, 40000, 40001}) {
            FlowTable t = new FlowTable(SessionOptions.defaults());
            List<String> uids = new ArrayList<>();
            t.addListener(b -> b.closed().forEach(s -> uids.add(s.uid())));
            handshakeDataFin(t, C, port);
            t.closeAll();
            runs.add(uids);
        }
        assertEquals(runs.get(0), runs.get(1), "same input, same uids");
        assertNotEquals(runs.get(0), runs.get(2), "another first packet, another sequence");
    }

    @Test
    void shardHashIsTheSameBothWays() {
        assertEquals(FlowTable.shardHash(Pkt.tcp(C, 40000, S, 80).v), FlowTable.shardHash(Pkt.tcp(S, 80, C, 40000).v));
        assertEquals(FlowTable.shardHash(Pkt.icmp(C, S, 8, 0).v), FlowTable.shardHash(Pkt.icmp(S, C, 0, 0).v));
        assertNotEquals(FlowTable.shardHash(Pkt.tcp(C, 40000, S, 80).v),
                FlowTable.shardHash(Pkt.tcp(C, 40001, S, 80).v));
    }

    @Test
    void uidsAreDeterministic() {
        List<String> a = new ArrayList<>(), b = new ArrayList<>();
        for (List<String> out : List.of(a, b)) {
            closed.clear();
            FlowTable t = table();
            handshakeDataFin(t, C, 40000);
            Pkt.udp(C, 1, S, 2).at(3).payload(1).to(t);
            t.closeAll();
            closed.forEach(s -> out.add(s.uid()));
        }
        assertEquals(a, b);
        assertNotEquals(a.get(0), a.get(1));
    }
}
