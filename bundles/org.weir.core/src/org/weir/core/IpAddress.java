package org.weir.core;

/**
 * 128-bit addresses held in two longs, as on the packet path. IPv4 is stored IPv4-mapped
 * ({@code ::ffff:a.b.c.d}: {@code hi == 0}, {@code lo == 0x0000_FFFF_xxxx_xxxxL}).
 */
public final class IpAddress {

    private static final long V4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    private IpAddress() {
    }

    /** The {@code lo} half of an IPv4-mapped address ({@code hi} is 0). */
    public static long v4Lo(int ipv4) {
        return V4_MAPPED_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    public static boolean isV4(long hi, long lo) {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_PREFIX;
    }

    /** Zeek-style text: dotted quad for IPv4, RFC 5952 compressed lower-case for IPv6. */
    public static String toString(long hi, long lo) {
        StringBuilder sb = new StringBuilder(39);
        appendTo(sb, hi, lo);
        return sb.toString();
    }

    /** An address and port as {@code 10.0.0.1:80} or {@code [2001:db8::1]:80}. */
    public static String endpoint(long hi, long lo, int port) {
        StringBuilder sb = new StringBuilder(48);
        boolean v4 = isV4(hi, lo);
        sb.append(v4 ? "" : "[");
        appendTo(sb, hi, lo);
        return sb.append(v4 ? ":" : "]:").append(port).toString();
    }

    public static void appendTo(StringBuilder sb, long hi, long lo) {
        if (isV4(hi, lo)) {
            sb.append((lo >>> 24) & 0xFF).append('.').append((lo >>> 16) & 0xFF).append('.')
                    .append((lo >>> 8) & 0xFF).append('.').append(lo & 0xFF);
            return;
        }
        // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8;) {
            if (group(hi, lo, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(hi, lo, j) == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            appendHex(sb, group(hi, lo, i));
        }
    }

    /** The 16-bit group {@code i} (0..7) of an address. */
    private static int group(long hi, long lo, int i) {
        return (int) ((i < 4 ? hi : lo) >>> (48 - 16 * (i & 3))) & 0xFFFF;
    }

    /** Lower-case hex without leading zeros, as {@code Integer.toHexString} writes it. */
    private static void appendHex(StringBuilder sb, int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (v >>> shift) & 0xF;
            if (d != 0 || started || shift == 0) {
                sb.append(Character.forDigit(d, 16));
                started = true;
            }
        }
    }

    /**
     * Parses an IPv4 or IPv6 literal into {@code out[0]} (hi) and {@code out[1]} (lo).
     *
     * @throws IllegalArgumentException when the text is not an address literal
     */
    public static void parse(String text, long[] out) {
        byte[] bytes = toBytes(text);
        if (bytes.length == 4) {
            out[0] = 0;
            out[1] = v4Lo(((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8)
                    | (bytes[3] & 0xFF));
            return;
        }
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (bytes[i] & 0xFF);
            lo = (lo << 8) | (bytes[i + 8] & 0xFF);
        }
        out[0] = hi;
        out[1] = lo;
    }

    /** 4 bytes for IPv4 (including mapped), 16 for IPv6, network order. */
    public static byte[] toBytes(long hi, long lo) {
        if (isV4(hi, lo)) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /** Four dot-separated decimal numbers (their range is left to the parser). */
    private static boolean isDottedQuad(String text) {
        int parts = 1, digits = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != '.') {
                digits++;
            } else if (digits == 0) {
                return false;
            } else {
                parts++;
                digits = 0;
            }
        }
        return parts == 4 && digits > 0;
    }

    private static byte[] toBytes(String text) {
        if (text == null || text.isEmpty() || !(text.indexOf(':') >= 0 || text.indexOf('.') >= 0)) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        // Hex digits only with a colon (IPv6): "cafe.be" would otherwise reach the resolver as a host name.
        boolean v6 = text.indexOf(':') >= 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((v6 ? Character.digit(c, 16) : Character.digit(c, 10)) >= 0 || c == '.' || c == ':')) {
                throw new IllegalArgumentException("not an IP address: '" + text + "'");
            }
        }
        if (!v6 && !isDottedQuad(text)) {
            // InetAddress would take inet_aton's short forms: "10.1" is 10.0.0.1, so "10.1/16" would be 10.0/16.
            throw new IllegalArgumentException("not an IP address: '" + text
                    + "' (IPv4 is four numbers from 0 to 255: a.b.c.d)");
        }
        try {
            // Only literals reach this point, so no name resolution happens.
            return java.net.InetAddress.getByName(text).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }
}
