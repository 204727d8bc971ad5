package org.weir.engine.internal;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.weir.core.CaptureFormat;
import org.weir.core.CaptureFormatException;
import org.weir.core.CaptureReader;
import org.weir.core.PacketView;

/**
 * Captures compressed with gzip ({@code trace.pcap.gz}, as Wireshark reads them): the format is the one the
 * decompressed bytes begin with, and the capture is read through the format's stream reader while it is inflated.
 * Progress counts compressed bytes, so that it reaches the file's size; damage in the compressed data ends the
 * capture as damage in a capture does, with the offset in the decompressed bytes.
 */
final class GzipCapture {

    private static final int INFLATE_BUFFER = 64 << 10;

    private GzipCapture() {
    }

    /** Whether a source's first bytes are a gzip member's header (magic and the deflate method). */
    static boolean isGzip(byte[] head, int n) {
        return n >= 3 && head[0] == 0x1f && head[1] == (byte) 0x8b && head[2] == 8;
    }

    /**
     * The first {@code head.length} decompressed bytes of a gzip file (fewer when it has fewer).
     *
     * @return how many were read
     * @throws CaptureFormatException when the compressed data is damaged before that
     */
    static int decompressedHead(Path file, byte[] head) throws IOException {
        try (Inflating in = inflate(Files.newInputStream(file), file.toString())) {
            int n = in.readNBytes(head, 0, head.length);
            if (n < head.length && in.damage != null) {
                throw damaged(file.toString(), n, in.damage);
            }
            return n;
        }
    }

    /** Reads a gzip file with {@code format}, the format of its decompressed bytes. */
    static CaptureReader open(CaptureFormat format, Path file) throws IOException {
        String source = file.toString();
        Inflating in = inflate(Files.newInputStream(file), source);
        try {
            return in.reader(format.open(Channels.newChannel(in), source), Files.size(file), source,
                    String.valueOf(file.getFileName()));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Starts inflating a gzip stream (its header is read now, so this may wait for a pipe).
     *
     * @throws CaptureFormatException when the header is damaged or cut
     */
    static Inflating inflate(InputStream compressed, String source) throws IOException {
        Counting counting = new Counting(compressed);
        try {
            return new Inflating(new GZIPInputStream(counting, INFLATE_BUFFER), counting);
        } catch (ZipException | EOFException e) {
            counting.close();
            throw damaged(source, 0, e);
        }
    }

    private static CaptureFormatException damaged(String source, long decompressedOffset, IOException e) {
        String what = e instanceof EOFException ? "the compressed data ends early" : "damaged compressed data";
        return new CaptureFormatException(source, decompressedOffset,
                what + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")") + ", in the decompressed capture");
    }

    /** Counts the compressed bytes taken from the source, for progress. */
    private static final class Counting extends FilterInputStream {
        private volatile long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    /**
     * The decompressed bytes, ending where the compressed data is damaged or cut instead of failing the read in which
     * that shows: the inflater reports it only when a read finds nothing more to inflate, so every byte before the
     * damage reaches the format's reader, and with it every frame it completes. The damage is kept for the reader.
     */
    static final class Inflating extends FilterInputStream {
        private final Counting compressed;
        private final byte[] one = new byte[1];
        private volatile IOException damage;

        private Inflating(InputStream inflater, Counting compressed) {
            super(inflater);
            this.compressed = compressed;
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (damage != null) {
                return -1;
            }
            try {
                return super.read(b, off, len);
            } catch (ZipException | EOFException e) {
                damage = e;
                return -1;
            }
        }

        /**
         * The format's stream reader over these bytes, as a reader of the compressed source: its size ({@code -1}
         * when unknown) and position count compressed bytes, and damage in them ends the capture with their offset
         * in the decompressed capture.
         */
        CaptureReader reader(CaptureReader inner, long size, String source, String name) {
            return new Reader(inner, this, size, source, name);
        }
    }

    /** The format's stream reader, with the compressed source's size and position for progress. */
    private static final class Reader implements CaptureReader {
        private final CaptureReader inner;
        private final Inflating inflated;
        private final long size;
        private final String source;
        private final String name;

        Reader(CaptureReader inner, Inflating inflated, long size, String source, String name) {
            this.inner = inner;
            this.inflated = inflated;
            this.size = size;
            this.source = source;
            this.name = name;
        }

        @Override
        public boolean next(PacketView view) throws IOException {
            boolean more;
            try {
                more = inner.next(view);
            } catch (CaptureFormatException e) {
                if (inflated.damage != null) {
                    throw damaged(source, e.offset(), inflated.damage); // the record was cut by the damage
                }
                // The format reader's offsets count decompressed bytes: say so.
                String prefix = e.source() + ": at byte " + e.offset() + ": ";
                String problem = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                        : e.getMessage();
                throw new CaptureFormatException(source, e.offset(), problem + ", in the decompressed capture");
            }
            if (!more && inflated.damage != null) {
                throw damaged(source, inner.position(), inflated.damage); // damage between two records
            }
            return more;
        }

        /** Compressed bytes read so far (the reader reads ahead of the record it hands out by a window). */
        @Override
        public long position() {
            long read = inflated.compressed.count;
            return size < 0 ? read : Math.min(size, read);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void abandon() {
            inner.abandon();
        }

        @Override
        public void close() throws IOException {
            try {
                inner.close();
            } finally {
                inflated.close();
            }
        }
    }
}
