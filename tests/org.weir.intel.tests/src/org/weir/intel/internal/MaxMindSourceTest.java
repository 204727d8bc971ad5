package org.weir.intel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.weir.testsupport.Corpus;

/** The guards between address families, seen at the level of raw records. */
class MaxMindSourceTest {

    /**
     * MaxMind-DB-test-ipv4-24 holds 1.1.1.1/32 (see the MaxMind DB spec's test layout). Walking its 32-bit tree
     * with the IPv6 address 101:101:: would land on that record, a wrong answer; the guard must not ask.
     */
    @Test
    void ipv6AddressNeverWalksAnIpv4Tree() throws Exception {
        try (MaxMindSource s = MaxMindSource.open(Corpus.resolve("mmdb/maxmind-test-data/MaxMind-DB-test-ipv4-24.mmdb"))) {
            assertEquals(4, s.info.ipVersion());
            assertNotNull(s.lookup(InetAddress.getByName("1.1.1.1"), true), "the IPv4 record exists");
            assertNull(s.lookup(InetAddress.getByName("101:101::"), false));
        }
    }

    /**
     * An IPv6 tree without IPv4 networks (MaxMind-DB-test-ipv6-32: only ::1:ffff:ffff and wider IPv6 networks) is
     * not walked for IPv4 addresses; IPv6 trees that hold IPv4 networks under ::/96 still are.
     */
    @Test
    void ipv6TreeWithoutIpv4NetworksIsNotAskedAboutIpv4() throws Exception {
        try (MaxMindSource s = MaxMindSource.open(Corpus.resolve("mmdb/maxmind-test-data/MaxMind-DB-test-ipv6-32.mmdb"))) {
            assertEquals(6, s.info.ipVersion());
            assertFalse(s.hasIpv4);
            assertNull(s.lookup(InetAddress.getByName("1.1.1.1"), true));
            assertNotNull(s.lookup(InetAddress.getByName("::1:ffff:ffff"), false), "its IPv6 record");
        }
        for (String file : new String[] { "maxmind-test-data/MaxMind-DB-test-mixed-32.mmdb",
                "zeek-test-dbs/GeoLite2-City.mmdb" }) {
            try (MaxMindSource s = MaxMindSource.open(Corpus.resolve("mmdb/" + file))) {
                assertEquals(6, s.info.ipVersion(), file);
                assertTrue(s.hasIpv4, file);
            }
        }
        try (MaxMindSource s = MaxMindSource.open(Corpus.resolve("mmdb/maxmind-test-data/MaxMind-DB-test-mixed-32.mmdb"))) {
            assertNotNull(s.lookup(InetAddress.getByName("1.1.1.1"), true), "an IPv4 record of an IPv6 tree");
        }
    }
}
