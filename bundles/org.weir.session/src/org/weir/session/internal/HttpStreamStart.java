package org.weir.session.internal;

/**
 * What the first bytes of a TCP stream tell Zeek's HTTP analysis: whether the originator's first line is a request
 * line its HTTP analyzer accepts (which confirms the protocol), whether they match the client half of its DPD
 * signature ({@code dpd_http_client}: optional white space, then GET, HEAD or POST), and whether the responder's
 * match the server half ({@code dpd_http_server}: {@code HTTP/} and a digit).
 *
 * <p>The request line is judged as Zeek's {@code HTTP_Analyzer::HTTP_RequestLine} and {@code ParseRequest} judge it:
 * lines end at CR or LF, empty lines before it are skipped, the method is a run of HTTP token characters followed by
 * white space; a line without an {@code HTTP/} version is HTTP/0.9 and needs a method of at least three characters
 * and a non-empty URI. Only the first segment is looked at: a request line longer than it is judged on its start.
 */
final class HttpStreamStart {

    private HttpStreamStart() {
    }

    /** Whether bytes [off, off + len) begin with a request line that Zeek's HTTP analyzer takes. */
    static boolean requestLine(byte[] d, int off, int len) {
        int end = off + len;
        int line = off;
        while (line < end && isEol(d[line])) {
            line++; // empty lines: Zeek's analyzer keeps waiting for the request line
        }
        if (line == end) {
            return false;
        }
        int lineEnd = line;
        while (lineEnd < end && !isEol(d[lineEnd])) {
            lineEnd++;
        }
        int methodEnd = line;
        while (methodEnd < lineEnd && isTokenChar(d[methodEnd])) {
            methodEnd++;
        }
        if (methodEnd == line) {
            return false; // bad_HTTP_request (with or without a version at the end)
        }
        int rest = skipWhitespace(d, methodEnd, lineEnd);
        if (rest == methodEnd) {
            return false;
        }
        // ParseRequest: the URI runs over URI characters; the version is searched after it.
        int uriEnd = rest;
        while (uriEnd < lineEnd && isUriChar(d[uriEnd])) {
            uriEnd++;
        }
        if (uriEnd >= lineEnd && startsWith(d, rest, lineEnd, "HTTP/")) {
            uriEnd = rest; // missing_HTTP_uri
        }
        boolean version = false;
        for (int v = uriEnd; v < lineEnd; v++) {
            uriEnd = v;
            v = skipWhitespace(d, v, lineEnd);
            if (startsWith(d, v, lineEnd, "HTTP/")) {
                version = true;
                break;
            }
        }
        // HTTP/0.9: a method that could be GET and a URI, or it is probably not HTTP.
        return version || methodEnd - line >= 3 && uriEnd > rest;
    }

    /** Whether bytes [off, off + len) match {@code dpd_http_client}: white space, then GET, HEAD or POST. */
    static boolean clientSignature(byte[] d, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && isSpace(d[i])) {
            i++;
        }
        return startsWith(d, i, end, "GET") || startsWith(d, i, end, "HEAD") || startsWith(d, i, end, "POST");
    }

    /** Whether bytes [off, off + len) match {@code dpd_http_server}: {@code HTTP/} and a digit. */
    static boolean serverSignature(byte[] d, int off, int len) {
        return len >= 6 && startsWith(d, off, off + len, "HTTP/") && d[off + 5] >= '0' && d[off + 5] <= '9';
    }

    private static boolean isEol(byte b) {
        return b == '\r' || b == '\n';
    }

    /** Zeek's {@code skip_whitespace}: blanks and tabs. */
    private static int skipWhitespace(byte[] d, int i, int end) {
        while (i < end && (d[i] == ' ' || d[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** The signature language's {@code [[:space:]]}. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == '\f';
    }

    /** RFC 2616 token characters, as Zeek's {@code is_HTTP_token_char}. */
    private static boolean isTokenChar(byte b) {
        int c = b & 0xFF;
        return c > 31 && c < 127 && "\t ()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    /** RFC 3986 reserved and unreserved characters and '%', as Zeek's URI scan. */
    private static boolean isUriChar(byte b) {
        int c = b & 0xFF;
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || ":/?#[]@!$&'()*+,;=-_.~%".indexOf(c) >= 0;
    }

    private static boolean startsWith(byte[] d, int i, int end, String prefix) {
        if (end - i < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (d[i + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
