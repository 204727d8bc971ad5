package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureFormat;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.ProgressMonitor;
import org.weir.core.SessionTableFactory;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;

/**
 * Streams named on one command line (named pipes, process substitutions) are opened before the analysis starts, so an
 * analysis that ends before reading one must close it: its writer then fails at once instead of waiting on a full
 * pipe until the reading process exits.
 */
class PipelineStreamsTest {

    @Test
    void aStreamOpenedButNotReadIsClosedWhenTheAnalysisIsCancelled(@TempDir Path tmp) throws Exception {
        Path first = tmp.resolve("first.fifo"), second = tmp.resolve("second.fifo");
        for (Path fifo : List.of(first, second)) {
            assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        }
        byte[] capture = Files.readAllBytes(Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"));
        // The first pipe's writer: a capture, then more bytes than a pipe holds, so it waits while the reader's end
        // is open and fails (broken pipe) once it is closed.
        CompletableFuture<Exception> writer = new CompletableFuture<>();
        Thread writing = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(first)) {
                out.write(capture);
                out.write(new byte[4 << 20]);
                writer.complete(null);
            } catch (IOException e) {
                writer.complete(e);
            }
        }, "first fifo writer");
        writing.setDaemon(true);
        writing.start();

        // Cancelled while the analysis waits for the second pipe's writer, which never comes.
        long cancelAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        ProgressMonitor cancelling = new ProgressMonitor() {
            @Override
            public void progress(String task, long done, long total) {
            }

            @Override
            public boolean isCancelled() {
                return System.nanoTime() > cancelAt;
            }
        };
        Pipeline pipeline = new Pipeline(Services.all(CaptureFormat.class, 2), Services.get(PacketDecoderFactory.class),
                Services.get(SessionTableFactory.class), null);
        try {
            AnalysisResult result = pipeline.analyze(List.of(first, second), AnalysisOptions.defaults(),
                    batch -> {
                    }, alert -> {
                    }, cancelling);
            assertTrue(result.cancelled());
            assertEquals(0, result.frames(), "nothing was read before the second pipe was open");

            Exception failure = writer.get(10, TimeUnit.SECONDS);
            assertInstanceOf(IOException.class, failure, "the first pipe's writer fails: its reader is gone");
        } finally {
            // Releases the analysis's thread still opening the second pipe.
            Files.newOutputStream(second).close();
        }
    }
}
