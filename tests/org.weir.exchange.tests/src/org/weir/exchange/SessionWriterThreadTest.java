package org.weir.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weir.core.LocalNetworks;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.Transport;
import org.weir.testsupport.TestSession;

class SessionWriterThreadTest {

    private static List<Session> sessions(int n) {
        List<Session> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = 1_000_000_000L * (1_600_000_000L + i);
            all.add(new TestSession("10.0." + (i / 250) + "." + (i % 250 + 1), 1024 + i, "192.0.2.1", 53,
                    Transport.UDP).protocol(17).uid("Cthread" + i).times(start, start + 1_000_000L).bytes(40, 80)
                    .state("SF", "Dd").packets(1, 1).ipBytes(68, 108));
        }
        return all;
    }

    private static SessionBatch closedBatch(List<Session> closed) {
        return new SessionBatch(List.of(), List.of(), closed, 0);
    }

    @Test
    void recordsAreThoseOfTheWritersCalledDirectlyInTheSameOrder() throws IOException {
        List<Session> all = sessions(5000);
        ByteArrayOutputStream directTsv = new ByteArrayOutputStream(), directJson = new ByteArrayOutputStream();
        try (ZeekConnLogWriter tsv = new ZeekConnLogWriter(directTsv, LocalNetworks.privateAddressSpace(), Set.of());
                JsonConnWriter json = new JsonConnWriter(directJson, LocalNetworks.privateAddressSpace())) {
            for (Session s : all) {
                tsv.write(s);
                json.write(s);
            }
        }
        ByteArrayOutputStream threadTsv = new ByteArrayOutputStream(), threadJson = new ByteArrayOutputStream();
        SessionWriterThread thread = new SessionWriterThread(List.of(
                new ZeekConnLogWriter(threadTsv, LocalNetworks.privateAddressSpace(), Set.of()),
                new JsonConnWriter(threadJson, LocalNetworks.privateAddressSpace())));
        for (int from = 0; from < all.size(); from += 37) {
            // The table reuses its lists after the call: the thread must have taken a copy.
            List<Session> batch = new ArrayList<>(all.subList(from, Math.min(all.size(), from + 37)));
            thread.onSessions(closedBatch(batch));
            batch.clear();
            thread.onSessions(new SessionBatch(List.of(), List.of(), List.of(), 0)); // nothing closed
        }
        thread.close();
        assertEquals(withoutOpenClose(directTsv), withoutOpenClose(threadTsv));
        assertEquals(directJson.toString(StandardCharsets.UTF_8), threadJson.toString(StandardCharsets.UTF_8));
        assertEquals(5000, threadJson.toString(StandardCharsets.UTF_8).lines().count());
    }

    private static String withoutOpenClose(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#open")
                && !l.startsWith("#close")).reduce("", (a, b) -> a + b + "\n");
    }

    /** A disk that fills up after {@code room} bytes. */
    private static final class FullDisk extends OutputStream {
        private long room;

        FullDisk(long room) {
            this.room = room;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > room) {
                throw new IOException("No space left on device");
            }
            room -= len;
        }
    }

    @Test
    void aWriteErrorStopsTheAnalysisAtTheNextBatchAndIsThrownByCloseWithoutHanging() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            SessionWriterThread thread = new SessionWriterThread(
                    List.of(new ZeekConnLogWriter(new FullDisk(100_000), LocalNetworks.privateAddressSpace(),
                            Set.of())));
            List<Session> all = sessions(2000);
            UncheckedIOException failed = null;
            for (int round = 0; round < 10_000 && failed == null; round++) {
                try {
                    thread.onSessions(closedBatch(all));
                } catch (UncheckedIOException e) {
                    failed = e;
                }
                Thread.sleep(1);
            }
            assertTrue(failed != null, "the writer's error reaches the pipeline");
            assertEquals("No space left on device", failed.getCause().getMessage());
            IOException atClose = assertThrows(IOException.class, thread::close);
            assertEquals("No space left on device", atClose.getMessage());
        });
    }
}
