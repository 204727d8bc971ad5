package org.weir.packet.internal;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file read through one reusable buffer, so captures larger than memory stream with a fixed footprint. Records
 * are handed out as offsets into {@link #buf}; they stay valid until the next {@link #ensure} call, which may
 * compact or refill the buffer.
 */
final class ChannelInput implements Closeable {

    /**
     * Default buffer: large enough that refills are rare (one system call per ~500 records), small enough that the
     * buffer and the JDK's temporary direct buffer it is filled through both stay in the core's L2 cache, so the
     * second copy and the decoder's reads hit the cache. With 4 MiB both copies went through memory: 190 instead
     * of 91 ns of CPU per record of the benchmark capture (a memory-mapped window copied into the buffer measured
     * no faster, 97 ns: mapping and unmapping the page-cache pages cost what the saved copy gains).
     */
    static final int DEFAULT_BUFFER = 256 << 10;

    private final FileChannel channel;
    private final long size;
    private final int maxBuffer;

    /** The buffer; frames handed out point into it. */
    byte[] buf;
    private ByteBuffer wrapper;
    /** Next unread byte in {@link #buf}. */
    int pos;
    /** End of valid bytes in {@link #buf}. */
    int limit;
    /** File offset of {@code buf[0]}. */
    private long bufStart;
    private boolean eof;

    ChannelInput(Path file, int bufferSize, int maxBuffer) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
        this.maxBuffer = Math.max(bufferSize, maxBuffer);
        // A small file does not need the full buffer; a record can never be larger than its file.
        this.buf = new byte[(int) Math.max(16, Math.min(bufferSize, size))];
        this.wrapper = ByteBuffer.wrap(buf);
    }

    long size() {
        return size;
    }

    /** File offset of the next unread byte. */
    long position() {
        return bufStart + pos;
    }

    /** File offset of a buffer index. */
    long offsetOf(int index) {
        return bufStart + index;
    }

    int available() {
        return limit - pos;
    }

    /**
     * Makes at least {@code n} bytes available from {@link #pos}, refilling (and, once, growing up to the cap) the
     * buffer as needed. Invalidates earlier offsets into the buffer when it has to move bytes.
     *
     * @return the bytes available from {@link #pos}; less than {@code n} only at the end of the file
     * @throws IllegalArgumentException when {@code n} exceeds the buffer cap (the caller reports the format error)
     */
    int ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return limit - pos;
        }
        if (n > maxBuffer) {
            throw new IllegalArgumentException("record of " + n + " bytes exceeds the " + maxBuffer + "-byte cap");
        }
        if (eof) {
            return limit - pos;
        }
        if (n > buf.length) {
            byte[] bigger = new byte[Math.min(maxBuffer, Math.max(n, buf.length * 2))];
            System.arraycopy(buf, pos, bigger, 0, limit - pos);
            buf = bigger;
            wrapper = ByteBuffer.wrap(buf);
        } else if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
        }
        bufStart += pos;
        limit -= pos;
        pos = 0;
        // Fill the whole buffer, not just n bytes, so small records need few system calls.
        while (limit < buf.length) {
            wrapper.limit(buf.length).position(limit);
            int r = channel.read(wrapper);
            if (r < 0) {
                eof = true;
                break;
            }
            limit += r;
            if (r == 0 && limit >= n) {
                break;
            }
        }
        return limit - pos;
    }

    /**
     * Skips {@code n} bytes without reading them into memory when they are not buffered.
     *
     * @throws EOFException when the file ends first
     */
    void skip(long n) throws IOException {
        long inBuffer = limit - pos;
        if (n <= inBuffer) {
            pos += (int) n;
            return;
        }
        long target = bufStart + limit + (n - inBuffer);
        if (target > size) {
            pos = limit;
            throw new EOFException();
        }
        channel.position(target);
        bufStart = target;
        pos = limit = 0;
        eof = false;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
