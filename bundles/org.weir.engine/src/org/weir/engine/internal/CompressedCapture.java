package org.weir.engine.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.weir.core.CaptureFormat;
import org.weir.core.CaptureFormatException;
import org.weir.core.CaptureReader;
import org.weir.core.PacketView;

/**
 * Compressed captures ({@code trace.pcap.gz}, {@code .zst}, {@code .lz4}, as Wireshark reads them): the format is the
 * one the decompressed bytes begin with, and the capture is read through the format's stream reader while it is
 * decompressed. Progress counts compressed bytes, so that it reaches the file's size; damage in the compressed data
 * ends the capture as damage in a capture does, with the offset in the decompressed bytes.
 */
final class CompressedCapture {

    private CompressedCapture() {
    }

    /**
     * The first {@code head.length} decompressed bytes of a compressed file (fewer when it has fewer).
     *
     * @return how many were read
     * @throws CaptureFormatException when the compressed data is damaged before that
     */
    static int decompressedHead(Compression compression, Path file, byte[] head) throws IOException {
        try (Decompressing in = decompress(compression, Files.newInputStream(file), file.toString())) {
            int n = in.readNBytes(head, 0, head.length);
            if (n < head.length && in.damage != null) {
                throw in.damaged(file.toString(), n);
            }
            return n;
        }
    }

    /** Reads a compressed file with {@code format}, the format of its decompressed bytes. */
    static CaptureReader open(Compression compression, CaptureFormat format, Path file) throws IOException {
        String source = file.toString();
        Decompressing in = decompress(compression, Files.newInputStream(file), source);
        try {
            return in.reader(format.open(in.channel(), source), Files.size(file), source,
                    String.valueOf(file.getFileName()));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Starts decompressing a stream (the compression's header is read now, so this may wait for a pipe).
     *
     * @throws CaptureFormatException when the header is damaged or cut
     */
    static Decompressing decompress(Compression compression, InputStream compressed, String source)
            throws IOException {
        Counting counting = new Counting(compressed);
        try {
            return new Decompressing(compression, compression.decompress(counting), counting);
        } catch (IOException | RuntimeException e) {
            counting.close();
            if (counting.isOwn(e)) {
                throw e;
            }
            throw damaged(compression, source, 0, e);
        } catch (LinkageError e) { // zstd-jni or its native library, which did not load here
            counting.close();
            throw new CaptureFormatException(source, 0, "the capture is " + compression.label + "-compressed, and the "
                    + compression.label + " library did not load here (" + e.getMessage() + "); decompress it first"
                    + " (" + compression.label + " -d) and analyse the result");
        }
    }

    private static CaptureFormatException damaged(Compression compression, String source, long decompressedOffset,
            Exception e) {
        String what = compression.endedEarly(e) ? "the compressed data ends early" : "damaged compressed data";
        return new CaptureFormatException(source, decompressedOffset, what + " (" + compression.label
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "), in the decompressed capture");
    }

    /**
     * Counts the compressed bytes taken from the source, for progress, and keeps the source's own failure, so that
     * an error reading the file is not taken for damage in its contents.
     */
    private static final class Counting extends FilterInputStream {
        private volatile long count;
        private IOException failure;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                if (b >= 0) {
                    count++;
                }
                return b;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count += n;
                }
                return n;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                long k = super.skip(n);
                count += k;
                return k;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        /** Whether a decompressor's failure is this source's, passed on. */
        boolean isOwn(Exception e) {
            return e == failure;
        }
    }

    /**
     * The decompressed bytes, ending where the compressed data is damaged or cut instead of failing the read in which
     * that shows: a decompressor may report it only when a read finds nothing more to decompress, so every byte
     * before the damage reaches the format's reader, and with it every frame it completes. The damage is kept for
     * the reader.
     */
    static final class Decompressing extends FilterInputStream {
        private final Compression compression;
        private final Counting compressed;
        private final byte[] one = new byte[1];
        private volatile Exception damage;

        private Decompressing(Compression compression, InputStream decompressor, Counting compressed) {
            super(decompressor);
            this.compression = compression;
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
            } catch (IOException | RuntimeException e) {
                if (compressed.isOwn(e)) {
                    throw e;
                }
                damage = e;
                return -1;
            }
        }

        private CaptureFormatException damaged(String source, long decompressedOffset) {
            return CompressedCapture.damaged(compression, source, decompressedOffset, damage);
        }

        /**
         * These bytes as a channel, which reads them straight into a heap buffer's array and goes on while the
         * decompressor has bytes at hand (as {@code Channels.newChannel} does, without its copies of 8 KiB).
         */
        ReadableByteChannel channel() {
            return new ReadableByteChannel() {
                private boolean open = true;

                @Override
                public int read(ByteBuffer dst) throws IOException {
                    byte[] scratch = dst.hasArray() ? null : new byte[Math.min(dst.remaining(), 64 << 10)];
                    int total = 0;
                    while (dst.hasRemaining() && (total == 0 || available() > 0)) {
                        int n = scratch == null
                                ? Decompressing.this.read(dst.array(), dst.arrayOffset() + dst.position(),
                                        dst.remaining())
                                : Decompressing.this.read(scratch, 0, Math.min(dst.remaining(), scratch.length));
                        if (n < 0) {
                            return total == 0 ? -1 : total;
                        }
                        if (scratch == null) {
                            dst.position(dst.position() + n);
                        } else {
                            dst.put(scratch, 0, n);
                        }
                        total += n;
                    }
                    return total;
                }

                @Override
                public boolean isOpen() {
                    return open;
                }

                @Override
                public void close() throws IOException {
                    open = false;
                    Decompressing.this.close();
                }
            };
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
        private final Decompressing decompressed;
        private final long size;
        private final String source;
        private final String name;

        Reader(CaptureReader inner, Decompressing decompressed, long size, String source, String name) {
            this.inner = inner;
            this.decompressed = decompressed;
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
                if (decompressed.damage != null) {
                    throw decompressed.damaged(source, e.offset()); // the record was cut by the damage
                }
                // The format reader's offsets count decompressed bytes: say so.
                String prefix = e.source() + ": at byte " + e.offset() + ": ";
                String problem = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                        : e.getMessage();
                throw new CaptureFormatException(source, e.offset(), problem + ", in the decompressed capture");
            }
            if (!more && decompressed.damage != null) {
                throw decompressed.damaged(source, inner.position()); // damage between two records
            }
            return more;
        }

        /** Compressed bytes read so far (the reader reads ahead of the record it hands out by a window). */
        @Override
        public long position() {
            long read = decompressed.compressed.count;
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
                decompressed.close();
            }
        }
    }
}
