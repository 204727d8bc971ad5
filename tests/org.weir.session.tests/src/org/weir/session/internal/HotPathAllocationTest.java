package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.weir.core.SessionOptions;

/**
 * Packets of existing sessions must not allocate: measured with the JVM's per-thread allocation counter (not a
 * timing), over UDP flows and a TCP connection exchanging data and acks.
 */
class HotPathAllocationTest {

    @Test
    void packetsOfExistingSessionsDoNotAllocate() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Method allocated = null;
        try {
            // The HotSpot extension interface, found through the bean itself (no import of com.sun.management).
            for (Class<?> i : mx.getClass().getInterfaces()) {
                if (i.getName().equals("com.sun.management.ThreadMXBean")) {
                    allocated = i.getMethod("getCurrentThreadAllocatedBytes");
                }
            }
            allocated.invoke(mx);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Assumptions.abort("per-thread allocation counter not available: " + e);
            return;
        }
        FlowTable t = new FlowTable(SessionOptions.defaults());
        Pkt[] udp = new Pkt[500];
        for (int i = 0; i < udp.length; i++) {
            udp[i] = Pkt.udp("10.0.0.1", 1024 + i, "10.0.0.2", 9999).payload(100);
        }
        Pkt syn = Pkt.tcp("10.0.0.1", 40000, "10.0.0.2", 80).flags("S").seq(1000);
        Pkt synAck = Pkt.tcp("10.0.0.2", 80, "10.0.0.1", 40000).flags("SA").seq(5000).ack(1001);
        Pkt data = Pkt.tcp("10.0.0.1", 40000, "10.0.0.2", 80).flags("AP").ack(5001).payload(1000);
        Pkt ack = Pkt.tcp("10.0.0.2", 80, "10.0.0.1", 40000).flags("A").seq(5001);
        syn.at(1).to(t);
        synAck.at(1).to(t);
        long seq = 1001;
        long nanos = 2_000_000_000L;
        long before = 0;
        int packets = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                before = (long) allocated.invoke(mx);
            }
            for (int i = 0; i < 100_000; i++) {
                nanos += 1000;
                Pkt u = udp[i % udp.length];
                u.v.timestampNanos = nanos;
                t.onPacket(u.v);
                data.v.timestampNanos = nanos;
                data.seq(seq);
                t.onPacket(data.v);
                seq += 1000;
                ack.v.timestampNanos = nanos;
                ack.ack(seq);
                t.onPacket(ack.v);
                packets += 3;
            }
        }
        long bytes = (long) allocated.invoke(mx) - before;
        double perPacket = (double) bytes / (packets / 2);
        System.out.printf("hot path: %d bytes allocated over %d packets%n", bytes, packets / 2);
        assertTrue(perPacket < 1.0, "allocated " + bytes + " bytes for " + packets / 2 + " packets");
    }
}
