package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.CaptureFormatException;
import org.weir.core.CaptureReader;
import org.weir.core.DecoderOptions;
import org.weir.core.PacketView;
import org.weir.packet.PcapWriter;
import org.weir.packet.internal.Captures.Frame;
import org.weir.packet.internal.Captures.Tsv;
import org.weir.testsupport.Corpus;

class ReaderTest {

    private static final String WIKIPEDIA = "zeek/core.tcp.rxmit-history/traces/wikipedia.pcap";

    @TempDir
    Path tmp;

    /** Frame count, timestamps and lengths of every capture agree with what tshark reported for it. */
    @TestFactory
    List<DynamicTest> framesAgreeWithTshark() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : Captures.under(".")) {
            Tsv tsv = Captures.tshark(file);
            if (tsv == null) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(Captures.relative(file), () -> {
                List<Frame> frames = Captures.frames(file);
                assertEquals(tsv.rows().size(), frames.size(), "frame count");
                int time = tsv.index("frame.time_epoch"), len = tsv.index("frame.len"),
                        cap = tsv.index("frame.cap_len");
                for (int i = 0; i < frames.size(); i++) {
                    String[] row = tsv.rows().get(i);
                    Frame f = frames.get(i);
                    assertEquals(i + 1, f.number());
                    assertEquals(Captures.epochNanos(row[time]), f.timestampNanos(), "time of frame " + (i + 1));
                    assertEquals(Integer.parseInt(row[len]), f.wireLength(), "wire length of frame " + (i + 1));
                    assertEquals(Integer.parseInt(row[cap]), f.capturedLength(), "captured length of frame " + (i + 1));
                }
            }));
        }
        assertTrue(tests.size() >= 90, "captures with tshark references: " + tests.size());
        return tests;
    }

    /** Mutated and truncated captures load, or fail with a format error naming file and offset; never hang. */
    @TestFactory
    List<DynamicTest> malformedInputsLoadOrFailCleanly() throws IOException {
        List<Path> files = new ArrayList<>(Captures.under("malformed"));
        files.addAll(Captures.under("zeek/core.truncation/traces/trunc"));
        assertTrue(files.size() >= 20, "inputs: " + files.size());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            tests.add(DynamicTest.dynamicTest(Captures.relative(file),
                    () -> assertTimeoutPreemptively(Duration.ofSeconds(20), () -> readAndDecode(file))));
        }
        return tests;
    }

    /** Reads and decodes everything; a format error must name the file and an offset inside it. */
    private static long readAndDecode(Path file) throws IOException {
        Decoder decoder = new Decoder(DecoderOptions.defaults());
        long frames = 0;
        try (CaptureReader r = Captures.open(file)) {
            PacketView v = new PacketView();
            try {
                while (r.next(v)) {
                    frames++;
                    decoder.decode(v, p -> {
                    });
                }
            } catch (CaptureFormatException e) {
                assertEquals(file.toString(), e.source());
                assertTrue(e.offset() >= 0 && e.offset() <= Files.size(file), "offset " + e.offset());
            }
        }
        assertEquals(frames, decoder.statistics().framesDecoded());
        return frames;
    }

    /**
     * Every corpus capture cut at random points: the complete frames before the cut are delivered unchanged, then
     * a format error names the offset of the cut record (or the file is shorter than its header).
     */
    @TestFactory
    List<DynamicTest> truncatedFilesDeliverWhatIsComplete() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        Random random = new Random(42);
        for (Path file : Captures.under(".")) {
            long seed = random.nextLong();
            tests.add(DynamicTest.dynamicTest(Captures.relative(file), () -> {
                byte[] all = Files.readAllBytes(file);
                org.weir.core.CaptureFormat format = Captures.format(file);
                // Record boundaries of the intact file, from the reader's own positions.
                List<Long> ends = new ArrayList<>();
                List<Frame> frames = new ArrayList<>();
                try (CaptureReader r = Captures.open(file)) {
                    PacketView v = new PacketView();
                    while (r.next(v)) {
                        frames.add(Frame.of(v));
                        ends.add(r.position());
                    }
                }
                Random rnd = new Random(seed);
                for (int k = 0; k < 3 && all.length > 1; k++) {
                    int cut = 1 + rnd.nextInt(all.length - 1);
                    Path cutFile = tmp.resolve("cut-" + k + "-" + file.getFileName());
                    Files.write(cutFile, java.util.Arrays.copyOf(all, cut));
                    int complete = 0;
                    while (complete < ends.size() && ends.get(complete) <= cut) {
                        complete++;
                    }
                    List<Frame> got = new ArrayList<>();
                    boolean failed = false;
                    try (CaptureReader r = format.open(cutFile)) {
                        PacketView v = new PacketView();
                        while (r.next(v)) {
                            got.add(Frame.of(v));
                        }
                    } catch (CaptureFormatException e) {
                        failed = true;
                        assertEquals(cutFile.toString(), e.source());
                        assertTrue(e.offset() <= cut, "error offset " + e.offset() + " beyond the cut at " + cut);
                    }
                    // Between two frames' ends every cut lands inside a record or block: it must be an error.
                    boolean onBoundary = complete > 0 && ends.get(complete - 1) == cut;
                    if (!onBoundary && complete > 0 && complete < ends.size()) {
                        assertTrue(failed, "cut at " + cut + " inside a record must fail");
                    }
                    assertEquals(complete, got.size(), "frames delivered before the cut at " + cut);
                    for (int i = 0; i < complete; i++) {
                        assertArrayEquals(frames.get(i).bytes(), got.get(i).bytes(), "frame " + (i + 1));
                    }
                }
            }));
        }
        return tests;
    }

    /** The nanosecond pcap and the pcapng conversion of the same capture hold the same frames. */
    @Test
    void nanosecondAndPcapngVariantsMatchTheOriginal() throws IOException {
        List<Frame> original = Captures.frames(Corpus.resolve(WIKIPEDIA));
        assertEquals(136, original.size());
        for (String variant : new String[] {"malformed/wikipedia-nsec.pcap", "malformed/wikipedia.pcapng"}) {
            List<Frame> other = Captures.frames(Corpus.resolve(variant));
            assertSameFrames(original, other, variant);
        }
    }

    private static void assertSameFrames(List<Frame> expected, List<Frame> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": frames");
        for (int i = 0; i < expected.size(); i++) {
            Frame e = expected.get(i), a = actual.get(i);
            assertEquals(e.timestampNanos(), a.timestampNanos(), what + ": time of frame " + (i + 1));
            assertEquals(e.wireLength(), a.wireLength(), what + ": wire length of frame " + (i + 1));
            assertEquals(e.linkType(), a.linkType(), what + ": link type of frame " + (i + 1));
            assertArrayEquals(e.bytes(), a.bytes(), what + ": bytes of frame " + (i + 1));
        }
    }

    /** What PcapWriter writes reads back identically, in both timestamp resolutions. */
    @Test
    void writerRoundTrip() throws IOException {
        for (String name : new String[] {WIKIPEDIA, "zeek/core.vlan-mpls/traces/mixed-vlan-mpls.pcap",
                "attacks/floods/rusllang-ml_qos/udp_flood.pcap"}) {
            Path source = Corpus.resolve(name);
            List<Frame> frames = Captures.frames(source);
            int linkType;
            try (PcapReader r = PcapReader.open(source)) {
                linkType = r.linkType();
            }
            for (boolean nanos : new boolean[] {false, true}) {
                Path out = tmp.resolve("rt-" + nanos + ".pcap");
                try (PcapWriter w = PcapWriter.create(out, linkType, 65535, nanos)) {
                    for (Frame f : frames) {
                        w.write(f.timestampNanos(), f.bytes(), 0, f.capturedLength(), f.wireLength());
                    }
                    assertEquals(frames.size(), w.frames());
                }
                try (PcapReader r = PcapReader.open(out)) {
                    assertEquals(nanos, r.nanosecondResolution());
                    assertEquals(linkType, r.linkType());
                    assertEquals(65535, r.snapLength());
                    assertSameFrames(frames, Captures.frames(r), name + (nanos ? " ns" : " us"));
                }
            }
        }
    }

    /** The writer cuts frames to its snap length and keeps the wire length, as a capture would. */
    @Test
    void writerAppliesSnapLength() throws IOException {
        List<Frame> frames = Captures.frames(Corpus.resolve(WIKIPEDIA));
        Path out = tmp.resolve("snap.pcap");
        try (PcapWriter w = PcapWriter.create(out, 1, 60, false)) {
            for (Frame f : frames) {
                w.write(f.timestampNanos(), f.bytes(), 0, f.capturedLength(), f.wireLength());
            }
        }
        // editcap -s 60 made the same cut independently.
        assertSameFrames(Captures.frames(Corpus.resolve("malformed/wikipedia-snap60.pcap")), Captures.frames(out),
                "snap 60");
    }

    /** A tiny buffer forces refills and growth on every record: the frames must not change. */
    @Test
    void smallBufferGivesTheSameFrames() throws IOException {
        for (String name : new String[] {WIKIPEDIA, "attacks/dns-tunnel/dns2tcp-netrack-2018-03-23.pcap"}) {
            Path file = Corpus.resolve(name);
            List<Frame> expected = Captures.frames(file);
            try (PcapReader r = PcapReader.open(file, 64)) {
                assertSameFrames(expected, Captures.frames(r), name);
            }
        }
        Path ng = Corpus.resolve("malformed/wikipedia.pcapng");
        try (PcapngReader r = PcapngReader.open(ng, 64)) {
            assertSameFrames(Captures.frames(ng), Captures.frames(r), "pcapng");
        }
    }

    /**
     * Frames of every size, from 14 bytes to beyond a read window, written with known contents and read back through
     * windows of several sizes: across the swaps of the read-ahead buffers, the carried partial records (up to the
     * room kept for them and beyond it) and the synchronous growth for records longer than a window. The pcapng
     * variant adds large blocks that are skipped without being read, landing inside and beyond the read-ahead.
     */
    @Test
    void readAheadGivesTheWrittenFramesForEveryWindowSize() throws IOException {
        Random random = new Random(11);
        List<byte[]> written = new ArrayList<>();
        int[] sizes = {14, 60, 61, 62, 63, 64, 65, 127, 128, 1514, 4095, 4096, 9000, 65535, 65536, 70000, 150000,
            262144};
        Path pcap = tmp.resolve("sizes.pcap");
        try (PcapWriter w = PcapWriter.create(pcap, 1, 262144, false)) {
            for (int i = 0; i < 3000; i++) {
                // Mostly small frames, with every listed size now and then.
                int size = i % 40 == 0 ? sizes[(i / 40) % sizes.length] : 14 + random.nextInt(1501);
                byte[] frame = new byte[size];
                random.nextBytes(frame);
                written.add(frame);
                w.write(1_000_000_000L * i, frame, 0, size, size);
            }
        }
        Path pcapng = tmp.resolve("sizes.pcapng");
        Files.write(pcapng, pcapngWithSkippedBlocks(written));
        for (int window : new int[] {64, 1000, 4096, 65536, 100_000, ChannelInput.DEFAULT_BUFFER}) {
            try (PcapReader r = PcapReader.open(pcap, window)) {
                assertFrames(written, Captures.frames(r), "pcap, window " + window);
            }
            try (PcapngReader r = PcapngReader.open(pcapng, window)) {
                assertFrames(written, Captures.frames(r), "pcapng, window " + window);
            }
            // The same from a stream: in order, the skipped blocks read and dropped.
            try (PcapReader r = PcapReader.open(pipe(Files.readAllBytes(pcap)), "standard input", window)) {
                assertFrames(written, Captures.frames(r), "pcap stream, window " + window);
            }
            try (PcapngReader r = PcapngReader.open(pipe(Files.readAllBytes(pcapng)), "standard input", window)) {
                assertFrames(written, Captures.frames(r), "pcapng stream, window " + window);
            }
        }
    }

    /**
     * Every corpus capture read from a stream (as from a pipe, in pieces of at most 4,093 bytes) gives the frames,
     * record positions and errors of the file.
     */
    @TestFactory
    List<DynamicTest> streamsReadAsFiles() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : Captures.under(".")) {
            tests.add(DynamicTest.dynamicTest(Captures.relative(file), () -> {
                org.weir.core.CaptureFormat format = Captures.format(file);
                List<String> fromFile = readAll(() -> format.open(file));
                List<String> fromStream = readAll(() -> format.open(pipe(Files.readAllBytes(file)), "-"));
                assertEquals(fromFile, fromStream);
            }));
        }
        return tests;
    }

    private interface Opener {
        CaptureReader open() throws IOException;
    }

    /** Each frame with the reader's position after it, then how the capture ended (an error: its offset and text). */
    private static List<String> readAll(Opener opener) throws IOException {
        List<String> out = new ArrayList<>();
        try (CaptureReader r = opener.open()) {
            PacketView v = new PacketView();
            while (r.next(v)) {
                Frame f = Frame.of(v);
                out.add(f.number() + " " + f.timestampNanos() + " " + f.linkType() + " " + f.interfaceId() + " "
                        + f.wireLength() + " " + java.util.HexFormat.of().formatHex(f.bytes()) + " @" + r.position());
            }
            out.add("end");
        } catch (CaptureFormatException e) {
            out.add("error at " + e.offset() + ": " + e.getMessage().substring(e.source().length()));
        }
        return out;
    }

    /** A stream that hands over its bytes in pieces, as a pipe does. */
    static java.nio.channels.ReadableByteChannel pipe(byte[] bytes) {
        return new java.nio.channels.ReadableByteChannel() {
            private int at;
            private boolean open = true;

            @Override
            public int read(ByteBuffer target) {
                if (at == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(4093, target.remaining()), bytes.length - at);
                target.put(bytes, at, n);
                at += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }

    private static void assertFrames(List<byte[]> expected, List<Frame> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": frames");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i).bytes(), what + ": bytes of frame " + (i + 1));
        }
    }

    /** A little-endian pcapng of Ethernet frames, with an unknown block of 1 KiB to 600 KiB after every 50th. */
    private static byte[] pcapngWithSkippedBlocks(List<byte[]> frames) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer shb = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        shb.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1)
                .putInt(28);
        out.writeBytes(shb.array());
        ByteBuffer idb = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        idb.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(0).putInt(20);
        out.writeBytes(idb.array());
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            int padded = (f.length + 3) & ~3;
            ByteBuffer epb = ByteBuffer.allocate(32 + padded).order(ByteOrder.LITTLE_ENDIAN);
            long micros = 1_000_000L * i;
            epb.putInt(6).putInt(32 + padded).putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros)
                    .putInt(f.length).putInt(f.length).put(f).position(28 + padded);
            epb.putInt(32 + padded);
            out.writeBytes(epb.array());
            if (i % 50 == 49) {
                int length = 1024 << (i / 50 % 10); // 1 KiB .. 512 KiB
                ByteBuffer unknown = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
                unknown.putInt(0x0BAD).putInt(length).position(length - 4);
                unknown.putInt(length);
                out.writeBytes(unknown.array());
            }
        }
        return out.toByteArray();
    }

    /**
     * The same capture rewritten big-endian (as a big-endian host writes it), nanosecond big-endian, and in the
     * "modified" pcap layout with 8 extra bytes per record header: identical frames.
     */
    @Test
    void bigEndianAndModifiedPcapGiveTheSameFrames() throws IOException {
        Path source = Corpus.resolve(WIKIPEDIA);
        List<Frame> frames = Captures.frames(source);
        for (int variant = 0; variant < 3; variant++) {
            boolean modified = variant == 2;
            boolean nanos = variant == 1;
            ByteOrder order = modified ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ByteBuffer h = ByteBuffer.allocate(24).order(order);
            h.putInt(modified ? 0xA1B2CD34 : nanos ? 0xA1B23C4D : 0xA1B2C3D4).putShort((short) 2)
                    .putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
            out.writeBytes(h.array());
            for (Frame f : frames) {
                ByteBuffer r = ByteBuffer.allocate(modified ? 24 : 16).order(order);
                long frac = f.timestampNanos() % 1_000_000_000L;
                r.putInt((int) (f.timestampNanos() / 1_000_000_000L)).putInt((int) (nanos ? frac : frac / 1000))
                        .putInt(f.capturedLength()).putInt(f.wireLength());
                out.writeBytes(r.array());
                out.writeBytes(f.bytes());
            }
            Path file = tmp.resolve("variant-" + variant + ".pcap");
            Files.write(file, out.toByteArray());
            try (PcapReader r = PcapReader.open(file)) {
                assertEquals(nanos, r.nanosecondResolution());
                assertSameFrames(frames, Captures.frames(r), "variant " + variant);
            }
        }
    }

    @Test
    void oversizedRecordIsAFormatError() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 100).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt(1).putInt(0).putInt(1_000_000).putInt(1_000_000);
        Path f = tmp.resolve("huge.pcap");
        Files.write(f, b.array());
        try (CaptureReader r = Captures.open(f)) {
            CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> r.next(new PacketView()));
            assertEquals(24, e.offset());
            assertEquals(f.toString(), e.source());
        }
    }

    @Test
    void notACaptureIsAFormatError() throws IOException {
        Path f = tmp.resolve("text.pcap");
        Files.writeString(f, "this is not a capture file at all");
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> PcapReader.open(f));
        assertEquals(0, e.offset());
        Files.write(f, new byte[] {(byte) 0xD4, (byte) 0xC3});
        assertThrows(CaptureFormatException.class, () -> PcapReader.open(f));
        assertThrows(CaptureFormatException.class, () -> PcapngReader.open(f));
    }

    /**
     * pcapng features the corpus files do not use, built from the frames of a corpus capture: big-endian sections,
     * a second section with its own interfaces, decimal and binary {@code if_tsresol}, {@code if_tsoffset}, simple and
     * obsolete packet blocks, and blocks of other types that must be skipped.
     */
    @Test
    void pcapngSectionsResolutionsAndBlockTypes() throws IOException {
        List<Frame> frames = Captures.frames(Corpus.resolve(WIKIPEDIA));
        PcapngBuilder ng = new PcapngBuilder();
        long offsetSeconds = 1000;
        // Section 1, big-endian: interface 0 in nanoseconds, interface 1 in 2^-30 s with an offset.
        ng.section(true);
        ng.interfaceBlock(1, 0, 9, -1);
        ng.interfaceBlock(1, 0, 0x80 | 30, offsetSeconds);
        ng.block(0x0000_0BAD, new byte[13]); // custom block
        ng.block(4, new byte[8]); // name resolution block
        List<Long> expectedTimes = new ArrayList<>();
        int half = frames.size() / 2;
        for (int i = 0; i < half; i++) {
            Frame f = frames.get(i);
            if (i % 2 == 0) {
                ng.enhancedPacket(0, f.timestampNanos(), f.bytes(), f.wireLength());
                expectedTimes.add(f.timestampNanos());
            } else {
                // Microsecond times are exact in 2^-30 s only up to rounding: compute what the file says.
                long units = Math.round((f.timestampNanos() / 1e9 - offsetSeconds) * (1L << 30));
                ng.enhancedPacketRaw(1, units, f.bytes(), f.wireLength());
                long secs = units >>> 30;
                long frac = units & ((1L << 30) - 1);
                expectedTimes.add((secs + offsetSeconds) * 1_000_000_000L + ((frac * 1_000_000_000L) >>> 30));
            }
            ng.block(5, new byte[12]); // interface statistics
        }
        // Section 2, little-endian, microsecond interface: obsolete and simple packet blocks.
        ng.section(false);
        ng.interfaceBlock(1, 0, -1, -1);
        long lastTime = expectedTimes.get(expectedTimes.size() - 1);
        for (int i = half; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (i % 3 == 0) {
                ng.simplePacket(f.bytes());
                expectedTimes.add(lastTime);
            } else {
                ng.obsoletePacket(0, f.timestampNanos() / 1000, f.bytes(), f.wireLength());
                lastTime = f.timestampNanos();
                expectedTimes.add(lastTime);
            }
        }
        Path out = tmp.resolve("built.pcapng");
        Files.write(out, ng.bytes());
        List<Frame> got = Captures.frames(out);
        assertEquals(frames.size(), got.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i).bytes(), got.get(i).bytes(), "frame " + (i + 1));
            assertEquals(expectedTimes.get(i), got.get(i).timestampNanos(), "time of frame " + (i + 1));
            assertEquals(i < half ? i % 2 : 0, got.get(i).interfaceId(), "interface of frame " + (i + 1));
        }
        // Cut inside the last block: everything before is delivered, then a format error.
        byte[] all = ng.bytes();
        Files.write(out, java.util.Arrays.copyOf(all, all.length - 3));
        try (CaptureReader r = Captures.open(out)) {
            PacketView v = new PacketView();
            int n = 0;
            try {
                while (r.next(v)) {
                    n++;
                }
                fail("a truncated last block must be an error");
            } catch (CaptureFormatException e) {
                assertEquals(frames.size() - 1, n);
            }
        }
    }

    /** Minimal pcapng writer for the test above (either byte order). */
    static final class PcapngBuilder {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        void section(boolean bigEndian) {
            order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            ByteBuffer b = ByteBuffer.allocate(16).order(order);
            b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1);
            block(0x0A0D0D0A, b.array());
        }

        void interfaceBlock(int linkType, int snap, int tsresol, long tsoffset) {
            ByteBuffer b = ByteBuffer.allocate(64).order(order);
            b.putShort((short) linkType).putShort((short) 0).putInt(snap);
            if (tsresol >= 0) {
                b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
            }
            if (tsoffset >= 0) {
                b.putShort((short) 14).putShort((short) 8).putLong(tsoffset);
            }
            b.putShort((short) 0).putShort((short) 0);
            block(1, java.util.Arrays.copyOf(b.array(), b.position()));
        }

        void enhancedPacket(int iface, long nanos, byte[] data, int wire) {
            enhancedPacketRaw(iface, nanos, data, wire);
        }

        void enhancedPacketRaw(int iface, long units, byte[] data, int wire) {
            ByteBuffer b = ByteBuffer.allocate(20 + pad(data.length)).order(order);
            b.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units).putInt(data.length).putInt(wire)
                    .put(data);
            block(6, b.array());
        }

        void obsoletePacket(int iface, long units, byte[] data, int wire) {
            ByteBuffer b = ByteBuffer.allocate(20 + pad(data.length)).order(order);
            b.putShort((short) iface).putShort((short) 0).putInt((int) (units >>> 32)).putInt((int) units)
                    .putInt(data.length).putInt(wire).put(data);
            block(2, b.array());
        }

        void simplePacket(byte[] data) {
            ByteBuffer b = ByteBuffer.allocate(4 + pad(data.length)).order(order);
            b.putInt(data.length).put(data);
            block(3, b.array());
        }

        void block(int type, byte[] body) {
            int len = 12 + pad(body.length);
            ByteBuffer b = ByteBuffer.allocate(len).order(order);
            b.putInt(type).putInt(len).put(body);
            b.position(len - 4);
            b.putInt(len);
            out.writeBytes(b.array());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private static int pad(int n) {
            return (n + 3) & ~3;
        }
    }

    @Test
    void formatsRecogniseTheirMagic() throws IOException {
        PcapFormat pcap = new PcapFormat();
        PcapngFormat pcapng = new PcapngFormat();
        byte[] head = new byte[4];
        for (Path f : Captures.under("malformed")) {
            try (var in = Files.newInputStream(f)) {
                in.readNBytes(head, 0, 4);
            }
            boolean ng = f.getFileName().toString().endsWith(".pcapng");
            assertEquals(ng, pcapng.recognises(head, 4), f.toString());
            assertEquals(!ng, pcap.recognises(head, 4), f.toString());
        }
        assertFalse(pcap.recognises(head, 3));
        assertEquals("pcap", pcap.name());
        assertEquals("pcapng", pcapng.name());
    }
}
