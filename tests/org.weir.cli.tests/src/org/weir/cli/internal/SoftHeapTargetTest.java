package org.weir.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The soft target on this test JVM's own old generation, with whatever collector the JVM runs. */
class SoftHeapTargetTest {

    private static final long MB = 1 << 20;

    @Test
    void passingTheTargetCollectsOnceAndRearmsAboveWhatSurvives() throws InterruptedException {
        MemoryPoolMXBean old = SoftHeapTarget.tenuredPool();
        assertNotNull(old, "no old generation pool with a usage threshold");
        System.gc();
        long target = old.getUsage().getUsed() + 32 * MB;
        List<byte[]> live = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            live.add(new byte[128 << 10]); // small enough to be allocated young by every collector
        }
        // Installed only now: a young collection during the loop can promote part of the arrays past the target,
        // and a target watching then would collect before the rest exist.
        SoftHeapTarget soft = SoftHeapTarget.install(target);
        assertNotNull(soft);
        try {
            assertEquals(target, old.getUsageThreshold());
            System.gc(); // promotes the 64 MB past the target
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (soft.collections() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, soft.collections(), "one collection when the old generation passed the target");
            long survived = soft.survived();
            assertTrue(survived >= 64 * MB, "the live arrays survive the collection: " + survived);
            assertEquals((long) (survived * SoftHeapTarget.HEADROOM), old.getUsageThreshold(),
                    "rearmed above what survived");
            Thread.sleep(200);
            assertEquals(1, soft.collections(), "no further collection while the live data stays below the threshold");
        } finally {
            soft.uninstall();
            live.clear();
        }
        assertEquals(0, old.getUsageThreshold());
    }

    @Test
    void aTargetAboveTheHeapsBoundOrZeroInstallsNothing() {
        assertNull(SoftHeapTarget.install(0));
        long max = SoftHeapTarget.tenuredPool().getUsage().getMax();
        if (max > 0) {
            assertNull(SoftHeapTarget.install(max));
        }
    }
}
