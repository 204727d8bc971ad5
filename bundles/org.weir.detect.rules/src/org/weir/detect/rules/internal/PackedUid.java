package org.weir.detect.rules.internal;

/**
 * A session uid in two longs instead of a string (about 64 bytes), for state kept per pair or host long after the
 * session is gone: Zeek-style uids ("C" and up to 17 base62 digits) pack as 6-bit character codes, ten per long,
 * and unpack to an equal string. A uid that does not pack (null, empty, longer than {@value #MAX_LENGTH} or with
 * other characters) gets {@link #UNPACKED} and must be kept as it is.
 */
final class PackedUid {

    /** The {@link #high} of a uid that does not pack; never that of one that does (its top bits are zero). */
    static final long UNPACKED = -1;
    static final int MAX_LENGTH = 20;
    private static final int PER_LONG = 10, BITS = 6;

    private PackedUid() {
    }

    /** The uid's first ten characters, or {@link #UNPACKED}. */
    static long high(String uid) {
        if (uid == null || uid.isEmpty() || uid.length() > MAX_LENGTH) {
            return UNPACKED;
        }
        for (int i = 0; i < uid.length(); i++) {
            if (code(uid.charAt(i)) == 0) {
                return UNPACKED;
            }
        }
        return pack(uid, 0);
    }

    /** The uid's characters after the first ten (for a uid whose {@link #high} is not {@link #UNPACKED}). */
    static long low(String uid) {
        return pack(uid, PER_LONG);
    }

    static String unpack(long high, long low) {
        char[] c = new char[MAX_LENGTH];
        int n = unpack(high, c, 0);
        if (n == PER_LONG) {
            n = unpack(low, c, n);
        }
        return new String(c, 0, n);
    }

    /** Characters {@code from} to {@code from + 9} (as far as there are), the first in the lowest bits. */
    private static long pack(String uid, int from) {
        long v = 0;
        int to = Math.min(uid.length(), from + PER_LONG);
        for (int i = to - 1; i >= from; i--) {
            v = v << BITS | code(uid.charAt(i));
        }
        return v;
    }

    private static int unpack(long v, char[] c, int n) {
        for (int i = 0; i < PER_LONG; i++, v >>>= BITS) {
            int code = (int) (v & (1 << BITS) - 1);
            if (code == 0) {
                break;
            }
            c[n++] = code <= 10 ? (char) ('0' + code - 1) : code <= 36 ? (char) ('A' + code - 11)
                    : (char) ('a' + code - 37);
        }
        return n;
    }

    /** 1-62 for a base62 digit, 0 for anything else (0 also ends a packed uid). */
    private static int code(char ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0' + 1;
        }
        if (ch >= 'A' && ch <= 'Z') {
            return ch - 'A' + 11;
        }
        if (ch >= 'a' && ch <= 'z') {
            return ch - 'a' + 37;
        }
        return 0;
    }
}
