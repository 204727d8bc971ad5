package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureFormat;
import org.weir.core.CaptureFormatException;
import org.weir.core.CaptureReader;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketView;
import org.weir.core.ProgressMonitor;
import org.weir.core.Session;
import org.weir.core.SessionTableFactory;
import org.weir.packet.PcapWriter;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;

/**
 * Several captures are one capture merged by time ({@link CaptureMerge}): split a real capture as a tap splits a link
 * (one file per direction) or as a ring buffer does (consecutive files), name the parts in any order, and the
 * analysis gives the sessions of the whole capture, uids included.
 */
class CaptureMergeTest {

    private static final List<CaptureFormat> FORMATS = Services.all(CaptureFormat.class, 2);

    private final Pipeline pipeline = new Pipeline(FORMATS, Services.get(PacketDecoderFactory.class),
            Services.get(SessionTableFactory.class), null);

    @ParameterizedTest
    @ValueSource(strings = {"zeek/core.tcp.rxmit-history/traces/wikipedia.pcap",
            "attacks/floods/moriakhin-malware_traffic_detector/no_flood.pcap",
            "attacks/dns-tunnel/dns2tcp-netrack-2018-03-23.pcap"})
    void theTwoDirectionsOfATapGiveTheSessionsOfTheLink(String corpusPath, @TempDir Path tmp) throws IOException {
        Path capture = Corpus.resolve(corpusPath);
        List<String> whole = records(capture);
        // Each frame by the order of its MAC addresses: the two directions between any two hosts part.
        List<Path> parts = split(capture, tmp, 2, (frame, index) -> compareMacs(frame) < 0 ? 0 : 1);

        assertEquals(whole, records(parts.get(0), parts.get(1)));
        assertEquals(whole, records(parts.get(1), parts.get(0)), "in either order");
        assertNotEquals(whole, concatenated(parts), "read one after the other, they are other sessions");
    }

    @Test
    void theFilesOfARingBufferAreReadInTimeOrderWhateverTheOrderNamed(@TempDir Path tmp) throws IOException {
        Path capture = Corpus.resolve("attacks/floods/moriakhin-malware_traffic_detector/no_flood.pcap");
        List<Path> parts = split(capture, tmp, 5, (frame, index) -> (int) (index * 5 / frames(capture)));
        List<Path> shuffled = new ArrayList<>(parts);
        Collections.reverse(shuffled);

        assertEquals(records(capture), records(shuffled.toArray(Path[]::new)));
    }

    @Test
    void aRingBufferOfManyFilesHasOneOrTwoOpenAtATime(@TempDir Path tmp) throws IOException {
        Path capture = Corpus.resolve("attacks/dns-tunnel/dns2tcp-netrack-2018-03-23.pcap");
        long frames = frames(capture);
        int files = 300;
        List<Path> parts = split(capture, tmp, files, (frame, index) -> (int) (index * files / frames));
        Collections.reverse(parts);

        long before = openFiles(), most = 0, read = 0, last = Long.MIN_VALUE;
        PacketView view = new PacketView();
        try (CaptureMerge merge = new CaptureMerge(FORMATS, parts.stream().map(CaptureMergeTest::input).toList(),
                () -> false, null)) {
            assertEquals(openFiles(), before, "looking at the files' first frames leaves none open");
            while (merge.next(view)) {
                read++;
                assertEquals(read, view.frameNumber);
                assertTrue(view.timestampNanos >= last, "in time order");
                last = view.timestampNanos;
                if (read % 20 == 0) {
                    most = Math.max(most, openFiles() - before);
                }
            }
            assertNull(merge.error());
        }
        assertEquals(frames, read);
        assertTrue(most >= 1 && most <= 2, most + " files open at once");
        assertEquals(before, openFiles(), "all closed");
    }

    @Test
    void manyCapturesOfOneTimeAreMergedFrameByFrame(@TempDir Path tmp) throws IOException {
        // Seven captures that each hold every seventh frame: all of them open at once, for the whole time.
        Path capture = Corpus.resolve("attacks/dns-tunnel/dns2tcp-netrack-2018-03-23.pcap");
        List<Path> parts = split(capture, tmp, 7, (frame, index) -> (int) (index % 7));
        Collections.reverse(parts);

        List<String> merged = new ArrayList<>();
        long last = Long.MIN_VALUE;
        PacketView view = new PacketView();
        try (CaptureMerge merge = new CaptureMerge(FORMATS, parts.stream().map(CaptureMergeTest::input).toList(),
                () -> false, null)) {
            while (merge.next(view)) {
                assertTrue(view.timestampNanos >= last, "in time order");
                last = view.timestampNanos;
                merged.add(frame(view));
            }
        }
        List<String> whole = new ArrayList<>();
        try (CaptureReader reader = Pipeline.open(FORMATS, capture)) {
            while (reader.next(view)) {
                whole.add(frame(view));
            }
        }
        Collections.sort(merged); // frames of one time may come in another order from other captures
        Collections.sort(whole);
        assertEquals(whole, merged);
        assertEquals(withoutUids(records(capture)), withoutUids(records(parts.toArray(Path[]::new))));
    }

