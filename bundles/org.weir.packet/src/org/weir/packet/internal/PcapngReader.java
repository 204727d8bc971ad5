package org.weir.packet.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;

import org.weir.core.CaptureFormatException;
import org.weir.core.PacketView;

/**
 * Reads pcapng: section headers in either byte order (several sections per file), interface descriptions with their
 * own link type, {@code if_tsresol} (decimal and binary) and {@code if_tsoffset}, and enhanced, simple and obsolete
 * packet blocks. Every other block is skipped by its length without being read into memory.
 */
public final class PcapngReader extends ChannelReader {

    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 1;
    static final int OPB = 2;
    static final int SPB = 3;
    static final int EPB = 6;
    private static final int BOM = 0x1A2B3C4D;

    /** Largest block holding a frame: a maximal record plus the block's header, options and padding. */
    static final int MAX_BLOCK = PcapReader.MAX_RECORD + 4096;

    private boolean bigEndian;
    private boolean inSection;
    private long frameNumber;
    private long lastTimestamp;

    // Interfaces of the current section, indexed by interface id (growth happens per IDB, not per frame).
    private int interfaces;
    private int[] ifLinkType = new int[4];
    private int[] ifSnapLength = new int[4];
    /** Timestamp unit: decimal exponent (units of 10^-e s) when ifBinary is false, else 2^-e s. */
    private int[] ifResolution = new int[4];
    private boolean[] ifBinary = new boolean[4];
    private long[] ifOffsetNanos = new long[4];

    public static PcapngReader open(Path file) throws IOException {
        return open(file, ChannelInput.DEFAULT_BUFFER);
    }

    public static PcapngReader open(Path file, int bufferSize) throws IOException {
        return open(new ChannelInput(file, bufferSize, MAX_BLOCK), String.valueOf(file.getFileName()));
    }

    /**
     * Reads a stream (standard input, a pipe) in order, to its end; blocks it does not know are read and dropped.
     *
     * @param name what errors and progress call it
     */
    public static PcapngReader open(ReadableByteChannel stream, String name) throws IOException {
        return open(stream, name, ChannelInput.DEFAULT_BUFFER);
    }

    /** Reads a stream through a given window size (tests use small ones to exercise refills). */
    public static PcapngReader open(ReadableByteChannel stream, String name, int bufferSize) throws IOException {
        return open(new ChannelInput(stream, name, bufferSize, MAX_BLOCK), name);
    }

