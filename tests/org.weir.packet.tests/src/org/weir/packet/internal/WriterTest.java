package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.CaptureReader;
import org.weir.core.LinkTypes;
import org.weir.core.PacketView;
import org.weir.packet.PcapWriter;
import org.weir.packet.PcapngWriter;
import org.weir.testsupport.Corpus;

/** The capture writers, read back by Weir's readers and, for a pcapng file of one link type, by tcpdump. */
class WriterTest {

    @TempDir
    Path tmp;

    private record Frame(long nanos, int linkType, byte[] bytes, int wireLength) {
    }

    @Test
    void pcapngHoldsFramesOfSeveralLinkTypesWithNanosecondTimes() throws IOException {
        List<Frame> written = new ArrayList<>();
        // The frames of a real capture (Ethernet), then raw IP frames made of their IP packets, interleaved.
        for (Frame f : frames(Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"))) {
            written.add(new Frame(f.nanos() + 123, f.linkType(), f.bytes(), f.wireLength()));
            if (f.bytes().length > 14 && f.bytes()[12] == 0x08 && f.bytes()[13] == 0) {
                byte[] ip = Arrays.copyOfRange(f.bytes(), 14, f.bytes().length);
                written.add(new Frame(f.nanos() + 456, LinkTypes.RAW, ip, f.wireLength() - 14));
            }
        }
        Path file = tmp.resolve("mixed.pcapng");
        try (PcapngWriter w = PcapngWriter.create(file, "Weir test")) {
            for (Frame f : written) {
                w.write(f.nanos(), f.linkType(), f.bytes(), 0, f.bytes().length, f.wireLength());
            }
            assertEquals(written.size(), w.frames());
        }
        List<Frame> read = frames(file);
        assertEquals(written.size(), read.size());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(written.get(i).nanos(), read.get(i).nanos(), "frame " + i);
            assertEquals(written.get(i).linkType(), read.get(i).linkType(), "frame " + i);
            assertEquals(written.get(i).wireLength(), read.get(i).wireLength(), "frame " + i);
            assertArrayEquals(written.get(i).bytes(), read.get(i).bytes(), "frame " + i);
        }
    }

    @Test
    void tcpdumpReadsAPcapngFileOfOneLinkType() throws Exception {
        Path source = Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap");
        Path file = tmp.resolve("ethernet.pcapng");
        List<Frame> frames = frames(source);
        try (PcapngWriter w = PcapngWriter.create(file, "Weir test")) {
            for (Frame f : frames) {
                w.write(f.nanos(), f.linkType(), f.bytes(), 0, f.bytes().length, f.wireLength());
            }
        }
        assertEquals(tcpdump(source), tcpdump(file), "tcpdump prints the same frames at the same times");
    }

    @Test
    void pcapRefusesAFrameOfAnotherLinkType() throws IOException {
        try (PcapWriter w = PcapWriter.create(tmp.resolve("one.pcap"), LinkTypes.ETHERNET, 65535, false)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.write(0, LinkTypes.RAW, new byte[20], 0, 20, 20));
            assertTrue(e.getMessage().contains("one link type"), e.getMessage());
            assertEquals(0, w.frames());
            assertThrows(IllegalArgumentException.class, () -> w.write(0, LinkTypes.ETHERNET, new byte[20], 10, 20,
                    20), "bytes outside the array");
        }
        assertFalse(frames(tmp.resolve("one.pcap")).iterator().hasNext());
    }

    private static List<Frame> frames(Path capture) throws IOException {
        List<Frame> frames = new ArrayList<>();
        PacketView v = new PacketView();
        try (CaptureReader reader = Captures.open(capture)) {
            while (reader.next(v)) {
                frames.add(new Frame(v.timestampNanos, v.linkType,
                        Arrays.copyOfRange(v.data, v.frameOffset, v.frameOffset + v.capturedLength), v.wireLength));
            }
        }
        return frames;
    }

    private static String tcpdump(Path capture) throws Exception {
        Process p = new ProcessBuilder("tcpdump", "-nn", "-tt", "-r", capture.toString()).redirectError(
                ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "tcpdump -r " + capture);
        assertFalse(out.isEmpty());
        return out;
    }
}
