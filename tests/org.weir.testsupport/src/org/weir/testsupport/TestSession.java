package org.weir.testsupport;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.weir.core.IpAddress;
import org.weir.core.Session;
import org.weir.core.Transport;

/**
 * A session whose values a test sets, built by chained calls: the session table owns real ones, this sets the same
 * (protected) fields. It starts closed, as the table delivers finished sessions, with a uid {@code Ct<n>}.
 *
 * <pre>{@code new TestSession("10.0.0.1", 40000, "10.0.0.2", 80, Transport.TCP).at(t0, second).bytes(100, 5000)}</pre>
 */
public final class TestSession extends Session {

    private static final long SECOND = 1_000_000_000L;
    private static final AtomicInteger NEXT = new AtomicInteger();

    private String service = "";

    /** A closed session between the two endpoints; the IP protocol number follows the transport. */
    public TestSession(String orig, int origPort, String resp, int respPort, Transport transport) {
        uid = "Ct" + NEXT.getAndIncrement();
        closed = true;
        from(orig, origPort);
        to(resp, respPort);
        transport(transport);
    }

    public TestSession uid(String value) {
        uid = value;
        return this;
    }

    /** The originator's address (IPv4 or IPv6 text) and port. */
    public TestSession from(String address, int port) {
        long[] a = parse(address);
        origHi = a[0];
        origLo = a[1];
        origPort = (char) port;
        return this;
    }

    /** The responder's address (IPv4 or IPv6 text) and port. */
    public TestSession to(String address, int port) {
        long[] a = parse(address);
        respHi = a[0];
        respLo = a[1];
        respPort = (char) port;
        return this;
    }

    /** The transport, and the IP protocol number that goes with it (TCP 6, UDP 17, ICMP 1, else 0). */
    public TestSession transport(Transport value) {
        ipProtocol = (byte) switch (value) {
            case TCP -> 6;
            case UDP -> 17;
            case ICMP -> 1;
            case UNKNOWN -> 0;
        };
        return this;
    }

    /** The transport (and its IP protocol number) and the responder's port. */
    public TestSession to(Transport value, int respPort) {
        this.respPort = (char) respPort;
        return transport(value);
    }

    /** The IP protocol number, and the transport that goes with it. */
    public TestSession protocol(int ipProtocolNumber) {
        ipProtocol = (byte) ipProtocolNumber;
        return this;
    }

    /** First packet at {@code startNanos}, last one {@code durationNanos} later. */
    public TestSession at(long startNanos, long durationNanos) {
        return times(startNanos, startNanos + durationNanos);
    }

    /** First packet at {@code startSeconds}, last one {@code durationSeconds} later (each truncated to nanoseconds). */
    public TestSession atSeconds(double startSeconds, double durationSeconds) {
        long start = (long) (startSeconds * SECOND);
        return times(start, start + (long) (durationSeconds * SECOND));
    }

    /** First and last packet times. */
    public TestSession times(long startNanos, long lastNanos) {
        this.startNanos = startNanos;
        this.lastNanos = lastNanos;
        return this;
    }

    /** Payload bytes each way. */
    public TestSession bytes(long orig, long resp) {
        origBytes = orig;
        respBytes = resp;
        return this;
    }

    /** Packets each way. */
    public TestSession packets(long orig, long resp) {
        origPackets = orig;
        respPackets = resp;
        return this;
    }

    /** Payload bytes and packets each way, and IP bytes with 40 bytes of headers (IPv4 and TCP) per packet. */
    public TestSession traffic(long origBytes, long origPackets, long respBytes, long respPackets) {
        bytes(origBytes, respBytes);
        packets(origPackets, respPackets);
        return ipBytes(origBytes + 40 * origPackets, respBytes + 40 * respPackets);
    }

    /** IP bytes (IP total lengths) each way. */
    public TestSession ipBytes(long orig, long resp) {
        origIpBytes = orig;
        respIpBytes = resp;
        return this;
    }

    /** Zeek's conn_state and history. */
    public TestSession state(String connState, String history) {
        this.connState = connState;
        this.history = history;
        return this;
    }

    public TestSession missed(long bytes) {
        missedBytes = bytes;
        return this;
    }

    public TestSession vlan(int id) {
        vlan = (short) id;
        return this;
    }

    public TestSession communityId(String id) {
        communityId = id;
        return this;
    }

    public TestSession origMac(long mac) {
        origMac = mac;
        return this;
    }

    public TestSession tunnelParents(String... parentUids) {
        tunnelParents = List.of(parentUids);
        return this;
    }

    /** Still open (an update, not a closed session). */
    public TestSession open() {
        closed = false;
        return this;
    }

    /** Zeek's service: the confirmed protocols, comma-separated ({@code dns}, {@code ssl,http}); empty for none. */
    public TestSession service(String value) {
        service = value;
        return this;
    }

    @Override
    public String service() {
        return service;
    }

    /** Closed, after {@link #open}. */
    public TestSession close() {
        closed = true;
        return this;
    }

    private static long[] parse(String address) {
        long[] a = new long[2];
        IpAddress.parse(address, a);
        return a;
    }
}
