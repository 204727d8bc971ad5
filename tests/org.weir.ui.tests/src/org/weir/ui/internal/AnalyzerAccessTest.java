package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.weir.core.CaptureAnalyzer;
import org.weir.testsupport.Services;

/**
 * Waiting for the analysis engine's service, as an analysis started with the window does on a busy machine: the wait
 * ends when its job is cancelled or the workbench closes, not after its timeout. The engine bundle is stopped for
 * each test, so that no analyzer is registered, and started again after it.
 */
class AnalyzerAccessTest {

    private Bundle engine;

    @BeforeEach
    void stopTheEngine() throws Exception {
        for (Bundle b : Services.context().getBundles()) {
            if (b.getSymbolicName().equals("org.weir.engine")) {
                engine = b;
            }
        }
        assertNotNull(engine, "the engine bundle is in the test runtime");
        Services.get(CaptureAnalyzer.class); // registered before the test stops it
        engine.stop(Bundle.STOP_TRANSIENT);
    }

    @AfterEach
    void startTheEngine() throws Exception {
        engine.start(Bundle.START_TRANSIENT);
        Services.get(CaptureAnalyzer.class); // registered again for the tests that follow
    }

    @Test
    void aCancelledWaitEndsWithinItsSlice() throws Exception {
        AnalyzerAccess access = new AnalyzerAccess();
        long start = System.nanoTime();
        long cancelAt = start + 300_000_000L;
        CaptureAnalyzer found = access.get(10_000, () -> System.nanoTime() > cancelAt);
        long tookMillis = (System.nanoTime() - start) / 1_000_000L;
        assertNull(found);
        assertTrue(tookMillis >= 250 && tookMillis < 2_000, "the wait took " + tookMillis + " ms");
        access.close();
    }

    @Test
    void closingDoesNotWaitForAWaitAndEndsIt() throws Exception {
        AnalyzerAccess access = new AnalyzerAccess();
        CompletableFuture<CaptureAnalyzer> waiting = waitInBackground(access, 10_000);
        Thread.sleep(300); // the wait is under way
        long start = System.nanoTime();
        access.close();
        long closeMillis = (System.nanoTime() - start) / 1_000_000L;
        assertTrue(closeMillis < 1_000, "close() took " + closeMillis + " ms");
        assertNull(waiting.get(2, TimeUnit.SECONDS), "the wait ended with the access");
    }

    @Test
    void theAnalyzerIsFoundOnceRegistered() throws Exception {
        AnalyzerAccess access = new AnalyzerAccess();
        CompletableFuture<CaptureAnalyzer> waiting = waitInBackground(access, 30_000);
        Thread.sleep(300);
        engine.start(Bundle.START_TRANSIENT);
        assertNotNull(waiting.get(30, TimeUnit.SECONDS), "found once the engine's components are registered");
        access.close();
    }

    /** A wait for the analyzer on another thread, not cancelled. */
    private static CompletableFuture<CaptureAnalyzer> waitInBackground(AnalyzerAccess access, long timeoutMillis) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return access.get(timeoutMillis, () -> false);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
