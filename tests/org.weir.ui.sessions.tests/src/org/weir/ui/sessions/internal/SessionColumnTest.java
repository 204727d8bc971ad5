package org.weir.ui.sessions.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weir.core.EndpointInfo;
import org.weir.core.LocalNetworks;
import org.weir.core.PolicyVerdict;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.exchange.ConnColumns;
import org.weir.exchange.ZeekConnLogWriter;
import org.weir.testsupport.TestSession;
import org.weir.testsupport.ZeekLog;

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
        Session[] rows = {s};
        data.setRows(rows, rows, null);
        for (int c = 0; c < cells.length; c++) {
            cells[c] = String.valueOf(data.getDataValue(c, 0));
        }
        return cells;
    }

    @Test
    void columnsAreZeeksConnLogColumnsThenTheOptionalGroups() throws IOException {
        assertArrayEquals(new String[] {"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
                "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp",
                "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents",
                "ip_proto"}, Arrays.copyOf(SessionColumn.titles(), 22));
        for (SessionColumn c : SessionColumn.ALL) {
            assertEquals(c.ordinal() >= 22, c.group != null, c.title);
        }
        // The optional ones are the conn.log writer's, in its order (without the coordinates).
        List<String> written = new ArrayList<>(connLog(enriched()).fields());
        written.removeIf(f -> f.endsWith(".latitude") || f.endsWith(".longitude"));
        assertEquals(written, List.of(SessionColumn.titles()));
    }

    @Test
    void everyCellShowsWhatTheConnLogWriterWritesForIt() throws IOException {
        for (Session s : List.of(enriched(), session("Cplain", 1_000_000_000L, 0, "10.0.0.1", 1, "10.0.0.2", 2,
                Transport.UDP, 0))) {
            Map<String, String> record = connLog(s).records().get(0);
            String[] cells = row(s);
            for (SessionColumn c : SessionColumn.ALL) {
                assertEquals(record.get(c.title), cells[c.ordinal()], c.title + " of " + s.uid());
            }
        }
    }

    /** A session with every optional value set, as the enrichers and the table set them. */
    private static Session enriched() {
        TestSession s = new TestSession("10.0.0.5", 51000, "142.250.74.46", 443, Transport.TCP).uid("Cenriched")
                .at(1_300_475_167_096_535_123L, 2_500_000_000L).traffic(517, 12, 120_000, 90)
                .state("SF", "ShADadFf").service("ssl").vlan(10).origMac(0x001122334455L).communityId("1:abc=");
        s.setOrigInfo(EndpointInfo.NONE.withGeo("DE", "Germany", "Berlin", 52.5, 13.4).withAs(3320, "Deutsche Telekom")
                .withName("laptop.local", "laptop.local", "mdns").withMacVendor("Example Devices"));
        s.setRespInfo(EndpointInfo.NONE.withGeo("US", "United States", "Mountain View", 37.4, -122.1)
                .withAs(15169, "GOOGLE").withName("www.google.com", "google.com", "sni"));
        s.setPortService("https", List.of("CVE-2014-0160", "CVE-2016-2107"));
        s.addTag("anomaly:beaconing");
        s.addTag("blacklist:firehol_level1");
        s.setVerdict(new PolicyVerdict(false, "edamame", "no endpoint matched"));
        return s;
    }

    /** The session as {@code weir analyze --conn-columns} with every group writes it. */
    private static ZeekLog connLog(Session s) throws IOException {
        Path file = Files.createTempFile("weir-conn", ".log");
        try {
            try (ZeekConnLogWriter w = new ZeekConnLogWriter(Files.newOutputStream(file),
                    LocalNetworks.privateAddressSpace(), EnumSet.allOf(ConnColumns.class))) {
                w.write(s);
            }
            return ZeekLog.read(file);
        } finally {
            Files.delete(file);
        }
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
