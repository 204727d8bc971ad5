package org.weir.intel.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.weir.core.IpAddress;
import org.weir.core.Subnet;
import org.weir.intel.Blacklists;
import org.weir.intel.FeedException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Reads blacklist files into a {@link RangeIndex.Builder}; errors name file, line and column. */
final class BlacklistParser {

    private static final JsonFactory JSON = new JsonFactory();

    /** What one file contributed: list index and entry count per list. */
    record Loaded(String name, String tag, int list, int entries) {
    }

    private BlacklistParser() {
    }

    static String tagFor(String name, boolean torExits) {
        return torExits ? Blacklists.TOR_EXIT_TAG : Blacklists.TAG_PREFIX + name;
    }

    /** A line list (FireHOL netset/ipset, ipsum, Tor lists, custom). */
    static Loaded parseLines(Path file, byte[] data, String name, boolean torExits, RangeIndex.Builder out)
            throws FeedException {
        String tag = tagFor(name, torExits);
        int list = out.addList(name, tag);
        String text = new String(data, StandardCharsets.UTF_8);
        long[] r = new long[4];
        int entries = 0, lineNo = 0, pos = 0, len = text.length();
        while (pos < len) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) {
                eol = len;
            }
            lineNo++;
            int start = pos;
            pos = eol + 1;
            int end = start;
            while (end < eol && text.charAt(end) != '#') { // a comment runs to the end of its line
                end++;
            }
            int t = start;
            while (t < end && Character.isWhitespace(text.charAt(t))) {
                t++;
            }
            if (t == end) {
                continue;
            }
            int te = t;
            while (te < end && !Character.isWhitespace(text.charAt(te))) {
                te++;
            }
            String token = text.substring(t, te);
            if (lineNo == 1 && token.charAt(0) == '\uFEFF') {
                token = token.substring(1);
            }
            try {
                parseEntry(token, r);
            } catch (IllegalArgumentException e) {
                throw new FeedException(file, lineNo, t - start + 1, "bad entry '" + token + "': " + e.getMessage());
            }
            out.add(list, r[0], r[1], r[2], r[3]);
            entries++;
        }
        return new Loaded(name, tag, list, entries);
    }

    /** EDAMAME's blacklist database, as published: one list per element of {@code blacklists}. */
    static List<Loaded> parseEdamame(Path file, byte[] data, RangeIndex.Builder out) throws FeedException {
        List<Loaded> loaded = new ArrayList<>();
        try (JsonParser p = JSON.createParser(data)) {
            expect(file, p, p.nextToken(), JsonToken.START_OBJECT, "a JSON object");
            boolean sawLists = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if ("blacklists".equals(field)) {
                    expect(file, p, v, JsonToken.START_ARRAY, "an array of blacklists");
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        loaded.add(parseList(file, p, out));
                    }
                    sawLists = true;
                } else {
                    p.skipChildren(); // date, signature: informational
                }
            }
            if (!sawLists) {
                throw new FeedException(file, 1, 1, "no \"blacklists\" array: not an EDAMAME blacklist database");
            }
        } catch (IOException e) {
            throw FeedException.reading(file, e);
        }
        return loaded;
    }

    private static Loaded parseList(Path file, JsonParser p, RangeIndex.Builder out) throws IOException {
        expect(file, p, p.currentToken(), JsonToken.START_OBJECT, "a blacklist object");
        JsonLocation at = p.currentTokenLocation();
        String name = null;
        List<long[]> ranges = new ArrayList<>();
        long[] r = new long[4];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
            case "name" -> {
                expect(file, p, v, JsonToken.VALUE_STRING, "the list name as a string");
                name = p.getText();
            }
            case "ip_ranges" -> {
                expect(file, p, v, JsonToken.START_ARRAY, "an array of ranges");
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    expect(file, p, p.currentToken(), JsonToken.VALUE_STRING, "an address or CIDR string");
                    try {
                        parseEntry(p.getText().trim(), r);
                    } catch (IllegalArgumentException e) {
                        throw error(file, p, "bad range '" + p.getText() + "': " + e.getMessage());
                    }
                    ranges.add(r.clone());
                }
            }
            default -> p.skipChildren();
            }
        }
        if (name == null || name.isBlank()) {
            throw new FeedException(file, at.getLineNr(), at.getColumnNr(), "blacklist without a \"name\"");
        }
        String tag = tagFor(name, false);
        int list = out.addList(name, tag);
        for (long[] x : ranges) {
            out.add(list, x[0], x[1], x[2], x[3]);
        }
        return new Loaded(name, tag, list, ranges.size());
    }

    private static void expect(Path file, JsonParser p, JsonToken actual, JsonToken wanted, String what)
            throws FeedException {
        if (actual != wanted) {
            String found = actual == null ? "end of input"
                    : actual.asString() != null ? "'" + actual.asString() + "'" : actual.name().toLowerCase();
            throw error(file, p, "expected " + what + ", found " + found);
        }
    }

    private static FeedException error(Path file, JsonParser p, String message) {
        JsonLocation l = p.currentTokenLocation();
        return new FeedException(file, l.getLineNr(), l.getColumnNr(), message);
    }

    /**
     * An address, CIDR network or {@code first-last} range into {@code r} = start hi, lo, end hi, lo.
     *
     * @throws IllegalArgumentException with the reason
     */
    static void parseEntry(String token, long[] r) {
        if (parseIpv4(token, r)) {
            return;
        }
        int dash = token.indexOf('-');
        if (dash > 0) {
            long[] a = new long[2], b = new long[2];
            IpAddress.parse(token.substring(0, dash).trim(), a);
            IpAddress.parse(token.substring(dash + 1).trim(), b);
            if (IpAddress.isV4(a[0], a[1]) != IpAddress.isV4(b[0], b[1])) {
                throw new IllegalArgumentException("range mixes IPv4 and IPv6");
            }
            if (RangeIndex.compare(a[0], a[1], b[0], b[1]) > 0) {
                throw new IllegalArgumentException("range ends before it starts");
            }
            r[0] = a[0];
            r[1] = a[1];
            r[2] = b[0];
            r[3] = b[1];
            return;
        }
        Subnet s = Subnet.parse(token);
        int bits = s.prefixLength();
        r[0] = s.hi();
        r[1] = s.lo();
        long hostHi = bits >= 64 ? 0 : (bits == 0 ? -1L : -1L >>> bits);
        long hostLo = bits <= 64 ? -1L : (bits >= 128 ? 0 : -1L >>> (bits - 64));
        r[2] = s.hi() | hostHi;
        r[3] = s.lo() | hostLo;
    }

    /**
     * Fast path for the common {@code a.b.c.d} and {@code a.b.c.d/n} (lists have hundreds of thousands); false
     * for anything else, which then takes the general path and its error messages.
     */
    private static boolean parseIpv4(String t, long[] r) {
        int len = t.length(), i = 0;
        long addr = 0;
        for (int octet = 0; octet < 4; octet++) {
            int start = i, v = 0;
            while (i < len && i - start < 3 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                v = v * 10 + (t.charAt(i++) - '0');
            }
            if (i == start || v > 255 || (i - start > 1 && t.charAt(start) == '0')) {
                return false;
            }
            addr = (addr << 8) | v;
            if (octet < 3) {
                if (i >= len || t.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        int bits = 32;
        if (i < len) {
            if (t.charAt(i) != '/' || i + 1 == len || len - i > 3) {
                return false;
            }
            bits = 0;
            for (int k = i + 1; k < len; k++) {
                char c = t.charAt(k);
                if (c < '0' || c > '9') {
                    return false;
                }
                bits = bits * 10 + (c - '0');
            }
            if (bits > 32) {
                return false;
            }
        }
        long mask = bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL;
        r[0] = 0;
        r[1] = IpAddress.v4Lo((int) (addr & mask));
        r[2] = 0;
        r[3] = IpAddress.v4Lo((int) ((addr & mask) | (~mask & 0xFFFF_FFFFL)));
        return true;
    }
}
