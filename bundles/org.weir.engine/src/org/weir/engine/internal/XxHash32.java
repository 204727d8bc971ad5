package org.weir.engine.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * xxHash32 with seed 0, fed in pieces: the checksum of LZ4 frames (their descriptor, blocks and content). Written
 * from the algorithm's specification (four lanes of 32-bit multiply-rotate rounds over 16-byte stripes, then the
 * tail and an avalanche).
 */
final class XxHash32 {

    private static final int P1 = 0x9E3779B1;
    private static final int P2 = 0x85EBCA77;
    private static final int P3 = 0xC2B2AE3D;
    private static final int P4 = 0x27D4EB2F;
    private static final int P5 = 0x165667B1;
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private int v1;
    private int v2;
    private int v3;
    private int v4;
    private long length;
    /** Bytes of an unfinished stripe. */
    private final byte[] stripe = new byte[16];
    private int buffered;

    XxHash32() {
        reset();
    }

    void reset() {
        v1 = P1 + P2;
        v2 = P2;
        v3 = 0;
        v4 = -P1;
        length = 0;
        buffered = 0;
    }

    /** The hash of {@code len} bytes of {@code b} from {@code off}, on its own. */
    static int of(byte[] b, int off, int len) {
        XxHash32 h = new XxHash32();
        h.update(b, off, len);
        return h.value();
    }

    void update(byte[] b, int off, int len) {
        length += len;
        if (buffered > 0) {
            int take = Math.min(len, 16 - buffered);
            System.arraycopy(b, off, stripe, buffered, take);
            buffered += take;
            off += take;
            len -= take;
            if (buffered < 16) {
                return;
            }
            round(stripe, 0);
            buffered = 0;
        }
        int end = off + len;
        for (; off + 16 <= end; off += 16) {
            round(b, off);
        }
        buffered = end - off;
        System.arraycopy(b, off, stripe, 0, buffered);
    }

    private void round(byte[] b, int off) {
        v1 = Integer.rotateLeft(v1 + le32(b, off) * P2, 13) * P1;
        v2 = Integer.rotateLeft(v2 + le32(b, off + 4) * P2, 13) * P1;
        v3 = Integer.rotateLeft(v3 + le32(b, off + 8) * P2, 13) * P1;
        v4 = Integer.rotateLeft(v4 + le32(b, off + 12) * P2, 13) * P1;
    }

    /** The hash of everything given since the last reset. */
    int value() {
        int h = length >= 16
                ? Integer.rotateLeft(v1, 1) + Integer.rotateLeft(v2, 7) + Integer.rotateLeft(v3, 12)
                        + Integer.rotateLeft(v4, 18)
                : P5;
        h += (int) length;
        int i = 0;
        for (; i + 4 <= buffered; i += 4) {
            h = Integer.rotateLeft(h + le32(stripe, i) * P3, 17) * P4;
        }
        for (; i < buffered; i++) {
            h = Integer.rotateLeft(h + (stripe[i] & 0xFF) * P5, 11) * P1;
        }
        h ^= h >>> 15;
        h *= P2;
        h ^= h >>> 13;
        h *= P3;
        h ^= h >>> 16;
        return h;
    }

    static int le32(byte[] b, int off) {
        return (int) LE32.get(b, off);
    }
}
