package org.weir.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID flow hashing, version 1: {@code "1:" + base64(SHA-1(seed, saddr, daddr, proto, 0, sport, dport))}
 * over the endpoints in canonical order. ICMP uses type and counterpart type (or code, for one-way messages)
 * as ports; one-way ICMP messages keep their direction. {@link Session#communityId()} computes it on first use.
 */
public final class CommunityId {

    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing from the JDK", e);
        }
    });

    private CommunityId() {
    }

    public static String v1(Session s, int seed) {
        int proto = s.ipProtocol();
        byte[] a = IpAddress.toBytes(s.origHi(), s.origLo());
        byte[] b = IpAddress.toBytes(s.respHi(), s.respLo());
        int pa = s.origPort(), pb = s.respPort();
        boolean hasPorts = proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58;
        boolean oneWay = false;
        if (proto == 1 || proto == 58) {
            oneWay = IcmpPorts.counterpart(proto == 58, pa) < 0;
        }
        if (!oneWay && !ordered(a, pa, b, pb)) {
            byte[] t = a;
            a = b;
            b = t;
            int tp = pa;
            pa = pb;
            pb = tp;
        }
        MessageDigest sha1 = SHA1.get();
        sha1.reset();
        sha1.update((byte) (seed >>> 8));
        sha1.update((byte) seed);
        sha1.update(a);
        sha1.update(b);
        sha1.update((byte) proto);
        sha1.update((byte) 0);
        if (hasPorts) {
            sha1.update(new byte[] {(byte) (pa >>> 8), (byte) pa, (byte) (pb >>> 8), (byte) pb});
        }
        return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
    }

    private static boolean ordered(byte[] a, int pa, byte[] b, int pb) {
        int c = java.util.Arrays.compareUnsigned(a, b);
        return c < 0 || (c == 0 && pa <= pb);
    }
}
