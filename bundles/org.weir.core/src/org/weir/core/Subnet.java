package org.weir.core;

/**
 * An IPv4 or IPv6 network in CIDR notation. IPv4 networks are held IPv4-mapped, so their prefix length is
 * stored plus 96 and they only match IPv4 addresses.
 */
public record Subnet(long hi, long lo, int prefixLength, String text) {

    /** Parses {@code a.b.c.d/n}, {@code x::y/n} or a bare address (a host network). */
    public static Subnet parse(String cidr) {
        String s = cidr.trim();
        if (s.startsWith("[")) {
            s = s.replace("[", "").replace("]", "");
        }
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        long[] a = new long[2];
        IpAddress.parse(address, a);
        boolean v4 = IpAddress.isV4(a[0], a[1]);
        int max = v4 ? 32 : 128;
        int len;
        try {
            len = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
        }
        if (len < 0 || len > max) {
            throw new IllegalArgumentException("prefix length out of range in '" + cidr + "'");
        }
        int bits = v4 ? len + 96 : len;
        return new Subnet(a[0] & maskHi(bits), a[1] & maskLo(bits), bits, s);
    }

    public boolean contains(long addrHi, long addrLo) {
        return (addrHi & maskHi(prefixLength)) == hi && (addrLo & maskLo(prefixLength)) == lo;
    }

    private static long maskHi(int bits) {
        return bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
    }

    private static long maskLo(int bits) {
        return bits <= 64 ? 0 : bits >= 128 ? -1L : -1L << (128 - bits);
    }

    @Override
    public String toString() {
        return text;
    }
}
