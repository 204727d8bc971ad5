package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;

/**
 * Zeek's HTTP analysis of a client's requests, for the MIME limits a request body reaches (as in Zeek's
 * {@code deeply-nested-mime} test: a POST whose parts nest past {@code MIME::max_depth}, {@code X} in the history).
 */
class HttpRequestsTest {

    private final ServiceTables tables = new ServiceTables();
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    /** A POST whose body is multipart entities nested {@code levels} deep. */
    private static String nestedPost(int levels) {
        return "POST /upload HTTP/1.1\r\nHost: example.org\r\n" + MimeEntitiesTest.nestedMultiparts(levels);
    }

    /** The client sends {@code request} in segments of {@code mss} bytes, then the server answers. */
    private Session exchange(int port, String request, int mss, String reply) {
        FlowTable t = tables.table(false);
        TcpDialog s = new TcpDialog(t, port, true);
        byte[] b = request.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i += mss) {
            s.client(Arrays.copyOfRange(b, i, Math.min(b.length, i + mss)));
        }
        s.server(reply);
        return tables.closeOne(t);
    }

    @Test
    void aRequestBodyNestedPastMaxDepthMarksX() {
        Session deep = exchange(80, nestedPost(MimeEntities.MAX_DEPTH + 1), 1448, OK);
        assertEquals("http", deep.service());
        assertEquals("ShADXd", deep.history());
        assertEquals("ShADd", exchange(80, nestedPost(MimeEntities.MAX_DEPTH), 1448, OK).history());
        // Lines split anywhere across segments, the request line too: on the port Zeek's analyzer reads it whole and
        // confirms (a first segment with no line end and nothing but printable bytes is read on).
        for (int mss : new int[] {1, 5, 7}) {
            Session s = exchange(80, nestedPost(MimeEntities.MAX_DEPTH + 1), mss, OK);
            assertEquals("ShADXd", s.history(), "segments of " + mss);
            assertEquals("http", s.service());
        }
        assertEquals("", exchange(80, "POST/a HTTP/1.1\r\n\r\n", 4, OK).service());
        assertEquals("", exchange(80, "POST \r\n\r\n", 1, OK).service());
    }

    @Test
    void theLineScanFindsTheFirstCrOrLf() {
        java.util.Random r = new java.util.Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] d = new byte[r.nextInt(40)];
            for (int k = 0; k < d.length; k++) {
                int pick = r.nextInt(12);
                d[k] = (byte) (pick == 0 ? '\r' : pick == 1 ? '\n' : pick == 2 ? 0x0B : pick == 3 ? 0x8D
                        : r.nextInt(256)); // CR, LF, bytes one bit from them, anything
            }
            int from = d.length == 0 ? 0 : r.nextInt(d.length), to = from + r.nextInt(d.length - from + 1);
            int expected = from;
            while (expected < to && d[expected] != '\r' && d[expected] != '\n') {
                expected++;
            }
            assertEquals(expected, HttpRequests.endOfLine(d, from, to), Arrays.toString(d) + " " + from + " " + to);
        }
    }

    @Test
    void mangledRequestsNeverBreakTheTable() {
        // Well-formed requests cut, repeated and corrupted at random, in random segments: whatever the follower
        // makes of them, the session comes out (no exception), and a nested POST left intact still counts.
        String[] pieces = {nestedPost(3), "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nT: x\r\n\r\n",
            "POST /l HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody", "X-Folded: a\r\n b\r\n\tc\r\n",
            "Content-Type: message/rfc822\r\n\r\n",
            // a quoted boundary with a quoted pair and a parenthesis in it, then its first part
            "Content-Type: multipart/mixed; boundary=\"q\\\"(\"\r\n\r\n--q\"(\r\n",
            "Content-Length: 99999999999999999999\r\n", "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
            "\r\n", "\n\r", "\u0000", "(((", "--", ";", "\""};
        java.util.Random r = new java.util.Random(11);
        for (int round = 0; round < 400; round++) {
            StringBuilder b = new StringBuilder("POST /upload HTTP/1.1\r\n");
            for (int k = r.nextInt(12); k > 0; k--) {
                String piece = pieces[r.nextInt(pieces.length)];
                b.append(piece, 0, r.nextInt(4) == 0 ? r.nextInt(piece.length() + 1) : piece.length());
            }
            byte[] bytes = b.toString().getBytes(StandardCharsets.ISO_8859_1);
            for (int k = r.nextInt(3); k > 0 && bytes.length > 0; k--) {
                bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
            }
            String request = new String(bytes, StandardCharsets.ISO_8859_1);
            Session s = exchange(80, request, 1 + r.nextInt(300), OK);
            assertTrue(s.history().startsWith("ShAD"), s.history());
        }
        assertEquals("ShADXd", exchange(80, nestedPost(MimeEntities.MAX_DEPTH + 1) + "\u0000\r\n\r\r", 5, OK)
                .history());
    }

    @Test
    void requestsFollowOneAnotherByTheirFraming() {
        String nested = MimeEntitiesTest.nestedMultiparts(MimeEntities.MAX_DEPTH + 1);
        // A body of declared length is taken whole, whatever it looks like; the next request is read after it.
        String opaque = "POST /a HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: " + nested.length()
                + "\r\n\r\n" + nested;
        assertEquals("ShADd", exchange(80, opaque, 1448, OK).history());
        assertEquals("ShADXd", exchange(80, opaque + nestedPost(MimeEntities.MAX_DEPTH + 1), 1448, OK).history());
        // So is a chunked one, and a GET without a body.
        String chunked = "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(nested.length())
                + "\r\n" + nested + "\r\n0\r\n\r\n";
        assertEquals("ShADXd", exchange(80, "GET / HTTP/1.1\r\n\r\n" + chunked + nestedPost(101), 1448, OK)
                .history());
        // After a line that is no request line, Zeek's analyzer reads nothing more.
        assertEquals("ShADd", exchange(80, "GET / HTTP/1.1\r\n\r\n<html>\r\n" + nestedPost(101), 1448, OK)
                .history());
    }

    @Test
    void aLaterLineThatIsNoRequestLineTakesTheServiceBack() {
        // Zeek's "not a http request line": in the connection's first 10 KiB DPD removes the analyzer.
        FlowTable t = tables.table(false);
        new TcpDialog(t, 80, true).client("GET / HTTP/1.1\r\n\r\n").server(OK).client("<html>\r\n");
        assertEquals("", tables.closeOne(t).service());
        // A body that no length announces is read as the next request line, as Zeek reads it.
        t = tables.table(false);
        new TcpDialog(t, 80, true).client("POST /f HTTP/1.1\r\n\r\n{\"a\": 1}\r\n").server(OK);
        assertEquals("", tables.closeOne(t).service());
        // After a CONNECT and its 200, what the client sends is the tunnel's, not requests; after a request to
        // upgrade the protocol that the server does not answer with a 101, it is requests again.
        byte[] hello = {0x16, 0x03, 0x01, 0x00, 0x0A, 0x01, 0x00, 0x00, 0x06, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00};
        String[][] switches = {{"CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n", "http"},
            {"GET /chat HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", ""}};
        for (String[] switching : switches) {
            t = tables.table(false);
            new TcpDialog(t, 80, true).client(switching[0]).server("HTTP/1.1 200 OK\r\n\r\n").client(hello);
            assertEquals(switching[1], tables.closeOne(t).service(), switching[0]);
        }
        // Later, the violation is ignored; well-formed requests one after another are none.
        t = tables.table(false);
        new TcpDialog(t, 80, true).client("GET / HTTP/1.1\r\n\r\n").server(OK.replace("Length: 0",
                "Length: 12000") + "x".repeat(12_000)).client("<html>\r\n");
        assertEquals("http", tables.closeOne(t).service());
        t = tables.table(false);
        new TcpDialog(t, 80, true).client("GET /a HTTP/1.1\r\n\r\n\r\nHEAD /b HTTP/1.0\r\nX: y\r\n\r\n"
                + "POST /c HTTP/1.1\r\nContent-Length: 5\r\n\r\n<html").server(OK).client("GET /d HTTP/1.1\r\n\r\n");
        assertEquals("http", tables.closeOne(t).service());
    }

    @Test
    void withoutKeepAliveALineThatIsNoRequestLineIsNoViolation() {
        // Zeek's RequestExpected: after a request of HTTP/1.0 without keep-alive, a line that is no request line is
        // "crud" (no violation), and the lines after it are tried as requests again.
        String form = "POST /gate.php HTTP/1.0\r\nHost: c2.example\r\n\r\nid=1&os=win10\r\n";
        FlowTable t = tables.table(false);
        new TcpDialog(t, 80, true).client(form).server("HTTP/1.0 200 OK\r\n\r\nok");
        assertEquals("http", tables.closeOne(t).service());
        t = tables.table(false);
        new TcpDialog(t, 80, true).client(form + nestedPost(MimeEntities.MAX_DEPTH + 1).replace("HTTP/1.1",
                "HTTP/1.0")).server("HTTP/1.0 200 OK\r\n\r\n");
        Session s = tables.closeOne(t);
        assertEquals("http", s.service());
        assertEquals("ShADXd", s.history(), "the request after the crud is read");
        // HTTP/1.1 on the request line, Connection: keep-alive, or a reply line of HTTP/1.1 read before the line:
        // a violation, which takes http back in the first 10 KiB.
        for (String[] dialog : new String[][] {{form.replace("HTTP/1.0", "HTTP/1.1"), "HTTP/1.0 200 OK\r\n\r\n"},
            {form.replace("Host", "Connection: Keep-Alive\r\nHost"), "HTTP/1.0 200 OK\r\n\r\n"},
            {form.replace("id=1&os=win10\r\n", ""), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                "id=1&os=win10\r\n"}}) {
            t = tables.table(false);
            TcpDialog d = new TcpDialog(t, 80, true).client(dialog[0]).server(dialog[1]);
            if (dialog.length > 2) {
                d.client(dialog[2]);
            }
            assertEquals("", tables.closeOne(t).service(), dialog[0]);
        }
        // A body of Content-Length bytes begins after the CRLF that ends the header (Zeek compresses the CRLF before
        // it hands bytes over whole), so the next request follows right after it, and a FIN after it ends no line.
        t = tables.table(false);
        new TcpDialog(t, 80, true).client("POST /c HTTP/1.1\r\nContent-Length: 6\r\n\r\n<html>GET /d HTTP/1.1\r\n\r\n")
                .server(OK);
        assertEquals("http", tables.closeOne(t).service());
        t = tables.table(false);
        TcpDialog f = new TcpDialog(t, 80, true).client("POST /c HTTP/1.1\r\nContent-Length: 6\r\n\r\n")
                .client("<html>");
        Pkt.tcp(TcpDialog.CLIENT, 40000, TcpDialog.SERVER, 80).at(f.at += 0.01).flags("AF").seq(f.clientSeq)
                .ack(f.serverSeq).to(t);
        f.server(OK);
        assertEquals("http", tables.closeOne(t).service());
        // A line that the client's stream does not end is handed over when the stream ends with its FIN (Zeek's
        // line reader at EndpointEOF): the violation comes then.
        t = tables.table(false);
        TcpDialog d = new TcpDialog(t, 80, true).client("POST /f HTTP/1.1\r\n\r\n").server(OK).client("id=1&os=win");
        assertEquals("http", tables.closeOne(t).service(), "no FIN: the line never ended");
        t = tables.table(false);
        d = new TcpDialog(t, 80, true).client("POST /f HTTP/1.1\r\n\r\n").server(OK).client("id=1&os=win");
        Pkt.tcp(TcpDialog.CLIENT, 40000, TcpDialog.SERVER, 80).at(d.at += 0.01).flags("AF").seq(d.clientSeq)
                .ack(d.serverSeq).to(t);
        assertEquals("", tables.closeOne(t).service(), "the FIN ends the line");
        // The client's Connection: close changes nothing (Zeek reads the reply's): a body without length is read
        // as request lines.
        t = tables.table(false);
        new TcpDialog(t, 80, true).client("POST /f HTTP/1.1\r\nConnection: close\r\n\r\nid=1&os=win10\r\n")
                .server(OK);
        assertEquals("", tables.closeOne(t).service());
    }

    @Test
    void elsewhereTheLimitCountsOnceDpdAttachedTheAnalyzer() {
        // On a port Zeek's HTTP analyzer is not registered for, both DPD signatures attach it: the client's POST,
        // then the server's reply while DPD still buffers (the client's first KiB).
        String head = "POST /upload HTTP/1.1\r\nHost: example.org\r\n";
        String body = MimeEntitiesTest.nestedMultiparts(MimeEntities.MAX_DEPTH + 1);
        for (String reply : new String[] {"HTTP/1.1 100 Continue\r\n\r\n", "SSH-2.0-x\r\n"}) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, 9000, true).client(head).server(reply).client(body);
            assertEquals(reply.startsWith("HTTP") ? "ShADdX" : "ShADd", tables.closeOne(t).history(), reply);
        }
        // On port 80 a refused first reply line removes the analyzer (in the first 10 KiB) before it goes on.
        FlowTable t = tables.table(false);
        new TcpDialog(t, 80, true).client(head).server("garbage\r\n").client(body);
        Session s = tables.closeOne(t);
        assertEquals("", s.service());
        assertFalse(s.history().contains("X"), s.history());
        t = tables.table(false);
        new TcpDialog(t, 80, true).client(head).server(OK).client(body);
        assertTrue(tables.closeOne(t).history().contains("X"));
    }
}
