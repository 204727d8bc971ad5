package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionOptions;

/**
 * Session tables as Zeek runs with its default scripts (or in bare mode), whose closed sessions a test reads. Every
 * session a test takes is also checked against the same packets with their TCP payloads cut into pieces, sent last
 * first and sent twice, as {@link Resegmenter#CUTTINGS} lists: Zeek's analyzers read reassembled streams, so what
 * they conclude may not change.
 */
final class ServiceTables {

    /** The sessions the tables made by {@link #table} closed, until {@link #closeOne} takes them. */
    final List<Session> closed = new ArrayList<>();

    /** The analyzer under test reads deliveries, not streams (as Zeek's does): no session is checked in pieces. */
    private boolean readsDeliveries;
    /** The next session taken depends on its deliveries (a limit met within one, what a delivery's rest is). */
    private boolean nextReadsDeliveries;

    /** Per table: whether it is bare, and the packets sent to it since its last {@link #closeOne}. */
    private final Map<FlowTable, Boolean> bare = new IdentityHashMap<>();
    private final Map<PacketHandler, List<PacketView>> sent = new IdentityHashMap<>();

    FlowTable table(boolean bare) {
        FlowTable t = newTable(bare, closed);
        this.bare.put(t, bare);
        sent.put(t, new ArrayList<>());
        Pkt.recorder = (to, v) -> {
            List<PacketView> packets = sent.get(to);
            if (packets != null) {
                packets.add(copy(v));
            }
        };
        return t;
    }

    private static FlowTable newTable(boolean bare, List<Session> closed) {
        SessionOptions o = SessionOptions.defaults();
        ZeekConfig config = ZeekConfig.defaults(o);
        if (bare) {
            config.bare();
        }
        FlowTable t = new FlowTable(o, config, 7);
        t.addListener(b -> closed.addAll(b.closed()));
        return t;
    }

    /**
     * Closes what the table holds: it must have been one session, which this returns. A closed TCP session keeps its
     * service, not the analyses that decided it.
     */
    Session closeOne(FlowTable t) {
        t.closeAll();
        assertEquals(1, closed.size(), closed.toString());
        Session s = closed.get(0);
        closed.clear();
        List<PacketView> packets = sent.put(t, new ArrayList<>());
        boolean check = !readsDeliveries && !nextReadsDeliveries;
        nextReadsDeliveries = false;
        if (packets != null && check) {
            for (Resegmenter.Cutting cutting : Resegmenter.CUTTINGS) {
                List<Session> cut = new ArrayList<>();
                FlowTable r = newTable(bare.get(t), cut);
                Resegmenter pieces = new Resegmenter(r, 5, cutting);
                packets.forEach(pieces::onPacket);
                r.closeAll();
                assertEquals(1, cut.size(), cut.toString());
                assertEquals(Resegmenter.streamConclusions(s), Resegmenter.streamConclusions(cut.get(0)),
                        "the same streams in " + cutting);
            }
        }
        if (s instanceof TcpConnection tcp && tcp.rare != null) {
            for (int k = 0; k < RareState.LINES; k++) {
                assertNull(tcp.rare.line(k), "analysis " + k + " let go");
            }
            assertNull(tcp.rare.ssh);
            assertNull(tcp.rare.dnsTcp);
            assertNull(tcp.rare.httpRequests);
            assertNull(tcp.rare.httpTunnel);
        }
        return s;
    }

    /**
     * For an analyzer that Zeek runs on each delivery as a whole (binpac's {@code datagram} flow unit over TCP, as
     * IMAP's): its conclusions depend on how the streams were cut, so they are not checked in pieces.
     */
    ServiceTables readingDeliveries() {
        readsDeliveries = true;
        return this;
    }

    /**
     * The next session taken depends on its deliveries in Zeek too, so it is not checked in pieces: the rest of a
     * delivery a parser gave up on, the delivery that crosses DPD's buffer, a count of deliveries.
     */
    void nextDependsOnDeliveries() {
        nextReadsDeliveries = true;
    }

    /** A packet as sent: the tests' packets are built afresh but may be changed and sent again. */
    private static PacketView copy(PacketView v) {
        PacketView c = new PacketView();
        try {
            for (Field f : PacketView.class.getFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    f.set(c, f.get(v));
                }
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        c.data = v.data.clone();
        return c;
    }
}
