package org.weir.session.internal;

/** A set of ASCII characters as two 64-bit masks: membership without a search, for parsers that test every byte. */
final class AsciiSet {

    private final long low, high;

    AsciiSet(String chars) {
        long l = 0, h = 0;
        for (int k = 0; k < chars.length(); k++) {
            int c = chars.charAt(k);
            if (c < 64) {
                l |= 1L << c;
            } else if (c < 128) {
                h |= 1L << (c - 64);
            } else {
                throw new IllegalArgumentException("not ASCII: " + c);
            }
        }
        low = l;
        high = h;
    }

    /** Whether byte or character {@code c} (0 to 255) is in the set. */
    boolean contains(int c) {
        return c < 64 ? (low >>> c & 1) != 0 : c < 128 && (high >>> (c - 64) & 1) != 0;
    }
}
