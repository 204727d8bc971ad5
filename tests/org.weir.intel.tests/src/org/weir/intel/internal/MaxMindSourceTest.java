package org.weir.intel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.weir.testsupport.Corpus;

/** The IPv4-only guard, seen at the level of raw records. */
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
}
