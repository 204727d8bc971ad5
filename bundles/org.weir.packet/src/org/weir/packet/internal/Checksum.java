package org.weir.packet.internal;

/** The Internet checksum (RFC 1071), summed eight bytes at a time into a long and folded at the end. */
final class Checksum {

    private static final java.lang.invoke.VarHandle BE64 = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    /** Adds {@code len} bytes from {@code off} (big-endian 16-bit words, odd tail padded with zero) to {@code acc}. */
    static long sum(byte[] d, int off, int len, long acc) {
        int i = off;
        // Eight bytes per step as two 32-bit halves: a long cannot overflow for any IP packet length.
        // Keep this a plain loop with one accumulator: C2 vectorizes it, byte swap included. Several accumulators
        // prevent that and measured slower; little-endian loads with one swap of the sum measured the same.
        int stop8 = off + (len & ~7);
        while (i < stop8) {
            long x = (long) BE64.get(d, i);
            acc += (x >>> 32) + (x & 0xFFFF_FFFFL);
            i += 8;
        }
        if ((len & 4) != 0) {
            acc += Bytes.be32(d, i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if ((len & 2) != 0) {
            acc += Bytes.be16(d, i);
            i += 2;
        }
        if ((len & 1) != 0) {
            acc += (d[i] & 0xFF) << 8;
        }
        return acc;
    }

    /**
     * The sum of 20 bytes from {@code off} (an IPv4 header without options, the head of a segment): five loads,
     * without the loop's set-up, which costs more than the sum itself at this length.
     */
    static long sum20(byte[] d, int off) {
        return (Bytes.be32(d, off) & 0xFFFF_FFFFL) + (Bytes.be32(d, off + 4) & 0xFFFF_FFFFL)
                + (Bytes.be32(d, off + 8) & 0xFFFF_FFFFL) + (Bytes.be32(d, off + 12) & 0xFFFF_FFFFL)
                + (Bytes.be32(d, off + 16) & 0xFFFF_FFFFL);
    }

    /** Folds a sum to 16 bits; a correct packet including its checksum field folds to 0xFFFF. */
    static int fold(long acc) {
        acc = (acc >>> 32) + (acc & 0xFFFF_FFFFL);
        acc = (acc >>> 16) + (acc & 0xFFFF);
        acc = (acc >>> 16) + (acc & 0xFFFF);
        acc = (acc >>> 16) + (acc & 0xFFFF);
        return (int) acc;
    }
}
