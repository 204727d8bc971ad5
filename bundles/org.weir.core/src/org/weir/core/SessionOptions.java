package org.weir.core;

/**
 * Session table settings. Timeouts default to Zeek's: {@code tcp_inactivity_timeout} 5 min,
 * {@code udp_inactivity_timeout} 1 min, {@code icmp_inactivity_timeout} 1 min, unknown IP protocols 1 min.
 *
 * @param maxLiveSessions bound on open sessions in memory; when reached the longest-idle ones are closed and
 *     emitted (counted in {@link SessionTable#evictedCount()})
 * @param batchSize how many events are gathered before listeners are called
 */
public record SessionOptions(long tcpInactivityNanos, long udpInactivityNanos, long icmpInactivityNanos,
        long otherInactivityNanos, int maxLiveSessions, int batchSize) {

    private static final long MINUTE = 60_000_000_000L;

    public static SessionOptions defaults() {
        return new SessionOptions(5 * MINUTE, MINUTE, MINUTE, MINUTE, 2_000_000, 4096);
    }

    public SessionOptions withMaxLiveSessions(int max) {
        return new SessionOptions(tcpInactivityNanos, udpInactivityNanos, icmpInactivityNanos, otherInactivityNanos,
                max, batchSize);
    }
}