    @Test
    void aDamagedCaptureEndsThereWhileTheOthersAreReadToTheirEnd(@TempDir Path tmp) throws IOException {
        byte[] whole = Files.readAllBytes(Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"));
        Path damaged = Files.write(tmp.resolve("cut.pcap"), java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        Path good = Corpus.resolve("attacks/floods/moriakhin-malware_traffic_detector/no_flood.pcap");
        AnalysisResult[] result = new AnalysisResult[1];
        List<String> merged = records(List.of(damaged, good), result);

        assertTrue(result[0].error() != null && result[0].error().source().equals(damaged.toString()),
                String.valueOf(result[0].error()));
        assertTrue(withoutUids(merged).containsAll(withoutUids(records(good))),
                "every session of the undamaged capture, as if alone");
        assertEquals(frames(good) + frames(damaged), result[0].frames(),
                "the frames before the damage, and all the others");
    }

    @Test
    void aPipeIsMergedWithAFile(@TempDir Path tmp) throws Exception {
        Path capture = Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap");
        List<Path> parts = split(capture, tmp, 2, (frame, index) -> compareMacs(frame) < 0 ? 0 : 1);
        Path fifo = tmp.resolve("direction.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        byte[] bytes = Files.readAllBytes(parts.get(0));
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<String> merged = records(List.of(parts.get(1), fifo), new AnalysisResult[1]);
        writer.get(10, TimeUnit.SECONDS);

        assertEquals(records(capture), merged);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    interface Part {
        int of(PacketView frame, long index);
    }

    /** Writes each frame of the capture into the part {@code part} names; the parts' files, in part order. */
    static List<Path> split(Path capture, Path dir, int count, Part part) throws IOException {
        List<Path> files = new ArrayList<>();
        List<PcapWriter> writers = new ArrayList<>();
        PacketView frame = new PacketView();
        long index = 0, last = Long.MIN_VALUE;
        try (CaptureReader reader = Pipeline.open(FORMATS, capture)) {
            while (reader.next(frame)) {
                assertTrue(frame.timestampNanos >= last, "a capture in time order (else a merge may reorder it)");
                last = frame.timestampNanos;
                int p = part.of(frame, index++);
                while (writers.size() <= p) {
                    Path file = dir.resolve(String.format("part-%04d.pcap", writers.size()));
                    files.add(file);
                    writers.add(PcapWriter.create(file, frame.linkType, 262_144, false));
                }
                writers.get(p).write(frame.timestampNanos, frame.data, frame.frameOffset, frame.capturedLength,
                        frame.wireLength);
            }
        } finally {
            for (PcapWriter w : writers) {
                w.close();
            }
        }
        assertEquals(count, files.size());
        assertFalse(files.stream().anyMatch(f -> frames(f) == 0), "no empty part");
        return files;
    }

    /** Source against destination MAC address. */
    static int compareMacs(PacketView frame) {
        return java.util.Arrays.compareUnsigned(frame.data, frame.frameOffset + 6, frame.frameOffset + 12,
                frame.data, frame.frameOffset, frame.frameOffset + 6);
    }

    private List<String> concatenated(List<Path> parts) throws IOException {
        List<String> all = new ArrayList<>();
        for (Path p : parts) {
            all.addAll(records(p));
        }
        Collections.sort(all);
        return all;
    }

    private List<String> records(Path... captures) throws IOException {
        return records(List.of(captures), new AnalysisResult[1]);
    }

    /** The sessions' conn.log columns, uid included, one line each, sorted. */
    private List<String> records(List<Path> captures, AnalysisResult[] result) throws IOException {
        List<Session> closed = Collections.synchronizedList(new ArrayList<>());
        result[0] = pipeline.analyze(captures, AnalysisOptions.defaults(), batch -> closed.addAll(batch.closed()),
                alert -> {
                }, ProgressMonitor.NONE);
        return closed.stream()
                .map(s -> String.join(" ", s.uid(), Long.toString(s.startNanos()), s.origAddress(),
                        Integer.toString(s.origPort()), s.respAddress(), Integer.toString(s.respPort()),
                        Integer.toString(s.ipProtocol()), String.valueOf(s.service()),
                        Long.toString(s.durationNanos()), Long.toString(s.origBytes()), Long.toString(s.respBytes()),
                        s.connState(), Long.toString(s.missedBytes()), s.history(), Long.toString(s.origPackets()),
                        Long.toString(s.origIpBytes()), Long.toString(s.respPackets()),
                        Long.toString(s.respIpBytes())))
                .sorted().toList();
    }

    /** A frame's time and bytes. */
    private static String frame(PacketView view) {
        return String.format("%020d %s", view.timestampNanos, java.util.HexFormat.of().formatHex(view.data,
                view.frameOffset, view.frameOffset + view.capturedLength));
    }

    private static List<String> withoutUids(List<String> records) {
        return records.stream().map(r -> r.substring(r.indexOf(' ') + 1)).toList();
    }

    private static CaptureMerge.Input input(Path file) {
        try {
            return CaptureMerge.file(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The frames of the capture, those before the damage of a damaged one. */
    private static long frames(Path capture) {
        long n = 0;
        PacketView view = new PacketView();
        try (CaptureReader reader = Pipeline.open(FORMATS, capture)) {
            while (reader.next(view)) {
                n++;
            }
        } catch (CaptureFormatException e) {
            return n;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return n;
    }

    private static long openFiles() throws IOException {
        Predicate<Path> capture = fd -> {
            try {
                return Files.readSymbolicLink(fd).toString().endsWith(".pcap");
            } catch (IOException e) {
                return false; // closed in between
            }
        };
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(capture).count();
        }
    }
}
