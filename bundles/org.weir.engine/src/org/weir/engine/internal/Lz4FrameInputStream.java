package org.weir.engine.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The decompressed bytes of LZ4 frames (the format of the {@code lz4} tool and of Wireshark's {@code .lz4}
 * captures), written from the LZ4 frame and block format specifications: concatenated and skippable frames,
 * independent and linked blocks, stored blocks, and the block, content and descriptor checksums where a frame has
 * them. Pure Java, bounds-checked: damaged input ends in an {@link IOException}, input that stops within a frame in
 * an {@link EOFException}, and nothing is read or written outside its buffers.
 */
final class Lz4FrameInputStream extends InputStream {

    static final int MAGIC = 0x184D2204;
    static final int LEGACY_MAGIC = 0x184C2102;
    private static final int SKIPPABLE_MAGIC = 0x184D2A50; // the low four bits are free
    /** How far back a match in a linked block may reach, into the blocks before it. */
    private static final int WINDOW = 64 << 10;
    private static final int MIN_MATCH = 4;

    private final InputStream in;
    private final byte[] word = new byte[4];
    private final byte[] one = new byte[1];
    private final XxHash32 contentHash = new XxHash32();

    private boolean inFrame;
    private boolean independentBlocks;
    private boolean blockChecksums;
    private boolean contentChecksum;
    private int maxBlock;
    /** A block as stored. */
    private byte[] block = new byte[0];
    /** Decompressed bytes: a linked block's window of the output before it, then the block's output. */
    private byte[] out = new byte[0];
    private int outStart;
    private int outEnd;

