package org.weir.packet;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A capture file being written ({@link PcapWriter}, {@link PcapngWriter}): frames go into one reusable buffer, which
 * goes to a file or a stream when full, when flushed and when closed. Not thread-safe.
 */
public abstract sealed class CaptureFileWriter implements Closeable permits PcapWriter, PcapngWriter {

    private final FileChannel channel;
    private final OutputStream stream;
    /** The bytes not written yet, little-endian. */
    protected final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private long frames;

    /** Writes to a file, or to a stream when {@code channel} is null (closed with the writer). */
    CaptureFileWriter(FileChannel channel, OutputStream stream) {
        this.channel = channel;
        this.stream = stream;
    }

    /** Creates (or replaces) a file to write. */
    static FileChannel create(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /**
     * Appends one frame.
     *
     * @param timestampNanos capture time, nanoseconds since the epoch
     * @param linkType LINKTYPE_* of the frame
     * @param capturedLength bytes of {@code data} from {@code offset} to store
     * @param wireLength length of the frame on the wire (at least the stored length)
     * @throws IllegalArgumentException when the bytes are outside the array, or the format cannot hold the link type
     */
    public abstract void write(long timestampNanos, int linkType, byte[] data, int offset, int capturedLength,
            int wireLength) throws IOException;

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    /** Checks a frame's bytes and makes room for a record of {@code length} bytes; counts the frame. */
    final void beginRecord(byte[] data, int offset, int capturedLength, int wireLength, int length)
            throws IOException {
        if (capturedLength < 0 || wireLength < 0 || offset < 0 || offset + capturedLength > data.length) {
            throw new IllegalArgumentException("frame bytes outside the array");
        }
        if (buffer.remaining() < length) {
            flush();
        }
        frames++;
    }

    public void flush() throws IOException {
        buffer.flip();
        if (channel != null) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } else {
            stream.write(buffer.array(), 0, buffer.limit());
            stream.flush();
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            if (channel != null) {
                channel.close();
            } else {
                stream.close();
            }
        }
    }
}
