package org.weir.ui.internal;

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
import javax.management.openmbean.CompositeData;

/**
 * Tells an analysis to stop while the heap still has room to show what it found. The workbench keeps every session
 * of a capture; a capture with more sessions than the heap holds would otherwise end in an {@link OutOfMemoryError}
 * on the pipeline thread. The guard trips when the old generation (where the sessions live) holds more than a
 * fraction of its maximum after a full collection: the pipeline then stops as if cancelled, closing and handing over
 * the open sessions, and the rest of the heap serves the views. One guard at a time: analyses run one at a time.
 *
 * <p>What counts is only what happens during the analysis: the heap as an earlier capture left it (its sessions
 * may still be on screen while this analysis starts) says nothing about this one.
 */
final class HeapGuard implements NotificationListener, AutoCloseable {

    /** Old-generation occupancy after a full collection at which an analysis stops. */
    static final double FULL = 0.8;

    private static final NotificationFilter THRESHOLD_EXCEEDED =
            n -> MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType());

    private final MemoryPoolMXBean pool;
    private final long max;
    /** The occupancy at which the analysis stops. */
    private final long limit;
    /** The occupancy after a collection at which the guard looks: the limit, or higher after a false alarm. */
    private volatile long threshold;
    private volatile boolean full;

    private HeapGuard(MemoryPoolMXBean pool, long max, long limit) {
        this.pool = pool;
        this.max = max;
        this.limit = limit;
        this.threshold = limit;
    }

    /**
     * Watches the old generation with a limit at {@code fraction} of its maximum (of the heap's when the pool has
     * none). Without such a pool (a collector that does not report one), the guard never trips.
     */
    static HeapGuard install(double fraction) {
        MemoryPoolMXBean old = oldGeneration();
        if (old == null) {
            return new HeapGuard(null, Long.MAX_VALUE, Long.MAX_VALUE);
        }
        long max = old.getUsage().getMax() > 0 ? old.getUsage().getMax() : Runtime.getRuntime().maxMemory();
        HeapGuard guard = new HeapGuard(old, max, Math.max(1, (long) (max * fraction)));
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(guard, THRESHOLD_EXCEEDED,
                null);
        old.setCollectionUsageThreshold(guard.threshold);
        return guard;
    }

    /**
     * The heap pool that holds promoted objects: the one with both kinds of threshold (HotSpot's eden and survivor
     * spaces have no usage threshold, and the young pools come first).
     */
    private static MemoryPoolMXBean oldGeneration() {
        MemoryPoolMXBean old = null;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isUsageThresholdSupported()
                    && p.isCollectionUsageThresholdSupported()) {
                old = p;
            }
        }
        return old;
    }

    /**
     * A collection left the old generation above the threshold. G1 reports the old generation after young
     * collections too, with garbage in it that no collection has looked at yet (snapshots of open sessions replaced
     * since): only what a full collection leaves decides. When that is below the limit, the guard looks again only
     * once the old generation has grown halfway to its maximum, so that a heap that stays just under the limit is
     * not collected in full again and again.
     */
    @Override
    public void handleNotification(Notification notification, Object handback) {
        // Notifications come late, on a thread of their own: one may still report a collection measured against an
        // earlier threshold.
        if (full || !(notification.getUserData() instanceof CompositeData data)) {
            return;
        }
        MemoryNotificationInfo info = MemoryNotificationInfo.from(data);
        if (!pool.getName().equals(info.getPoolName()) || info.getUsage().getUsed() < threshold) {
            return;
        }
        System.gc();
        MemoryUsage afterFull = pool.getCollectionUsage();
        long live = afterFull != null ? afterFull.getUsed() : info.getUsage().getUsed();
        if (live >= limit) {
            full = true;
            return;
        }
        threshold = Math.max(limit, live + (max - live) / 2);
        pool.setCollectionUsageThreshold(threshold);
    }

    /** Whether a full collection during the analysis has left the old generation above the limit. */
    boolean full() {
        return full;
    }

    @Override
    public void close() {
        if (pool == null) {
            return;
        }
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(this,
                    THRESHOLD_EXCEEDED, null);
        } catch (ListenerNotFoundException e) {
            // already removed
        }
        pool.setCollectionUsageThreshold(0);
    }
}
