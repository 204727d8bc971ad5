package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.jobs.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.LinkTypes;
import org.weir.packet.PcapWriter;
import org.weir.testsupport.Corpus;
import org.weir.ui.CaptureModel;
import org.weir.ui.CaptureModel.Snapshot;
import org.weir.ui.CaptureModel.State;
import org.weir.ui.WorkbenchJob;

/**
 * The workbench's analysis jobs through the real engine: a heap that a collection leaves nearly full stops the
 * analysis like a cancellation, and the sessions seen until then are shown with a message that says why and what to
 * do, instead of the job dying of an {@link OutOfMemoryError} with nothing shown; a cancelled analysis never
 * publishes over the one that replaced it; and closing the workbench ends the analysis under way.
 */
class AnalysisJobTest {

    private static final int FLOWS = 1_000;
    /** Many more frames than the pipeline reads between two looks at its monitor (65,536). */
    private static final int FRAMES = 1_000_000;
    /** The paced capture: as many frames at a time as the pipeline reads between two looks at its monitor. */
    private static final int PACE_FRAMES = 65_536, PACE_MILLIS = 50;
    /** The capture's datagrams (IPv4 header, UDP header, 4 bytes of payload) and its file's layout. */
    private static final int DATAGRAM_BYTES = 20 + 8 + 4, PCAP_HEADER_BYTES = 24, FRAME_BYTES = 16 + DATAGRAM_BYTES;

    @TempDir
    Path dir;

    @Test
    void aNearlyFullHeapStopsTheAnalysisAndKeepsItsSessions() throws Exception {
        Path capture = udpCapture(dir.resolve("udp.pcap"));
        // A limit of one byte, and full collections while the analysis runs: the first one that ends during it trips
        // the guard, and the analysis stops at its next look at the monitor. The capture comes through a pipe at a
        // pace: the workbench's collector (ZGC) collects while the analysis goes on, and read at full speed the
        // capture was done before its first collection ended.
        Outcome stopped = analyse(paced(capture, dir.resolve("paced")), 1e-12);
        assertEquals(State.CANCELLED, stopped.snapshot.state(), stopped.snapshot.message());
        long frames = stopped.snapshot.result().frames();
        assertTrue(frames < FRAMES, "stopped at a look at the monitor, not after " + frames + " of " + FRAMES
                + " frames");
        // The flows take turns: each of the first frames began one (G1's quick full collections can stop the
        // analysis within the first few hundred).
        assertEquals(Math.min(frames, FLOWS), stopped.snapshot.sessionCount(), "the sessions of those frames");
        String message = stopped.snapshot.message();
        assertTrue(message.contains("memory is nearly full") && message.contains("WEIR_VMARGS=-Xmx"), message);
        assertEquals(List.of("partial: " + message), stopped.reported.messages,
                "the message also goes to a dialog, as a warning: the sessions are shown");

        // The guard leaves nothing behind, and collections below the limit do not stop an analysis: the next one,
        // at the default limit and with the same collections, reads the whole capture.
        Outcome whole = analyse(capture, HeapGuard.FULL);
        assertEquals(State.DONE, whole.snapshot.state(), whole.snapshot.message());
        assertEquals(FRAMES, whole.snapshot.result().frames());
        assertEquals(FLOWS, whole.snapshot.sessionCount());
        assertEquals(List.of(), whole.reported.messages);
    }

    /**
     * Opening a capture cancels the analysis under way; the cancelled one must not publish over its successor, even
     * when it notices the cancellation only after the successor began (or ended).
     */
    @Test
    void theCaptureOpenedLastIsTheOneShown() throws Exception {
        Path big = udpCapture(dir.resolve("big.pcap"));
        Path small = Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap").toAbsolutePath()
                .normalize();
        CaptureModel model = new CaptureModel(Runnable::run);
        Reported reported = new Reported();
        CaptureController controller = new CaptureController(model, reported);
        try {
            for (int round = 0; round < 6; round++) {
                controller.open(big);
                Thread.sleep(round * 20L);
                controller.open(small);
                controller.join(60_000);
                Thread.sleep(300); // room for a cancelled analysis that was still running to publish
                Snapshot shown = model.snapshot();
                assertEquals(List.of(small), shown.captures(),
                        "round " + round + ": " + shown.state() + " " + shown.message());
                assertEquals(State.DONE, shown.state(), "round " + round + ": " + shown.message());
            }
        } finally {
            controller.dispose();
        }
        assertEquals(List.of(), reported.messages);
    }

