package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Zeek's HTTP analyzer after a CONNECT: once a 200 answers it, DPD runs on the tunnel's bytes, so TLS through a proxy
 * gives {@code http,ssl} (Zeek's {@code http-connect-with-header} baseline, there in the hashed order of its time)
 * and SSH {@code http,ssh}; after a 101 that upgrades to WebSocket, Zeek's WebSocket analyzer confirms on a whole
 * message: {@code http,websocket}.
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
    void sshThroughAProxyIsHttpAndSshWithTheInteractiveTimeout() {
        // As OpenSSH's ProxyCommand sends it through a proxy: the server's version line, the client's, then the rest
        // of the key exchange from both sides; then ten idle minutes, which an interactive connection outlives.
        byte[] client = ServiceTest.sshClient("SSH-2.0-OpenSSH_9.2p1"), server = ServiceTest.sshServer("",
                "SSH-2.0-OpenSSH_9.2p1 Debian-2");
        int clientVersion = "SSH-2.0-OpenSSH_9.2p1\r\n".length(), serverVersion = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"
                .length();
        FlowTable t = tables.table(false);
        TcpDialog s = new TcpDialog(t, 3128, true).client(CONNECT.replace("443", "22")).server(ESTABLISHED)
                .server(Arrays.copyOf(server, serverVersion)).client(Arrays.copyOf(client, clientVersion))
                .server(Arrays.copyOfRange(server, serverVersion, server.length))
                .client(Arrays.copyOfRange(client, clientVersion, client.length));
        s.at += 600;
        s.client(new byte[48]);
        assertEquals("http,ssh", service(t));
        // Only one side speaking SSH: no service of its own.
        t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT).server(ESTABLISHED).server(server).client(tls.client);
        assertEquals("http", service(t));
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
        // A Content-Length that is no number is 0, as Zeek's HTTP entity takes it: the next reply is read.
        t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT).server("HTTP/1.1 407 Auth\r\nContent-Length: none\r\n\r\n")
                .client(CONNECT).server(ESTABLISHED).client(tls.client).server(tls.server);
        assertEquals("http,ssl", service(t));
        // A later reply line that is none is a violation: in the first 10 KiB http goes.
        t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT).server("HTTP/1.1 407 Auth\r\nContent-Length: 0\r\n\r\n")
                .client(CONNECT).server("SSH-2.0-x\r\n");
        assertEquals("", service(t));
    }

    @Test
    void lineProtocolsThroughAProxyAreHttpAndTheirs() {
        // Mail sent through an open proxy, as Zeek's http-connect case has it: the greeting and EHLO match in the tunnel.
        FlowTable t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT.replace("443", "25")).server(ESTABLISHED)
                .server("220 mx.example.com ESMTP\r\n").client("EHLO client.example\r\n").server("250 mx\r\n")
                .client("MAIL FROM:<a@example.com>\r\n").server("250 ok\r\n");
        assertEquals("http,smtp", service(t));
        t = tables.table(false);
        new TcpDialog(t, 8080, true).client(CONNECT.replace("443", "110")).server(ESTABLISHED)
                .server("+OK ready\r\n").client("USER alice\r\n").server("+OK\r\n");
        assertEquals("http,pop3", service(t));
        t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT.replace("443", "6667")).server(ESTABLISHED)
                .client("NICK alice\r\nUSER alice 0 * :Alice\r\n").server(":irc.example 001 alice :Welcome\r\n");
        assertEquals("http,irc", service(t));
        // DPD's buffer in the tunnel counts the tunnel's bytes: the CONNECT's own do not fill it.
        t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT.replace("\r\n\r\n", "\r\nX-Pad: " + "p".repeat(1100)
                + "\r\n\r\n").replace("443", "25")).server(ESTABLISHED).server("220 mx ESMTP\r\n")
                .client("HELO c\r\n").server("250 mx\r\n");
        assertEquals("http,smtp", service(t));
        // A greeting after more than DPD's buffer of the client's tunnel bytes is not matched.
        t = tables.table(false);
        new TcpDialog(t, 3128, true).client(CONNECT.replace("443", "25")).server(ESTABLISHED)
                .client("x".repeat(1100)).server("220 mx ESMTP\r\n").client("EHLO c\r\n").server("250 mx\r\n");
        assertEquals("http", service(t));
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

    private static final String UPGRADE = "GET /chat HTTP/1.1\r\nHost: example.org\r\nConnection: Upgrade\r\n"
            + "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    private static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

    /** A WebSocket frame: FIN or not, an opcode, a payload (its length in 7, 16 or 64 bits), masked or not. */
    private static byte[] frame(boolean fin, int opcode, int length, boolean masked) {
        int ext = length < 126 ? 0 : length < 65536 ? 2 : 8;
        byte[] f = new byte[2 + ext + (masked ? 4 : 0) + length];
        f[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        f[1] = (byte) ((masked ? 0x80 : 0) | (ext == 0 ? length : ext == 2 ? 126 : 127));
        for (int k = 0; k < ext; k++) {
            f[2 + k] = (byte) ((long) length >>> (8 * (ext - 1 - k)));
        }
        for (int k = 2 + ext; k < f.length; k++) {
            f[k] = (byte) ('a' + k % 26);
        }
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        return org.weir.testsupport.Bytes.concat(parts);
    }

    @Test
    void anUpgradeToWebSocketIsHttpAndWebsocket() {
        // A masked text message from the client, an unmasked answer; or only the server's: the first whole message
        // confirms.
        for (byte[][] frames : new byte[][][] {{frame(true, 1, 5, true), frame(true, 1, 5, false)},
            {new byte[0], frame(true, 2, 300, false)}, {frame(true, 9, 0, true), new byte[0]}}) {
            FlowTable t = tables.table(false);
            TcpDialog s = new TcpDialog(t, 80, true).client(UPGRADE).server(SWITCHING);
            if (frames[0].length > 0) {
                s.client(frames[0]);
            }
            if (frames[1].length > 0) {
                s.server(frames[1]);
            }
            assertEquals("http,websocket", service(t));
        }
        // A message in fragments, the lengths in 16 and 64 bits, everything in three-byte segments, the first frame
        // in the same segment as the 101's header.
        byte[] message = concat(frame(false, 1, 200, true), frame(false, 0, 70_000, true), frame(true, 0, 3, true));
        FlowTable t = tables.table(false);
        TcpDialog s = new TcpDialog(t, 80, true).client(UPGRADE);
        byte[] server = concat(SWITCHING.getBytes(StandardCharsets.ISO_8859_1), frame(false, 1, 1, false));
        s.server(server);
        for (int i = 0; i < message.length; i += 3) {
            s.client(Arrays.copyOfRange(message, i, Math.min(message.length, i + 3)));
        }
        assertEquals("http,websocket", service(t));
        // Zeek's Upgrade header names the protocol in any case.
        t = tables.table(false);
        new TcpDialog(t, 80, true).client(UPGRADE).server(SWITCHING.replace("Upgrade: websocket", "Upgrade: WebSocket"))
                .client(frame(true, 1, 5, true));
        assertEquals("http,websocket", service(t));
    }

    @Test
    void whatIsNoWebSocket() {
        // A message not yet whole; a message that begins with a continuation (the grammar's &enforce: a violation);
        // a whole message, then a violation in the first 10 KiB, which removes the analyzer and its service.
        byte[][] clients = {frame(false, 1, 5, true), frame(true, 0, 5, true), concat(frame(true, 1, 5, true),
            frame(false, 0, 5, true))};
        for (byte[] client : clients) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, 80, true).client(UPGRADE).server(SWITCHING).client(client);
            assertEquals("http", service(t));
        }
        // A 101 without Connection: upgrade first, or to another protocol, or to two requests: no WebSocket, and the
        // frames are read as requests where no switch was made (a line of them: HTTP/1.1's violation).
        byte[] frameAndLineEnd = concat(frame(true, 1, 5, true), new byte[] {'\r', '\n'});
        String[][] replies = {{SWITCHING.replace("Connection: Upgrade", "Connection: keep-alive, Upgrade"), ""},
            {SWITCHING.replace("Upgrade: websocket", "Upgrade: h2c"), "http"}};
        for (String[] reply : replies) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, 80, true).client(UPGRADE).server(reply[0]).client(frameAndLineEnd);
            assertEquals(reply[1], service(t), reply[0]);
        }
        FlowTable t = tables.table(false);
        new TcpDialog(t, 80, true).client(UPGRADE + "GET /other HTTP/1.1\r\n\r\n").server(SWITCHING)
                .client(frameAndLineEnd);
        assertEquals("", service(t));
        // An upgrade after another request is not followed (as before: nothing more is read as requests).
        t = tables.table(false);
        new TcpDialog(t, 80, true).client("GET / HTTP/1.1\r\n\r\n").server("HTTP/1.1 204 No Content\r\n\r\n")
                .client(UPGRADE).server(SWITCHING).client(frame(true, 1, 5, true));
        assertEquals("http", service(t));
    }
}
