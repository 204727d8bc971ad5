package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.testsupport.Bytes.bytes;
import static org.weir.testsupport.Bytes.concat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;

/**
 * Zeek's {@code service} on hand-made connections: the DNS analyzer confirms on a message whose questions and answers
 * parse, the NTP, DHCP and RADIUS analyzers on any message that parses, SNMP's on a responder's message, the HTTP
 * analyzer on a request line and the SSL analyzer on a ClientHello (made by the JDK's TLS implementation), the SSH
 * analyzer on the end of a key exchange, attached by the port or (elsewhere) by their DPD signatures; violations in a
 * connection's first 10 KiB remove them; bare mode loads none of them. The corpus cases are in
 * {@link ZeekConformanceTest}.
 */
class ServiceTest {

    private static final String C = "10.0.0.1", S = "10.0.0.2";

    private final ServiceTables tables = new ServiceTables();
    private final List<Session> closed = tables.closed;

    private FlowTable table(boolean bare) {
        return tables.table(bare);
    }

    private String service(FlowTable t) {
        Session s = tables.closeOne(t);
        assertEquals(s.service(), s.snapshot().service(), "a snapshot keeps the service");
        return s.service();
    }

    // ---- DNS ------------------------------------------------------------------------------------------------

    /** A DNS message: header (id 1, the flags, the four counts), then the given sections' bytes. */
    private static byte[] dns(int flags, int qd, int an, int... rest) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int[] header = {0, 1, flags >> 8, flags & 0xFF, 0, qd, 0, an, 0, 0, 0, 0};
        for (int x : header) {
            b.write(x);
        }
        for (int x : rest) {
            b.write(x);
        }
        return b.toByteArray();
    }

    /** "example.com" as labels, then type A, class IN. */
    private static final int[] QUESTION = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};

    /** The int arrays one after another (the DNS tests' bytes). */
    private static int[] joined(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] all = new int[n];
        int i = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, all, i, p.length);
            i += p.length;
        }
        return all;
    }

    @Test
    void dnsQueryConfirms() {
        FlowTable t = table(false);
        Pkt.udp(C, 40000, S, 53).at(1).content(dns(0x0100, 1, 0, QUESTION)).to(t);
        assertEquals("dns", service(t));
    }

    @Test
    void dnsAnswerWithACompressedNameConfirms() {
        FlowTable t = table(false);
        // The answer's owner is a pointer to the question's name (offset 12), an A record of 4 bytes.
        int[] answer = {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 93, 184, 216, 34};
        Pkt.udp(S, 53, C, 40000).at(1).content(dns(0x8180, 1, 1, joined(QUESTION, answer))).to(t);
        assertEquals("dns", service(t));
    }

    @Test
    void messagesThatDoNotParseLeaveTheServiceUnset() {
        // A question cut before its type and class; an A record of 5 bytes; a record longer than the message;
        // a record of length 0 with bytes after it; a TXT string longer than its record.
        int[][] bad = {
            {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1},
            joined(QUESTION, new int[] {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 1, 2, 3, 4, 5}),
            joined(QUESTION, new int[] {0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 40, 1, 2, 3, 4}),
            joined(QUESTION, new int[] {0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 0, 1, 2, 3, 4}),
            joined(QUESTION, new int[] {0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 3, 5, 'a', 'b'}),
        };
        for (int i = 0; i < bad.length; i++) {
            FlowTable t = table(false);
            int answers = i == 0 ? 0 : 1;
            Pkt.udp(S, 53, C, 40000 + i).at(1).content(dns(0x8180, 1, answers, bad[i])).to(t);
            assertEquals("", service(t), "message " + i);
        }
    }

    @Test
    void aLaterMessageThatParsesConfirms() {
        FlowTable t = table(false);
        Pkt.udp(C, 40000, S, 53).at(1).content(dns(0x0100, 1, 0, 7, 'e', 'x', 'a')).to(t);
        Pkt.udp(C, 40000, S, 53).at(2).content(dns(0x0100, 1, 0, QUESTION)).to(t);
        assertEquals("dns", service(t));
    }

    @Test
    void tooManyQuestionsIsAViolationNotAConfirmation() {
        FlowTable t = table(false);
        Pkt.udp(C, 40000, S, 53).at(1).content(dns(0x0100, 26, 0)).to(t);
        assertEquals("", service(t));
    }

    @Test
    void aViolationInTheFirst10KiBRemovesTheDnsAnalyzer() {
        byte[] query = dns(0x0100, 1, 0, QUESTION), tooMany = dns(0x0100, 26, 0);
        FlowTable t = table(false);
        Pkt.udp(C, 40000, S, 53).at(1).content(query).to(t);
        Pkt.udp(C, 40000, S, 53).at(2).content(tooMany).to(t);
        Pkt.udp(C, 40000, S, 53).at(3).content(query).to(t);
        Pkt.udp(C, 40000, S, 53).at(20).content(query).to(t);
        Session s = tables.closeOne(t);
        assertEquals("", s.service(), "the confirmation is taken back, and later messages confirm nothing");
        assertEquals("DX", s.history());
        assertEquals(4, s.origPackets(), "without the analyzer's expire timer the UDP inactivity timeout applies");
        t = table(false);
        Pkt.udp(C, 40000, S, 53).at(1).content(query).to(t);
        Pkt.udp(C, 40000, S, 53).at(20).content(query).to(t);
        t.closeAll();
        assertEquals(2, closed.size(), "with it, the connection ends 10 s after its start");
        closed.clear();
        t = table(false);
        byte[] big = new byte[query.length + 10_240];
        System.arraycopy(query, 0, big, 0, query.length);
        Pkt.udp(C, 40000, S, 53).at(1).content(big).to(t);
        Pkt.udp(C, 40000, S, 53).at(2).content(tooMany).to(t);
        assertEquals("dns", service(t), "past 10 KiB the violation leaves the analyzer");
    }

    @Test
    void bareModeHasNoDnsAnalyzer() {
        FlowTable t = table(true);
        Pkt.udp(C, 40000, S, 53).at(1).content(dns(0x0100, 1, 0, QUESTION)).to(t);
        assertEquals("", service(t));
    }

    // ---- DNS over TCP ---------------------------------------------------------------------------------------

    /** A DNS message as it travels over TCP: a two-byte length, then the message. */
    private static byte[] framed(byte[] message) {
        byte[] b = new byte[2 + message.length];
        b[0] = (byte) (message.length >> 8);
        b[1] = (byte) message.length;
        System.arraycopy(message, 0, b, 2, message.length);
        return b;
    }

    /** The client's stream in the given pieces (sequence numbers follow on), after a handshake to port 53. */
    private static void dnsOverTcp(FlowTable t, byte[]... pieces) {
        handshake(t, 53);
        long seq = 101;
        double at = 1.3;
        for (byte[] piece : pieces) {
            Pkt.tcp(C, 40000, S, 53).at(at += 0.01).flags("AP").seq(seq).ack(501).content(piece).to(t);
            seq += piece.length;
        }
    }

    @Test
    void dnsOverTcpConfirmsOnAFramedMessage() {
        byte[] query = framed(dns(0x0100, 1, 0, QUESTION));
        FlowTable t = table(false);
        dnsOverTcp(t, query);
        assertEquals("dns", service(t));
        t = table(false); // the length and the message in separate segments, the length itself split
        dnsOverTcp(t, java.util.Arrays.copyOf(query, 1), java.util.Arrays.copyOfRange(query, 1, 2),
                java.util.Arrays.copyOfRange(query, 2, query.length));
        assertEquals("dns", service(t));
        t = table(false); // a message that does not parse, then one that does, in one segment
        byte[] bad = framed(dns(0x0100, 1, 0, 7, 'e', 'x', 'a'));
        byte[] both = new byte[bad.length + query.length];
        System.arraycopy(bad, 0, both, 0, bad.length);
        System.arraycopy(query, 0, both, bad.length, query.length);
        dnsOverTcp(t, both);
        assertEquals("dns", service(t));
        t = table(false); // unframed: the first two bytes are taken as a length
        dnsOverTcp(t, dns(0x0100, 1, 0, QUESTION));
        assertEquals("", service(t));
        t = table(true);
        dnsOverTcp(t, query);
        assertEquals("", service(t), "bare mode");
    }

    @Test
    void dnsOverTcpWithTooManyQuestionsIsMarkedAndNotConfirmed() {
        FlowTable t = table(false);
        dnsOverTcp(t, framed(dns(0x0100, 26, 0)));
        t.closeAll();
        assertEquals(1, closed.size());
        assertEquals("", closed.get(0).service());
        assertTrue(closed.get(0).history().contains("X"), closed.get(0).history());
        closed.clear();
        byte[] query = framed(dns(0x0100, 1, 0, QUESTION)), tooMany = framed(dns(0x0100, 26, 0));
        t = table(false);
        dnsOverTcp(t, query, tooMany);
        assertEquals("", service(t), "a violation in the first 10 KiB takes the confirmation back");
        t = table(false);
        dnsOverTcp(t, tooMany, query);
        assertEquals("", service(t), "and removes the analyzer");
    }

    /** The client's pieces after a handshake to port 53, then its FIN and the server's. */
    private static void dnsOverTcpClosed(FlowTable t, byte[]... pieces) {
        dnsOverTcp(t, pieces);
        long seq = 101;
        for (byte[] piece : pieces) {
            seq += piece.length;
        }
        Pkt.tcp(C, 40000, S, 53).at(2).flags("FA").seq(seq).ack(501).to(t);
        Pkt.tcp(S, 53, C, 40000).at(2.1).flags("FA").seq(501).ack(seq + 1).to(t);
    }

    @Test
    void dnsOverTcpResponseFromTheOriginatorFlipsTheRoles() {
        // The DNS analyzer's flip is the same on TCP: the first message, a response delivered as the originator's.
        // Zeek's ConnSize analyzer counts the segment after the TCP analyzer took it, in the direction it arrived in,
        // so after the flip it is the new originator's: 2 packets each way, not 1 and 3.
        byte[] response = framed(dns(0x8180, 1, 0, QUESTION));
        FlowTable t = table(false);
        dnsOverTcp(t, response);
        Session s = tables.closeOne(t);
        assertEquals(S + ":53 > " + C + ":40000", s.origAddress() + ":" + s.origPort() + " > " + s.respAddress() + ":"
                + s.respPort());
        assertEquals("ShAD^", s.history());
        assertEquals(2, s.origPackets());
        assertEquals(2, s.respPackets());
        assertEquals(0, s.origBytes());
        assertEquals(response.length, s.respBytes(), "the stream of the host that sent it, the responder now");
        assertEquals("dns", s.service());

        // The framers go with their hosts: the former originator's next segment completes the message it began
        // before the flip (too many questions: X, and the violation takes the confirmation back).
        t = table(false);
        byte[] query = framed(dns(0x0100, 1, 0, QUESTION)), tooMany = framed(dns(0x0100, 26, 0));
        dnsOverTcp(t, concat(response, java.util.Arrays.copyOf(tooMany, 5)),
                java.util.Arrays.copyOfRange(tooMany, 5, tooMany.length));
        s = tables.closeOne(t);
        assertEquals("ShAD^dX", s.history());
        assertEquals("", s.service());
        t = table(false);
        dnsOverTcp(t, query, response);
        assertEquals("ShAD", tables.closeOne(t).history(), "a query first: no flip");
        t = table(false); // a multicast responder is never the one flipped away
        Pkt.tcp(C, 40000, "224.0.0.251", 53).at(1).flags("S").seq(100).to(t);
        Pkt.tcp(C, 40000, "224.0.0.251", 53).at(1.2).flags("AP").seq(101).ack(501).content(response).to(t);
        assertEquals("SD", tables.closeOne(t).history().replace("A", ""));
    }

    @Test
    void aConnectionClosedHandsOnTheMessageHeldInPart() {
        // Zeek's Contents_DNS::Flush: at each ConnectionClosed, a message whose announced length never came is parsed
        // as it is. An HTTP request on port 53 announces 0x4745 ("GE") bytes; its question count, "HT", is far above
        // dns_max_queries: X, and the violation removes the analyzer.
        FlowTable t = table(false);
        dnsOverTcpClosed(t, "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        Session s = tables.closeOne(t);
        assertEquals("ShADFXf", s.history().replace("a", ""));
        assertEquals("", s.service());
        // A query cut short of its announced length: parsed as it is, it confirms, and a flush never flips.
        byte[] query = dns(0x0100, 1, 0, QUESTION), response = dns(0x8180, 1, 0, QUESTION);
        t = table(false);
        dnsOverTcpClosed(t, concat(bytes(0, 200), query));
        assertEquals("dns", tables.closeOne(t).service());
        t = table(false);
        dnsOverTcpClosed(t, concat(bytes(0, 200), response));
        s = tables.closeOne(t);
        assertEquals("dns", s.service());
        assertEquals(C, s.origAddress(), "a partial message is neither query nor response to the flip");
        // Without a close, nothing is handed on; and messages complete before the close are not parsed again.
        t = table(false);
        dnsOverTcp(t, concat(bytes(0, 200), query));
        assertEquals("", tables.closeOne(t).service());
        t = table(false);
        dnsOverTcpClosed(t, framed(dns(0x0100, 1, 0, QUESTION)));
        s = tables.closeOne(t);
        assertEquals("dns", s.service());
        assertEquals("ShADFf", s.history().replace("a", ""));
    }

    /**
     * A response to "a" whose answers' owners form one chain of compression pointers: the first answer has the name
     * itself, each later one points at the one before, so the last one's name takes {@code pointers} of them.
     */
    private static byte[] pointerChain(int pointers) {
        int[] question = {1, 'a', 0, 0, 1, 0, 1};
        int[] rest = {0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 127, 0, 0, 1}; // type A, class IN, TTL 300, 4 bytes
        int[] body = joined(question, new int[] {1, 'a', 0}, rest);
        int previous = 12 + question.length;
        for (int i = 0; i < pointers; i++) {
            int here = 12 + body.length;
            body = joined(body, new int[] {0xC0 | previous >> 8, previous & 0xFF}, rest);
            previous = here;
        }
        return dns(0x8180, 1, pointers + 1, body);
    }

    @Test
    void aCompressionChainDeeperThanZeeksLimitMarksXAndStillConfirms() {
        // As Zeek's max-compression-depth trace: a response sent to port 53 (the analyzer flips the roles); the
        // chain of its last answer is cut after dns_max_compression_chain_depth (20) pointers.
        FlowTable t = table(false);
        Pkt.udp(C, 12345, S, 53).at(1).content(pointerChain(21)).to(t);
        Session s = tables.closeOne(t);
        assertEquals("dns", s.service());
        assertEquals("D^X", s.history());
        t = table(false);
        Pkt.udp(C, 12345, S, 53).at(1).content(pointerChain(20)).to(t);
        s = tables.closeOne(t);
        assertEquals("D^", s.history(), "20 pointers are followed");
        t = table(false); // after the confirmation, every later message is still read
        Pkt.udp(C, 40000, S, 53).at(1).content(dns(0x0100, 1, 0, QUESTION)).to(t);
        Pkt.udp(S, 53, C, 40000).at(1.1).content(pointerChain(25)).to(t);
        s = tables.closeOne(t);
        assertEquals("DdX", s.history());
        t = table(false);
        dnsOverTcp(t, framed(pointerChain(21)));
        s = tables.closeOne(t);
        assertTrue(s.history().contains("X"), s.history());
    }

    // ---- NTP ------------------------------------------------------------------------------------------------

    @Test
    void ntpMessagesConfirmWhenTheyParse() {
        byte[] client = new byte[48];
        client[0] = 0x23; // version 4, mode 3
        byte[] shortClient = new byte[47];
        shortClient[0] = 0x23;
        byte[] control = new byte[14];
        control[0] = 0x16; // mode 6, data count 2 at bytes 10..11
        control[11] = 2;
        byte[] controlCut = new byte[13];
        controlCut[0] = 0x16;
        controlCut[11] = 2;
        byte[] privateAuth = new byte[26];
        privateAuth[0] = 0x17; // mode 7, the authentication bit set, no data: needs a 20-byte MAC after 6 bytes
        privateAuth[1] = (byte) 0x80;
        byte[] privateAuthCut = java.util.Arrays.copyOf(privateAuth, 25);
        Object[][] cases = {{client, "ntp"}, {shortClient, ""}, {control, "ntp"}, {controlCut, ""},
            {privateAuth, "ntp"}, {privateAuthCut, ""}, {new byte[] {0x20}, "ntp"}};
        for (Object[] c : cases) {
            FlowTable t = table(false);
            Pkt.udp(C, 40000, S, 123).at(1).content((byte[]) c[0]).to(t);
            assertEquals(c[1], service(t), "message of " + ((byte[]) c[0]).length + " bytes");
        }
    }

    @Test
    void anNtpViolationInTheFirst10KiBRemovesTheAnalyzer() {
        byte[] client = new byte[48], server = new byte[48], shortClient = new byte[47];
        client[0] = 0x23;
        server[0] = 0x24; // version 4, mode 4
        shortClient[0] = 0x23;
        FlowTable t = table(false);
        Pkt.udp(C, 40000, S, 123).at(1).content(client).to(t);
        Pkt.udp(C, 40000, S, 123).at(2).content(shortClient).to(t);
        assertEquals("", service(t), "the confirmation is taken back");
        t = table(false);
        Pkt.udp(C, 40000, S, 123).at(1).content(new byte[0]).to(t);
        Pkt.udp(C, 40000, S, 123).at(2).content(client).to(t);
        assertEquals("", service(t), "an empty datagram is a violation too: nothing after it confirms");
        t = table(false);
        Pkt.udp(C, 40000, S, 123).at(1).content(shortClient).to(t);
        Pkt.udp(C, 40000, S, 123).at(2).content(server).to(t);
        Session s = tables.closeOne(t);
        assertEquals(C, s.origAddress(), "a server-mode message from the originator no longer flips the roles");
        t = table(false);
        byte[] big = java.util.Arrays.copyOf(client, 10_300);
        Pkt.udp(C, 40000, S, 123).at(1).content(big).to(t);
        Pkt.udp(C, 40000, S, 123).at(2).content(shortClient).to(t);
        assertEquals("ntp", service(t), "past 10 KiB the violation leaves the analyzer");
    }

    // ---- all analyzers ----------------------------------------------------------------------------------------

    /** Random bytes, often the characters the analyzers decide on (a prefix of a known protocol's first bytes). */
    private static byte[] noise(java.util.Random random) {
        String[] starts = {"", "<", "<1", "<13>", "SIP/2.0 ", "HTTP/1.1 ", "GET / HTTP/1.1\r\n", "12 <1>", "\r\n",
            "\u0016\u0003\u0001\u0000", "SSH-2.0-", "220 ", "+OK ", "* OK "};
        byte[] start = starts[random.nextInt(starts.length)].getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = java.util.Arrays.copyOf(start, start.length + random.nextInt(300));
        for (int i = start.length; i < b.length; i++) {
            b[i] = (byte) (random.nextBoolean() ? "<>0123456789 \r\n:".charAt(random.nextInt(16))
                    : random.nextInt(256));
        }
        return b;
    }

    @Test
    void randomPayloadsOnTheAnalyzersPortsNeverBreakTheTable() {
        java.util.Random random = new java.util.Random(11);
        int[] udp = {53, 67, 123, 161, 443, 514, 1812, 5353};
        int[] tcp = {21, 22, 25, 53, 80, 143, 443, 514, 6667, 8080};
        for (int round = 0; round < 300; round++) {
            FlowTable t = table(false);
            int u = udp[random.nextInt(udp.length)];
            double at = 1;
            for (int k = 0; k < 6; k++) {
                boolean fromClient = random.nextBoolean();
                (fromClient ? Pkt.udp(C, 40000, S, u) : Pkt.udp(S, u, C, 40000)).at(at += 0.5)
                        .content(noise(random)).to(t);
            }
            int port = tcp[random.nextInt(tcp.length)];
            handshake(t, port);
            long clientSeq = 101, serverSeq = 501;
            for (int k = 0; k < 8; k++) {
                byte[] b = noise(random);
                if (random.nextBoolean()) {
                    Pkt.tcp(C, 40000, S, port).at(at += 0.01).flags("AP").seq(clientSeq).ack(serverSeq).content(b)
                            .to(t);
                    clientSeq += b.length + (random.nextInt(8) == 0 ? 5 : 0); // now and then a hole
                } else {
                    Pkt.tcp(S, port, C, 40000).at(at += 0.01).flags("AP").seq(serverSeq).ack(clientSeq).content(b)
                            .to(t);
                    serverSeq += b.length;
                }
            }
            t.closeAll();
            for (Session session : closed) {
                assertTrue(session.service() != null && session.history() != null, "round " + round);
            }
            closed.clear();
        }
    }

    // ---- SNMP -----------------------------------------------------------------------------------------------

    /** A BER element: the tag, a short or long-form length, the content (the parts one after another). */
    private static byte[] ber(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tag);
        int n = content.size();
        if (n < 128) {
            b.write(n);
        } else {
            b.write(0x82);
            b.write(n >> 8);
            b.write(n);
        }
        b.writeBytes(content.toByteArray());
        return b.toByteArray();
    }


    private static final byte[] SYS_DESCR = bytes(0x2b, 6, 1, 2, 1, 1, 1, 0); // 1.3.6.1.2.1.1.1.0

    /** An SNMP v1/v2c message: version, community, a PDU of {@code pduTag} with one binding to {@code value}. */
    private static byte[] snmp(int version, int pduTag, byte[] value) {
        byte[] binding = ber(0x30, ber(0x06, SYS_DESCR), value);
        byte[] pdu = ber(pduTag, ber(0x02, bytes(7)), ber(0x02, bytes(0)), ber(0x02, bytes(0)), ber(0x30, binding));
        return ber(0x30, ber(0x02, bytes(version)), ber(0x04, "public".getBytes(StandardCharsets.US_ASCII)), pdu);
    }

    private String snmpExchange(int port, byte[]... messages) {
        FlowTable t = table(false);
        double at = 1;
        for (int i = 0; i < messages.length; i++) {
            (i % 2 == 0 ? Pkt.udp(C, 40000, S, port) : Pkt.udp(S, port, C, 40000)).at(at += 0.01)
                    .content(messages[i]).to(t);
        }
        return service(t);
    }

    @Test
    void snmpConfirmsOnAResponderMessageThatParses() {
        byte[] get = snmp(1, 0xa0, ber(0x05)), response = snmp(1, 0xa2, ber(0x04, "Linux".getBytes()));
        assertEquals("snmp", snmpExchange(161, get, response));
        assertEquals("snmp", snmpExchange(161, snmp(0, 0xa0, ber(0x05)), snmp(0, 0xa2, ber(0x43, bytes(1, 2)))));
        assertEquals("", snmpExchange(161, get), "the client's messages confirm nothing");
        assertEquals("", snmpExchange(162, snmp(1, 0xa7, ber(0x05))), "nor does a trap, which its agent sends");
        // v3, encrypted: the header (global data, security parameters) parses; the scoped PDU is an OCTET STRING.
        byte[] v3 = ber(0x30, ber(0x02, bytes(3)),
                ber(0x30, ber(0x02, bytes(1)), ber(0x02, bytes(0x05, 0xdc)), ber(0x04, bytes(3)), ber(0x02, bytes(3))),
                ber(0x04, new byte[20]), ber(0x04, new byte[40]));
        assertEquals("snmp", snmpExchange(161, v3, v3));
        byte[] v3TwoFlags = ber(0x30, ber(0x02, bytes(3)),
                ber(0x30, ber(0x02, bytes(1)), ber(0x02, bytes(0x05, 0xdc)), ber(0x04, bytes(3, 0)),
                        ber(0x02, bytes(3))),
                ber(0x04, new byte[20]), ber(0x04, new byte[40]));
        assertEquals("", snmpExchange(161, v3, v3TwoFlags), "Invalid v3 HeaderData msgFlags: a violation");
        assertEquals("snmp", snmpExchange(161, get, ber(0x30, ber(0x02, bytes(2)), bytes(1, 2, 3))),
                "an unknown version's header takes the rest");
        assertEquals("snmp", snmpExchange(161, get, snmp(1, 0xbf, ber(0x05))), "an unknown PDU takes the rest");
    }

    @Test
    void snmpParseErrorsAreViolations() {
        byte[] get = snmp(1, 0xa0, ber(0x05)), response = snmp(1, 0xa2, ber(0x05));
        byte[] cut = java.util.Arrays.copyOf(response, response.length - 1);
        byte[] wrongOuterTag = response.clone();
        wrongOuterTag[0] = 0x31;
        byte[] longVersion = ber(0x30, ber(0x02, new byte[10]), ber(0x04, bytes('p')), ber(0xa2));
        byte[] bindingWithoutOid = ber(0x30, ber(0x02, bytes(1)), ber(0x04, bytes('p')),
                ber(0xa2, ber(0x02, bytes(7)), ber(0x02, bytes(0)), ber(0x02, bytes(0)),
                        ber(0x30, ber(0x30, ber(0x04, bytes(1)), ber(0x05)))));
        for (byte[] bad : new byte[][] {cut, wrongOuterTag, longVersion, bindingWithoutOid}) {
            assertEquals("", snmpExchange(161, get, bad));
        }
        assertEquals("", snmpExchange(161, get, response, get, cut), "a violation in the first 10 KiB");
        byte[] big = snmp(1, 0xa2, ber(0x04, new byte[10_300]));
        assertEquals("snmp", snmpExchange(161, get, big, get, cut), "past 10 KiB the violation leaves the service");
        FlowTable t = table(true);
        Pkt.udp(S, 161, C, 40000).at(1).content(response).to(t);
        assertEquals("", service(t), "bare mode");
    }

    // ---- RADIUS ---------------------------------------------------------------------------------------------

    /** A RADIUS message: code, identifier, the given length field, a zero authenticator, then these attribute bytes. */
    private static byte[] radius(int code, int lengthField, int... attributes) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) code, 7, (byte) (lengthField >> 8), (byte) lengthField});
        b.writeBytes(new byte[16]);
        for (int x : attributes) {
            b.write(x);
        }
        return b.toByteArray();
    }

    @Test
    void radiusMessagesConfirmWhenTheirAttributesFillThem() {
        Object[][] cases = {
            {radius(1, 31, 1, 7, 'a', 'l', 'i', 'c', 'e', 4, 6, 10, 0, 0, 1), "radius"}, // User-Name, NAS-IP-Address
            {radius(2, 20), "radius"}, // no attributes
            {radius(1, 999, 1, 2), "radius"}, // an empty attribute; the header's length is not checked
            {radius(1, 23, 1, 3), ""}, // an attribute longer than the datagram
            {radius(1, 22, 1, 1), ""}, // an attribute length below its header's two bytes
            {radius(1, 21, 1), ""}, // an attribute without its length
            {java.util.Arrays.copyOf(radius(1, 20), 19), ""}, // no whole authenticator
        };
        for (int i = 0; i < cases.length; i++) {
            FlowTable t = table(false);
            Pkt.udp(C, 40000, S, 1812).at(1).content((byte[]) cases[i][0]).to(t);
            assertEquals(cases[i][1], service(t), "case " + i);
        }
        FlowTable t = table(false);
        Pkt.udp(C, 40000, S, 1812).at(1).content(radius(1, 20)).to(t);
        Pkt.udp(S, 1812, C, 40000).at(2).content(radius(2, 21, 1)).to(t);
        assertEquals("", service(t), "a violation in the first 10 KiB takes the confirmation back");
        t = table(false);
        Pkt.udp(C, 40000, S, 1813).at(1).content(radius(4, 20)).to(t);
        assertEquals("", service(t), "accounting's port is not Zeek's");
        t = table(true);
        Pkt.udp(C, 40000, S, 1812).at(1).content(radius(1, 20)).to(t);
        assertEquals("", service(t), "bare mode");
    }

    // ---- DHCP -----------------------------------------------------------------------------------------------

    /** A DHCP message: the BOOTP header (op 1, Ethernet addresses), the given cookie, then these option bytes. */
    private static byte[] dhcp(int cookie, int... options) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {1, 1, 6, 0, 0x12, 0x34, 0x56, 0x78});
        b.writeBytes(new byte[236 - 8]);
        b.writeBytes(new byte[] {(byte) (cookie >> 24), (byte) (cookie >> 16), (byte) (cookie >> 8), (byte) cookie});
        for (int x : options) {
            b.write(x);
        }
        return b.toByteArray();
    }

    private static final int COOKIE = 0x63825363;

    @Test
    void dhcpMessagesConfirmWhenTheyParse() {
        Object[][] cases = {
            // DISCOVER: message type, client id (type 1 and a MAC), parameter list, END, padding
            {dhcp(COOKIE, 53, 1, 1, 61, 7, 1, 2, 3, 4, 5, 6, 7, 55, 3, 1, 3, 6, 255, 0, 0), "dhcp"},
            {dhcp(0x63825364, 53, 1, 1, 255), ""}, // not the DHCP cookie: BOOTP options cannot be read
            {dhcp(COOKIE, 53, 1, 1), ""}, // no END
            {dhcp(COOKIE, 12, 9, 'h', 'o', 's', 't', 255), ""}, // a host name longer than the message
            {dhcp(COOKIE, 61, 0, 255), ""}, // a client id of length 0: its hardware address cannot be read
            {dhcp(COOKIE, 81, 2, 0, 0, 255), ""}, // a client FQDN shorter than its flags and rcodes
            // no message type: a violation, then a confirmation, which the DPD framework's removal of the analyzer
            // takes back
            {dhcp(COOKIE, 0, 0, 255), ""},
            {dhcp(COOKIE, 53, 1, 0, 255), ""}, // message type 0
            // a lease time is read at its fixed four bytes although the option says 2, so END is read as part of
            // it and the options run out (read by their lengths, they would end at END)
            {dhcp(COOKIE, 53, 1, 5, 51, 2, 0, 0, 255, 0), ""},
            // relay agent information: sub-options until their lengths make the option's
            {dhcp(COOKIE, 53, 1, 1, 82, 6, 1, 1, 9, 2, 1, 9, 255), "dhcp"},
            {dhcp(COOKIE, 53, 1, 1, 82, 5, 1, 1, 9, 2, 1, 9, 255), ""},
            {java.util.Arrays.copyOf(dhcp(COOKIE), 239), ""}, // cut in the cookie
        };
        for (int i = 0; i < cases.length; i++) {
            FlowTable t = table(false);
            Pkt.udp("0.0.0.0", 68, "255.255.255.255", 67).at(1).content((byte[]) cases[i][0]).to(t);
            assertEquals(cases[i][1], service(t), "case " + i);
        }
    }

    @Test
    void damagedDhcpMessagesAreJudgedWithoutReadingPastThem() {
        byte[] discover = dhcp(COOKIE, 53, 1, 1, 61, 7, 1, 2, 3, 4, 5, 6, 7, 82, 6, 1, 1, 9, 2, 1, 9, 55, 3, 1, 3, 6,
                81, 3, 0, 0, 0, 12, 4, 'h', 'o', 's', 't', 255);
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 5000; round++) {
            byte[] b = discover.clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                int at = 236 + random.nextInt(b.length - 236); // the options, where the lengths are
                b[at] = (byte) random.nextInt(256);
            }
            DhcpConfirmation.judge(b, 0, random.nextInt(b.length + 1)); // an exception fails the test
        }
        assertEquals(DhcpConfirmation.Verdict.CONFIRMATION, DhcpConfirmation.judge(discover, 0, discover.length));
    }

    @Test
    void dhcpRepliesToTheClientPortConfirmToo() {
        byte[] offer = dhcp(COOKIE, 53, 1, 2, 54, 4, 10, 0, 0, 1, 51, 4, 0, 0, 0x0E, 0x10, 255);
        offer[0] = 2; // BOOTREPLY
        FlowTable t = table(false);
        Pkt.udp("10.0.0.1", 67, "255.255.255.255", 68).at(1).content(offer).to(t);
        assertEquals("dhcp", service(t));
        t = table(true);
        Pkt.udp("10.0.0.1", 67, "255.255.255.255", 68).at(1).content(offer).to(t);
        assertEquals("", service(t), "bare mode");
    }

    // ---- HTTP -----------------------------------------------------------------------------------------------

    /** The three-way handshake of C:40000 with S:port (client sequence 100, server 500). */
    private static void handshake(FlowTable t, int port) {
        Pkt.tcp(C, 40000, S, port).at(1).flags("S").seq(100).to(t);
        Pkt.tcp(S, port, C, 40000).at(1.1).flags("SA").seq(500).ack(101).to(t);
        Pkt.tcp(C, 40000, S, port).at(1.2).flags("A").seq(101).ack(501).to(t);
    }

    /** Handshake, the client's first segment and, if given, the server's. */
    private static void exchange(FlowTable t, int port, String request, String reply) {
        handshake(t, port);
        Pkt.tcp(C, 40000, S, port).at(1.3).flags("AP").seq(101).ack(501).content(request).to(t);
        if (reply != null) {
            Pkt.tcp(S, port, C, 40000).at(1.4).flags("AP").seq(501).ack(101 + request.length()).content(reply)
                    .to(t);
        }
    }

    @Test
    void httpRequestOnAnHttpPortConfirms() {
        FlowTable t = table(false);
        exchange(t, 80, "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n", null);
        assertEquals("http", service(t));
    }

    @Test
    void otherProtocolsOnAnHttpPortDoNot() {
        FlowTable t = table(false);
        exchange(t, 80, "SSH-2.0-OpenSSH_9.2\r\n", "SSH-2.0-OpenSSH_9.2\r\n");
        assertEquals("", service(t));
    }

    @Test
    void onOtherPortsTheSignaturesMustSeeARequestAndAReply() {
        FlowTable t = table(false);
        exchange(t, 5000, "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
        assertEquals("http", service(t));
        t = table(false);
        exchange(t, 5000, "GET / HTTP/1.1\r\n\r\n", null);
        assertEquals("", service(t));
        t = table(false);
        exchange(t, 5000, "GET / HTTP/1.1\r\n\r\n", "220 smtp.example.com ESMTP\r\n");
        assertEquals("", service(t));
        t = table(false); // a request longer than DPD's buffer: the reply comes too late to be matched
        exchange(t, 5000, "GET / HTTP/1.1\r\nCookie: " + "c".repeat(1100) + "\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
        assertEquals("", service(t));
        t = table(false); // on an HTTP port, the analyzer is there from the start
        exchange(t, 80, "GET / HTTP/1.1\r\nCookie: " + "c".repeat(1100) + "\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
        assertEquals("http", service(t));
        t = table(false); // PUT is a request, but not one of the signature's methods
        exchange(t, 5000, "PUT /x HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
        assertEquals("", service(t));
    }

    @Test
    void signaturesMatchStreamsNotFirstSegments() {
        // Zeek's signature engine matches each side's stream: "G" then "ET ..." is a GET, "HT" then "TP/1.1" a reply.
        FlowTable t = table(false);
        handshake(t, 5000);
        Pkt.tcp(C, 40000, S, 5000).at(1.3).flags("AP").seq(101).ack(501).content("G").to(t);
        Pkt.tcp(C, 40000, S, 5000).at(1.4).flags("AP").seq(102).ack(501).content("ET / HTTP/1.1\r\n\r\n").to(t);
        Pkt.tcp(S, 5000, C, 40000).at(1.5).flags("AP").seq(501).ack(120).content("HT").to(t);
        Pkt.tcp(S, 5000, C, 40000).at(1.6).flags("AP").seq(503).ack(120).content("TP/1.1 200 OK\r\n\r\n").to(t);
        assertEquals("http", service(t));
        // Bytes too few for a decision are held back from the analyses, and go to them when their side ends or the
        // connection does: the request line (judged on its start, as a first segment's) confirms either way.
        for (boolean fin : new boolean[] {true, false}) {
            t = table(false);
            handshake(t, 80);
            Pkt.tcp(C, 40000, S, 80).at(1.3).flags("AP").seq(101).ack(501).content("GET / HTTP/1.0").to(t);
            if (fin) {
                Pkt.tcp(C, 40000, S, 80).at(1.4).flags("AF").seq(115).ack(501).to(t);
            }
            Session s = tables.closeOne(t);
            assertEquals("http", s.service(), fin ? "at the client's FIN" : "at the connection's end");
            assertEquals(14, s.origBytes());
        }
    }

    @Test
    void bytesAheadOfAFirstSegmentAreNotedBoundedly() {
        // The request's first segment comes after the rest (sent again after a loss): DPD sees the stream from its
        // start, so the GET on port 5000 is still matched.
        FlowTable t = table(false);
        handshake(t, 5000);
        Pkt.tcp(C, 40000, S, 5000).at(1.3).flags("AP").seq(103).ack(501).content("T / HTTP/1.1\r\n\r\n").to(t);
        Pkt.tcp(C, 40000, S, 5000).at(1.4).flags("AP").seq(101).ack(501).content("GE").to(t);
        Pkt.tcp(S, 5000, C, 40000).at(1.5).flags("AP").seq(501).ack(119).content("HTTP/1.1 200 OK\r\n\r\n").to(t);
        assertEquals("http", service(t));
        // A capture of one direction that missed the first segment: what comes ahead of it is noted up to 64 KiB,
        // then no more (no copy of the whole stream), and the session still closes with its sizes.
        t = table(false);
        handshake(t, 5000);
        byte[] chunk = new byte[1400];
        long seq = 101 + 500;
        for (int k = 0; k < 100; k++, seq += chunk.length) {
            Pkt.tcp(C, 40000, S, 5000).at(1.3 + k * 0.001).flags("A").seq(seq).ack(501).content(chunk).to(t);
        }
        tables.nextDependsOnDeliveries(); // pieces would cross the noted bytes' bound elsewhere
        Session s = tables.closeOne(t);
        assertEquals("", s.service());
        assertEquals(500 + 100 * chunk.length, s.origBytes());
    }

    @Test
    void aFirstReplyLineThatIsNoReplyTakesTheServiceBack() {
        FlowTable t = table(false);
        exchange(t, 80, "GET / HTTP/1.1\r\n\r\n", "SSH-2.0-OpenSSH_9.6\r\n");
        assertEquals("", service(t), "a violation in the first 10 KiB");
        t = table(false);
        exchange(t, 80, "GET / HTTP/1.1\r\n\r\n", "\r\nhttp/1.0 200 OK\r\n\r\n");
        assertEquals("http", service(t), "empty lines first, a lower-case keyword");
        t = table(false);
        exchange(t, 80, "GET /\r\n", "<html><body>hello</body></html>");
        assertEquals("http", service(t), "an HTTP/0.9 reply is read unparsed");
        t = table(false);
        exchange(t, 80, "POST /up HTTP/1.1\r\nContent-Length: 11000\r\n\r\n" + "x".repeat(11_000), "220 ftp\r\n");
        assertEquals("http", service(t), "past 10 KiB the violation leaves the service");
        t = table(false); // the server speaks first: the analyzer is gone before the request could confirm
        handshake(t, 80);
        Pkt.tcp(S, 80, C, 40000).at(1.3).flags("AP").seq(501).ack(101).content("220 ftp.example.com\r\n").to(t);
        Pkt.tcp(C, 40000, S, 80).at(1.4).flags("AP").seq(101).ack(522).content("GET / HTTP/1.1\r\n\r\n").to(t);
        assertEquals("", service(t));
    }

    @Test
    void partialConnectionsAreNotAnalysed() {
        // Zeek's HTTP analyzer skips the streams of connections whose start it did not see (wikipedia.pcap has one:
        // a GET and its 304 without a handshake, logged without a service).
        FlowTable t = table(false);
        Pkt.tcp(C, 40000, S, 80).at(1).flags("AP").seq(101).ack(501).content("GET / HTTP/1.1\r\n\r\n").to(t);
        Pkt.tcp(S, 80, C, 40000).at(1.1).flags("AP").seq(501).ack(119).content("HTTP/1.0 304 Not Modified\r\n\r\n")
                .to(t);
        assertEquals("", service(t));
    }

    @Test
    void bareModeHasNoHttpAnalyzer() {
        FlowTable t = table(true);
        exchange(t, 80, "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
        assertEquals("", service(t));
    }

    // ---- SSL ------------------------------------------------------------------------------------------------

    /**
     * A handshake, then the client's ClientHello in segments of at most {@code mss} bytes (sent in the order given
     * by {@code order}, indexes of the segments), the server's acks, and the server's flight if given.
     */
    private static void tls(FlowTable t, int port, byte[] hello, int mss, int[] order, byte[] reply) {
        handshake(t, port);
        int segments = (hello.length + mss - 1) / mss;
        if (order == null) {
            order = java.util.stream.IntStream.range(0, segments).toArray();
        }
        double at = 1.3;
        for (int i : order) {
            int from = i * mss, to = Math.min(hello.length, from + mss);
            Pkt.tcp(C, 40000, S, port).at(at += 0.01).flags("AP").seq(101 + from).ack(501)
                    .content(java.util.Arrays.copyOfRange(hello, from, to)).to(t);
        }
        Pkt.tcp(S, port, C, 40000).at(at += 0.01).flags("A").seq(501).ack(101 + hello.length).to(t);
        if (reply != null) {
            Pkt.tcp(S, port, C, 40000).at(at + 0.01).flags("AP").seq(501).ack(101 + hello.length).content(reply)
                    .to(t);
        }
    }

    @Test
    void aClientHelloOnAnSslPortConfirmsWhateverItsSegments() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            TlsFlights f = TlsFlights.handshake(protocol, 30); // a hello of more than 1,400 bytes
            byte[] hello = f.client;
            int[][] orders = {null, {1, 0}, null};
            int[] mss = {hello.length, (hello.length + 1) / 2, 100};
            for (int i = 0; i < mss.length; i++) {
                FlowTable t = table(false);
                tls(t, 443, hello, mss[i], orders[i], f.server);
                assertEquals("ssl", service(t), protocol + ", " + hello.length + " bytes in segments of " + mss[i]);
            }
            FlowTable t = table(false); // only part of it: no confirmation
            tls(t, 443, java.util.Arrays.copyOf(hello, hello.length - 1), 1400, null, null);
            assertEquals("", service(t), protocol);
        }
    }

    @Test
    void aClientHelloConfirmsInAnySegmentsAndOrder() throws Exception {
        byte[] hello = TlsFlights.handshake("TLSv1.3", 30).client;
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 200; round++) {
            int mss = 1 + random.nextInt(hello.length);
            int segments = (hello.length + mss - 1) / mss;
            java.util.List<Integer> order = new java.util.ArrayList<>();
            for (int i = 0; i < segments; i++) {
                order.add(i);
                if (random.nextInt(4) == 0) {
                    order.add(i); // a retransmission
                }
            }
            java.util.Collections.shuffle(order, random);
            FlowTable t = table(false);
            tls(t, 443, hello, mss, order.stream().mapToInt(Integer::intValue).toArray(), null);
            assertEquals("ssl", service(t), "segments of " + mss + " in the order " + order);
        }
    }

    @Test
    void aServerThatAnswersAClientHelloInPlainTextTakesTheConfirmationBack() throws Exception {
        TlsFlights f = TlsFlights.handshake("TLSv1.3", 0);
        FlowTable t = table(false);
        tls(t, 443, f.client, 1400, null, "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("", service(t), "Invalid version late in TLS connection, in the first 10 KiB");
        t = table(false);
        tls(t, 443, f.client, 1400, null, f.server);
        assertEquals("ssl", service(t));
        t = table(false);
        tls(t, 443, f.client, 1400, null, new byte[] {21, 3, 3, 0, 2, 2, 40}); // a fatal alert of TLS 1.2's layer
        assertEquals("ssl", service(t));
        t = table(false); // more than 10 KiB before the reply: the violation leaves the service
        byte[] big = java.util.Arrays.copyOf(f.client, f.client.length + 10_300);
        int at = f.client.length;
        big[at] = 23; // application data records after the hello
        big[at + 1] = 3;
        big[at + 2] = 3;
        big[at + 3] = (byte) ((10_300 - 5) >> 8);
        big[at + 4] = (byte) (10_300 - 5);
        tls(t, 443, big, 1400, null, "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ssl", service(t));
    }

    @Test
    void otherProtocolsOnAnSslPortDoNot() {
        FlowTable t = table(false);
        exchange(t, 443, "SSH-2.0-OpenSSH_9.2\r\n", "SSH-2.0-OpenSSH_9.2\r\n");
        assertEquals("", service(t));
        t = table(false); // HTTP there is found by HTTP's signatures
        exchange(t, 443, "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n\r\n");
        assertEquals("http", service(t));
    }

    @Test
    void onOtherPortsTheSignaturesMustSeeAClientHelloAndAServerHello() throws Exception {
        TlsFlights f = TlsFlights.handshake("TLSv1.3", 0);
        FlowTable t = table(false);
        tls(t, 8443, f.client, 1400, null, f.server);
        assertEquals("ssl", service(t));
        t = table(false);
        tls(t, 8443, f.client, 1400, null, null);
        assertEquals("", service(t), "no reply");
        t = table(false);
        tls(t, 8443, f.client, 1400, null, "HTTP/1.1 400 Bad Request\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("", service(t), "a reply that is not a ServerHello");
    }

    @Test
    void dpdAttachesOnlyWhileItsBufferHoldsTheStreams() throws Exception {
        // Zeek's DPD buffers the first 1,024 bytes of the streams: a longer ClientHello fills it before the server's
        // ServerHello arrives, so the analyzer is never attached on a port that is not an SSL port.
        TlsFlights f = TlsFlights.handshake("TLSv1.3", 30);
        FlowTable t = table(false);
        tls(t, 8443, f.client, 1400, null, f.server);
        assertEquals("", service(t), f.client.length + " bytes of ClientHello");
        t = table(false);
        tls(t, 443, f.client, 1400, null, f.server);
        assertEquals("ssl", service(t));
    }

    @Test
    void aPartialConnectionOrAContentGapIsNotAnalysed() throws Exception {
        TlsFlights f = TlsFlights.handshake("TLSv1.3", 30);
        byte[] hello = f.client;
        FlowTable t = table(false);
        Pkt.tcp(C, 40000, S, 443).at(1).flags("AP").seq(101).ack(501).content(hello).to(t);
        assertEquals("", service(t), "partial");
        // The server acks the whole hello while its second segment was never seen: a content gap, so the parts seen
        // later (a retransmission) no longer reach the analyzer.
        t = table(false);
        handshake(t, 443);
        Pkt.tcp(C, 40000, S, 443).at(1.3).flags("AP").seq(101).ack(501)
                .content(java.util.Arrays.copyOf(hello, 1000)).to(t);
        Pkt.tcp(S, 443, C, 40000).at(1.4).flags("A").seq(501).ack(101 + hello.length).to(t);
        Pkt.tcp(C, 40000, S, 443).at(1.5).flags("AP").seq(1101).ack(501)
                .content(java.util.Arrays.copyOfRange(hello, 1000, hello.length)).to(t);
        assertEquals("", service(t), "gap");
    }

    @Test
    void aServerThatSpeaksSomethingElseFirstEndsTheAnalysis() throws Exception {
        TlsFlights f = TlsFlights.handshake("TLSv1.3", 30);
        byte[] hello = f.client;
        FlowTable t = table(false);
        handshake(t, 443);
        Pkt.tcp(C, 40000, S, 443).at(1.3).flags("AP").seq(101).ack(501)
                .content(java.util.Arrays.copyOf(hello, 1000)).to(t);
        Pkt.tcp(S, 443, C, 40000).at(1.4).flags("AP").seq(501).ack(1101).content("SSH-2.0-OpenSSH_9.2\r\n").to(t);
        Pkt.tcp(C, 40000, S, 443).at(1.5).flags("AP").seq(1101).ack(522)
                .content(java.util.Arrays.copyOfRange(hello, 1000, hello.length)).to(t);
        assertEquals("", service(t));
    }

    @Test
    void bareModeHasNoSslAnalyzer() throws Exception {
        TlsFlights f = TlsFlights.handshake("TLSv1.3", 0);
        FlowTable t = table(true);
        tls(t, 443, f.client, 1400, null, f.server);
        assertEquals("", service(t));
    }

    // ---- SSH ------------------------------------------------------------------------------------------------

    /** An SSH 2 binary packet: its length, padding length, the message type, {@code size} bytes of message, padding. */
    private static byte[] sshPacket(int type, int size) {
        int padding = 4 + (8 - (4 + 2 + size + 4) % 8) % 8;
        int length = 1 + 1 + size + padding;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length,
            (byte) padding, (byte) type});
        for (int i = 0; i < size + padding; i++) {
            b.write(i * 31 + type);
        }
        return b.toByteArray();
    }


    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Encrypted-looking bytes: what follows a side's NEWKEYS. */
    private static byte[] encrypted(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    /** The client's stream of a key exchange as OpenSSH makes it: version, KEXINIT, ECDH init, NEWKEYS, then cipher. */
    static byte[] sshClient(String version) {
        return concat(ascii(version + "\r\n"), sshPacket(20, 1500), sshPacket(30, 1216), sshPacket(21, 0),
                encrypted(300));
    }

    static byte[] sshServer(String preBanner, String version) {
        return concat(ascii(preBanner + version + "\r\n"), sshPacket(20, 1080), sshPacket(31, 1500),
                sshPacket(21, 0), encrypted(500));
    }

    /**
     * A connection of C:40000 to S:port: handshake, then the two streams in segments of at most {@code mss} bytes,
     * as SSH's implementations send them: the server's version first, then the client's, then the rest of both
     * sides alternating segment by segment. {@code shuffle} sends each of these parts' segments in random order, with
     * retransmissions.
     */
    private static void twoWay(FlowTable t, int port, byte[] client, byte[] server, int mss, java.util.Random shuffle) {
        handshake(t, port);
        int clientVersion = versionEnd(client), serverVersion = versionEnd(server);
        List<int[]> segments = new ArrayList<>(); // side (0 client, 1 server), offset, length
        segments.addAll(part(1, 0, serverVersion, mss, shuffle));
        segments.addAll(part(0, 0, clientVersion, mss, shuffle));
        List<int[]> rest = part(1, serverVersion, server.length, mss, shuffle);
        List<int[]> clientRest = part(0, clientVersion, client.length, mss, shuffle);
        for (int i = 0; i < clientRest.size(); i++) {
            rest.add(Math.min(rest.size(), 2 * i + 1), clientRest.get(i));
        }
        segments.addAll(rest);
        double at = 1.3;
        for (int[] seg : segments) {
            boolean fromClient = seg[0] == 0;
            byte[] stream = fromClient ? client : server;
            byte[] data = java.util.Arrays.copyOfRange(stream, seg[1], seg[1] + seg[2]);
            if (fromClient) {
                Pkt.tcp(C, 40000, S, port).at(at += 0.001).flags("AP").seq(101 + seg[1]).ack(501).content(data).to(t);
            } else {
                Pkt.tcp(S, port, C, 40000).at(at += 0.001).flags("AP").seq(501 + seg[1]).ack(101).content(data).to(t);
            }
        }
    }

    /** Where a stream's version line ends: after the LF of its first line that begins with SSH- (any case). */
    private static int versionEnd(byte[] stream) {
        String text = new String(stream, StandardCharsets.ISO_8859_1);
        int ssh = text.toLowerCase().indexOf("ssh-");
        return ssh < 0 ? 0 : text.indexOf('\n', ssh) + 1;
    }

    /** One side's bytes [from, to) in segments of at most {@code mss}, shuffled with retransmissions if asked. */
    private static List<int[]> part(int side, int from, int to, int mss, java.util.Random shuffle) {
        List<int[]> segments = new ArrayList<>();
        for (int o = from; o < to; o += mss) {
            segments.add(new int[] {side, o, Math.min(mss, to - o)});
            if (shuffle != null && shuffle.nextInt(5) == 0) {
                segments.add(new int[] {side, o, Math.min(mss, to - o)});
            }
        }
        if (shuffle != null) {
            java.util.Collections.shuffle(segments, shuffle);
        }
        return segments;
    }

    private static final String OPENSSH = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3";

    @Test
    void theEndOfAKeyExchangeOnTheSshPortConfirmsWhateverItsSegments() {
        for (int mss : new int[] {1460, 536, 100, 7, 1}) {
            FlowTable t = table(false);
            twoWay(t, 22, sshClient(OPENSSH), sshServer("", "SSH-2.0-OpenSSH_9.2"), mss, null);
            assertEquals("ssh", service(t), "segments of " + mss);
        }
    }

    @Test
    void theEndOfAKeyExchangeConfirmsInAnyOrder() {
        java.util.Random random = new java.util.Random(5);
        for (int round = 0; round < 100; round++) {
            FlowTable t = table(false);
            int mss = 1 + random.nextInt(1500);
            twoWay(t, 22, sshClient(OPENSSH), sshServer("", "SSH-2.0-OpenSSH_9.2"), mss, random);
            assertEquals("ssh", service(t), "round " + round + ", segments of " + mss);
        }
    }

    @Test
    void withoutTheEndOfTheKeyExchangeOrOneSideTheServiceStaysUnset() {
        byte[] client = sshClient(OPENSSH), server = sshServer("", "SSH-2.0-OpenSSH_9.2");
        int clientNewKeys = client.length - 300 - 16, serverNewKeys = server.length - 500 - 16;
        FlowTable t = table(false);
        twoWay(t, 22, java.util.Arrays.copyOf(client, clientNewKeys + 15),
                java.util.Arrays.copyOf(server, serverNewKeys + 15), 1460, null);
        assertEquals("", service(t), "both NEWKEYS packets one byte short");
        t = table(false);
        twoWay(t, 22, java.util.Arrays.copyOf(client, clientNewKeys + 16), new byte[0], 1460, null);
        assertEquals("", service(t), "the client alone: the server's version is never known");
        t = table(false);
        twoWay(t, 22, new byte[0], server, 1460, null);
        assertEquals("", service(t), "the server alone");
        t = table(false);
        twoWay(t, 22, ascii("SSH-2.0-PuTTY\r\n"), concat(ascii("SSH-2.0-OpenSSH_9.2\r\n"), sshPacket(21, 0)), 1460,
                null);
        assertEquals("ssh", service(t), "one NEWKEYS is enough");
        t = table(false);
        handshake(t, 22);
        byte[] early = concat(ascii("SSH-2.0-OpenSSH_9.2\r\n"), sshPacket(21, 0));
        Pkt.tcp(S, 22, C, 40000).at(1.3).flags("AP").seq(501).ack(101).content(early).to(t);
        Pkt.tcp(C, 40000, S, 22).at(1.4).flags("AP").seq(101).ack(501 + early.length).content(OPENSSH + "\r\n").to(t);
        assertEquals("", service(t), "a packet before the other side's version cannot be parsed");
    }

    @Test
    void versionsDecideHowPacketsAreFramed() {
        // SSH 1: the server's public key, then the client's session key, which confirms.
        byte[] publicKey = ssh1Packet(2, 200), sessionKey = ssh1Packet(3, 140);
        FlowTable t = table(false);
        twoWay(t, 22, concat(ascii("SSH-1.5-client\n"), sessionKey, encrypted(40)),
                concat(ascii("SSH-1.99-server\n"), publicKey, encrypted(40)), 1460, null);
        assertEquals("ssh", service(t), "SSH 1.5 with a server that speaks both");
        t = table(false);
        twoWay(t, 22, concat(ascii("SSH-1.5-client\n"), ssh1Packet(4, 140)),
                concat(ascii("SSH-1.5-server\n"), publicKey), 1460, null);
        assertEquals("", service(t), "SSH 1 parses only its key messages");
        t = table(false);
        twoWay(t, 22, sshClient("SSH-2.0-client"), concat(ascii("SSH-1.5-server\r\n"), publicKey), 1460, null);
        assertEquals("", service(t), "SSH 2 against SSH 1: no version to parse packets by");
        t = table(false);
        twoWay(t, 22, sshClient("SSH-1.99-client"), sshServer("", "SSH-2.0-server"), 1460, null);
        assertEquals("ssh", service(t), "1.99 speaks 2");
    }

    /** An SSH 1 packet: its length, 1 to 8 bytes of padding, the message type, {@code size} bytes, a CRC. */
    private static byte[] ssh1Packet(int type, int size) {
        int length = 1 + size + 4;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        b.writeBytes(new byte[8 - length % 8]);
        b.write(type);
        b.writeBytes(new byte[size + 4]);
        return b.toByteArray();
    }

    @Test
    void linesEndAtCrOrLfAndTheServerMayTalkBeforeItsVersion() {
        FlowTable t = table(false);
        twoWay(t, 22, sshClient(OPENSSH), sshServer("Welcome to the jump host\r\nAuthorised use only\n",
                "SSH-2.0-OpenSSH_9.2"), 1460, null);
        assertEquals("ssh", service(t), "data before the server's banner");
        for (int mss : new int[] {OPENSSH.length() + 1, OPENSSH.length() + 2}) { // CR and LF in other segments
            t = table(false);
            twoWay(t, 22, sshClient(OPENSSH), sshServer("", "SSH-2.0-OpenSSH_9.2"), mss, null);
            assertEquals("ssh", service(t), "segments of " + mss);
        }
        t = table(false);
        byte[] lfOnly = concat(ascii("SSH-2.0-dropbear\n"), sshPacket(20, 900), sshPacket(30, 40), sshPacket(21, 0));
        twoWay(t, 22, lfOnly, sshServer("", "SSH-2.0-OpenSSH_9.2"), 1460, null);
        assertEquals("ssh", service(t), "a version line that ends with LF");
    }

    @Test
    void aPacketThatCannotBeParsedDropsTheRestOfItsSegment() {
        // Padding longer than the packet: Zeek's parser fails and drops the rest of the delivery, so a NEWKEYS in
        // the same segment is lost, while one in the next segment is read.
        byte[] broken = {0, 0, 0, 8, (byte) 200, 20, 0, 0, 0, 0, 0, 0};
        byte[] server = concat(ascii("SSH-2.0-OpenSSH_9.2\r\n"), sshPacket(20, 1080));
        FlowTable t = table(false);
        twoWay(t, 22, concat(ascii(OPENSSH + "\r\n"), broken, sshPacket(21, 0)), server, 4000, null);
        tables.nextDependsOnDeliveries();
        assertEquals("", service(t), "NEWKEYS behind the broken packet in one segment");
        t = table(false);
        handshake(t, 22);
        Pkt.tcp(S, 22, C, 40000).at(1.3).flags("AP").seq(501).ack(101).content(server).to(t);
        byte[] first = concat(ascii(OPENSSH + "\r\n"), broken);
        Pkt.tcp(C, 40000, S, 22).at(1.4).flags("AP").seq(101).ack(501 + server.length).content(first).to(t);
        Pkt.tcp(C, 40000, S, 22).at(1.5).flags("AP").seq(101 + first.length).ack(501 + server.length)
                .content(sshPacket(21, 0)).to(t);
        assertEquals("ssh", service(t), "NEWKEYS in the next segment");
    }

    @Test
    void damagedStreamsAreFollowedWithoutFailing() {
        java.util.Random random = new java.util.Random(11);
        byte[] client = sshClient(OPENSSH), server = sshServer("", "SSH-2.0-OpenSSH_9.2");
        for (int round = 0; round < 2000; round++) {
            byte[] c = client.clone(), s = server.clone();
            for (int m = 1 + random.nextInt(8); m > 0; m--) {
                byte[] victim = random.nextBoolean() ? c : s;
                victim[random.nextInt(Math.min(victim.length, 3000))] = (byte) random.nextInt(256);
            }
            FlowTable t = table(false);
            twoWay(t, 22, c, s, 1 + random.nextInt(1500), random.nextBoolean() ? random : null);
            tables.nextDependsOnDeliveries(); // a parse error drops the rest of its delivery
            String service = service(t);
            assertTrue(service.isEmpty() || service.equals("ssh"), service);
        }
    }

    @Test
    void onOtherPortsTheSignaturesMustSeeTwoVersionLines() {
        FlowTable t = table(false);
        twoWay(t, 2222, sshClient(OPENSSH), sshServer("", "SSH-2.0-OpenSSH_9.2"), 1460, null);
        assertEquals("ssh", service(t));
        t = table(false);
        twoWay(t, 2222, sshClient(OPENSSH), sshServer("Welcome\r\n", "SSH-2.0-OpenSSH_9.2"), 1460, null);
        assertEquals("", service(t), "the server's stream does not begin with its version");
        t = table(false);
        twoWay(t, 2222, sshClient(OPENSSH.toLowerCase()), sshServer("", "SSH-1.99-server"), 1460, null);
        assertEquals("ssh", service(t), "the signatures ignore case");
        // DPD's buffer: the server's version and a key exchange of more than 1,024 bytes arrive before the client's
        // version, so its signature is never matched; on port 22 the analyzer is there from the start.
        byte[] server = sshServer("", "SSH-2.0-OpenSSH_9.2");
        for (int port : new int[] {2222, 22}) {
            t = table(false);
            handshake(t, port);
            Pkt.tcp(S, port, C, 40000).at(1.3).flags("AP").seq(501).ack(101).content(server).to(t);
            byte[] client = sshClient(OPENSSH);
            Pkt.tcp(C, 40000, S, port).at(1.4).flags("AP").seq(101).ack(501 + server.length).content(client).to(t);
            assertEquals(port == 22 ? "ssh" : "", service(t), "port " + port);
        }
    }

    @Test
    void sshConfirmedOnAnyPortGetsTheInteractiveInactivityTimeout() {
        // base/protocols/conn/inactivity.zeek: an hour for a connection whose SSH analyzer confirmed, so ten idle
        // minutes do not end it; a connection on the same port that is not SSH ends after TCP's five.
        byte[] client = sshClient(OPENSSH);
        for (boolean ssh : new boolean[] {true, false}) {
            FlowTable t = table(false);
            byte[] server = ssh ? sshServer("", "SSH-2.0-OpenSSH_9.2") : ascii("HTTP/1.1 400 Bad Request\r\n\r\n");
            twoWay(t, 2222, client, server, 1460, null);
            Pkt.tcp(C, 40000, S, 2222).at(600).flags("AP").seq(101 + client.length).ack(501 + server.length)
                    .content(encrypted(64)).to(t);
            t.closeAll();
            assertEquals(ssh ? 1 : 2, closed.size(), closed.toString());
            assertEquals(ssh ? "ssh" : "", closed.get(0).service());
            closed.clear();
        }
    }

    @Test
    void aPartialConnectionOrAContentGapIsNotAnalysedForSsh() {
        byte[] client = sshClient(OPENSSH), server = sshServer("", "SSH-2.0-OpenSSH_9.2");
        FlowTable t = table(false);
        Pkt.tcp(S, 22, C, 40000).at(1).flags("AP").seq(501).ack(101).content(server).to(t);
        Pkt.tcp(C, 40000, S, 22).at(1.1).flags("AP").seq(101).ack(501 + server.length).content(client).to(t);
        assertEquals("", service(t), "partial");
        // The client's KEXINIT is acked but was never seen: a content gap.
        t = table(false);
        handshake(t, 22);
        Pkt.tcp(S, 22, C, 40000).at(1.3).flags("AP").seq(501).ack(101).content(server).to(t);
        int kexinit = OPENSSH.length() + 2;
        Pkt.tcp(C, 40000, S, 22).at(1.4).flags("AP").seq(101).ack(501 + server.length)
                .content(java.util.Arrays.copyOf(client, kexinit)).to(t);
        Pkt.tcp(S, 22, C, 40000).at(1.5).flags("A").seq(501 + server.length).ack(101 + 2000).to(t);
        Pkt.tcp(C, 40000, S, 22).at(1.6).flags("AP").seq(101 + 2000).ack(501 + server.length)
                .content(java.util.Arrays.copyOfRange(client, 2000, client.length)).to(t);
        assertEquals("", service(t), "gap");
    }

    @Test
    void theCorpusSshLoginsAreSsh() throws java.io.IOException {
        // Real OpenSSH logins (Zeek's tests read both traces with -C): every connection through its key exchange.
        String bruteForce = "zeek/scripts.policy.protocols.ssh.detect-bruteforcing/traces/ssh/sshguess.pcap";
        List<Session> guesses = Runs.run(bruteForce, true, Cases.FULL);
        assertEquals(11, guesses.stream().filter(x -> x.service().equals("ssh")).count(), guesses.toString());
        List<Session> dups = Runs.run("zeek/core.tcp.tcp-dups/traces/tcp/ssh-dups.pcap", true, Cases.FULL);
        assertEquals(List.of("ssh"), dups.stream().filter(x -> x.respPort() == 22).map(Session::service).toList());
    }

    @Test
    void bareModeHasNoSshAnalyzer() {
        FlowTable t = table(true);
        twoWay(t, 22, sshClient(OPENSSH), sshServer("", "SSH-2.0-OpenSSH_9.2"), 1460, null);
        assertEquals("", service(t));
    }
}