    Lz4FrameInputStream(InputStream in) throws IOException {
        this.in = in;
        if (!nextFrame()) {
            throw new EOFException("no LZ4 frame");
        }
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outStart == outEnd) {
            if (!(inFrame ? nextBlock() : nextFrame())) {
                return -1;
            }
        }
        int n = Math.min(len, outEnd - outStart);
        System.arraycopy(out, outStart, b, off, n);
        outStart += n;
        return n;
    }

    /**
     * The decompressed bytes at hand, or 1 while the source has bytes for the next block (as the JDK's inflater
     * streams say): a channel over this stream goes on filling its buffer while this is above 0, instead of handing
     * over a block or a few kilobytes at a time.
     */
    @Override
    public int available() throws IOException {
        int decompressed = outEnd - outStart;
        return decompressed > 0 ? decompressed : in.available() > 0 ? 1 : 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads the next frame's header, past skippable frames; false at the end of the input. */
    private boolean nextFrame() throws IOException {
        while (true) {
            int got = in.readNBytes(word, 0, 4);
            if (got == 0) {
                return false;
            }
            if (got < 4) {
                throw new EOFException("the input ends within a frame's magic number");
            }
            int magic = XxHash32.le32(word, 0);
            if ((magic & 0xFFFFFFF0) == SKIPPABLE_MAGIC) {
                skipFrame(readLe32("a skippable frame's size") & 0xFFFFFFFFL);
                continue;
            }
            if (magic == LEGACY_MAGIC) {
                throw new IOException("the legacy LZ4 format (lz4 -l) is not read; recompress with lz4 without -l");
            }
            if (magic != MAGIC) {
                throw new IOException(String.format("not an LZ4 frame (magic number 0x%08X)", magic));
            }
            frameDescriptor();
            return true;
        }
    }

    private void frameDescriptor() throws IOException {
        byte[] d = new byte[15]; // FLG, BD, content size, dictionary id, header checksum
        readFully(d, 0, 2, "the frame descriptor");
        int flg = d[0] & 0xFF, bd = d[1] & 0xFF;
        if (flg >>> 6 != 1) {
            throw new IOException("LZ4 frame version " + (flg >>> 6) + " is unknown");
        }
        if ((flg & 0x02) != 0 || (bd & 0x8F) != 0) {
            throw new IOException("reserved bits are set in the frame descriptor");
        }
        int sizeCode = bd >>> 4 & 7;
        if (sizeCode < 4) {
            throw new IOException("block maximum size code " + sizeCode + " is undefined");
        }
        boolean contentSize = (flg & 0x08) != 0, dictionary = (flg & 0x01) != 0;
        int n = 2 + (contentSize ? 8 : 0) + (dictionary ? 4 : 0);
        readFully(d, 2, n - 2 + 1, "the frame descriptor");
        if ((XxHash32.of(d, 0, n) >>> 8 & 0xFF) != (d[n] & 0xFF)) {
            throw new IOException("the frame descriptor's checksum does not match");
        }
        if (dictionary) {
            throw new IOException("the frame needs a dictionary, which a capture file cannot name");
        }
        independentBlocks = (flg & 0x20) != 0;
        blockChecksums = (flg & 0x10) != 0;
        contentChecksum = (flg & 0x04) != 0;
        maxBlock = 1 << (2 * sizeCode + 8); // 64 KiB, 256 KiB, 1 MiB, 4 MiB
        if (block.length < maxBlock) {
            block = new byte[maxBlock];
            out = new byte[WINDOW + maxBlock];
        }
        contentHash.reset();
        outStart = outEnd = 0;
        inFrame = true;
    }

    /** Reads and decompresses the next block, or the frame's end mark and content checksum. */
    private boolean nextBlock() throws IOException {
        int size = readLe32("a block's size");
        if (size == 0) {
            if (contentChecksum && readLe32("the content checksum") != contentHash.value()) {
                throw new IOException("the content checksum does not match the decompressed data");
            }
            inFrame = false;
            outStart = outEnd = 0;
            return true;
        }
        boolean stored = size < 0; // the highest bit: the block is not compressed
        size &= 0x7FFFFFFF;
        if (size > maxBlock) {
            throw new IOException("a block of " + size + " bytes exceeds the frame's maximum of " + maxBlock);
        }
        readFully(block, 0, size, "a block");
        if (blockChecksums && readLe32("a block's checksum") != XxHash32.of(block, 0, size)) {
            throw new IOException("a block's checksum does not match");
        }
        int start = 0;
        if (!independentBlocks) { // keep the window a linked block's matches may reach into
            int keep = Math.min(WINDOW, outEnd);
            System.arraycopy(out, outEnd - keep, out, 0, keep);
            start = keep;
        }
        int end;
        if (stored) {
            System.arraycopy(block, 0, out, start, size);
            end = start + size;
        } else {
            end = decodeBlock(size, start, independentBlocks ? start : 0);
        }
        if (contentChecksum) {
            contentHash.update(out, start, end - start);
        }
        outStart = start;
        outEnd = end;
        return true;
    }

    /**
     * Decodes the LZ4 block in {@code block[0, size)} into {@code out} from {@code start}: sequences of literals
     * and a match (a copy of earlier output, which may overlap what it writes), the last one literals alone.
     *
     * @param windowStart the earliest output a match may copy from
     * @return the end of the block's output
     */
    private int decodeBlock(int size, int start, int windowStart) throws IOException {
        byte[] src = block, dst = out;
        int ip = 0, op = start, limit = start + maxBlock;
        while (true) {
            if (ip >= size) {
                throw damagedBlock();
            }
            int token = src[ip++] & 0xFF;
            int literals = token >>> 4;
            if (literals == 15) {
                long extended = extendedLength(src, ip, size, literals);
                literals = (int) (extended >>> 32);
                ip = (int) extended;
            }
            if (literals > size - ip || literals > limit - op) {
                throw damagedBlock();
            }
            System.arraycopy(src, ip, dst, op, literals);
            ip += literals;
            op += literals;
            if (ip == size) {
                return op;
            }
            if (size - ip < 2) {
                throw damagedBlock();
            }
            int offset = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
            ip += 2;
            int from = op - offset;
            if (offset == 0 || from < windowStart) {
                throw damagedBlock();
            }
            int length = token & 15;
            if (length == 15) {
                long extended = extendedLength(src, ip, size, length);
                length = (int) (extended >>> 32);
                ip = (int) extended;
            }
            length += MIN_MATCH;
            if (length > limit - op) {
                throw damagedBlock();
            }
            if (offset >= length) {
                System.arraycopy(dst, from, dst, op, length);
            } else { // the match repeats the bytes it is writing
                for (int i = 0; i < length; i++) {
                    dst[op + i] = dst[from + i];
                }
            }
            op += length;
        }
    }

    /**
     * A length of 15 in a token goes on in the bytes after it, each added, up to one below 255 (never more than a
     * block's bytes allow, so it stays an int).
     *
     * @return the length in the high half, the position after its bytes in the low half
     */
    private static long extendedLength(byte[] src, int ip, int size, int length) throws IOException {
        int b;
        do {
            if (ip >= size) {
                throw damagedBlock();
            }
            b = src[ip++] & 0xFF;
            length += b;
        } while (b == 255);
        return (long) length << 32 | ip;
    }

    private static IOException damagedBlock() {
        return new IOException("a compressed block is damaged");
    }

    private int readLe32(String what) throws IOException {
        readFully(word, 0, 4, what);
        return XxHash32.le32(word, 0);
    }

    private void readFully(byte[] b, int off, int len, String what) throws IOException {
        if (in.readNBytes(b, off, len) < len) {
            throw new EOFException("the input ends within " + what);
        }
    }

    private void skipFrame(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 8192)];
        while (n > 0) {
            int k = (int) Math.min(n, scratch.length);
            readFully(scratch, 0, k, "a skippable frame");
            n -= k;
        }
    }
}
