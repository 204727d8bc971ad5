package org.weir.session.internal;

import java.util.Arrays;

/**
 * Zeek's MIME parser ({@code MIME_Entity}) over one message, as far as conn.log shows it: its two limits, each a
 * limit-reached weird, {@code X} in the history. A folded header line that arrives while the header's lines already
 * hold {@code MIME::max_header_bytes} (65,536) bytes, line ends not counted, is refused; an entity at depth
 * {@code MIME::max_depth} (100; the message itself is depth 0) that would begin a child (a multipart's part, a
 * message's enclosed message) begins none.
 *
 * <p>The message's lines go to the top entity and down: an entity in its header reads them as header lines (a line
 * that begins with a blank or a tab continues the header before it; an empty one ends the header); a multipart's
 * body line that begins with {@code --} and its boundary ends the part being read and begins the next, with a
 * further {@code --} it closes the multipart; other lines go to the part being read. {@code Content-Type} is
 * parsed as Zeek parses it: a type and subtype (comments and blanks skipped), and for {@code multipart} and
 * {@code message} the parameters, of which {@code boundary} (a token with Zeek's lenience, or a quoted string); a
 * multipart without a boundary is read as opaque data. A {@code message} entity begins its enclosed message with
 * its body.
 *
 * <p>HTTP's entities ({@code HTTP_Entity}) frame their bodies besides: {@code Content-Length} (the body's bytes are
 * then taken whole, not as lines; {@link #plain()}), chunks ({@code Transfer-Encoding: chunked} in HTTP/1.1, sizes
 * and trailer read as lines), and a request without either has no body. Multipart and message bodies are read as
 * lines in any case, and end with the closing boundary. Not emulated: bodies Zeek decompresses before MIME reads them
 * ({@code Content-Encoding} gzip or deflate on a multipart or message entity, after which the message is not
 * followed: {@link #opaque()}), and the multipart bodies' line ends that Zeek's HTTP analysis takes as CRLF only.
 * Only the headers Zeek takes something from are parsed, and of them the first {@link #KEPT_HEADER} bytes.
 */
final class MimeEntities {

    /** Zeek's {@code MIME::max_depth}. */
    static final int MAX_DEPTH = 100;
    /** Zeek's {@code MIME::max_header_bytes}: one header's lines, without their line ends. */
    static final long MAX_HEADER_BYTES = 65536;
    /** The bytes of a header kept for its parse. */
    static final int KEPT_HEADER = 2048;

    /** Content types Zeek's parser tells apart. */
    private static final byte OTHER = 0, MULTIPART = 1, MESSAGE = 2;
    /** An HTTP entity's chunked transfer: none, announced, then what the next line or bytes are. */
    private static final byte NOT_CHUNKED = 0, BEFORE_CHUNK = 1, CHUNK_SIZE = 2, CHUNK_DATA = 3, CHUNK_CRLF = 4,
            CHUNK_TRAILER = 5;
    /** What {@link #boundary} finds. */
    private static final int NO_BOUNDARY = 0, BOUNDARY = 1, CLOSING_BOUNDARY = 2;

    /** One entity on the path from the message to the part being read. */
    private static final class Entity {
        byte type;
        byte[] boundary;
        boolean inHeader, ended;
        /** HTTP: the declared length (-1: none), the body bytes still expected, those read so far. */
        long contentLength, expected, bodyBytes;
        byte chunked;
        /** HTTP: {@code Content-Encoding} gzip or deflate. */
        boolean encoded;

        void reset() {
            type = OTHER;
            boundary = null;
            inHeader = true;
            ended = false;
            contentLength = -1;
            expected = 0;
            bodyBytes = 0;
            chunked = NOT_CHUNKED;
            encoded = false;
        }
    }

