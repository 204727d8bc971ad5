package org.weir.packet.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Unsigned reads from byte arrays in either byte order (capture headers come in both). */
final class Bytes {

    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {
    }

    static int u16(byte[] b, int off, boolean bigEndian) {
        return (bigEndian ? (short) BE16.get(b, off) : (short) LE16.get(b, off)) & 0xFFFF;
    }

    static int i32(byte[] b, int off, boolean bigEndian) {
        return bigEndian ? (int) BE32.get(b, off) : (int) LE32.get(b, off);
    }

    static long u32(byte[] b, int off, boolean bigEndian) {
        return i32(b, off, bigEndian) & 0xFFFF_FFFFL;
    }

    static void put16(byte[] b, int off, int v, boolean bigEndian) {
        if (bigEndian) {
            BE16.set(b, off, (short) v);
        } else {
            LE16.set(b, off, (short) v);
        }
    }

    static void put32(byte[] b, int off, int v, boolean bigEndian) {
        if (bigEndian) {
            BE32.set(b, off, v);
        } else {
            LE32.set(b, off, v);
        }
    }

    /** Big-endian (network order) reads for the decoder. */
    static int be16(byte[] b, int off) {
        return (short) BE16.get(b, off) & 0xFFFF;
    }

    static int be32(byte[] b, int off) {
        return (int) BE32.get(b, off);
    }
}
