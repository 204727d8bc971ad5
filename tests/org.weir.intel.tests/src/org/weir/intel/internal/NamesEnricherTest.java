package org.weir.intel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.weir.core.IpAddress;
import org.weir.core.PacketView;
import org.weir.core.Session;

/** The names enricher's pieces on hand-built input: public suffixes, DNS/TLS/HTTP parsing, caches, allocation. */
class NamesEnricherTest {

    private static final PublicSuffixes PSL = PublicSuffixes.bundled();

    @Test
    void registeredDomainsFollowThePublicSuffixList() {
        assertEquals("example.co.uk", PSL.registeredDomain("www.example.co.uk"));
        assertEquals("example.com", PSL.registeredDomain("a.b.example.com"));
        assertEquals("example.com", PSL.registeredDomain("Example.COM."));
        assertNull(PSL.registeredDomain("co.uk"), "a public suffix has no registrable part");
        // wildcard *.ck and its exception !www.ck
        assertEquals("foo.bar.ck", PSL.registeredDomain("x.foo.bar.ck"));
        assertEquals("www.ck", PSL.registeredDomain("a.www.ck"));
        // private section
        assertEquals("someone.github.io", PSL.registeredDomain("www.someone.github.io"));
        // not in the list: the last label is the suffix
        assertEquals("gemini.local", PSL.registeredDomain("gemini.local"));
        assertNull(PSL.registeredDomain(""));
    }

    @Test
    void rulesAreMatchedInLowerCaseAsciiForm() throws java.io.IOException {
        java.nio.file.Path list = java.nio.file.Files.createTempFile("psl", ".dat");
        try {
            // an ASCII rule in capitals, a Unicode one (held as punycode), an exception to a wildcard in capitals
            java.nio.file.Files.writeString(list, "// test\nEXAMPLE.Test\n公司.cn\n*.Zone\n!Open.ZONE\n");
            PublicSuffixes p = PublicSuffixes.load(list);
            assertEquals(4, p.size());
            assertEquals("b.example.test", p.registeredDomain("a.b.Example.TEST"));
            assertNull(p.registeredDomain("example.test"));
            assertEquals("b.xn--55qx5d.cn", p.registeredDomain("a.b.xn--55qx5d.cn"));
            assertEquals("a.b.zone", p.registeredDomain("x.a.b.zone"));
            assertEquals("open.zone", p.registeredDomain("www.open.zone"));
        } finally {
            java.nio.file.Files.delete(list);
        }
    }

    // ---- DNS ---------------------------------------------------------------------------------------------------

    private static void w16(ByteArrayOutputStream b, int v) {
        b.write(v >> 8);
        b.write(v);
    }

    private static void name(ByteArrayOutputStream b, String n) {
        for (String l : n.split("\\.")) {
            b.write(l.length());
            b.writeBytes(l.getBytes(StandardCharsets.US_ASCII));
        }
        b.write(0);
    }