    /**
     * Closing the workbench ends its jobs: an analysis waiting on a pipe that stays open and silent is cancelled and
     * has ended when {@code WeirAddon}'s close returns, within seconds, with what it read shown as cancelled.
     */
    @Test
    void closingTheWorkbenchEndsAnAnalysisWaitingOnAPipe() throws Exception {
        Path capture = udpCapture(dir.resolve("some.pcap"));
        Path fifo = dir.resolve("silent");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try (InputStream in = Files.newInputStream(capture);
                    OutputStream out = new FileOutputStream(fifo.toFile())) {
                out.write(in.readNBytes(PCAP_HEADER_BYTES + 1_000 * FRAME_BYTES));
                out.flush();
                release.await(); // the pipe stays open and says nothing more
            } catch (IOException | InterruptedException e) {
                // the analysis closed the pipe, or the test ended
            }
        }, "silent pipe");
        writer.setDaemon(true);
        writer.start();
        CaptureModel model = new CaptureModel(Runnable::run);
        Reported reported = new Reported();
        CaptureController controller = new CaptureController(model, reported);
        try {
            controller.open(fifo);
            WorkbenchTest.waitFor(Duration.ofSeconds(30), "the analysis to start", () -> model.snapshot().state()
                    == State.ANALYSING && model.snapshot().sessionCount() > 0
                    || Job.getJobManager().find(WorkbenchJob.FAMILY).length > 0);
            Thread.sleep(500); // the thousand frames read, the analysis waiting on the pipe
            assertEquals(1, Job.getJobManager().find(WorkbenchJob.FAMILY).length, "the analysis is under way");

            long start = System.nanoTime();
            WeirAddon.endJobs(5_000);
            long tookMillis = (System.nanoTime() - start) / 1_000_000L;

            assertEquals(0, Job.getJobManager().find(WorkbenchJob.FAMILY).length, "no job left");
            assertTrue(tookMillis < 4_000, "ending the jobs took " + tookMillis + " ms");
            assertEquals(State.CANCELLED, model.snapshot().state(), model.snapshot().message());
            assertEquals(List.of(), reported.messages);
        } finally {
            release.countDown();
            controller.dispose();
        }
    }

    /** The problems an analysis reported, each with its kind. */
    private static final class Reported implements ProblemReporter {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void failed(String message) {
            messages.add("failed: " + message);
        }

        @Override
        public void partial(String message) {
            messages.add("partial: " + message);
        }
    }

    private record Outcome(Snapshot snapshot, Reported reported) {
    }

    /** Runs one analysis job to its end, with a full collection every 10 ms meanwhile. */
    private static Outcome analyse(Path capture, double heapFull) throws Exception {
        CaptureModel model = new CaptureModel(Runnable::run);
        Reported reported = new Reported();
        AnalyzerAccess analyzers = new AnalyzerAccess();
        AtomicBoolean done = new AtomicBoolean();
        Thread collector = new Thread(() -> {
            while (!done.get()) {
                System.gc();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test collections");
        try {
            AnalysisJob job = new AnalysisJob(List.of(capture), "", false, model, analyzers, reported, heapFull);
            job.schedule();
            collector.start();
            job.join(120_000, null);
            return new Outcome(model.snapshot(), reported);
        } finally {
            done.set(true);
            collector.join();
            analyzers.close();
        }
    }

    /**
     * A pipe that a thread of its own fills with {@code capture}, {@link #PACE_FRAMES} frames at a time and
     * {@link #PACE_MILLIS} apart, until the capture ends or the reader closes the pipe.
     */
    private static Path paced(Path capture, Path fifo) throws Exception {
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread feeder = new Thread(() -> {
            try (InputStream in = Files.newInputStream(capture);
                    OutputStream out = new FileOutputStream(fifo.toFile())) {
                byte[] chunk = new byte[PACE_FRAMES * FRAME_BYTES];
                out.write(in.readNBytes(PCAP_HEADER_BYTES));
                int n;
                while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                    out.write(chunk, 0, n);
                    out.flush();
                    Thread.sleep(PACE_MILLIS);
                }
            } catch (IOException e) {
                // the analysis stopped and closed the pipe
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "paced capture");
        feeder.setDaemon(true);
        feeder.start();
        return fifo;
    }

    /** UDP datagrams of {@link #FLOWS} flows in turn, 1 µs apart, raw IPv4. */
    private static Path udpCapture(Path file) throws Exception {
        byte[] p = new byte[DATAGRAM_BYTES];
        try (PcapWriter w = PcapWriter.create(file, LinkTypes.IPV4, 65_535, false)) {
            for (int i = 0; i < FRAMES; i++) {
                int flow = i % FLOWS;
                p[0] = 0x45;
                p[3] = (byte) p.length;
                p[8] = 64;
                p[9] = 17;
                p[10] = p[11] = 0;
                ipv4(p, 12, 10, 1, flow >> 8, flow);
                ipv4(p, 16, 10, 2, 0, 1);
                int sum = 0;
                for (int k = 0; k < 20; k += 2) {
                    sum += (p[k] & 0xFF) << 8 | p[k + 1] & 0xFF;
                }
                sum = (sum >>> 16) + (sum & 0xFFFF);
                sum = ~((sum >>> 16) + sum) & 0xFFFF;
                p[10] = (byte) (sum >>> 8);
                p[11] = (byte) sum;
                p[20] = (byte) 0xC0; // source port 49152, destination port 9999: no analyzer, no role flip
                p[21] = 0;
                p[22] = 0x27;
                p[23] = 0x0F;
                p[25] = 12; // UDP length; checksum 0: none
                w.write(1_700_000_000_000_000_000L + i * 1_000L, p, 0, p.length, p.length);
            }
        }
        return file;
    }

    private static void ipv4(byte[] p, int at, int a, int b, int c, int d) {
        p[at] = (byte) a;
        p[at + 1] = (byte) b;
        p[at + 2] = (byte) c;
        p[at + 3] = (byte) d;
    }
}
