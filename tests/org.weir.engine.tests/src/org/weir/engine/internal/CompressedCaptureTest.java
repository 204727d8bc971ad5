package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.github.luben.zstd.ZstdOutputStream;

import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * What a compressed source's decompression hands on: every byte, through the channel the capture readers read;
 * damage as the end of the bytes, kept for the reader; and an error of the source itself as that error, not as
 * damage in its contents.
 */
class CompressedCaptureTest {

    private static byte[] data() {
        byte[] data = new byte[600_000];
        Random rnd = new Random(5);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : i / 1000); // compressible, not trivially
        }
        return data;
    }

    private static byte[] compress(Compression compression, byte[] data) throws IOException {
        byte[] compressed;
        if (compression == Compression.LZ4) {
            compressed = Lz4FrameInputStreamTest.lz4(data, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
        } else {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream c = compression == Compression.GZIP ? new GZIPOutputStream(out)
                    : new ZstdOutputStream(out).setChecksum(true)) {
                c.write(data);
            }
            compressed = out.toByteArray();
        }
        assertEquals(compression, Compression.of(compressed, compressed.length));
        return compressed;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void theChannelHandsOnEveryByte(Compression compression) throws IOException {
        byte[] data = data();
        var in = CompressedCapture.decompress(compression, new ByteArrayInputStream(compress(compression, data)),
                "test");
        ReadableByteChannel channel = in.channel();
        ByteBuffer window = ByteBuffer.allocate(256 << 10);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int reads = 0;
        while (channel.read(window.clear()) >= 0) {
            got.write(window.array(), 0, window.position());
            reads++;
        }
        assertArrayEquals(data, got.toByteArray());
        assertEquals(3, reads, "windows filled while the decompressor has bytes at hand, not 8 KiB at a time");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void anErrorOfTheSourceIsThatErrorNotDamage(Compression compression) throws IOException {
        byte[] compressed = compress(compression, data());
        IOException diskError = new IOException("input/output error");
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(compressed)) {
            private int given;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (given > compressed.length / 2) {
                    throw diskError;
                }
                int n = super.read(b, off, Math.min(len, 4096));
                given += Math.max(n, 0);
                return n;
            }
        };
        var in = CompressedCapture.decompress(compression, failing, "test");
        byte[] buf = new byte[8192];
        IOException thrown = assertThrows(IOException.class, () -> {
            while (in.read(buf, 0, buf.length) >= 0) {
                // read on until the source fails
            }
        });
        assertSame(diskError, thrown);
    }
}