    private static PcapngReader open(ChannelInput in, String name) throws IOException {
        try {
            PcapngReader r = new PcapngReader(in, name);
            int have = in.ensure(4);
            if (have < 4 || Bytes.i32(in.buf, in.pos, true) != SHB) {
                throw new CaptureFormatException(in.source, 0, "not a pcapng file (no section header block)");
            }
            return r;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private PcapngReader(ChannelInput in, String name) {
        super(in, name);
    }

    /** Number of interfaces declared in the current section. */
    public int interfaceCount() {
        return interfaces;
    }

    @Override
    public boolean next(PacketView view) throws IOException {
        while (true) {
            long start = in.position();
            int have = in.ensure(12);
            if (have == 0) {
                return false;
            }
            if (have < 12) {
                throw new CaptureFormatException(in.source, start, "truncated block header (" + have + " of 12 bytes)");
            }
            byte[] b = in.buf;
            int p = in.pos;
            int type = Bytes.i32(b, p, bigEndian);
            if (type == SHB) {
                // The byte-order magic decides how this section, including this block's length, is read.
                int bomBe = Bytes.i32(b, p + 8, true);
                if (bomBe == BOM) {
                    bigEndian = true;
                } else if (Bytes.i32(b, p + 8, false) == BOM) {
                    bigEndian = false;
                } else {
                    throw new CaptureFormatException(in.source, start + 8,
                            String.format("section header with invalid byte-order magic 0x%08x", bomBe));
                }
            } else if (!inSection) {
                throw new CaptureFormatException(in.source, start, "block before the first section header");
            }
            long length = Bytes.u32(b, p + 4, bigEndian);
            if (length < 12 || (length & 3) != 0) {
                throw new CaptureFormatException(in.source, start + 4, "invalid block length " + length);
            }
            if (type != SHB && type != IDB && type != EPB && type != SPB && type != OPB) {
                // Statistics, name resolution, secrets, custom and unknown blocks: skip by length.
                try {
                    in.skip(length);
                } catch (EOFException e) {
                    throw new CaptureFormatException(in.source, start,
                            "truncated block of type " + type + " (" + length + " bytes declared)");
                }
                continue;
            }
            if (length > MAX_BLOCK) {
                throw new CaptureFormatException(in.source, start,
                        "block of type " + type + " claims " + length + " bytes, more than the " + MAX_BLOCK
                                + "-byte limit");
            }
            int len = (int) length;
            have = in.ensure(len);
            if (have < len) {
                throw new CaptureFormatException(in.source, start,
                        "truncated block of type " + type + " (" + have + " of " + len + " bytes)");
            }
            b = in.buf;
            p = in.pos;
            long trailer = Bytes.u32(b, p + len - 4, bigEndian);
            if (trailer != length) {
                throw new CaptureFormatException(in.source, start + len - 4,
                        "block trailer length " + trailer + " differs from header length " + length);
            }
            switch (type) {
                case SHB -> readSectionHeader(b, p, len, start);
                case IDB -> readInterface(b, p, len, start);
                default -> {
                    if (readPacket(type, b, p, len, start, view)) {
                        in.pos = p + len;
                        return true;
                    }
                }
            }
            in.pos = p + len;
        }
    }

    private void readSectionHeader(byte[] b, int p, int len, long start) throws CaptureFormatException {
        if (len < 28) {
            throw new CaptureFormatException(in.source, start, "section header block too short (" + len + " bytes)");
        }
        int major = Bytes.u16(b, p + 12, bigEndian);
        if (major != 1) {
            throw new CaptureFormatException(in.source, start + 12, "unsupported pcapng version " + major + "."
                    + Bytes.u16(b, p + 14, bigEndian));
        }
        inSection = true;
        interfaces = 0;
    }

    private void readInterface(byte[] b, int p, int len, long start) throws CaptureFormatException {
        if (len < 20) {
            throw new CaptureFormatException(in.source, start,
                    "interface description block too short (" + len + " bytes)");
        }
        int id = interfaces;
        if (id == ifLinkType.length) {
            int n = id * 2;
            ifLinkType = Arrays.copyOf(ifLinkType, n);
            ifSnapLength = Arrays.copyOf(ifSnapLength, n);
            ifResolution = Arrays.copyOf(ifResolution, n);
            ifBinary = Arrays.copyOf(ifBinary, n);
            ifOffsetNanos = Arrays.copyOf(ifOffsetNanos, n);
        }
        ifLinkType[id] = Bytes.u16(b, p + 8, bigEndian);
        ifSnapLength[id] = Bytes.i32(b, p + 12, bigEndian);
        ifResolution[id] = 6;
        ifBinary[id] = false;
        ifOffsetNanos[id] = 0;
        // Options: code, length, value padded to 4 bytes. A malformed option list ends the parse; the defaults
        // (microseconds, no offset) are what readers use for an interface without options.
        int o = p + 16;
        int end = p + len - 4;
        while (o + 4 <= end) {
            int code = Bytes.u16(b, o, bigEndian);
            int olen = Bytes.u16(b, o + 2, bigEndian);
            if (code == 0 || o + 4 + olen > end) {
                break;
            }
            if (code == 9 && olen >= 1) {
                int v = b[o + 4] & 0xFF;
                ifBinary[id] = (v & 0x80) != 0;
                ifResolution[id] = v & 0x7F;
            } else if (code == 14 && olen >= 8) {
                long hi = Bytes.u32(b, o + 4, bigEndian);
                long lo = Bytes.u32(b, o + 8, bigEndian);
                long seconds = bigEndian ? (hi << 32) | lo : (lo << 32) | hi;
                ifOffsetNanos[id] = seconds * 1_000_000_000L;
            }
            o += 4 + ((olen + 3) & ~3);
        }
        interfaces++;
    }

    private boolean readPacket(int type, byte[] b, int p, int len, long start, PacketView view)
            throws CaptureFormatException {
        int iface;
        long capLen, wireLen;
        int dataOffset;
        long ts;
        if (type == SPB) {
            if (len < 16) {
                throw new CaptureFormatException(in.source, start, "simple packet block too short (" + len + " bytes)");
            }
            iface = 0;
            if (interfaces == 0) {
                throw new CaptureFormatException(in.source, start,
                        "simple packet block without an interface description");
            }
            wireLen = Bytes.u32(b, p + 8, bigEndian);
            dataOffset = 12;
            capLen = Math.min(wireLen, len - 16);
            int snap = ifSnapLength[0];
            if (snap > 0 && capLen > snap) {
                capLen = snap;
            }
            // A simple packet block has no timestamp: keep time monotonic by reusing the last one.
            view.timestampNanos = lastTimestamp;
        } else {
            if (len < 32) {
                throw new CaptureFormatException(in.source, start, "packet block too short (" + len + " bytes)");
            }
            if (type == EPB) {
                iface = Bytes.i32(b, p + 8, bigEndian);
            } else {
                iface = Bytes.u16(b, p + 8, bigEndian);
            }
            if (iface < 0 || iface >= interfaces) {
                throw new CaptureFormatException(in.source, start + 8,
                        "packet for interface " + (iface & 0xFFFF_FFFFL) + ", but " + interfaces + " declared");
            }
            ts = (Bytes.u32(b, p + 12, bigEndian) << 32) | Bytes.u32(b, p + 16, bigEndian);
            capLen = Bytes.u32(b, p + 20, bigEndian);
            wireLen = Bytes.u32(b, p + 24, bigEndian);
            dataOffset = 28;
            if (capLen > len - 32) {
                throw new CaptureFormatException(in.source, start + 20,
                        "captured length " + capLen + " exceeds its " + len + "-byte block");
            }
            view.timestampNanos = toNanos(ts, iface);
            lastTimestamp = view.timestampNanos;
        }
        view.data = b;
        view.frameOffset = p + dataOffset;
        view.capturedLength = (int) capLen;
        view.wireLength = (int) Math.min(Integer.MAX_VALUE, Math.max(wireLen, capLen));
        view.linkType = ifLinkType[iface];
        view.interfaceId = iface;
        view.frameNumber = ++frameNumber;
        return true;
    }

    private long toNanos(long ts, int iface) {
        int e = ifResolution[iface];
        long ns;
        if (!ifBinary[iface]) {
            if (e <= 9) {
                ns = ts * POW10[9 - e];
            } else {
                ns = e - 9 < POW10.length ? Long.divideUnsigned(ts, POW10[e - 9]) : 0;
            }
        } else if (e == 0) {
            ns = ts * 1_000_000_000L;
        } else if (e >= 64) {
            ns = 0;
        } else {
            // seconds = ts / 2^e; the fraction scaled to nanoseconds through a 128-bit product.
            long secs = ts >>> e;
            long frac = ts & ((1L << e) - 1);
            long lo = frac * 1_000_000_000L;
            long hi = Math.unsignedMultiplyHigh(frac, 1_000_000_000L);
            long fracNs = (lo >>> e) | (hi << (64 - e));
            ns = secs * 1_000_000_000L + fracNs;
        }
        return ns + ifOffsetNanos[iface];
    }

    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L,
            10_000_000_000_000L, 100_000_000_000_000L, 1_000_000_000_000_000L, 1_000_000_000_000_000_000L};
}
