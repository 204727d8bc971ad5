package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The first line of a stream as Zeek's HTTP analyzer and DPD signatures judge it. */
class HttpStreamStartTest {

    private static String request(String s) {
        byte[] b = ("xx" + s).getBytes(StandardCharsets.ISO_8859_1);
        return switch (HttpStreamStart.requestLine(b, 2, b.length - 2)) {
            case HttpStreamStart.REQUEST -> "true";
            case HttpStreamStart.REQUEST_09 -> "0.9";
            default -> "false";
        };
    }

    @Test
    void requestLines() {
        String[][] cases = {
            {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", "true"},
            {"\r\n\r\nPOST /form HTTP/1.0\r\n", "true"}, // empty lines before the request are skipped
            {"PROPFIND /dav HTTP/1.1\r\n", "true"}, // any token is a method
            {"GET /\r\n", "0.9"}, // HTTP/0.9: no version, a method of three characters and a URI
            {"GE /\r\n", "false"}, // HTTP/0.9 with a two-character method
            {"GET \r\n", "false"}, // HTTP/0.9 without a URI
            {"GET\r\n", "false"}, // no white space after the method
            {"GET/ HTTP/1.1\r\n", "false"}, // the method ends at '/', not at white space
            {"/index.html HTTP/1.1\r\n", "false"}, // no method
            {"GET /a b c HTTP/1.1\r\n", "true"}, // the version is searched past what ends the URI
            {"\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003", "false"}, // a TLS ClientHello
            {"SSH-2.0-OpenSSH_9.2\r\n", "false"},
            {"GET /long/uri/cut/by/the/segment", "true"}, // judged on the line's start, its version maybe further on
            {"GO / http/1.1\r\n", "true"}, // a lower-case version is a version: not HTTP/0.9
            {"GET / HTTP\u000f1.1\r\n", "0.9"}, // not the version's slash
            {"\r\n", "false"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], request(c[0]), c[0]);
        }
    }

    @Test
    void replyLines() {
        String[][] cases = {
            {"HTTP/1.1 200 OK\r\n", "false"},
            {"\r\nHTTP/1.0 404 Not Found\r\n", "false"}, // empty lines before it are skipped
            {"http/1.1 200 OK\r\n", "false"}, // any case
            {"HTTP/1.1 abc\r\n", "false"}, // the status code's digits are not checked
            {"HTTP/1.1 200\r\n", "false"}, // no reason phrase
            {"HTTP/1.1\r\n", "true"}, // no white space after the version
            {"HTTP/1.1 20\r\n", "true"}, // fewer than three bytes for the code
            {"SSH-2.0-OpenSSH_9.6\r\n", "true"},
            {"<html><body>hello</body></html>", "true"}, // decided by its first byte, though not ended
            {"HTT", "false"}, // not ended, and a reply line may still follow
            {"HTTP/1.1", "false"},
            {"HTTP\u000f1.1 200 OK\r\n", "true"},
            {"\r\n", "false"},
        };
        for (String[] c : cases) {
            byte[] b = ("xx" + c[0]).getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(Boolean.parseBoolean(c[1]), HttpStreamStart.replyLineRefused(b, 2, b.length - 2), c[0]);
        }
    }

    @Test
    void signatures() {
        byte[] a = "\r\n GET /".getBytes(StandardCharsets.US_ASCII);
        assertEquals(true, HttpStreamStart.clientSignature(a, 0, a.length));
        byte[] b = "get /".getBytes(StandardCharsets.US_ASCII);
        assertEquals(false, HttpStreamStart.clientSignature(b, 0, b.length)); // the signature is case-sensitive
        byte[] c = "HTTP/1.1 200 OK".getBytes(StandardCharsets.US_ASCII);
        assertEquals(true, HttpStreamStart.serverSignature(c, 0, c.length));
        byte[] d = "HTTP/x".getBytes(StandardCharsets.US_ASCII);
        assertEquals(false, HttpStreamStart.serverSignature(d, 0, d.length));
    }
}