    private final boolean http;
    /** The entities from the message (0) to the deepest begun, {@link #depth}; -1 before a message. */
    private Entity[] path = new Entity[2];
    private int depth = -1;
    /** The header being read: open, its bytes so far, whether its name is one parsed, its first bytes. */
    private boolean headerOpen, headerParsed;
    private long headerBytes;
    private byte[] header;
    private int headerKept;
    /** HTTP: the bytes the stream delivers whole, not as lines ({@code SetPlainDelivery}). */
    private long plain;
    private boolean opaque;
    /** HTTP: the request is HTTP/1.1 (chunks are read only there). */
    private boolean http11;
    /**
     * HTTP: the request's {@code Connection} header began with {@code keep-alive} (Zeek's {@code keep_alive}; a
     * reply's {@code Connection: close}, which makes later bodies without length run to the stream's end, is not
     * read, and a request's is not Zeek's concern).
     */
    private boolean keepAlive;
    /** HTTP: the message asks to switch protocols ({@code Upgrade}). */
    private boolean upgrade;
    /** A limit was reached by what was delivered last. */
    private boolean limit;

    /** @param http the entities are HTTP's, which frame their bodies by length or chunks */
    MimeEntities(boolean http) {
        this.http = http;
    }

    /** A new message begins, in its header (a request of HTTP/1.1 or not). */
    void begin(boolean http11) {
        this.http11 = http11;
        depth = 0;
        entity(0).reset();
        headerOpen = false;
        plain = 0;
        opaque = false;
        upgrade = false;
    }

    /** Whether the message has ended (or none began): HTTP's next line is the next request's. */
    boolean ended() {
        return depth < 0 || path[0].ended;
    }

    /** HTTP: how many of the next bytes are delivered whole ({@link #bytes}) rather than as lines. */
    long plain() {
        return plain;
    }

    /** HTTP: the message is read in a way not emulated; nothing more of the stream is followed. */
    boolean opaque() {
        return opaque;
    }

    /** HTTP: the message's header asked to switch protocols ({@code Upgrade}, as a WebSocket handshake does). */
    boolean upgrade() {
        return upgrade;
    }

    /** HTTP: a request's {@code Connection} header began with {@code keep-alive} (in any message so far). */
    boolean keepAlive() {
        return keepAlive;
    }

    /**
     * A line of the message, without its line end: {@code length} bytes, of which the first {@code kept} are in
     * {@code d} from {@code o}. Returns whether it reached a limit.
     */
    boolean line(byte[] d, int o, int kept, int length) {
        return deliver(d, o, kept, length, true);
    }

    /** HTTP: bytes [o, o + n) of the message delivered whole ({@code n <=} {@link #plain()}). */
    boolean bytes(byte[] d, int o, int n) {
        plain -= n;
        return deliver(d, o, n, n, false);
    }

    /**
     * HTTP: a content gap of {@code len} bytes. Zeek's analysis goes on after one inside a body of known length or
     * a chunk, once the body began; otherwise it stops (false).
     */
    boolean gap(long len) {
        if (depth < 0) {
            return false; // no message
        }
        int k = depth;
        while (k > 0 && path[k].ended) {
            k--; // the entity being read: an ended part's multipart
        }
        Entity e = path[k];
        if (e.ended && e.inHeader || e.bodyBytes == 0) {
            return false;
        }
        if (e.chunked != NOT_CHUNKED) {
            if (e.chunked != CHUNK_DATA || e.expected < len) {
                return false;
            }
            e.bodyBytes += len;
            e.expected -= len;
            plain = e.expected;
            if (e.expected == 0) {
                e.chunked = CHUNK_CRLF;
            }
            return true;
        }
        if (e.contentLength < 0 || e.expected < len) {
            return false;
        }
        e.bodyBytes += len;
        e.expected -= len;
        plain = e.expected;
        if (e.expected <= 0) {
            endOfData(k);
        }
        return true;
    }

    private boolean deliver(byte[] d, int o, int kept, int length, boolean line) {
        limit = false;
        if (depth == 0 && path[0].inHeader && !path[0].ended) {
            headerLine(0, path[0], d, o, kept, length); // most lines: the message's own header
            return limit;
        }
        for (int k = 0; k <= depth; k++) {
            Entity e = path[k];
            if (e.ended) {
                break; // an ended part takes nothing until its multipart's next boundary
            }
            if (e.inHeader) {
                headerLine(k, e, d, o, kept, length);
                break;
            }
            if (http && e.encoded && e.type != OTHER) {
                opaque = true; // decompressed before MIME reads it
                break;
            }
            if (e.type == MULTIPART) {
                int b = boundary(e, d, o, kept);
                if (b != NO_BOUNDARY) {
                    endChildren(k);
                    if (b == BOUNDARY) {
                        beginChild(k);
                    } else {
                        endOfData(k);
                    }
                    break;
                }
            }
            if (e.type != OTHER) {
                continue; // to the part or enclosed message being read, if any
            }
            if (http) {
                httpBody(k, e, d, o, kept, length, line);
            }
            break;
        }
        return limit;
    }

