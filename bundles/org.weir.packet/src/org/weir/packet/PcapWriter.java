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
 * Writes a classic libpcap file (little-endian, microsecond or nanosecond timestamps) through one reusable buffer.
 * Not thread-safe. Frames longer than the snap length are cut to it, as a capture would.
 */
public final class PcapWriter implements Closeable {

    private static final int MAGIC_USEC = 0xA1B2C3D4;
    private static final int MAGIC_NSEC = 0xA1B23C4D;

    private final FileChannel channel;
    private final OutputStream stream;
    private final ByteBuffer buffer;
    private final boolean nanos;
    private final int snapLength;
    private long frames;

    /**
     * Creates (or replaces) a pcap file.
     *
     * @param linkType LINKTYPE_* of every frame
     * @param snapLength the header's snap length; frames are cut to it (at most 262144)
     * @param nanosecond nanosecond timestamps instead of microseconds
     */
    public static PcapWriter create(Path file, int linkType, int snapLength, boolean nanosecond) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        try {
            return new PcapWriter(ch, null, linkType, snapLength, nanosecond);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Writes to a stream (closed with the writer). */
    public static PcapWriter create(OutputStream out, int linkType, int snapLength, boolean nanosecond)
            throws IOException {
        return new PcapWriter(null, out, linkType, snapLength, nanosecond);
    }

    private PcapWriter(FileChannel channel, OutputStream stream, int linkType, int snapLength, boolean nanosecond)
            throws IOException {
        if (snapLength <= 0 || snapLength > 262_144) {
            throw new IllegalArgumentException("snap length must be in 1..262144: " + snapLength);
        }
        this.channel = channel;
        this.stream = stream;
        this.nanos = nanosecond;
        this.snapLength = snapLength;
        this.buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(nanosecond ? MAGIC_NSEC : MAGIC_USEC).putShort((short) 2).putShort((short) 4).putInt(0)
                .putInt(0).putInt(snapLength).putInt(linkType);
    }

    /**
     * Appends one frame.
     *
     * @param timestampNanos capture time, nanoseconds since the epoch (truncated to microseconds unless nanosecond)
     * @param capturedLength bytes of {@code data} from {@code offset} to store (cut to the snap length)
     * @param wireLength length of the frame on the wire (at least the stored length)
     */
    public void write(long timestampNanos, byte[] data, int offset, int capturedLength, int wireLength)
            throws IOException {
        if (capturedLength < 0 || wireLength < 0 || offset < 0 || offset + capturedLength > data.length) {
            throw new IllegalArgumentException("frame bytes outside the array");
        }
        int cap = Math.min(capturedLength, snapLength);
        int wire = Math.max(wireLength, cap);
        if (buffer.remaining() < 16 + cap) {
            flush();
        }
        long sec = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long frac = Math.floorMod(timestampNanos, 1_000_000_000L);
        buffer.putInt((int) sec).putInt((int) (nanos ? frac : frac / 1000)).putInt(cap).putInt(wire);
        buffer.put(data, offset, cap);
        frames++;
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
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
