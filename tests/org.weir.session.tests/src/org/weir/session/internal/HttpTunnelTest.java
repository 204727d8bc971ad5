package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Zeek's HTTP analyzer after a CONNECT: once a 200 answers it, DPD runs on the tunnel's bytes, so TLS through a proxy
 * gives {@code http,ssl} (as Zeek's {@code http-connect-with-header} baseline has it, in confirmation order).
 */
class HttpTunnelTest {

    private static final String CONNECT = "CONNECT www.example.com:443 HTTP/1.1\r\nHost: www.example.com:443\r\n"
            + "User-Agent: curl/7.88.1\r\nProxy-Connection: Keep-Alive\r\n\r\n";
    private static final String ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n";

    private static TlsFlights tls, longHello;
    private final ServiceTables tables = new ServiceTables();

    @BeforeAll
    static void handshakes() throws Exception {
        tls = TlsFlights.handshake("TLSv1.3", 0);
        longHello = TlsFlights.handshake("TLSv1.2", 30); // a ClientHello past DPD's 1,024 bytes
    }

    private String service(FlowTable t) {
        return tables.closeOne(t).service();
    }

    @Test
    void tlsThroughAProxyIsHttpAndSsl() {
        for (int port : new int[] {3128, 8080, 80}) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, port, true).client(CONNECT).server(ESTABLISHED).client(tls.client).server(tls.server);
            assertEquals("http,ssl", service(t), "port " + port);
        }
        // A proxy of HTTP/1.0, a client of HTTP/1.0, headers in the reply, the method in lower case.
        FlowTable t = tables.table(false);
        new TcpDialog(t, 3128, true).client("connect 10.0.0.3:8443 HTTP/1.0\r\n\r\n")
                .server("HTTP/1.0 200 Connection established\r\nProxy-agent: tinyproxy/1.11.1\r\n\r\n")
                .client(tls.client).server(tls.server);
        assertEquals("http,ssl", service(t));
        // The request and the reply in one-byte segments (but the reply's last CRLF), the hello in seven-byte ones.
        t = tables.table(false);
        TcpDialog s = new TcpDialog(t, 3128, true);
        for (byte b : CONNECT.getBytes(StandardCharsets.ISO_8859_1)) {
            s.client(new byte[] {b});
        }
        for (byte b : ESTABLISHED.substring(0, ESTABLISHED.length() - 2).getBytes(StandardCharsets.ISO_8859_1)) {
            s.server(new byte[] {b});
        }
        s.server("\r\n");
        for (int i = 0; i < tls.client.length; i += 7) {
            s.client(Arrays.copyOfRange(tls.client, i, Math.min(tls.client.length, i + 7)));
        }
        s.server(tls.server);
        assertEquals("http,ssl", service(t));
    }

    @Test
    void aRefusedConnectThenOneThatSucceedsOnTheSameConnection() {
        // A proxy's 407 with a body, then the client's CONNECT with credentials: the second 200 opens the tunnel.
        String refused = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\n"
                + "Content-Type: text/html\r\nContent-Length: 23\r\n\r\n<html>Denied\r\n</html>\r\n";
        FlowTable t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT).server(refused)
                .client(CONNECT.replace("\r\n\r\n", "\r\nProxy-Authorization: Basic dXNlcjpzZWNyZXQ=\r\n\r\n"))
                .server(ESTABLISHED).client(tls.client).server(tls.server);
        assertEquals("http,ssl", service(t));
        // Any code but 200 ends the CONNECT it answers (a 2xx of another code, a 100 before the 200), and so does a
        // refusal whose body runs to the stream's end: the client's hello is then read as a request, a violation that
        // takes http back.
        for (String reply : new String[] {"HTTP/1.1 204 No Content\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\n" + ESTABLISHED, "HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n"
                    + "denied" + ESTABLISHED}) {
            t = tables.table(false);
            new TcpDialog(t, 3128, true).client(CONNECT).server(reply).client(tls.client).server(tls.server);
            assertEquals("", service(t), reply);
        }
        // A refusal in chunks is not followed (where the replies go on is not known): neither are the requests.
        t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT).server("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n6\r\ndenied\r\n0\r\n\r\n").client(CONNECT).server(ESTABLISHED).client(tls.client)
                .server(tls.server);
        assertEquals("http", service(t));
        // A later reply line that is none is a violation: in the first 10 KiB http goes.
        t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT).server("HTTP/1.1 407 Auth\r\nContent-Length: 0\r\n\r\n")
                .client(CONNECT).server("SSH-2.0-x\r\n");
        assertEquals("", service(t));
    }

    @Test
    void whatDpdDoesNotFindInTheTunnel() {
        // No TLS from the client, no TLS from the server, or a ClientHello longer than DPD buffers before the server
        // answers: the tunnel adds nothing.
        byte[][][] sides = {{"SSH-2.0-OpenSSH_9.2\r\n".getBytes(), tls.server}, {tls.client, "220 mx ESMTP\r\n"
            .getBytes()}, {longHello.client, longHello.server}};
        for (byte[][] side : sides) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, 3128, true).client(CONNECT).server(ESTABLISHED).client(side[0]).server(side[1]);
            assertEquals("http", service(t));
        }
        // The same long hello on a connection of its own is SSL's: only the tunnel's DPD buffer refuses it.
        FlowTable t = tables.table(false);
        new TcpDialog(t, 443, true).client(longHello.client).server(longHello.server);
        assertEquals("ssl", service(t));
        // A hello cut by a content gap confirms nothing.
        t = tables.table(false);
        TcpDialog s = new TcpDialog(t, 3128, true).client(CONNECT).server(ESTABLISHED)
                .client(Arrays.copyOf(tls.client, 40));
        s.clientSeq += 20;
        s.client(Arrays.copyOfRange(tls.client, 60, tls.client.length)).serverAck().server(tls.server);
        assertEquals("http", service(t));
    }

    @Test
    void aClientThatDoesNotWaitForTheReplyLosesHttp() {
        // Zeek reads bytes before the 200 as requests: a ClientHello there is "not a http request line", and in the
        // first 10 KiB the DPD framework removes the analyzer; no tunnel follows.
        FlowTable t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT).client(tls.client).server(ESTABLISHED).server(tls.server);
        assertEquals("", service(t));
        // In the same segment as the request, too.
        byte[] both = Arrays.copyOf(CONNECT.getBytes(), CONNECT.length() + tls.client.length);
        System.arraycopy(tls.client, 0, both, CONNECT.length(), tls.client.length);
        t = tables.table(false);
        new TcpDialog(t, 3128, true).client(both).server(ESTABLISHED).server(tls.server);
        assertEquals("", service(t));
    }

    @Test
    void aConnectAfterOtherRequestsIsNotFollowed() {
        // Its reply would have to be found behind the earlier replies: the stream is not read past the CONNECT.
        FlowTable t = tables.table(false);
        new TcpDialog(t, 3128, true).client("GET http://example.org/ HTTP/1.1\r\nHost: example.org\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi").client(CONNECT).server(ESTABLISHED)
                .client(tls.client).server(tls.server);
        assertEquals("http", service(t));
        // Nor a CONNECT on a port Zeek's HTTP analyzer is not attached to (its DPD signatures want GET, HEAD, POST).
        t = tables.table(false);
        new TcpDialog(t, 9050, true).client(CONNECT).server(ESTABLISHED).client(tls.client).server(tls.server);
        assertEquals("", service(t));
    }
}
