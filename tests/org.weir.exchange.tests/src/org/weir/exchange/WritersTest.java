package org.weir.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.weir.core.LocalNetworks;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.testsupport.TestSession;

class WritersTest {

    /** A session with the given values, as the session table would have closed it. */
    private static TestSession session(String orig, int origPort, String resp, int respPort, int proto) {
        return new TestSession(orig, origPort, resp, respPort, Transport.of(proto)).protocol(proto)
                .uid("CtestUid0000000001");
    }

    private static String tsv(Session s, LocalNetworks local, Set<ConnColumns> extra) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZeekConnLogWriter w = new ZeekConnLogWriter(out, local, extra)) {
            w.write(s);
        }
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
    }

    private static String json(Session s, LocalNetworks local) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonConnWriter w = new JsonConnWriter(out, local)) {
            w.write(s);
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void tcpConnectionLineMatchesZeeksLayout() throws IOException {
        long start = 1_300_475_167_096_535_000L;
        Session s = session("141.42.64.125", 56730, "125.190.109.199", 80, 6)
                .times(start, start + 1_550_793_000L).bytes(98, 9417).state("SF", "^hADdFaf")
                .packets(11, 10).ipBytes(670, 9945);

        assertEquals("1300475167.096535\tCtestUid0000000001\t141.42.64.125\t56730\t125.190.109.199\t80\ttcp\t-\t"
                + "1.550793\t98\t9417\tSF\tF\tF\t0\t^hADdFaf\t11\t670\t10\t9945\t-\t6",
                tsv(s, LocalNetworks.privateAddressSpace(), Set.of()));
    }

    @Test
    void escapesAndEncodesTextAndPrintsExtremeNumbersAsBefore() throws IOException {
        // Values the byte-level line buffer must write exactly as the former StringBuilder + UTF-8 writer did:
        // Zeek's \xNN escapes, non-ASCII as UTF-8, a surrogate pair as one 4-byte character, a lone one as '?'.
        Session s = session("0.0.0.0", 0, "255.255.255.255", 65535, 17)
                .times(-1_500_000_000L, 0L).bytes(Long.MAX_VALUE, 0)
                .state("OTH", "a\tb\\\u00fc\uD83D\uDE00\uD800x").packets(0, Long.MAX_VALUE).ipBytes(1, 10);

        String[] f = tsv(s, LocalNetworks.of(List.of("::/0")), Set.of()).split("\t", -1);

        assertEquals("-2.500000", f[0]);
        assertEquals("0.0.0.0", f[2]);
        assertEquals("255.255.255.255", f[4]);
        assertEquals("65535", f[5]);
        assertEquals("1.500000", f[8]);
        assertEquals(Long.toString(Long.MAX_VALUE), f[9]);
        assertEquals("T", f[12]);
        assertEquals("T", f[13]);
        assertEquals("a\\x09b\\x5c\u00fc\uD83D\uDE00?x", f[15]);
        assertEquals(Long.toString(Long.MAX_VALUE), f[18]);
    }

    @Test
    @SuppressWarnings("deprecation") // tunnelParent(): what bundles built against org.weir.core 0.5 call
    void tunnelParentsAreZeeksSet() throws IOException {
        Session one = session("10.0.0.1", 1234, "10.0.0.2", 80, 6).tunnelParents("CparentUid");
        Session two = session("10.0.0.1", 1234, "10.0.0.2", 80, 6).tunnelParents("CparentUid", "CotherParent");
        assertEquals("CparentUid", tsv(one, LocalNetworks.privateAddressSpace(), Set.of()).split("\t")[20]);
        assertEquals("CparentUid,CotherParent", tsv(two, LocalNetworks.privateAddressSpace(), Set.of()).split("\t")[20],
                "elements joined by the #set_separator");
        assertEquals("CparentUid", two.tunnelParent(), "the first parent, for bundles built against 0.5");
    }

    @Test
    void zeroDurationLeavesDurationAndBytesUnsetAndIpv6IsCompressed() throws IOException {
        Session s = session("fe80::217:f2ff:fed7:cf65", 5353, "ff02::fb", 5353, 17)
                .times(1_000_000_000L, 1_000_000_000L).bytes(40, 0).state("S0", "D").packets(1, 0).ipBytes(88, 0);

        String[] f = tsv(s, LocalNetworks.privateAddressSpace(), Set.of()).split("\t");
        assertEquals("fe80::217:f2ff:fed7:cf65", f[2]);
        assertEquals("ff02::fb", f[4]);
        assertEquals(List.of("-", "-", "-"), List.of(f[8], f[9], f[10]), "Zeek sets these only when duration > 0");
        assertEquals(List.of("T", "F"), List.of(f[12], f[13]), "fe80::/10 is local, ff02::/16 is not");
    }

    @Test
    void extraColumnsAndNoLocalNets() throws IOException {
        Session s = session("10.0.0.1", 1234, "10.0.0.2", 53, 17).vlan(10).communityId("1:abc=")
                .origMac(0x0011_2233_4455L);
        String[] f = tsv(s, LocalNetworks.of(List.of()), EnumSet.allOf(ConnColumns.class)).split("\t");
        assertEquals(List.of("-", "-"), List.of(f[12], f[13]), "no local networks: local_orig/resp unset");
        assertEquals(List.of("00:11:22:33:44:55", "-", "10", "-", "1:abc="),
                List.of(f[22], f[23], f[24], f[25], f[26]));
    }

    @Test
    void jsonLeavesUnsetFieldsOut() throws IOException {
        long start = 1_500_000_000_000_000_001L;
        Session s = session("10.0.0.1", 1234, "8.8.8.8", 53, 17).times(start, start + 2_000L).bytes(30, 60)
                .state("SF", "Dd").tunnelParents("CparentUid", "CotherParent");
        String line = json(s, LocalNetworks.privateAddressSpace());
        assertTrue(line.startsWith("{\"ts\":1500000000.000000,\"uid\":\"CtestUid0000000001\",\"id.orig_h\":\"10.0.0.1\""),
                line);
        assertTrue(line.contains("\"duration\":0.000002,\"orig_bytes\":30,\"resp_bytes\":60"), line);
        assertTrue(line.contains("\"local_orig\":true,\"local_resp\":false"), line);
        assertTrue(line.contains("\"tunnel_parents\":[\"CparentUid\",\"CotherParent\"]"), line);
        assertTrue(!line.contains("service") && !line.contains("vlan"), line);
    }
}
