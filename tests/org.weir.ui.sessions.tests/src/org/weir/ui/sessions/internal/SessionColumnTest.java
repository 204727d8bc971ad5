package org.weir.ui.sessions.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.testsupport.TestSession;

/** What the Sessions view shows in each conn.log column, and how its columns sort. */
class SessionColumnTest {

    /** A finished session with the given values (the table owns real ones; this sets the same fields). */
    private static Session session(String uid, long startNanos, long durationNanos, String orig, int origPort,
            String resp, int respPort, Transport transport, long origBytes) {
        return new TestSession(orig, origPort, resp, respPort, transport).uid(uid).at(startNanos, durationNanos)
                .bytes(origBytes, 0).state("SF", "ShADadFf");
    }

    private static String[] row(Session s) {
        String[] cells = new String[SessionColumn.ALL.length];
        SessionsDataProvider data = new SessionsDataProvider();
        data.setRows(new Session[] {s});
        for (int c = 0; c < cells.length; c++) {
            cells[c] = String.valueOf(data.getDataValue(c, 0));
        }
        return cells;
    }

    @Test
    void columnsAreZeeksConnLogColumns() {
        assertArrayEquals(new String[] {"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
                "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp",
                "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents",
                "ip_proto"}, SessionColumn.titles());
    }

    @Test
    void valuesAreFormattedAsZeekWritesThem() {
        Session s = session("CabcdEfgh123", 1_300_475_167_096_535_123L, 61_329_000L, "141.142.220.118", 35634,
                "2001:db8::1", 80, Transport.TCP, 463);
        String[] cells = row(s);
        assertEquals("1300475167.096535", cells[0]);
        assertEquals("CabcdEfgh123", cells[1]);
        assertEquals("141.142.220.118", cells[2]);
        assertEquals("35634", cells[3]);
        assertEquals("2001:db8::1", cells[4]);
        assertEquals("80", cells[5]);
        assertEquals("tcp", cells[6]);
        assertEquals("-", cells[7], "no service is shown as Zeek's unset '-'");
        assertEquals("0.061329", cells[8]);
        assertEquals("463", cells[9]);
        assertEquals("SF", cells[11]);
        assertEquals("F", cells[12], "141.142.220.118 is not in the private address space");
        assertEquals("T", cells[13], "2001:db8::/32 is in Zeek's private address space");
        assertEquals("ShADadFf", cells[15]);
        assertEquals("-", cells[20], "no tunnel: Zeek's unset '-'");
        assertEquals("6", cells[21]);
    }

    @Test
    void localAddressesAndTunnelParentsAsZeekLogsThem() {
        Session s = new TestSession("192.168.1.10", 5353, "fe80::1", 5353, Transport.UDP).uid("Cinner")
                .tunnelParents("Couter", "Cother");
        String[] cells = row(s);
        assertEquals("T", cells[12], "private address space is local by default");
        assertEquals("T", cells[13], "so is link-local IPv6");
        assertEquals("Couter,Cother", cells[20]);
        assertEquals("17", cells[21]);
    }

    @Test
    void aSinglePacketSessionHasNoDuration() {
        Session s = session("C1", 5_000_000_000L, 0, "10.0.0.1", 1, "10.0.0.2", 2, Transport.UDP, 0);
        assertEquals("-", row(s)[8]);
        assertEquals("-", row(s)[9], "Zeek leaves orig_bytes unset without a duration");
        assertEquals("-", row(s)[10], "and resp_bytes");
        assertEquals("5.000000", row(s)[0]);
    }

    @Test
    void columnsSortByValueNotByText() {
        Session a = session("Ca", 1, 0, "10.0.0.9", 9, "10.0.0.1", 1, Transport.TCP, 900);
        Session b = session("Cb", 2, 0, "10.0.0.10", 10, "10.0.0.1", 1, Transport.TCP, 1000);
        Session c = session("Cc", 3, 0, "2001:db8::1", 100, "10.0.0.1", 1, Transport.TCP, 80);
        Session[] rows = {c, b, a};

        Arrays.sort(rows, SessionColumn.ORIG_BYTES.comparator);
        assertArrayEquals(new Session[] {c, a, b}, rows, "80 < 900 < 1000, not '1000' < '80' < '900'");

        Arrays.sort(rows, SessionColumn.ORIG_H.comparator);
        assertArrayEquals(new Session[] {a, b, c}, rows, "10.0.0.9 < 10.0.0.10 < any IPv6 (mapped IPv4 first)");

        Arrays.sort(rows, SessionColumn.ORIG_P.comparator.reversed());
        assertArrayEquals(new Session[] {c, b, a}, rows);
    }
}
