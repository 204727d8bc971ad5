package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weir.testsupport.Corpus;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Weir's LZ4 frame reader against frames that lz4-java writes (every block size and each checksum option), frames
 * built by hand for what lz4-java never writes (linked blocks, skippable frames, a dictionary, the legacy format),
 * and damaged and cut frames.
 */
class Lz4FrameInputStreamTest {

    /** A real capture followed by random bytes: blocks that compress and blocks stored as they are. */
    private static byte[] data() throws IOException {
        byte[] capture = Files.readAllBytes(Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 12; i++) {
            out.write(capture);
        }
        byte[] noise = new byte[300_000];
        new Random(7).nextBytes(noise);
        out.write(noise);
        out.write(capture);
        return out.toByteArray();
    }

    /** LZ4 frames of {@code data} as lz4-java writes them (pure Java), with the given block size and options. */
    static byte[] lz4(byte[] data, BLOCKSIZE size, FLG.Bits... bits) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out, size, data.length,
                LZ4Factory.safeInstance().fastCompressor(), XXHashFactory.safeInstance().hash32(), bits)) {
            lz4.write(data);
        }
        return out.toByteArray();
    }

    /** Reads everything in pieces of random sizes, as the capture readers' windows and single bytes do. */
    private static byte[] readAll(byte[] frames, long seed) throws IOException {
        Random rnd = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new Lz4FrameInputStream(new ByteArrayInputStream(frames))) {
            byte[] buf = new byte[70_000];
            while (true) {
                if (rnd.nextInt(50) == 0) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    out.write(b);
                    continue;
                }
                int n = in.read(buf, 0, 1 + rnd.nextInt(buf.length));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(BLOCKSIZE.class)
    void framesOfEveryBlockSizeAndChecksumOptionDecompress(BLOCKSIZE size) throws IOException {
        byte[] data = data();
        List<FLG.Bits[]> options = List.of(new FLG.Bits[] {FLG.Bits.BLOCK_INDEPENDENCE},
                new FLG.Bits[] {FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_CHECKSUM},
                new FLG.Bits[] {FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.BLOCK_CHECKSUM, FLG.Bits.CONTENT_SIZE},
                new FLG.Bits[] {FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.BLOCK_CHECKSUM, FLG.Bits.CONTENT_CHECKSUM,
                    FLG.Bits.CONTENT_SIZE});
        for (FLG.Bits[] bits : options) {
            byte[] frame = lz4(data, size, bits);
            assertTrue(frame.length < data.length, "the capture's copies compress");
            assertArrayEquals(data, readAll(frame, frame.length), size + " " + Arrays.toString(bits));
        }
        // What a block decompressed to is at hand, so that a channel over the stream fills its whole buffer.
        try (InputStream in = new Lz4FrameInputStream(
                new ByteArrayInputStream(lz4(data, size, FLG.Bits.BLOCK_INDEPENDENCE)))) {
            in.read();
            int block = 1 << (2 * size.ordinal() + 16);
            for (int i = 1; i < Math.min(block, data.length); i++) {
                assertEquals(Math.min(block, data.length) - i, in.available());
                in.read();
            }
            assertEquals(1, in.available(), "the source has the next block, or the frame's end");
        }
    }

    @Test
    void theHashIsXxHash32InAnyPieces() {
        XXHash32 reference = XXHashFactory.safeInstance().hash32();
        Random rnd = new Random(3);
        for (int len = 0; len < 300; len++) {
            byte[] b = new byte[len + 5];
            rnd.nextBytes(b);
            int expected = reference.hash(b, 5, len, 0);
            assertEquals(expected, XxHash32.of(b, 5, len), "length " + len);
            XxHash32 pieces = new XxHash32();
            for (int off = 5; off < 5 + len;) {
                int k = Math.min(1 + rnd.nextInt(20), 5 + len - off);
                pieces.update(b, off, k);
                off += k;
            }
            assertEquals(expected, pieces.value(), "length " + len + " in pieces");
        }
    }

    @Test
    void linkedBlocksSkippableFramesAndConcatenatedFrames() throws IOException {
        byte[] first = "The first block, stored as it is, which the second block's match copies from.".getBytes();
        // The second block: no literals and a 21-byte match reaching 78 bytes back into the first block, then the
        // last sequence, five literals.
        byte[] second = {0x0F, (byte) first.length, 0, 2, 0x50, 'f', 'i', 'n', 'a', 'l'};
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.write(skippable(5));
        ByteArrayOutputStream linked = new ByteArrayOutputStream();
        linked.write(first);
        linked.write(first, 0, 21);
        linked.write("final".getBytes());
        frames.write(frame(0x40 | 0x04, 0x40, null, List.of(stored(first), compressed(second)),
                linked.toByteArray()));
        frames.write(skippable(0));
        frames.write(frame(0x60, 0x70, null, List.of(stored("another frame".getBytes())), null));
        assertArrayEquals((linked + "another frame").getBytes(), readAll(frames.toByteArray(), 1));

        // The same match in independent blocks reaches outside its block: damage.
        byte[] independent = frame(0x60, 0x40, null, List.of(stored(first), compressed(second)), null);
        IOException e = assertThrows(IOException.class, () -> readAll(independent, 1));
        assertEquals("a compressed block is damaged", e.getMessage());
    }

    @Test
    void whatTheReaderCannotTakeIsNamed() {
        byte[] block = stored("x".getBytes());
        assertMessage(frame(0x61, 0x40, new byte[] {1, 2, 3, 4}, List.of(block), null), "needs a dictionary");
        assertMessage(frame(0x80, 0x40, null, List.of(block), null), "LZ4 frame version 2 is unknown");
        assertMessage(frame(0x62, 0x40, null, List.of(block), null), "reserved bits are set");
        assertMessage(frame(0x60, 0x30, null, List.of(block), null), "block maximum size code 3 is undefined");
        byte[] badHeader = frame(0x60, 0x40, null, List.of(block), null);
        badHeader[6] ^= 1;
        assertMessage(badHeader, "the frame descriptor's checksum does not match");
        byte[] legacy = {0x02, 0x21, 0x4c, 0x18, 0, 0, 0, 0};
        assertEquals(Compression.LZ4, Compression.of(legacy, legacy.length), "a capture in it gets this message");
        assertMessage(legacy, "the legacy LZ4 format");
        byte[] tooLarge = frame(0x60, 0x40, null, List.of(stored(new byte[(64 << 10) + 1])), null);
        assertMessage(tooLarge, "exceeds the frame's maximum of 65536");
        byte[] second = frame(0x60, 0x40, null, List.of(block), null);
        byte[] foreign = Arrays.copyOf(second, second.length + 4);
        assertMessage(foreign, "not an LZ4 frame (magic number 0x00000000)");
    }

    @Test
    void damagedFramesFailCleanlyOrDecompressTheSameBytes() throws IOException {
        byte[] data = Arrays.copyOf(data(), 200_000);
        byte[] checked = lz4(data, BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.BLOCK_CHECKSUM,
                FLG.Bits.CONTENT_CHECKSUM);
        byte[] unchecked = lz4(data, BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE);
        Random rnd = new Random(11);
        int detected = 0;
        for (int round = 0; round < 3000; round++) {
            boolean withChecksums = round % 2 == 0;
            byte[] frame = (withChecksums ? checked : unchecked).clone();
            for (int m = 1 + rnd.nextInt(3); m > 0; m--) {
                frame[rnd.nextInt(frame.length)] ^= (byte) (1 + rnd.nextInt(255));
            }
            try {
                byte[] out = readAll(frame, round);
                if (withChecksums) {
                    assertArrayEquals(data, out, "damage that the checksums did not see, round " + round);
                }
            } catch (IOException e) {
                detected++; // a clear failure; a RuntimeException would have failed the test
            }
        }
        assertTrue(detected > 1500, "damage detected in " + detected + " of 3000 rounds");
    }

    @Test
    void aCutFrameEndsEarlyAfterItsCompleteBlocks() throws IOException {
        byte[] data = data();
        byte[] frame = lz4(data, BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_CHECKSUM);
        for (int cut : new int[] {5, 8, frame.length / 3, frame.length / 2, frame.length - 5, frame.length - 1}) {
            byte[] part = Arrays.copyOf(frame, cut);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = new Lz4FrameInputStream(new ByteArrayInputStream(part))) {
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) >= 0;) {
                    out.write(buf, 0, n);
                }
                fail("a frame cut at " + cut + " of " + frame.length + " read to its end");
            } catch (EOFException e) {
                byte[] got = out.toByteArray();
                assertArrayEquals(Arrays.copyOf(data, got.length), got, "what came before the cut");
                assertTrue(cut < frame.length / 3 || got.length > data.length / 4, got.length + " bytes at " + cut);
            }
        }
    }

    private static void assertMessage(byte[] frames, String expected) {
        IOException e = assertThrows(IOException.class, () -> readAll(frames, 1));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static byte[] skippable(int size) {
        byte[] f = new byte[8 + size];
        f[0] = 0x5A;
        f[1] = 0x2A;
        f[2] = 0x4D;
        f[3] = 0x18;
        f[4] = (byte) size;
        return f;
    }

    private static byte[] stored(byte[] data) {
        return block(data, true);
    }

    private static byte[] compressed(byte[] data) {
        return block(data, false);
    }

    private static byte[] block(byte[] data, boolean stored) {
        byte[] b = new byte[4 + data.length];
        int size = data.length | (stored ? 0x80000000 : 0);
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) (size >>> 8 * i);
        }
        System.arraycopy(data, 0, b, 4, data.length);
        return b;
    }

    /**
     * A frame with the given descriptor bytes, its header checksum, the blocks, the end mark and, unless
     * {@code checksummed} is null, the checksum of that content.
     */
    private static byte[] frame(int flg, int bd, byte[] dictionary, List<byte[]> blocks, byte[] checksummed) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(new byte[] {0x04, 0x22, 0x4D, 0x18});
        ByteArrayOutputStream descriptor = new ByteArrayOutputStream();
        descriptor.write(flg);
        descriptor.write(bd);
        if (dictionary != null) {
            descriptor.writeBytes(dictionary);
        }
        byte[] d = descriptor.toByteArray();
        f.writeBytes(d);
        f.write(XxHash32.of(d, 0, d.length) >>> 8 & 0xFF);
        blocks.forEach(f::writeBytes);
        f.writeBytes(new byte[4]);
        if (checksummed != null) {
            int h = XxHash32.of(checksummed, 0, checksummed.length);
            for (int i = 0; i < 4; i++) {
                f.write(h >>> 8 * i);
            }
        }
        return f.toByteArray();
    }
}
