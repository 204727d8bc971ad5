package org.weir.ui.sessions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.weir.core.EndpointInfo;
import org.weir.core.PolicyVerdict;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.filter.SessionFilter;
import org.weir.testsupport.TestSession;

/** A cell's "Apply as Filter" expression picks its session, and not the sessions with another value there. */
class CellFilterTest {

    private static final List<Session> SESSIONS = List.of(enriched(),
            new TestSession("10.0.0.5", 51000, "93.184.216.34", 443, Transport.TCP).at(1_300_475_167_096_535_123L,
                    2_500_000_000L).traffic(517, 12, 120_000, 90).state("SF", "ShADadFf").service("ssl,http")
                    .tunnelParents("CparentA1", "CparentB2"),
            new TestSession("2001:db8::1", 5353, "ff02::fb", 5353, Transport.UDP).at(1_300_475_168_000_000_000L, 0)
                    .traffic(0, 1, 0, 0).state("S0", "D").service("dns"),
            new TestSession("45.33.32.156", 8, "10.0.0.7", 0, Transport.ICMP).at(1_300_475_169_000_000_999L,
                    1_000L).state("OTH", ""),
            new TestSession("10.0.0.9", 40000, "10.0.0.1", 22, Transport.TCP).at(1_300_475_170_000_000_000L,
                    60_000_000_000L).traffic(3000, 30, 4000, 31).state("RSTO", "ShADadR\"x\\").missed(1460));

    /** A session with the optional columns' values (the others leave them unset). */
    private static Session enriched() {
        TestSession s = new TestSession("10.0.0.6", 51001, "142.250.74.46", 443, Transport.TCP).vlan(10)
                .origMac(0x001122334455L).communityId("1:abc+/=").at(1_300_475_171_000_000_000L, 1_000_000L)
                .state("SF", "ShADadFf").service("ssh");
        s.setOrigInfo(EndpointInfo.NONE.withAs(3320, "Deutsche Telekom").withMacVendor("Example Devices"));
        s.setRespInfo(EndpointInfo.NONE.withGeo("US", "United States", "Mountain View", 37.4, -122.1)
                .withAs(15169, "GOOGLE").withName("www.google.com", "google.com", "sni"));
        s.setPortService("https", List.of("CVE-2014-0160", "CVE-2016-2107"));
        s.addTag("anomaly:beaconing");
        s.setVerdict(new PolicyVerdict(true, "edamame", "google \"search\""));
        return s;
    }

    @Test
    void everyColumnsValueFiltersItsSession() throws Exception {
        for (SessionColumn column : SessionColumn.ALL) {
            for (Session s : SESSIONS) {
                String expression = CellFilter.expression(column, s);
                SessionFilter filter = SessionFilter.compile(expression);
                assertTrue(filter.test(s), column.title + ": " + expression + " on " + s);
                assertFalse(SessionFilter.compile("!(" + expression + ")").test(s), expression);
                for (Session other : SESSIONS) {
                    if (!column.format(other).equals(column.format(s))) {
                        assertFalse(filter.test(other), expression + " also picks " + other);
                    }
                }
            }
        }
    }

    @Test
    void unsetValuesAndSetsAreWrittenAsTheLanguageReadsThem() {
        Session web = SESSIONS.get(1), mdns = SESSIONS.get(2), ping = SESSIONS.get(3);
        assertEquals("id.resp_p == 443", CellFilter.expression(SessionColumn.RESP_P, web));
        assertEquals("id.orig_h == 2001:db8::1", CellFilter.expression(SessionColumn.ORIG_H, mdns));
        assertEquals("ts == 1300475167.096535", CellFilter.expression(SessionColumn.TS, web));
        assertEquals("!duration", CellFilter.expression(SessionColumn.DURATION, mdns));
        assertEquals("!orig_bytes", CellFilter.expression(SessionColumn.ORIG_BYTES, mdns));
        assertEquals("service == \"ssl\" && service == \"http\"", CellFilter.expression(SessionColumn.SERVICE, web));
        assertEquals("!service", CellFilter.expression(SessionColumn.SERVICE, ping));
        assertEquals("!history", CellFilter.expression(SessionColumn.HISTORY, ping));
        assertEquals("local_orig", CellFilter.expression(SessionColumn.LOCAL_ORIG, web));
        assertEquals("!local_orig", CellFilter.expression(SessionColumn.LOCAL_ORIG, ping));
        Session enriched = SESSIONS.get(0);
        assertEquals("resp_as.number == 15169", CellFilter.expression(SessionColumn.RESP_AS_NUMBER, enriched));
        assertEquals("!orig_location.country_code", CellFilter.expression(SessionColumn.ORIG_COUNTRY, enriched));
        assertEquals("resp_domain == \"www.google.com\"", CellFilter.expression(SessionColumn.RESP_DOMAIN,
                enriched));
        assertEquals("resp_port_cves == \"CVE-2014-0160\" && resp_port_cves == \"CVE-2016-2107\"",
                CellFilter.expression(SessionColumn.RESP_PORT_CVES, enriched));
        assertEquals("!criticality", CellFilter.expression(SessionColumn.CRITICALITY, web));
        assertEquals("history == \"ShADadR\\\"x\\\\\"", CellFilter.expression(SessionColumn.HISTORY,
                SESSIONS.get(4)));
    }
}
