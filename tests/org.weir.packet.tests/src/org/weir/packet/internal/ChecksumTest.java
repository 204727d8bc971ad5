package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * {@link Checksum} against a byte-at-a-time RFC 1071 sum: every length, start offset and odd tail, random and
 * carry-heavy contents, and a pseudo-header accumulator chained in as the decoder does.
 */
class ChecksumTest {

    private static final int MAX_LEN = 2000;
    private static final int MAX_OFF = 15;

    /** Big-endian 16-bit words from the start of the range, an odd last byte padded with zero, end-around carry. */
    private static int reference(byte[] d, int off, int len, long acc) {
        for (int k = 0; k < len; k++) {
            int b = d[off + k] & 0xFF;
            acc += (k & 1) == 0 ? b << 8 : b;
        }
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) acc;
    }

    private static int checksum(byte[] d, int off, int len, long acc) {
        return Checksum.fold(Checksum.sum(d, off, len, acc));
    }

    /** Initial accumulators as callers pass them: zero, small pseudo-header sums, and large values. */
    private static long accumulator(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextLong(1 << 20);
            case 2 -> r.nextLong(1L << 48);
            default -> r.nextLong(1L << 62);
        };
    }

    private static void everyLengthAndOffset(byte[] d, SplittableRandom r) {
        for (int len = 0; len <= MAX_LEN; len++) {
            for (int off = 0; off <= MAX_OFF; off++) {
                long acc = accumulator(r);
                assertEquals(reference(d, off, len, acc), checksum(d, off, len, acc),
                        "len " + len + " off " + off + " acc " + acc);
            }
        }
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 after the end-around carry.
        byte[] d = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0xddf2, checksum(d, 0, d.length, 0));
    }

    @Test
    void randomContents() {
        SplittableRandom r = new SplittableRandom(1071);
        byte[] d = new byte[MAX_LEN + MAX_OFF + 16];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < d.length; i++) {
                d[i] = (byte) r.nextInt(256);
            }
            everyLengthAndOffset(d, r);
        }
    }

    @Test
    void carryHeavyAndZeroContents() {
        SplittableRandom r = new SplittableRandom(65535);
        byte[] d = new byte[MAX_LEN + MAX_OFF + 16];
        Arrays.fill(d, (byte) 0xFF);
        everyLengthAndOffset(d, r);
        Arrays.fill(d, (byte) 0);
        everyLengthAndOffset(d, r);
        // Zero data keeps a zero accumulator at zero (not 0xFFFF), as the reference does.
        assertEquals(0, checksum(d, 3, 1000, 0));
    }

    @Test
    void maximumIpPayloadOfOnes() {
        SplittableRandom r = new SplittableRandom(7);
        byte[] d = new byte[65535 + MAX_OFF + 16];
        Arrays.fill(d, (byte) 0xFF);
        for (int len = 65535 - 16; len <= 65535; len++) {
            for (int off = 0; off <= MAX_OFF; off++) {
                long acc = accumulator(r);
                assertEquals(reference(d, off, len, acc), checksum(d, off, len, acc), "len " + len + " off " + off);
            }
        }
    }

    @Test
    void pseudoHeaderChainedLikeTheDecoder() {
        // IPv4 header at `ip`, an odd-length payload at `l4`: the pseudo-header (addresses, protocol, length) is
        // summed first and its accumulator passed on, then a correct checksum field must fold to 0xFFFF.
        SplittableRandom r = new SplittableRandom(17);
        byte[] d = new byte[20 + 1501 + MAX_OFF];
        for (int trial = 0; trial < 2000; trial++) {
            for (int i = 0; i < d.length; i++) {
                d[i] = (byte) r.nextInt(256);
            }
            int ip = r.nextInt(MAX_OFF + 1);
            int l4 = ip + 20;
            int len = 8 + r.nextInt(1494);
            d[l4 + 6] = d[l4 + 7] = 0; // UDP checksum field
            long pseudo = 17L + len;
            byte[] words = Arrays.copyOfRange(d, ip + 12, ip + 20);
            int expected = reference(d, l4, len, reference(words, 0, 8, pseudo));
            long acc = Checksum.sum(d, ip + 12, 8, pseudo);
            assertEquals(expected, Checksum.fold(Checksum.sum(d, l4, len, acc)));
            int field = ~expected & 0xFFFF;
            d[l4 + 6] = (byte) (field >>> 8);
            d[l4 + 7] = (byte) field;
            assertEquals(0xFFFF, Checksum.fold(Checksum.sum(d, l4, len, Checksum.sum(d, ip + 12, 8, pseudo))));
        }
    }
}
