package org.weir.packet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Writes a classic libpcap file (little-endian, microsecond or nanosecond timestamps), whose frames all have one link
 * type. Frames longer than the snap length are cut to it, as a capture would. Not thread-safe.
 */
public final class PcapWriter extends CaptureFileWriter {

    private static final int MAGIC_USEC = 0xA1B2C3D4;
    private static final int MAGIC_NSEC = 0xA1B23C4D;

    private final int linkType;
    private final boolean nanos;
    private final int snapLength;

    /**
     * Creates (or replaces) a pcap file.
     *
     * @param linkType LINKTYPE_* of every frame
     * @param snapLength the header's snap length; frames are cut to it (at most 262144)
     * @param nanosecond nanosecond timestamps instead of microseconds
     */
    public static PcapWriter create(Path file, int linkType, int snapLength, boolean nanosecond) throws IOException {
        FileChannel ch = create(file);
        try {
            return new PcapWriter(ch, null, linkType, snapLength, nanosecond);
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Writes to a stream (closed with the writer). */
    public static PcapWriter create(OutputStream out, int linkType, int snapLength, boolean nanosecond) {
        return new PcapWriter(null, out, linkType, snapLength, nanosecond);
    }

    private PcapWriter(FileChannel channel, OutputStream stream, int linkType, int snapLength, boolean nanosecond) {
        super(channel, stream);
        if (snapLength <= 0 || snapLength > 262_144) {
            throw new IllegalArgumentException("snap length must be in 1..262144: " + snapLength);
        }
        this.linkType = linkType;
        this.nanos = nanosecond;
        this.snapLength = snapLength;
        buffer.putInt(nanosecond ? MAGIC_NSEC : MAGIC_USEC).putShort((short) 2).putShort((short) 4).putInt(0)
                .putInt(0).putInt(snapLength).putInt(linkType);
    }

    /**
     * Appends one frame of the file's link type.
     *
     * @param timestampNanos capture time, nanoseconds since the epoch (truncated to microseconds unless nanosecond)
     * @param capturedLength bytes of {@code data} from {@code offset} to store (cut to the snap length)
     * @param wireLength length of the frame on the wire (at least the stored length)
     */
    public void write(long timestampNanos, byte[] data, int offset, int capturedLength, int wireLength)
            throws IOException {
        int cap = Math.min(capturedLength, snapLength);
        beginRecord(data, offset, capturedLength, wireLength, 16 + cap);
        int wire = Math.max(wireLength, cap);
        long sec = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long frac = Math.floorMod(timestampNanos, 1_000_000_000L);
        buffer.putInt((int) sec).putInt((int) (nanos ? frac : frac / 1000)).putInt(cap).putInt(wire);
        buffer.put(data, offset, cap);
    }

    /** @throws IllegalArgumentException when the frame has another link type than the file's */
    @Override
    public void write(long timestampNanos, int linkType, byte[] data, int offset, int capturedLength,
            int wireLength) throws IOException {
        if (linkType != this.linkType) {
            throw new IllegalArgumentException("a pcap file holds frames of one link type (" + this.linkType
                    + "), not " + linkType);
        }
        write(timestampNanos, data, offset, capturedLength, wireLength);
    }
}
