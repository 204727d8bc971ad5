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
 * on the pipeline thread. The guard trips when a collection leaves the old generation (where the sessions live)
 * above a fraction of its maximum: the pipeline then stops as if cancelled, closing and handing over the open
 * sessions, and the rest of the heap serves the views. One guard at a time: analyses run one at a time.
 */
final class HeapGuard implements NotificationListener, AutoCloseable {

    /** Old-generation occupancy after a collection at which an analysis stops. */
    static final double FULL = 0.8;

    private static final NotificationFilter THRESHOLD_EXCEEDED =
            n -> MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType());

    private final MemoryPoolMXBean pool;
    private final long threshold;
    private volatile boolean full;

    private HeapGuard(MemoryPoolMXBean pool, long threshold) {
        this.pool = pool;
        this.threshold = threshold;
    }

    /**
     * Watches the old generation with a threshold at {@code fraction} of its maximum (of the heap's when the pool
     * has none). Without such a pool (a collector that does not report one), the guard never trips.
     */
    static HeapGuard install(double fraction) {
        MemoryPoolMXBean old = oldGeneration();
        if (old == null) {
            return new HeapGuard(null, Long.MAX_VALUE);
        }
        long max = old.getUsage().getMax() > 0 ? old.getUsage().getMax() : Runtime.getRuntime().maxMemory();
        HeapGuard guard = new HeapGuard(old, Math.max(1, (long) (max * fraction)));
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(guard, THRESHOLD_EXCEEDED,
                null);
        old.setCollectionUsageThreshold(guard.threshold);
        // The last collection may already have left it there. (Not isCollectionUsageThresholdExceeded(): it stays
        // true after an earlier, lower threshold until the next collection.)
        MemoryUsage last = old.getCollectionUsage();
        guard.full = last != null && last.getUsed() >= guard.threshold;
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

    @Override
    public void handleNotification(Notification notification, Object handback) {
        // Notifications come late, on a thread of their own: one may still report a collection measured against an
        // earlier guard's threshold.
        if (notification.getUserData() instanceof CompositeData data) {
            MemoryNotificationInfo info = MemoryNotificationInfo.from(data);
            if (pool.getName().equals(info.getPoolName()) && info.getUsage().getUsed() >= threshold) {
                full = true;
            }
        }
    }

    /** Whether a collection has left the old generation above the threshold since the guard was installed. */
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
