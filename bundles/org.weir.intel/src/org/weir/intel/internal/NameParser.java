package org.weir.intel.internal;

import java.nio.charset.StandardCharsets;

import org.weir.core.TlsServerName;

/**
 * Allocation-free readers of the names a capture carries: DNS/mDNS answers (A and AAAA records), the
 * server_name of a TLS ClientHello and the Host header of an HTTP request. Each works on the captured bytes in
 * place, writes names (ASCII, lower case, no trailing dot) into a reusable buffer and never reads past the
 * bytes it is given (the ClientHello is walked by {@link TlsServerName}, which the session table shares); malformed or
 * truncated input is ignored. One instance per pipeline thread.
 */
final class NameParser {

    static final int TYPE_A = 1, TYPE_CNAME = 5, TYPE_AAAA = 28;

    /** Receives one address → name record of a DNS message. */
    interface AnswerSink {
        /** {@code name} is in bytes [0, len) of the buffer; valid during the call only. */
        void answer(long hi, long lo, byte[] name, int len);
    }

    /** Name buffer (a DNS name has at most 255 bytes in wire form, 253 as text). */
    final byte[] name = new byte[256];
    int nameLength;
    private final byte[] owner = new byte[256];
    private int ownerLength;

    /**
     * Reads a DNS response (message bytes [off, off+len) of {@code d}) and reports every A/AAAA answer. DNS: the
     * answer section; the name reported is the question's name when the message asks one question (so an address
     * reached through a CNAME chain carries the name that was asked for), else the record's owner name. Multicast
     * DNS: every section (devices announce their addresses as additional records), under the owner name.
     *
     * @return the number of answers reported
     */
    int dnsAnswers(byte[] d, int off, int len, AnswerSink sink, boolean multicast) {
        if (len < 12) {
            return 0;
        }
        int end = off + len;
        int flags = u16(d, off + 2);
        if ((flags & 0x8000) == 0 || (flags & 0x7800) != 0 || (flags & 0x000F) != 0) {
            return 0; // not a response, not a standard query, or an error rcode
        }
        int qd = u16(d, off + 4), an = u16(d, off + 6);
        if (multicast) {
            an += u16(d, off + 8) + u16(d, off + 10);
        }
        if (an == 0) {
            return 0;
        }
        int pos = off + 12;
        nameLength = 0;
        for (int q = 0; q < qd; q++) {
            pos = readName(d, off, end, pos, q == 0 ? name : owner, q == 0);
            if (pos < 0 || pos + 4 > end) {
                return 0;
            }
            pos += 4;
        }
        boolean useQuestion = !multicast && qd == 1 && nameLength > 0;
        int reported = 0;
        for (int a = 0; a < an; a++) {
            pos = readName(d, off, end, pos, owner, false);
            if (pos < 0 || pos + 10 > end) {
                return reported;
            }
            int type = u16(d, pos), cls = u16(d, pos + 2) & 0x7FFF; // mDNS: top bit is cache-flush
            int rdlen = u16(d, pos + 8);
            pos += 10;
            if (pos + rdlen > end) {
                return reported;
            }
            if (cls == 1 && (type == TYPE_A && rdlen == 4 || type == TYPE_AAAA && rdlen == 16)) {
                long hi, lo;
                if (type == TYPE_A) {
                    hi = 0;
                    lo = org.weir.core.IpAddress.v4Lo(u16(d, pos) << 16 | u16(d, pos + 2));
                } else {
                    hi = u64(d, pos);
                    lo = u64(d, pos + 8);
                }
                if (useQuestion) {
                    sink.answer(hi, lo, name, nameLength);
                } else if (ownerLength > 0) {
                    sink.answer(hi, lo, owner, ownerLength);
                }
                reported++;
            }
            pos += rdlen;
        }
        return reported;
    }