    // ---- headers ----------------------------------------------------------------------------------------------

    private void headerLine(int k, Entity e, byte[] d, int o, int kept, int length) {
        if (length == 0 || d[o] == 0) { // the empty line after the header fields
            finishHeader(e);
            e.inHeader = false;
            allHeaders(k, e);
            if (!e.ended && e.type == MESSAGE) {
                beginChild(k); // BeginBody: the enclosed message
            }
            return;
        }
        if (d[o] == ' ' || d[o] == '\t') {
            if (!headerOpen) { // a first header line that begins with white space: read as a header without it
                int ws = 0;
                while (ws < kept && (d[o + ws] == ' ' || d[o + ws] == '\t')) {
                    ws++;
                }
                newHeader(e, d, o + ws, kept - ws, length - ws);
                return;
            }
            if (headerBytes >= MAX_HEADER_BYTES) {
                limit = true; // exceeded_mime_max_header_bytes: the line is dropped
                return;
            }
            append(d, o, kept, length);
            return;
        }
        newHeader(e, d, o, kept, length);
    }

    private void newHeader(Entity e, byte[] d, int o, int kept, int length) {
        finishHeader(e);
        if (length == 0) {
            return;
        }
        headerOpen = true;
        headerBytes = 0;
        headerKept = 0;
        headerParsed = parsed(d, o, kept);
        append(d, o, kept, length);
    }

    /** Whether Zeek takes anything from a header that begins so: a name it reads, or one not plain to see. */
    private boolean parsed(byte[] d, int o, int kept) {
        if (kept == 0) {
            return true;
        }
        int first = d[o] | 0x20;
        if (first != 'c' && (first != 't' && first != 'u' || !http) && isFieldNameChar(d[o])) {
            return false; // the names headerName knows begin with c, t or u (most headers' do not)
        }
        int n = 0;
        while (n < kept && isFieldNameChar(d[o + n])) {
            n++;
        }
        if (n == 0 || n == kept) {
            return true; // no name at the start (a comment before it?), or no end of it in sight
        }
        return headerName(d, o, o + n) != OTHER_HEADER;
    }

    /** The headers Zeek's MIME entities (and HTTP's) take something from, as {@link #headerName} numbers them. */
    private static final int OTHER_HEADER = 0, CONTENT_TYPE = 1, CONTENT_LENGTH = 2, TRANSFER_ENCODING = 3,
            CONTENT_ENCODING = 4, CONNECTION = 5, UPGRADE = 6;

    /** Which of those headers bytes [from, to) name (HTTP's only for HTTP's entities), in any case. */
    private int headerName(byte[] h, int from, int to) {
        if (nameIs(h, from, to, "content-type")) {
            return CONTENT_TYPE;
        }
        if (!http) {
            return OTHER_HEADER;
        }
        if (nameIs(h, from, to, "content-length")) {
            return CONTENT_LENGTH;
        }
        if (nameIs(h, from, to, "transfer-encoding")) {
            return TRANSFER_ENCODING;
        }
        if (nameIs(h, from, to, "content-encoding")) {
            return CONTENT_ENCODING;
        }
        if (nameIs(h, from, to, "connection")) {
            return CONNECTION;
        }
        return nameIs(h, from, to, "upgrade") ? UPGRADE : OTHER_HEADER;
    }

    private void append(byte[] d, int o, int kept, int length) {
        headerBytes += length;
        if (!headerParsed) {
            return;
        }
        int n = Math.min(kept, KEPT_HEADER - headerKept);
        if (n > 0) {
            int size = Math.min(KEPT_HEADER, Math.max(64, 2 * (headerKept + n)));
            if (header == null) {
                header = new byte[size];
            } else if (header.length < headerKept + n) {
                header = Arrays.copyOf(header, size);
            }
            System.arraycopy(d, o, header, headerKept, n);
            headerKept += n;
        }
    }