    /** Response to "A? www.example.com": CNAME (owner by pointer) to cdn.example.net, then two A records. */
    static byte[] cnameResponse() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        w16(b, 0x1234);
        w16(b, 0x8180);
        w16(b, 1);
        w16(b, 3);
        w16(b, 0);
        w16(b, 0);
        name(b, "www.Example.com"); // offset 12
        w16(b, 1);
        w16(b, 1);
        w16(b, 0xC00C);
        w16(b, 5);
        w16(b, 1);
        w16(b, 0);
        w16(b, 60);
        int cnameAt = b.size() + 2;
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        name(target, "cdn.example.net");
        w16(b, target.size());
        b.writeBytes(target.toByteArray());
        for (int last : new int[] { 1, 2 }) {
            w16(b, 0xC000 | cnameAt);
            w16(b, 1);
            w16(b, 1);
            w16(b, 0);
            w16(b, 60);
            w16(b, 4);
            b.writeBytes(new byte[] { (byte) 192, 0, 2, (byte) last });
        }
        return b.toByteArray();
    }

    private record Answer(String address, String name) {
    }

    private static List<Answer> answers(byte[] msg, boolean mdns) {
        List<Answer> out = new ArrayList<>();
        new NameParser().dnsAnswers(msg, 0, msg.length,
                (hi, lo, n, len) -> out.add(new Answer(IpAddress.toString(hi, lo),
                        new String(n, 0, len, StandardCharsets.US_ASCII))), mdns);
        return out;
    }

    @Test
    void dnsAnswersThroughACnameChainCarryTheNameAskedFor() {
        assertEquals(List.of(new Answer("192.0.2.1", "www.example.com"), new Answer("192.0.2.2", "www.example.com")),
                answers(cnameResponse(), false));
    }

    @Test
    void mdnsAnnouncementsNameAddressesByOwnerInEverySection() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        w16(b, 0);
        w16(b, 0x8400);
        w16(b, 0);
        w16(b, 0);
        w16(b, 0);
        w16(b, 1); // one additional record
        name(b, "printer.local");
        w16(b, 1);
        w16(b, 0x8001); // cache-flush bit
        w16(b, 0);
        w16(b, 120);
        w16(b, 4);
        b.writeBytes(new byte[] { 10, 0, 0, 7 });
        byte[] msg = b.toByteArray();
        assertEquals(List.of(new Answer("10.0.0.7", "printer.local")), answers(msg, true));
        assertEquals(List.of(), answers(msg, false), "unicast DNS reads the answer section only");
    }

    @Test
    void queriesErrorsLoopsAndTruncationYieldNothingAndNeverThrow() {
        byte[] ok = cnameResponse();
        byte[] query = ok.clone();
        query[2] = 0x01; // QR = 0
        assertEquals(List.of(), answers(query, false));
        byte[] nx = ok.clone();
        nx[3] = (byte) 0x83; // NXDOMAIN
        assertEquals(List.of(), answers(nx, false));
        byte[] loop = ok.clone();
        loop[12] = (byte) 0xC0; // the question's name points at itself
        loop[13] = 12;
        assertEquals(List.of(), answers(loop, false));
        for (int cut = 0; cut < ok.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(ok, cut);
            assertTrue(answers(part, false).size() <= 2);
        }
        Random r = new Random(7);
        NameParser p = new NameParser();
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = ok.clone();
            for (int k = 0; k < 4; k++) {
                junk[r.nextInt(junk.length)] = (byte) r.nextInt();
            }
            p.dnsAnswers(junk, 0, junk.length, (hi, lo, n, len) -> {
            }, r.nextBoolean());
            p.tlsServerName(junk, 0, junk.length);
            p.httpHost(junk, 0, junk.length);
        }
    }

    // ---- TLS and HTTP ------------------------------------------------------------------------------------------

    static byte[] clientHello(String host) {
        return clientHello(host, 0);
    }

    /** A ClientHello whose server_name follows a key share of {@code keyShareBytes} (none when 0). */
    static byte[] clientHello(String host, int keyShareBytes) {
        byte[] h = host.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        w16(ext, 0x000a); // supported_groups first
        w16(ext, 4);
        w16(ext, 2);
        w16(ext, 0x001d);
        if (keyShareBytes > 0) { // key_share: list length, then one entry (group, key length, key)
            w16(ext, 0x0033);
            w16(ext, keyShareBytes + 6);
            w16(ext, keyShareBytes + 4);
            w16(ext, 0x11ec);
            w16(ext, keyShareBytes);
            ext.writeBytes(new byte[keyShareBytes]);
        }
        w16(ext, 0); // server_name
        w16(ext, h.length + 5);
        w16(ext, h.length + 3);
        ext.write(0);
        w16(ext, h.length);
        ext.writeBytes(h);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        w16(body, 0x0303);
        body.writeBytes(new byte[32]);
        body.write(32);
        body.writeBytes(new byte[32]); // session id
        w16(body, 4);
        w16(body, 0x1301);
        w16(body, 0x1302);
        body.write(1);
        body.write(0);
        w16(body, ext.size());
        body.writeBytes(ext.toByteArray());
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.write(0x16);
        w16(rec, 0x0301);
        w16(rec, body.size() + 4);
        rec.write(1);
        rec.write(0);
        w16(rec, body.size());
        rec.writeBytes(body.toByteArray());
        return rec.toByteArray();
    }

    @Test
    void tlsServerNameAndHttpHost() {
        NameParser p = new NameParser();
        byte[] hello = clientHello("Mail.Example.org");
        assertTrue(p.tlsServerName(hello, 0, hello.length));
        assertEquals("mail.example.org", new String(p.name, 0, p.nameLength, StandardCharsets.US_ASCII));
        assertFalse(p.tlsServerName(hello, 0, hello.length - 3), "the name is cut by the capture");
        byte[] serverHello = hello.clone();
        serverHello[5] = 2;
        assertFalse(p.tlsServerName(serverHello, 0, serverHello.length));

        byte[] get = "GET /x HTTP/1.1\r\nAccept: */*\r\nhOST:  www.Example.com:8080\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(NameParser.HOST, p.httpHost(get, 0, get.length));
        assertEquals("www.example.com", new String(p.name, 0, p.nameLength, StandardCharsets.US_ASCII));
        byte[] literal = "GET / HTTP/1.1\r\nHost: 10.1.2.3\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(NameParser.NO_HOST, p.httpHost(literal, 0, literal.length));
        byte[] response = "HTTP/1.1 200 OK\r\nHost: x.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(NameParser.NO_HOST, p.httpHost(response, 0, response.length));
        byte[] body = "POST /f HTTP/1.1\r\nContent-Length: 9\r\n\r\nHost: no.example".getBytes(StandardCharsets.US_ASCII);
        assertEquals(NameParser.NO_HOST, p.httpHost(body, 0, body.length), "only headers count");
        byte[] smtp = "EHLO mail.example\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(NameParser.NO_HOST, p.httpHost(smtp, 0, smtp.length), "a command is no request line");
        byte[] binary = "ABC \u0001\u0002".getBytes(StandardCharsets.US_ASCII);
        assertEquals(NameParser.NO_HOST, p.httpHost(binary, 0, binary.length));
        byte[] damaged = "GET / HTTP-1.1\r\nHost: damaged.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(NameParser.HOST, p.httpHost(damaged, 0, damaged.length), "a damaged request's Host counts");
        assertEquals(NameParser.NO_HOST, p.httpHost(damaged, 0, 20), "but its head is not gathered");
        assertEquals(NameParser.MORE, p.httpHost(get, 0, 10), "the request line goes on");
        assertEquals(NameParser.MORE, p.httpHost(get, 0, 30), "the headers go on");
        assertEquals(NameParser.MORE, p.httpHost(get, 0, 45), "the Host value goes on");
    }

    /** A client segment of flow 10.0.0.1:50000 → 10.0.0.2:443 (or another client port) at a sequence number. */
    private static PacketView segment(int clientPort, long seq, byte[] payload, int from, int to) {
        PacketView v = new PacketView();
        v.data = java.util.Arrays.copyOfRange(payload, from, to);
        v.ipVersion = 4;
        v.protocol = 6;
        v.srcLo = IpAddress.v4Lo(0x0A000001);
        v.dstLo = IpAddress.v4Lo(0x0A000002);
        v.srcPort = clientPort;
        v.dstPort = 443;
        v.tcpSeq = seq;
        v.payloadOffset = 0;
        v.payloadLength = to - from;
        v.payloadCapturedLength = to - from;
        return v;
    }

    private static String flowName(NamesEnricher.NamesRun run, int clientPort) {
        int slot = run.flows.find(0, IpAddress.v4Lo(0x0A000001), clientPort, 0, IpAddress.v4Lo(0x0A000002), 443);
        return slot < 0 ? null : run.flows.name(slot);
    }

    @Test
    void aServerNameInALaterSegmentIsFound() {
        byte[] hello = clientHello("Late.Example.org", 1568); // an ML-KEM-1024 key share before the name
        assertFalse(new NameParser().tlsServerName(hello, 0, 1448), "the name is not in the first segment");
        int seq = 1001;
        NamesEnricher.NamesRun run = (NamesEnricher.NamesRun) new NamesEnricher().start();
        run.onPacket(segment(50000, seq, hello, 0, 1448));
        run.onPacket(segment(50001, 7, new byte[100], 0, 100)); // another flow's data in between
        run.onPacket(segment(50000, seq, hello, 0, 1448)); // a retransmission changes nothing
        run.onPacket(segment(50000, seq + 1448, hello, 1448, hello.length));
        assertEquals("late.example.org", flowName(run, 50000));
        assertEquals(0, run.split.pending());

        // In three segments, the last one first: the gathering ends at the segment that skips ahead.
        run = (NamesEnricher.NamesRun) new NamesEnricher().start();
        run.onPacket(segment(50000, seq, hello, 0, 700));
        run.onPacket(segment(50000, seq + 1400, hello, 1400, hello.length));
        run.onPacket(segment(50000, seq + 700, hello, 700, 1400));
        assertNull(flowName(run, 50000));
        assertEquals(0, run.split.pending());

        // A first segment cut by the capture's snap length: nothing to gather.
        run = (NamesEnricher.NamesRun) new NamesEnricher().start();
        PacketView cut = segment(50000, seq, hello, 0, 96);
        cut.payloadLength = 1448;
        run.onPacket(cut);
        assertEquals(0, run.split.pending());
    }

    /** A request whose Host header follows {@code padding} bytes of cookie. */
    private static byte[] requestWithCookie(String host, int padding) {
        return ("GET /index.html HTTP/1.1\r\nUser-Agent: curl/7.88.1\r\nCookie: id=" + "x".repeat(padding)
                + "\r\nHost: " + host + "\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aHostHeaderInALaterSegmentIsFound() {
        byte[] request = requestWithCookie("Cookies.Example.net", 3000);
        assertEquals(NameParser.MORE, new NameParser().httpHost(request, 0, 1448));
        int seq = 1;
        NamesEnricher.NamesRun run = (NamesEnricher.NamesRun) new NamesEnricher().start();
        run.onPacket(segment(50000, seq, request, 0, 1448));
        run.onPacket(segment(50000, seq, request, 0, 1448)); // a retransmission changes nothing
        run.onPacket(segment(50000, seq + 1448, request, 1448, 2896));
        assertNull(flowName(run, 50000), "Host is in the third segment");
        assertEquals(1, run.split.pending());
        run.onPacket(segment(50000, seq + 2896, request, 2896, request.length));
        assertEquals("cookies.example.net", flowName(run, 50000));
        assertEquals(0, run.split.pending());

        // A head that ends without a Host, in two segments: nothing, and nothing left waiting.
        byte[] noHost = ("GET / HTTP/1.0\r\nCookie: " + "y".repeat(2000) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        run.onPacket(segment(50001, seq, noHost, 0, 1448));
        assertEquals(1, run.split.pending());
        run.onPacket(segment(50001, seq + 1448, noHost, 1448, noHost.length));
        assertNull(flowName(run, 50001));
        assertEquals(0, run.split.pending());

        // A line protocol's command and a request whose first segment holds its Host start no gathering.
        byte[] ehlo = "EHLO client.example\r\n".getBytes(StandardCharsets.US_ASCII);
        run.onPacket(segment(50002, seq, ehlo, 0, ehlo.length));
        byte[] plain = requestWithCookie("plain.example.net", 10);
        run.onPacket(segment(50003, seq, plain, 0, plain.length));
        assertEquals("plain.example.net", flowName(run, 50003));
        assertEquals(0, run.split.pending());

        // A head longer than a TLS record's worth of bytes is given up.
        byte[] huge = requestWithCookie("huge.example.net", SplitMessages.MAX_LENGTH);
        for (int at = 0; at < huge.length; at += 1448) {
            run.onPacket(segment(50004, seq + at, huge, at, Math.min(huge.length, at + 1448)));
        }
        assertNull(flowName(run, 50004));
        assertEquals(0, run.split.pending());
    }

    /** A QUIC session whose table read this server name (or none). */
    private static Session quicSession(String serverName) {
        return new Session() {
            {
                ipProtocol = 17;
                origLo = IpAddress.v4Lo(0x0A000001);
                respLo = IpAddress.v4Lo(0x0A000002);
                origPort = 50000;
                respPort = 443;
            }

            @Override
            public String serverName() {
                return serverName;
            }
        };
    }

    @Test
    void aServerNameTheSessionTableReadNamesTheResponder() {
        NamesEnricher.NamesRun run = (NamesEnricher.NamesRun) new NamesEnricher().start();
        Session s = quicSession("Www.Example.CO.uk");
        run.name(s, true);
        assertEquals("www.example.co.uk", s.respInfo().domain());
        assertEquals("example.co.uk", s.respInfo().registeredDomain());
        assertEquals(NamesEnricher.SNI, s.respInfo().nameSource());
        // It replaces a name the address had from DNS, not one of its own kind.
        s = quicSession("video.example.net");
        s.setRespInfo(s.respInfo().withName("cdn.example.org", "example.org", NamesEnricher.DNS));
        run.name(s, true);
        assertEquals("video.example.net", s.respInfo().domain());
        // A name that is no host name (an address literal with a port, control bytes) names nothing.
        for (String bad : new String[] {"10.0.0.2:443", "bad\u0001name"}) {
            s = quicSession(bad);
            s.setRespInfo(s.respInfo().withName("cdn.example.org", "example.org", NamesEnricher.DNS));
            run.name(s, true);
            assertEquals("cdn.example.org", s.respInfo().domain(), bad);
        }
    }

    @Test
    void aServerNameSentAfterTheSessionOpenedReplacesItsAddresssName() {
        // The session opened (its SYN) in one batch and was named by its address; its ClientHello came in the next.
        NamesEnricher.NamesRun run = (NamesEnricher.NamesRun) new NamesEnricher().start();
        Session s = new Session() {
            {
                ipProtocol = 6;
                origLo = IpAddress.v4Lo(0x0A000001);
                respLo = IpAddress.v4Lo(0x0A000002);
                origPort = 50000;
                respPort = 443;
            }
        };
        s.setRespInfo(s.respInfo().withName("edge.cdn.example", "cdn.example", NamesEnricher.DNS));
        byte[] hello = clientHello("Shop.Example.org");
        run.onPacket(segment(50000, 1, hello, 0, hello.length));
        run.name(s, true);
        assertEquals("shop.example.org", s.respInfo().domain());
        assertEquals(NamesEnricher.SNI, s.respInfo().nameSource());
        run.flows.put(0, IpAddress.v4Lo(0x0A000001), 50000, 0, IpAddress.v4Lo(0x0A000002), 443, "other.example",
                "other.example", NamesEnricher.HTTP);
        run.name(s, true);
        assertEquals("shop.example.org", s.respInfo().domain(), "a name of its own stays");
    }

    @Test
    void aDnsAnswerOverTcpLongerThanItsSegmentNamesItsAddresses() {
        byte[] msg = cnameResponse();
        byte[] framed = new byte[2 + msg.length];
        framed[0] = (byte) (msg.length >> 8);
        framed[1] = (byte) msg.length;
        System.arraycopy(msg, 0, framed, 2, msg.length);
        int cut = framed.length / 2;
        NamesEnricher.NamesRun run = (NamesEnricher.NamesRun) new NamesEnricher().start();
        PacketView first = segment(50000, 501, framed, 0, cut);
        first.srcPort = 53; // from the server
        first.dstPort = 50000;
        run.onPacket(first);
        assertEquals(0, run.addresses.size(), "nothing until the message is complete");
        PacketView second = segment(50000, 501 + cut, framed, cut, framed.length);
        second.srcPort = 53;
        second.dstPort = 50000;
        run.onPacket(second);
        assertEquals(2, run.addresses.size());
        int slot = run.addresses.lookup(0, IpAddress.v4Lo(0xC0000201), Long.MAX_VALUE); // 192.0.2.1
        assertTrue(slot >= 0);
        assertEquals("www.example.com", run.addresses.name(slot));
    }

    // ---- caches ----------------------------------------------------------------------------------------------

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void addressCacheIsBoundedAndKeepsTheNameThatPrecededASession() {
        NameCache c = new NameCache(64, PSL::registeredDomain);
        assertEquals(64, c.capacity());
        for (int i = 0; i < 10_000; i++) {
            byte[] n = ascii("host" + i + ".example");
            c.put(0, IpAddress.v4Lo(i), n, n.length, i, "dns");
        }
        assertTrue(c.size() <= 64, "bounded: " + c.size());
        // A recently used address survives; an old one was replaced.
        int slot = c.lookup(0, IpAddress.v4Lo(9_999), Long.MAX_VALUE);
        assertEquals("host9999.example", c.name(slot));
        assertEquals(-1, c.lookup(0, IpAddress.v4Lo(0), Long.MAX_VALUE));

        NameCache t = new NameCache(16, PSL::registeredDomain);
        byte[] a = ascii("first.example"), b = ascii("second.example");
        t.put(0, 1, a, a.length, 100, "dns");
        t.put(0, 1, a, a.length, 150, "dns"); // same name again: first-seen time stays
        t.put(0, 1, b, b.length, 200, "dns");
        assertEquals("first.example", t.name(t.lookup(0, 1, 120)));
        assertEquals("second.example", t.name(t.lookup(0, 1, 250)));
        assertEquals("second.example", t.name(t.lookup(0, 1, 50)), "before any answer: the latest name");
        assertEquals("first.example", t.registered(t.lookup(0, 1, 120)), "registered part of an unlisted suffix");
    }

    @Test
    void packetPathAllocatesNothingOnceANameIsKnown() throws Exception {
        NamesEnricher.NamesRun run = (NamesEnricher.NamesRun) new NamesEnricher().start();
        byte[] msg = cnameResponse();
        byte[] frame = new byte[100 + msg.length];
        System.arraycopy(msg, 0, frame, 100, msg.length);
        PacketView p = new PacketView();
        p.data = frame;
        p.ipVersion = 4;
        p.protocol = 17;
        p.srcPort = 53;
        p.dstPort = 40000;
        p.payloadOffset = 100;
        p.payloadCapturedLength = msg.length;
        byte[] hello = clientHello("api.example.com");
        PacketView t = new PacketView();
        t.data = hello;
        t.ipVersion = 4;
        t.protocol = 6;
        t.srcPort = 50000;
        t.dstPort = 443;
        t.srcLo = IpAddress.v4Lo(1);
        t.dstLo = IpAddress.v4Lo(2);
        t.payloadOffset = 0;
        t.payloadCapturedLength = hello.length;
        byte[] data = new byte[1400]; // a bulk data segment: neither TLS nor HTTP
        PacketView bulk = new PacketView();
        bulk.data = data;
        bulk.ipVersion = 4;
        bulk.protocol = 6;
        bulk.payloadCapturedLength = data.length;
        for (int i = 0; i < 20_000; i++) { // warm up (and learn the names once)
            p.timestampNanos = i;
            run.onPacket(p);
            run.onPacket(t);
            run.onPacket(bulk);
        }
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        @SuppressWarnings("deprecation")
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 200_000; i++) {
            p.timestampNanos = i;
            run.onPacket(p);
            run.onPacket(t);
            run.onPacket(bulk);
        }
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 64 * 1024, "600k packets allocated " + allocated + " bytes");
        assertEquals(2, run.addresses.size());
        assertEquals(1, run.flows.size());
    }
}
