package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The first line of a stream as Zeek's HTTP analyzer and DPD signatures judge it. */
class HttpStreamStartTest {

    private static boolean request(String s) {
        byte[] b = ("xx" + s).getBytes(StandardCharsets.ISO_8859_1);
        return HttpStreamStart.requestLine(b, 2, b.length - 2);
    }

    @Test
    void requestLines() {
        String[][] cases = {
            {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", "true"},
            {"\r\n\r\nPOST /form HTTP/1.0\r\n", "true"}, // empty lines before the request are skipped
            {"PROPFIND /dav HTTP/1.1\r\n", "true"}, // any token is a method
            {"GET /\r\n", "true"}, // HTTP/0.9: no version, a method of three characters and a URI
            {"GE /\r\n", "false"}, // HTTP/0.9 with a two-character method
            {"GET \r\n", "false"}, // HTTP/0.9 without a URI
            {"GET\r\n", "false"}, // no white space after the method
            {"GET/ HTTP/1.1\r\n", "false"}, // the method ends at '/', not at white space
            {"/index.html HTTP/1.1\r\n", "false"}, // no method
            {"GET /a b c HTTP/1.1\r\n", "true"}, // the version is searched past what ends the URI
            {"\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003", "false"}, // a TLS ClientHello
            {"SSH-2.0-OpenSSH_9.2\r\n", "false"},
            {"GET /long/uri/cut/by/the/segment", "true"}, // judged on the line's start
            {"\r\n", "false"},
        };
        for (String[] c : cases) {
            assertEquals(Boolean.parseBoolean(c[1]), request(c[0]), c[0]);
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
