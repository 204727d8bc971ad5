package org.weir.session.internal;

/**
 * What the first bytes of a TCP stream tell Zeek's HTTP analysis: whether the originator's first line is a request
 * line its HTTP analyzer accepts (which confirms the protocol), whether they match the client half of its DPD
 * signature ({@code dpd_http_client}: optional white space, then GET, HEAD or POST); whether the responder's match the
 * server half ({@code dpd_http_server}: {@code HTTP/} and a digit), and whether its first line is one the analyzer
 * refuses as a reply line (a violation).
 *
 * <p>The request line is judged as Zeek's {@code HTTP_Analyzer::HTTP_RequestLine} and {@code ParseRequest} judge it:
 * lines end at CR or LF, empty lines before it are skipped, the method is a run of HTTP token characters followed by
 * white space; a line without an {@code HTTP/} version (in any case) is HTTP/0.9 and needs a method of at least three
 * characters and a non-empty URI. Only the first segment is looked at: a request line longer than it is judged on its
 * start, or on the responder port by {@link HttpRequests} when it ends ({@link #requestLineCut}).
 */
final class HttpStreamStart {

    private HttpStreamStart() {
    }

    /** What {@link #requestLine} found: no request line, a request line, one of HTTP/0.9 (no version). */
    static final int NO_REQUEST = 0, REQUEST = 1, REQUEST_09 = 2;

    /**
     * Whether bytes [off, off + len) begin with a request line that Zeek's HTTP analyzer takes, and whether that line
     * (when the bytes end it) has no version: HTTP/0.9, whose reply Zeek's analyzer reads unparsed.
     */
    static int requestLine(byte[] d, int off, int len) {
        int v = scanRequestLine(d, off, len);
        return switch (v) {
            case NOT_A_REQUEST -> NO_REQUEST;
            case NO_VERSION -> REQUEST_09;
            default -> REQUEST; // a version, or none yet in a line cut by the bytes: it may come further on
        };
    }

    /** What {@link #requestVersion} finds besides a version's index: a request without one, no request. */
    static final int NO_VERSION = -1, NOT_A_REQUEST = -2;

    /**
     * A whole request line, bytes [off, off + len) without its line end, judged as {@link #requestLine} judges it:
     * where its version ({@code HTTP/}, any case) begins, {@link #NO_VERSION} for HTTP/0.9, or {@link #NOT_A_REQUEST}.
     */
    static int requestVersion(byte[] d, int off, int len) {
        int v = scanRequestLine(d, off, len);
        return v == NO_VERSION_YET ? NO_VERSION : v;
    }

    /**
     * Whether the version at {@code v} ({@code HTTP/} and digits, from {@link #requestVersion} or a reply line), in
     * bytes up to {@code end}, is above 1.0, as Zeek's {@code SetVersion} takes it for {@code keep_alive}.
     */
    static boolean versionAbove10(byte[] d, int v, int end) {
        int i = v + 5, major = 0, minor = 0;
        for (; i < end && d[i] >= '0' && d[i] <= '9' && major < 1000; i++) {
            major = major * 10 + (d[i] - '0');
        }
        if (i < end && d[i] == '.') {
            for (i++; i < end && d[i] >= '0' && d[i] <= '9' && minor < 1000; i++) {
                minor = minor * 10 + (d[i] - '0');
            }
        }
        return major > 1 || (major == 1 && minor > 0);
    }

    /**
     * Whether bytes [off, off + len), the responder's first, begin with a reply line (empty lines before it skipped)
     * of a version above 1.0.
     */
    static boolean replyVersionAbove10(byte[] d, int off, int len) {
        long bounds = firstLine(d, off, off + len);
        int line = (int) (bounds >>> 32), lineEnd = (int) bounds;
        return lineEnd - line > HTTP.length() && httpPrefix(d, line, HTTP.length()) && versionAbove10(d, line, lineEnd);
    }

    /** Whether the version at {@code v} (from {@link #requestVersion}), in bytes up to {@code end}, is 1.1. */
    static boolean http11(byte[] d, int v, int end) {
        return end - v >= 8 && d[v + 5] == '1' && d[v + 6] == '.' && d[v + 7] == '1'
                && (end - v == 8 || d[v + 8] < '0' || d[v + 8] > '9');
    }