    /**
     * Reads a (possibly compressed) name at {@code pos}; returns the offset after it in the message, or -1 when
     * malformed. The text goes to {@code out} ({@link #nameLength} or the owner length).
     */
    private int readName(byte[] d, int msg, int end, int pos, byte[] out, boolean question) {
        int n = 0, after = -1, jumps = 0;
        boolean valid = true;
        while (true) {
            if (pos >= end) {
                return -1;
            }
            int l = d[pos] & 0xFF;
            if (l == 0) {
                pos++;
                break;
            }
            if ((l & 0xC0) == 0xC0) {
                if (pos + 1 >= end || ++jumps > 32) {
                    return -1;
                }
                if (after < 0) {
                    after = pos + 2;
                }
                pos = msg + ((l & 0x3F) << 8 | (d[pos + 1] & 0xFF));
                continue;
            }
            if ((l & 0xC0) != 0 || pos + 1 + l > end) {
                return -1;
            }
            if (n + l + 1 > 254) {
                return -1;
            }
            if (n > 0) {
                out[n++] = '.';
            }
            for (int i = pos + 1; i <= pos + l; i++) {
                int c = d[i] & 0xFF;
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    valid = false;
                }
                out[n++] = (byte) c;
            }
            pos += l + 1;
        }
        int len = valid ? n : 0;
        if (out == name) {
            nameLength = len;
        } else {
            ownerLength = len;
        }
        return after >= 0 ? after : pos;
    }

    /**
     * The server_name of a TLS ClientHello at the start of a client payload (bytes [off, off+len)), into
     * {@link #name}; returns false when the payload is not a ClientHello or the name lies beyond the captured
     * bytes.
     */
    boolean tlsServerName(byte[] d, int off, int len) {
        long at = TlsServerName.find(d, off, len);
        return at >= 0 && hostName(d, (int) (at >>> 32), (int) (at >>> 32) + (int) at);
    }

    /** A server name a session table read (from a QUIC ClientHello), into {@link #name} if it is a host name. */
    boolean serverName(String sni) {
        byte[] b = sni.getBytes(StandardCharsets.ISO_8859_1);
        return hostName(b, 0, b.length);
    }

    /** {@link #httpHost} outcomes. */
    static final int HOST = 1, NO_HOST = 0, MORE = -1;

    /**
     * The Host header of an HTTP/1.x request at the start of bytes [off, off + len) of {@code d}, without port, into
     * {@link #name}: {@link #HOST}; {@link #NO_HOST} when the bytes do not start with a request or its headers end
     * without a usable Host (an address literal is not a name); {@link #MORE} when an HTTP/1.x request's line or
     * header block goes on past the bytes given (a long URL or cookie puts Host in a later segment).
     */
    int httpHost(byte[] d, int off, int len) {
        int end = off + len;
        if (!isMethod(d, off, end)) {
            return NO_HOST;
        }
        // Only an HTTP/1.x request line lets the head be gathered from later segments: line protocols' commands
        // (SMTP's EHLO) look like methods too. Their bytes are still searched, as damaged requests are.
        boolean printable = true;
        int i = off;
        while (i < end && d[i] != '\n') {
            int c = d[i++] & 0xFF;
            printable &= c >= 0x20 && c != 0x7F || c == '\r' || c == '\t';
        }
        if (i == end) {
            return printable ? MORE : NO_HOST;
        }
        int v = d[i - 1] == '\r' ? i - 2 : i - 1; // the version's last digit
        int more = printable && v - 7 >= off && d[v] >= '0' && d[v] <= '9' && d[v - 7] == 'H' && d[v - 6] == 'T'
                && d[v - 5] == 'T' && d[v - 4] == 'P' && d[v - 3] == '/' && d[v - 2] == '1' && d[v - 1] == '.'
                ? MORE : NO_HOST;
        // Find "\nhost:" (case-insensitive) within the header block.
        for (; i < end; i++) {
            if (d[i] != '\n') {
                continue;
            }
            if (i + 1 < end && (d[i + 1] == '\r' || d[i + 1] == '\n')) {
                return NO_HOST; // end of headers
            }
            if (i + 6 >= end) {
                return more;
            }
            if ((d[i + 1] | 0x20) == 'h' && (d[i + 2] | 0x20) == 'o' && (d[i + 3] | 0x20) == 's'
                    && (d[i + 4] | 0x20) == 't' && d[i + 5] == ':') {
                int s = i + 6;
                while (s < end && (d[s] == ' ' || d[s] == '\t')) {
                    s++;
                }
                int e = s;
                while (e < end && d[e] != '\r' && d[e] != '\n' && d[e] != ':' && d[e] != ' ') {
                    e++;
                }
                if (e == end) {
                    return more;
                }
                if (s == e || d[s] == '[') {
                    return NO_HOST; // empty, or an IPv6 literal
                }
                return hostName(d, s, e) && !isDottedNumbers() ? HOST : NO_HOST;
            }
        }
        return more;
    }

    /** The payload starts with an upper-case token of 3 to 7 letters and a space (a request method). */
    static boolean isMethod(byte[] d, int off, int end) {
        int sp = -1;
        for (int i = off; i < Math.min(end, off + 8); i++) {
            int c = d[i];
            if (c == ' ') {
                sp = i;
                break;
            }
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return sp > off + 2;
    }

    /** Copies a host name (letters, digits, '-', '_', '.') lower-cased into {@link #name}. */
    private boolean hostName(byte[] d, int s, int e) {
        if (e - s < 1 || e - s > 253) {
            return false;
        }
        int n = 0;
        for (int i = s; i < e; i++) {
            int c = d[i] & 0xFF;
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                return false;
            }
            name[n++] = (byte) c;
        }
        if (name[n - 1] == '.') {
            n--;
        }
        nameLength = n;
        return n > 0 && name[0] != '.';
    }

    private boolean isDottedNumbers() {
        for (int i = 0; i < nameLength; i++) {
            int c = name[i];
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] d, int o) {
        return (d[o] & 0xFF) << 8 | (d[o + 1] & 0xFF);
    }

    private static long u64(byte[] d, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (d[o + i] & 0xFF);
        }
        return v;
    }
}
