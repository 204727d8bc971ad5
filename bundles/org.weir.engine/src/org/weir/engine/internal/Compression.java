package org.weir.engine.internal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import com.github.luben.zstd.ZstdInputStream;

/**
 * The compressions a capture file may come in, as Wireshark reads them: gzip, Zstandard and LZ4 (frame format),
 * each recognised by its magic, whatever the file's name.
 */
enum Compression {

    GZIP("gzip") {
        @Override
        boolean startsWith(byte[] head, int n) {
            return n >= 3 && head[0] == 0x1f && head[1] == (byte) 0x8b && head[2] == 8; // magic, deflate method
        }

        @Override
        InputStream decompress(InputStream compressed) throws IOException {
            return new GZIPInputStream(compressed, BUFFER);
        }

        @Override
        boolean endedEarly(Exception e) {
            return e instanceof EOFException;
        }
    },

    ZSTD("zstd") {
        @Override
        boolean startsWith(byte[] head, int n) {
            return n >= 4 && head[0] == 0x28 && head[1] == (byte) 0xb5 && head[2] == 0x2f && head[3] == (byte) 0xfd;
        }

        /**
         * Concatenated frames too, as the zstd tool writes them; and frames made with {@code zstd --long}, whose
         * window (up to 2 GiB, held in native memory while the capture is read) the zstd tool decompresses only when
         * told to: a capture analysed is one the user means to read.
         */
        @Override
        InputStream decompress(InputStream compressed) throws IOException {
            return Zstd.decompress(compressed);
        }

        @Override
        boolean endedEarly(Exception e) {
            return "Truncated source".equals(e.getMessage()); // zstd-jni's words for a frame cut short
        }
    },

    LZ4("lz4") {
        /** A frame, or the legacy format, which the reader then names as one it does not read. */
        @Override
        boolean startsWith(byte[] head, int n) {
            if (n < 4) {
                return false;
            }
            int magic = XxHash32.le32(head, 0);
            return magic == Lz4FrameInputStream.MAGIC || magic == Lz4FrameInputStream.LEGACY_MAGIC;
        }

        /**
         * Weir's own decoder: lz4-java's frame reader takes its native or {@code Unsafe} variants whatever it is
         * given, and the JVM then warns on the command's standard error.
         */
        @Override
        InputStream decompress(InputStream compressed) throws IOException {
            return new Lz4FrameInputStream(new BufferedInputStream(compressed, BUFFER));
        }

        @Override
        boolean endedEarly(Exception e) {
            return e instanceof EOFException;
        }
    };

    private static final int BUFFER = 64 << 10;

    /** How the compression is called in messages. */
    final String label;

    Compression(String label) {
        this.label = label;
    }

    /** The compression whose magic a source's first {@code n} bytes begin with; null when none. */
    static Compression of(byte[] head, int n) {
        for (Compression c : values()) {
            if (c.startsWith(head, n)) {
                return c;
            }
        }
        return null;
    }

    abstract boolean startsWith(byte[] head, int n);

    /**
     * The decompressed bytes of {@code compressed}; this may read the compression's header now (and so wait for a
     * pipe).
     */
    abstract InputStream decompress(InputStream compressed) throws IOException;

    /** Whether a failure of the decompressor says that the compressed data ends before the data does. */
    abstract boolean endedEarly(Exception e);

    /**
     * zstd-jni, in a class of its own: loaded when a zstd capture is read, so that the other compressions and plain
     * captures are read where it is missing (a flat class path such as the benchmark's) or did not load.
     */
    private static final class Zstd {
        /** zstd's largest window on 64-bit machines, 2 GiB (its decoder's default stops at 128 MiB). */
        private static final int LONGEST_WINDOW_LOG = 31;

        static InputStream decompress(InputStream compressed) throws IOException {
            return new ZstdInputStream(compressed).setLongMax(LONGEST_WINDOW_LOG);
        }
    }
}