    /** The header read so far is complete: parsed for what MIME and HTTP take from it. */
    private void finishHeader(Entity e) {
        if (!headerOpen) {
            return;
        }
        headerOpen = false;
        if (!headerParsed) {
            return;
        }
        byte[] h = header;
        int end = headerKept;
        // MIME_get_field_name: the first run of field-name characters (after blanks and comments), then a colon.
        int i = 0, nameStart = -1, nameEnd = -1;
        while (i < end) {
            if (isFieldNameChar(h[i])) {
                nameStart = i;
                while (i < end && isFieldNameChar(h[i])) {
                    i++;
                }
                nameEnd = i;
                break;
            }
            int j = skipBlanksAndComments(h, i, end);
            i = j > i ? j : i + 1;
        }
        if (nameStart < 0) {
            return;
        }
        i = skipBlanksAndComments(h, i, end);
        if (i >= end || h[i] != ':') {
            return; // a malformed header line
        }
        int value = i + 1;
        while (value < end && isCSpace(h[value])) {
            value++;
        }
        int name = headerName(h, nameStart, nameEnd);
        if (name == CONTENT_TYPE) {
            contentType(e, h, value, end);
        } else if (name != OTHER_HEADER) {
            httpHeader(e, name, h, value, end);
        }
    }

    /** {@code ParseContentTypeField}: the type and subtype, and a multipart's boundary among the parameters. */
    private void contentType(Entity e, byte[] h, int i, int end) {
        long first = token(h, i, end, false);
        if (first < 0) {
            return;
        }
        int typeStart = (int) (first >>> 32), typeEnd = (int) first;
        int slash = skipBlanksAndComments(h, typeEnd, end);
        if (slash >= end || h[slash] != '/') {
            return;
        }
        long second = token(h, slash + 1, end, false);
        if (second < 0) {
            return;
        }
        i = (int) second;
        if (nameIs(h, typeStart, typeEnd, "multipart")) {
            e.type = MULTIPART;
        } else if (nameIs(h, typeStart, typeEnd, "message")) {
            e.type = MESSAGE;
        } else {
            e.type = OTHER;
            return;
        }
        // ParseFieldParameters: "; attribute = value" until something else comes.
        while (true) {
            i = skipBlanksAndComments(h, i, end);
            if (i >= end || h[i] != ';') {
                break;
            }
            long attr = token(h, i + 1, end, false);
            if (attr < 0) {
                break;
            }
            int attrStart = (int) (attr >>> 32), attrEnd = (int) attr;
            i = skipBlanksAndComments(h, attrEnd, end);
            if (i >= end || h[i] != '=') {
                i = attrEnd;
                continue;
            }
            i++;
            boolean isBoundary = e.type == MULTIPART && nameIs(h, attrStart, attrEnd, "boundary");
            int next = value(e, h, i, end, isBoundary);
            if (next >= 0) {
                i = next;
            }
        }
        if (e.type == MULTIPART && e.boundary == null) {
            e.type = OTHER; // no boundary: the content is taken as application/octet-stream
        }
    }

    /**
     * {@code MIME_get_value}: a quoted string (quoted pairs undone) or a token; a boundary's is not preceded by
     * blanks skipped and may hold any visible character but {@code "}. Returns the index after it, or -1.
     */
    private static int value(Entity e, byte[] h, int i, int end, boolean isBoundary) {
        if (!isBoundary) {
            i = skipBlanksAndComments(h, i, end);
        }
        if (i < end && h[i] == '"') {
            for (int j = i + 1; j < end; j++) {
                if (h[j] == '\\') {
                    j++;
                } else if (h[j] == '"') {
                    if (isBoundary) {
                        e.boundary = unquote(h, i + 1, j);
                    }
                    return j + 1;
                }
            }
            return -1;
        }
        long t = token(h, i, end, isBoundary);
        if (t < 0) {
            return -1;
        }
        if (isBoundary) {
            e.boundary = Arrays.copyOfRange(h, (int) (t >>> 32), (int) t);
        }
        return (int) t;
    }

