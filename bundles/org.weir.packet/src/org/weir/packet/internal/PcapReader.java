package org.weir.packet.internal;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

import org.weir.core.CaptureFormatException;
import org.weir.core.PacketView;

/**
 * Reads classic libpcap files: microsecond and nanosecond magic, both byte orders, and the "modified" (Kuznetzov)
 * variant whose record headers carry 8 extra bytes. Frames are handed out in place from a bounded buffer.
 */
public final class PcapReader extends ChannelReader {

    /** Largest captured length accepted per record: libpcap's maximum snapshot length. */
    public static final int MAX_RECORD = 262_144;

    static final int MAGIC_USEC = 0xA1B2C3D4;
    static final int MAGIC_NSEC = 0xA1B23C4D;
    static final int MAGIC_MODIFIED = 0xA1B2CD34;

    private final boolean bigEndian;
    private final boolean nanos;
    private final int recordHeader;
    private final int linkType;
    private final int snapLength;
    private final int fcsLength;
    private long frameNumber;

    public static PcapReader open(Path file) throws IOException {
        return open(file, ChannelInput.DEFAULT_BUFFER);
    }

    /** Opens with a given initial buffer size (tests use small ones to exercise refills). */
    public static PcapReader open(Path file, int bufferSize) throws IOException {
        return open(new ChannelInput(file, bufferSize, MAX_RECORD + 64), String.valueOf(file.getFileName()));
    }

    /**
     * Reads a stream (standard input, a pipe) in order, to its end.
     *
     * @param name what errors and progress call it
     */
    public static PcapReader open(ReadableByteChannel stream, String name) throws IOException {
        return open(stream, name, ChannelInput.DEFAULT_BUFFER);
    }

    /** Reads a stream through a given window size (tests use small ones to exercise refills). */
    public static PcapReader open(ReadableByteChannel stream, String name, int bufferSize) throws IOException {
        return open(new ChannelInput(stream, name, bufferSize, MAX_RECORD + 64), name);
    }

    private static PcapReader open(ChannelInput in, String name) throws IOException {
        try {
            return new PcapReader(in, name);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private PcapReader(ChannelInput in, String name) throws IOException {
        super(in, name);
        int have = in.ensure(24);
        if (have < 24) {
            throw new CaptureFormatException(in.source, 0,
                    "file too short for a pcap header (" + have + " of 24 bytes)");
        }
        byte[] b = in.buf;
        int magicBe = Bytes.i32(b, 0, true);
        int magicLe = Bytes.i32(b, 0, false);
        int magic;
        if (magicBe == MAGIC_USEC || magicBe == MAGIC_NSEC || magicBe == MAGIC_MODIFIED) {
            bigEndian = true;
            magic = magicBe;
        } else if (magicLe == MAGIC_USEC || magicLe == MAGIC_NSEC || magicLe == MAGIC_MODIFIED) {
            bigEndian = false;
            magic = magicLe;
        } else {
            throw new CaptureFormatException(in.source, 0, String.format("not a pcap file (magic 0x%08x)", magicBe));
        }
        nanos = magic == MAGIC_NSEC;
        recordHeader = magic == MAGIC_MODIFIED ? 24 : 16;
        int major = Bytes.u16(b, 4, bigEndian);
        if (major != 2) {
            throw new CaptureFormatException(in.source, 4, "unsupported pcap version " + major + "."
                    + Bytes.u16(b, 6, bigEndian));
        }
        snapLength = Bytes.i32(b, 16, bigEndian);
        int linkField = Bytes.i32(b, 20, bigEndian);
        // The upper bits of the link-type field may announce a frame check sequence (bit 26 F, bits 28-31 length).
        linkType = linkField & 0xFFFF;
        fcsLength = (linkField & 0x0400_0000) != 0 ? ((linkField >>> 28) & 0xF) * 2 : 0;
        in.pos = 24;
    }

    public int linkType() {
        return linkType;
    }

    public int snapLength() {
        return snapLength;
    }

    public boolean nanosecondResolution() {
        return nanos;
    }

    /** Bytes of frame check sequence at the end of each frame, announced in the header (usually 0). */
    public int fcsLength() {
        return fcsLength;
    }

    @Override
    public boolean next(PacketView view) throws IOException {
        long start = in.position();
        int have = in.ensure(recordHeader);
        if (have == 0) {
            return false;
        }
        if (have < recordHeader) {
            throw new CaptureFormatException(in.source, start,
                    "truncated record header (" + have + " of " + recordHeader + " bytes)");
        }
        byte[] b = in.buf;
        int p = in.pos;
        long sec = Bytes.u32(b, p, bigEndian);
        long frac = Bytes.u32(b, p + 4, bigEndian);
        long capLen = Bytes.u32(b, p + 8, bigEndian);
        long wireLen = Bytes.u32(b, p + 12, bigEndian);
        if (capLen > MAX_RECORD) {
            throw new CaptureFormatException(in.source, start,
                    "record claims " + capLen + " captured bytes, more than the " + MAX_RECORD + "-byte limit");
        }
        int total = recordHeader + (int) capLen;
        have = in.ensure(total);
        if (have < total) {
            throw new CaptureFormatException(in.source, start, "truncated record (" + (have - recordHeader) + " of "
                    + capLen + " frame bytes present)");
        }
        p = in.pos;
        view.data = in.buf;
        view.frameOffset = p + recordHeader;
        view.capturedLength = (int) capLen;
        // Some writers store a wire length below the captured one; never report less than is present.
        view.wireLength = (int) Math.min(Integer.MAX_VALUE, Math.max(wireLen, capLen));
        view.timestampNanos = sec * 1_000_000_000L + (nanos ? frac : frac * 1000L);
        view.linkType = linkType;
        view.interfaceId = 0;
        view.frameNumber = ++frameNumber;
        in.pos = p + total;
        return true;
    }
}