    /**
     * Whether bytes [off, off + len), a stream's first segment, may be the start of a request line that goes on in
     * the next: no line end, a token character first, and nothing but printable ASCII and tabs. Zeek's analyzer
     * judges the whole line; {@link #requestLine} judges only what the segment holds.
     */
    static boolean requestLineCut(byte[] d, int off, int len) {
        if (len == 0 || !isTokenChar(d[off])) {
            return false;
        }
        for (int i = off; i < off + len; i++) {
            int c = d[i] & 0xFF;
            if ((c < 0x20 || c > 0x7E) && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Whether a request line at {@code off} (at least 8 bytes) has the method CONNECT, in any case, and a blank. */
    static boolean isConnect(byte[] d, int off) {
        String m = "CONNECT";
        for (int k = 0; k < m.length(); k++) {
            if ((d[off + k] & 0xDF) != m.charAt(k)) {
                return false;
            }
        }
        return d[off + 7] == ' ' || d[off + 7] == '\t';
    }

    /** What {@link #scanRequestLine} finds for a line the bytes do not end and that has no version so far. */
    private static final int NO_VERSION_YET = -3;

    /**
     * The request line at the start of bytes [off, off + len): where its version begins, {@link #NO_VERSION} for an
     * HTTP/0.9 line the bytes end, {@link #NO_VERSION_YET} for one they cut, or {@link #NOT_A_REQUEST}.
     */
    private static int scanRequestLine(byte[] d, int off, int len) {
        int end = off + len;
        int line = off;
        while (line < end && isEol(d[line])) {
            line++; // empty lines: Zeek's analyzer keeps waiting for the request line
        }
        if (line == end) {
            return NOT_A_REQUEST;
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
            return NOT_A_REQUEST; // bad_HTTP_request (with or without a version at the end)
        }
        int rest = skipWhitespace(d, methodEnd, lineEnd);
        if (rest == methodEnd) {
            return NOT_A_REQUEST;
        }
        // ParseRequest: the URI runs over URI characters; the version is searched after it, in any case.
        int uriEnd = rest;
        while (uriEnd < lineEnd && isUriChar(d[uriEnd])) {
            uriEnd++;
        }
        if (uriEnd >= lineEnd && startsWithHttp(d, rest, lineEnd)) {
            uriEnd = rest; // missing_HTTP_uri
        }
        int version = -1;
        for (int v = uriEnd; v < lineEnd; v++) {
            uriEnd = v;
            v = skipWhitespace(d, v, lineEnd);
            if (startsWithHttp(d, v, lineEnd)) {
                version = v;
                break;
            }
        }
        if (version >= 0) {
            return version;
        }
        // HTTP/0.9: a method that could be GET and a URI, or it is probably not HTTP.
        if (methodEnd - line < 3 || uriEnd <= rest) {
            return NOT_A_REQUEST;
        }
        return lineEnd < end ? NO_VERSION : NO_VERSION_YET;
    }

    /**
     * Whether bytes [off, off + len), the responder's first, begin with a line that Zeek's {@code HTTP_ReplyLine}
     * refuses ("not a http reply line"): one that does not begin with {@code HTTP/} (in any case), has no blank or tab
     * after the version, or fewer than three bytes after them (the status code's digits are not checked). Empty lines
     * before it are skipped; a line the bytes do not end is refused only where its start already decides.
     */
    static boolean replyLineRefused(byte[] d, int off, int len) {
        int end = off + len;
        long bounds = firstLine(d, off, end);
        int line = (int) (bounds >>> 32), lineEnd = (int) bounds;
        if (line == lineEnd) {
            return false; // no line yet
        }
        if (lineEnd < end) {
            return replyCode(d, line, lineEnd) < 0;
        }
        return !httpPrefix(d, line, Math.min(lineEnd - line, HTTP.length())); // a cut line: what its start decides
    }

    /**
     * Zeek's {@code HTTP_ReplyLine} on a whole line, bytes [line, lineEnd) without its end: {@code HTTP/} (in any
     * case), the version, blanks or tabs, then the code's three bytes. Returns the code (0 for one that is no number,
     * as Zeek takes it), or -1 for a line that is no reply line.
     */
    static int replyCode(byte[] d, int line, int lineEnd) {
        if (lineEnd - line < HTTP.length() || !httpPrefix(d, line, HTTP.length())) {
            return -1;
        }
        int rest = line + HTTP.length();
        while (rest < lineEnd && d[rest] != ' ' && d[rest] != '\t') {
            rest++;
        }
        if (rest >= lineEnd) {
            return -1; // HTTP_reply_code_missing
        }
        int i = skipWhitespace(d, rest, lineEnd);
        if (i + 3 > lineEnd) {
            return -1;
        }
        int code = 0;
        for (int k = i; k < i + 3; k++) {
            if (d[k] < '0' || d[k] > '9') {
                return 0;
            }
            code = code * 10 + (d[k] - '0');
        }
        return code;
    }

    /** Where the first line of bytes [off, end) lies, empty lines before it skipped: start high, end low 32 bits. */
    private static long firstLine(byte[] d, int off, int end) {
        int line = off;
        while (line < end && isEol(d[line])) {
            line++;
        }
        int lineEnd = line;
        while (lineEnd < end && !isEol(d[lineEnd])) {
            lineEnd++;
        }
        return (long) line << 32 | lineEnd;
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

    private static final AsciiSet SEPARATORS = new AsciiSet("\t ()<>@,;:\\\"/[]?={}"),
            URI_MARKS = new AsciiSet(":/?#[]@!$&'()*+,;=-_.~%");

    /** RFC 2616 token characters, as Zeek's {@code is_HTTP_token_char}. */
    private static boolean isTokenChar(byte b) {
        int c = b & 0xFF;
        return c > 31 && c < 127 && !SEPARATORS.contains(c);
    }

    /** RFC 3986 reserved and unreserved characters and '%', as Zeek's URI scan. */
    private static boolean isUriChar(byte b) {
        int c = b & 0xFF;
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || URI_MARKS.contains(c);
    }

    private static final String HTTP = "HTTP/";

    /** Whether bytes [i, end) begin with {@code HTTP/}, its letters in any case (Zeek takes that with a weird). */
    private static boolean startsWithHttp(byte[] d, int i, int end) {
        return end - i >= HTTP.length() && httpPrefix(d, i, HTTP.length());
    }

    /** Whether the {@code n} bytes at {@code i} are the first {@code n} of {@code HTTP/}, as C's tolower compares. */
    private static boolean httpPrefix(byte[] d, int i, int n) {
        for (int k = 0; k < n; k++) {
            int c = d[i + k];
            if ((c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c) != HTTP.charAt(k)) {
                return false;
            }
        }
        return true;
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
