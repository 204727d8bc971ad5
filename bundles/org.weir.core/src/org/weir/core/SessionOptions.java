package org.weir.core;

/**
 * Session table settings. Timeouts default to Zeek's: {@code tcp_inactivity_timeout} 5 min,
 * {@code udp_inactivity_timeout} 1 min, {@code icmp_inactivity_timeout} 1 min, unknown IP protocols 1 min.
 *
 * @param maxLiveSessions bound on open sessions in memory; when reached the longest-idle ones are closed and
 *     emitted (counted in {@link SessionTable#evictedCount()}). The default follows the JVM's maximum heap
 *     ({@link #defaultMaxLiveSessions()}), so that a capture with more concurrent sessions than the heap holds
 *     ends them early, reported, instead of failing with every open session lost.
 * @param batchSize how many events are gathered before listeners are called
 * @param bare Zeek in bare mode ({@code zeek -b}) as its protocol tests run it, with the script of the protocol
 *     under test loaded: the likely server ports (which orient connections whose first packet is not a SYN) are
 *     only the tunnels' that init-bare registers, while the application analyzers (DNS, NTP, DHCP, HTTP, SSL, ...)
 *     still flip, time, mark and name connections as with the default scripts
 */
public record SessionOptions(long tcpInactivityNanos, long udpInactivityNanos, long icmpInactivityNanos,
        long otherInactivityNanos, int maxLiveSessions, int batchSize, boolean bare) {

    private static final long MINUTE = 60_000_000_000L;

    public static SessionOptions defaults() {
        return new SessionOptions(5 * MINUTE, MINUTE, MINUTE, MINUTE, defaultMaxLiveSessions(), 4096, false);
    }

    /**
     * Heap per open session the default bound budgets: about 1.5 times what an open session takes in the whole
     * process with its enrichment (about 500 bytes on the benchmark capture, docs/PERFORMANCE.md).
     */
    public static final long HEAP_BYTES_PER_SESSION = 768;

    /**
     * One open session per {@link #HEAP_BYTES_PER_SESSION} of the JVM's maximum heap (the rest of the heap is
     * left to enrichers, detectors and output), between 100,000 and 2,000,000.
     */
    public static int defaultMaxLiveSessions() {
        long heap = Runtime.getRuntime().maxMemory();
        return (int) Math.max(100_000, Math.min(2_000_000, heap / HEAP_BYTES_PER_SESSION));
    }

    public SessionOptions withMaxLiveSessions(int max) {
        return new SessionOptions(tcpInactivityNanos, udpInactivityNanos, icmpInactivityNanos, otherInactivityNanos,
                max, batchSize, bare);
    }

    public SessionOptions withBare(boolean bareMode) {
        return new SessionOptions(tcpInactivityNanos, udpInactivityNanos, icmpInactivityNanos, otherInactivityNanos,
                maxLiveSessions, batchSize, bareMode);
    }
}
