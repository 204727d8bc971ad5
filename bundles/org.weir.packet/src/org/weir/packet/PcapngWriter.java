package org.weir.packet;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes a pcapng file (one little-endian section) through one reusable buffer: an interface description block for
 * each link type as its first frame comes, with nanosecond timestamps, then an enhanced packet block per frame. Where
 * a classic pcap file holds one link type, this holds frames of any number of them. Not thread-safe.
 */
public final class PcapngWriter extends CaptureFileWriter {

    private static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int ENHANCED_PACKET = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final short OPT_END = 0;
    private static final short SHB_USERAPPL = 4;
    private static final short IF_TSRESOL = 9;
    /** The largest frame stored, as libpcap's largest snap length. */
    private static final int MAX_FRAME = 262_144;

    /** Interface id by link type: the index of the link type in this array. */
    private int[] interfaces = new int[0];

    private PcapngWriter(FileChannel channel, String application) {
        super(channel, null);
        byte[] app = application.getBytes(StandardCharsets.UTF_8);
        int options = 4 + padded(app.length) + 4;
        int length = 28 + options;
        buffer.putInt(SECTION_HEADER).putInt(length).putInt(BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0)
                .putLong(-1); // section length not given
        buffer.putShort(SHB_USERAPPL).putShort((short) app.length).put(app);
        pad(app.length);
        buffer.putShort(OPT_END).putShort((short) 0).putInt(length);
    }

    /**
     * Creates (or replaces) a pcapng file.
     *
     * @param application what wrote it, for the section header ({@code shb_userappl})
     */
    public static PcapngWriter create(Path file, String application) throws IOException {
        return new PcapngWriter(create(file), application);
    }

    /** Appends one frame; at most 262144 of its bytes are stored. */
    @Override
    public void write(long timestampNanos, int linkType, byte[] data, int offset, int capturedLength, int wireLength)
            throws IOException {
        int cap = Math.min(capturedLength, MAX_FRAME);
        int id = interfaceFor(linkType);
        int length = 32 + padded(cap);
        beginRecord(data, offset, capturedLength, wireLength, length);
        buffer.putInt(ENHANCED_PACKET).putInt(length).putInt(id).putInt((int) (timestampNanos >>> 32))
                .putInt((int) timestampNanos).putInt(cap).putInt(Math.max(wireLength, cap)).put(data, offset, cap);
        pad(cap);
        buffer.putInt(length);
    }

    /** The interface of a link type, described when its first frame comes. */
    private int interfaceFor(int linkType) throws IOException {
        for (int i = 0; i < interfaces.length; i++) {
            if (interfaces[i] == linkType) {
                return i;
            }
        }
        int length = 20 + 8 + 4; // header, if_tsresol (1 byte padded to 4), end of options
        if (buffer.remaining() < length) {
            flush();
        }
        buffer.putInt(INTERFACE_DESCRIPTION).putInt(length).putShort((short) linkType).putShort((short) 0)
                .putInt(0); // no snap length
        buffer.putShort(IF_TSRESOL).putShort((short) 1).put((byte) 9).put((byte) 0).putShort((short) 0);
        buffer.putShort(OPT_END).putShort((short) 0).putInt(length);
        interfaces = Arrays.copyOf(interfaces, interfaces.length + 1);
        interfaces[interfaces.length - 1] = linkType;
        return interfaces.length - 1;
    }

    private static int padded(int n) {
        return (n + 3) & ~3;
    }

    private void pad(int n) {
        for (int i = n; i < padded(n); i++) {
            buffer.put((byte) 0);
        }
    }
}