    private static byte[] unquote(byte[] h, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int j = from; j < to; j++) {
            if (h[j] == '\\') {
                if (++j >= to) {
                    break; // a trailing backslash is dropped
                }
            }
            out[n++] = h[j];
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * {@code MIME_get_token}: the first run of token characters from {@code i} (blanks and comments before it
     * skipped, and anything else passed over), as start in the high and end in the low 32 bits; -1 if none.
     */
    static long token(byte[] h, int i, int end, boolean isBoundary) {
        if (!isBoundary) {
            i = skipBlanksAndComments(h, i, end);
        }
        while (i < end) {
            if (isTokenChar(h[i], isBoundary)) {
                int j = i;
                while (j < end && isTokenChar(h[j], isBoundary)) {
                    j++;
                }
                return (long) i << 32 | j;
            }
            int j = skipBlanksAndComments(h, i, end);
            i = j > i ? j : i + 1;
        }
        return -1;
    }

    /** {@code MIME_skip_lws_comments}: blanks, tabs and parenthesised comments (nested, with escapes). */
    private static int skipBlanksAndComments(byte[] h, int i, int end) {
        while (i < end) {
            if (h[i] == ' ' || h[i] == '\t') {
                i++;
            } else if (h[i] == '(') {
                int depth = 0, j = i;
                for (; j < end; j++) {
                    if (h[j] == '(') {
                        depth++;
                    } else if (h[j] == ')') {
                        if (--depth == 0) {
                            break;
                        }
                    } else if (h[j] == '\\') {
                        j++;
                    }
                }
                i = Math.min(end, j + 1);
            } else {
                return i;
            }
        }
        return end;
    }

    private static boolean isFieldNameChar(byte b) {
        return b >= 33 && b <= 126 && b != ':';
    }

    /** RFC 2045's tspecials, which end a token. */
    private static final AsciiSet TSPECIALS = new AsciiSet("()<>@,;:\\\"/[]?=");

    private static boolean isTokenChar(byte b, boolean isBoundary) {
        if (b < 33 || b > 126) {
            return false;
        }
        return isBoundary ? b != '"' : !TSPECIALS.contains(b);
    }

    private static boolean isCSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** Whether bytes [from, to) are {@code lower} in any case. */
    static boolean nameIs(byte[] h, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int k = 0; k < lower.length(); k++) {
            int c = h[from + k];
            if ((c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    // ---- HTTP's framing ---------------------------------------------------------------------------------------

    /** {@code HTTP_Entity::SubmitHeader}: length, chunks, compression, and the analyzer's {@code Connection}. */
    private void httpHeader(Entity e, int name, byte[] h, int value, int end) {
        long t = token(h, value, end, false);
        int tStart = t < 0 ? end : (int) (t >>> 32), tEnd = t < 0 ? end : (int) t;
        switch (name) {
            case CONTENT_LENGTH -> {
                long n = contentLength(h, value, end);
                if (n >= 0) {
                    e.contentLength = n;
                }
            }
            case TRANSFER_ENCODING -> {
                if (t >= 0 && nameIs(h, tStart, tEnd, "chunked") && http11) {
                    e.chunked = BEFORE_CHUNK;
                }
            }
            case CONTENT_ENCODING -> e.encoded = t >= 0 && (nameIs(h, tStart, tEnd, "gzip")
                    || nameIs(h, tStart, tEnd, "x-gzip") || nameIs(h, tStart, tEnd, "deflate"));
            case CONNECTION -> keepAlive |= depth == 0 && t >= 0 && nameIs(h, tStart, tEnd, "keep-alive");
            default -> upgrade |= depth == 0; // Upgrade
        }
    }

    /** {@code HTTP_Entity::SubmitAllHeaders}: how the body is framed. */
    private void allHeaders(int k, Entity e) {
        if (!http) {
            return;
        }
        if (e.chunked == CHUNK_TRAILER) {
            e.chunked = NOT_CHUNKED;
            endOfData(k);
            return;
        }
        if (e.type != OTHER) {
            return; // lines until the closing boundary (chunks or a length notwithstanding)
        }
        if (e.chunked == BEFORE_CHUNK) {
            e.chunked = CHUNK_SIZE;
        } else if (e.contentLength >= 0) {
            if (e.contentLength > 0) {
                e.expected = e.contentLength;
                plain = e.contentLength;
            } else {
                endOfData(k);
            }
        } else if (e.encoded) {
            opaque = true; // the body runs to the stream's end
        } else if (k == 0) {
            endOfData(k); // a request says it has a body by a length or chunks
        }
    }

    /** {@code HTTP_Entity::Deliver} on a body that is no multipart or message. */
    private void httpBody(int k, Entity e, byte[] d, int o, int kept, int length, boolean line) {
        switch (e.chunked) {
            case CHUNK_SIZE -> {
                long size = hex(d, o, o + kept);
                if (size > 0) {
                    e.chunked = CHUNK_DATA;
                    e.expected = size;
                    plain = size;
                } else { // the last chunk (or a size that does not parse): its trailer follows
                    e.inHeader = true;
                    e.chunked = CHUNK_TRAILER;
                }
            }
            case CHUNK_DATA -> {
                e.bodyBytes += length;
                e.expected -= length;
                if (e.expected <= 0) {
                    plain = 0;
                    e.chunked = CHUNK_CRLF;
                }
            }
            case CHUNK_CRLF -> e.chunked = CHUNK_SIZE;
            default -> {
                e.bodyBytes += line ? length + 2 : length;
                if (e.contentLength >= 0 && !line) {
                    e.expected -= length;
                    if (e.expected <= 0) {
                        plain = 0;
                        endOfData(k);
                    }
                }
            }
        }
    }

    /** Zeek's {@code atoi_n} in base 10: the digits at the start, -1 if none. */
    /**
     * {@code HTTP_Entity}'s reading of a {@code Content-Length} value, bytes [value, end): its first token as a
     * decimal number, 0 when it is none; -1 for a value without a token (the length stays unknown).
     */
    static long contentLength(byte[] h, int value, int end) {
        long t = token(h, value, end, false);
        if (t < 0) {
            return -1;
        }
        long n = decimal(h, (int) (t >>> 32), (int) t);
        return n < 0 ? 0 : n;
    }

    private static long decimal(byte[] h, int i, int end) {
        long n = 0;
        int start = i;
        for (; i < end && h[i] >= '0' && h[i] <= '9'; i++) {
            n = n * 10 + (h[i] - '0');
        }
        return i > start ? n : -1;
    }

    /** Zeek's {@code atoi_n} in base 16: the hex digits at the start; 0 if none. */
    private static long hex(byte[] d, int i, int end) {
        long n = 0;
        for (; i < end; i++) {
            int c = d[i], v;
            if (c >= '0' && c <= '9') {
                v = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                v = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                v = c - 'A' + 10;
            } else {
                break;
            }
            n = n * 16 + v;
        }
        return n;
    }

    // ---- the entity tree --------------------------------------------------------------------------------------

    /** {@code CheckBoundaryDelimiter}: {@code --} and the boundary at the start, then {@code --} for the last. */
    private static int boundary(Entity e, byte[] d, int o, int kept) {
        byte[] b = e.boundary;
        if (kept < 2 + b.length || d[o] != '-' || d[o + 1] != '-') {
            return NO_BOUNDARY;
        }
        if (!Arrays.equals(d, o + 2, o + 2 + b.length, b, 0, b.length)) {
            return NO_BOUNDARY;
        }
        int after = o + 2 + b.length;
        return kept - (after - o) >= 2 && d[after] == '-' && d[after + 1] == '-' ? CLOSING_BOUNDARY : BOUNDARY;
    }

    /** {@code BeginChildEntity}: a part or enclosed message of entity {@code k}, unless that is at the limit. */
    private void beginChild(int k) {
        if (k >= MAX_DEPTH) {
            limit = true; // exceeded_mime_max_depth: what follows goes nowhere until the next boundary
            return;
        }
        depth = k + 1;
        entity(depth).reset();
        headerOpen = false;
    }

    /** Ends the part or enclosed message entity {@code k} is reading, with everything in it. */
    private void endChildren(int k) {
        if (depth > k) {
            headerOpen = false;
            depth = k;
        }
    }

    /** {@code EndOfData} of entity {@code k}: what it is reading ends with it; the message ends with its top. */
    private void endOfData(int k) {
        endChildren(k);
        path[k].ended = true;
    }

    private Entity entity(int k) {
        if (k >= path.length) {
            path = Arrays.copyOf(path, Math.min(MAX_DEPTH + 1, 2 * path.length));
        }
        Entity e = path[k];
        if (e == null) {
            e = path[k] = new Entity();
        }
        return e;
    }
}
