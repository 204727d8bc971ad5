package org.weir.detect.eif;

import org.weir.core.Session;
import org.weir.core.Transport;

/** A session whose values a test sets directly (the fields are protected in Session). */
final class TestSession extends Session {

    private static final long SECOND = 1_000_000_000L;

    TestSession(String uid) {
        this.uid = uid;
        this.transport = Transport.TCP;
        this.ipProtocol = 6;
    }

    TestSession at(double startSeconds, double durationSeconds) {
        startNanos = (long) (startSeconds * SECOND);
        lastNanos = startNanos + (long) (durationSeconds * SECOND);
        return this;
    }

    TestSession to(Transport t, int port) {
        transport = t;
        ipProtocol = t == Transport.UDP ? 17 : t == Transport.ICMP ? 1 : 6;
        respPort = port;
        return this;
    }

    /** Payload bytes and packets each way; IP bytes add 40 bytes of headers per packet. */
    TestSession traffic(long origBytes, long origPackets, long respBytes, long respPackets) {
        this.origBytes = origBytes;
        this.respBytes = respBytes;
        this.origPackets = origPackets;
        this.respPackets = respPackets;
        this.origIpBytes = origBytes + 40 * origPackets;
        this.respIpBytes = respBytes + 40 * respPackets;
        return this;
    }

    TestSession missed(long bytes) {
        missedBytes = bytes;
        return this;
    }

    TestSession closed(boolean value) {
        closed = value;
        return this;
    }
}
