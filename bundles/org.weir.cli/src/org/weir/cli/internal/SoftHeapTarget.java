package org.weir.cli.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;

/**
 * Keeps the old generation near a target instead of letting the collector grow it. The throughput collector that
 * the launcher picks does not collect the old generation before the heap nears its maximum: it expands it at each
 * young collection that promotes more than fits. In a run of a few seconds most of what it promotes (sessions and
 * detector rows that outlive a young collection) is dead before the end, so without this the resident set follows
 * everything ever promoted. When the old generation passes the target, one full collection reclaims the dead part,
 * and the next threshold is set {@link #HEADROOM} times above what survived, so that a capture whose live state
 * really is larger costs a few collections (one per 1.5-fold growth), not one per young collection
 * (docs/PERFORMANCE.md, "Peak RSS and the JVM's options").
 *
 * <p>A batch-job policy: the workbench, whose pauses the user sees, does not use it.
 */
final class SoftHeapTarget implements NotificationListener {

    /** Room above what survives a full collection before the next one. */
    static final double HEADROOM = 1.5;

    private static final NotificationFilter THRESHOLD_EXCEEDED =
            n -> MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType());

    private final MemoryPoolMXBean pool;
    private final long target;
    private volatile int collections;
    private volatile long survived;

    private SoftHeapTarget(MemoryPoolMXBean pool, long target) {
        this.pool = pool;
        this.target = target;
    }

    /**
     * Watches the heap pool that holds promoted objects with {@code targetBytes} as its first threshold. Returns
     * null, doing nothing, when {@code targetBytes} is not positive, when the JVM offers no such pool, or when the
     * pool's maximum is below the target (a heap bound set by the user then governs).
     */
    static SoftHeapTarget install(long targetBytes) {
        MemoryPoolMXBean old = tenuredPool();
        if (targetBytes <= 0 || old == null || old.getUsage().getMax() > 0 && old.getUsage().getMax() <= targetBytes) {
            return null;
        }
        SoftHeapTarget t = new SoftHeapTarget(old, targetBytes);
        // Listening first: a pool already above the threshold it is given is reported at once, and only once.
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(t, THRESHOLD_EXCEEDED,
                null);
        old.setUsageThreshold(targetBytes);
        return t;
    }

    /**
     * Whether the running collector grows the old generation instead of collecting it: Parallel and Serial (their
     * old-generation collectors are "PS MarkSweep" and "MarkSweepCompact"). G1, ZGC and Shenandoah collect it
     * concurrently; a target would only add full collections there.
     */
    static boolean collectorGrowsOldGeneration() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().equals("PS MarkSweep") || gc.getName().equals("MarkSweepCompact")) {
                return true;
            }
        }
        return false;
    }

    /** The old generation: the last heap pool with a usage threshold (HotSpot lists the young pools first). */
    static MemoryPoolMXBean tenuredPool() {
        MemoryPoolMXBean old = null;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isUsageThresholdSupported()) {
                old = p;
            }
        }
        return old;
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        try {
            System.gc();
            MemoryUsage after = pool.getUsage();
            survived = after.getUsed();
            long next = Math.max(target, (long) (survived * HEADROOM));
            pool.setUsageThreshold(after.getMax() > 0 ? Math.min(next, after.getMax()) : next);
            collections++;
        } catch (OutOfMemoryError e) {
            // The heap's bound is reached: the command's own thread reports that, this one has nothing to add.
        }
    }

    /** Full collections this target asked for. */
    int collections() {
        return collections;
    }

    /** What the old generation held after the last of them. */
    long survived() {
        return survived;
    }

    /** Stops watching and clears the pool's threshold. */
    void uninstall() {
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(this,
                    THRESHOLD_EXCEEDED, null);
        } catch (ListenerNotFoundException e) {
            // already removed
        }
        pool.setUsageThreshold(0);
    }
}
