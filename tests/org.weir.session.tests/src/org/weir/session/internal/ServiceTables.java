package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.weir.core.Session;
import org.weir.core.SessionOptions;

/** Session tables as Zeek runs with its default scripts (or in bare mode), whose closed sessions a test reads. */
final class ServiceTables {

    /** The sessions the tables made by {@link #table} closed, until {@link #closeOne} takes them. */
    final List<Session> closed = new ArrayList<>();

    FlowTable table(boolean bare) {
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
}
