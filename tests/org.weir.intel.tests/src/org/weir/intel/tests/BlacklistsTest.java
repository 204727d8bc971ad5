package org.weir.intel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.IpAddress;
import org.weir.core.Subnet;
import org.weir.intel.BlacklistSource;
import org.weir.intel.Blacklists;
import org.weir.intel.FeedException;
import org.weir.intel.internal.BlacklistService;
import org.weir.testsupport.Corpus;

/**
 * Blacklists on the FireHOL snapshot, ipsum, the Tor node lists and EDAMAME's database. The oracle is a plain
 * linear scan over {@link Subnet#contains} of the entries read straight from each file.
 */
class BlacklistsTest {

    @TempDir
    Path tmp;

    private static Path firehol(String name) {
        return Corpus.resolve("blocklists/firehol-snapshot/" + name);
    }

    /** The entries of a line list, the simple way. */
    private static List<Subnet> entries(Path file) throws Exception {
        List<Subnet> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            out.add(Subnet.parse(t.split("\\s+")[0]));
        }
        return out;
    }

    private static boolean oracle(List<Subnet> list, long hi, long lo) {
        for (Subnet s : list) {
            if (s.contains(hi, lo)) {
                return true;
            }
        }
        return false;
    }

    /** Addresses worth asking: each entry's first and last address and their outside neighbours, plus random ones. */
    private static List<long[]> probes(List<Subnet> entries, int random, long seed) {
        List<long[]> out = new ArrayList<>();
        for (Subnet s : entries) {
            long hostLo = s.prefixLength() >= 128 ? 0 : s.prefixLength() <= 64 ? -1L : -1L >>> (s.prefixLength() - 64);
            long hostHi = s.prefixLength() >= 64 ? 0 : -1L >>> s.prefixLength();
            out.add(new long[] {s.hi(), s.lo()});
            out.add(new long[] {s.hi() | hostHi, s.lo() | hostLo});
            out.add(new long[] {s.lo() == 0 ? s.hi() - 1 : s.hi(), s.lo() - 1});
            long endLo = s.lo() | hostLo;
            out.add(new long[] {endLo == -1L ? (s.hi() | hostHi) + 1 : s.hi() | hostHi, endLo + 1});
        }
        Random r = new Random(seed);
        for (int i = 0; i < random; i++) {
            out.add(new long[] {0, IpAddress.v4Lo(r.nextInt())});
        }
        return out;
    }

    @Test
    void fireholListsAgreeWithALinearScan() throws Exception {
        Map<String, List<Subnet>> lists = new LinkedHashMap<>();
        List<BlacklistSource> sources = new ArrayList<>();
        for (String f : List.of("firehol_level1.netset", "spamhaus_drop.netset", "dshield.netset", "feodo.ipset",
                "et_block.netset", "cidr_report_bogons.netset")) {
            BlacklistSource s = BlacklistSource.of(firehol(f));
            sources.add(s);
            lists.put(s.name(), entries(s.file()));
        }
        BlacklistService b = new BlacklistService();
        b.load(sources);
        assertEquals(lists.keySet().stream().toList(), b.loaded().stream().map(Blacklists.ListInfo::name).toList());
        for (Blacklists.ListInfo info : b.loaded()) {
            assertEquals(lists.get(info.name()).size(), info.entries(), info.name());
            assertEquals("blacklist:" + info.name(), info.tag());
        }
        List<Subnet> all = new ArrayList<>();
        lists.values().forEach(all::addAll);
        int hits = 0, overlapping = 0;
        for (long[] a : probes(all, 20_000, 42)) {
            List<String> expected = new ArrayList<>();
            lists.forEach((name, entries) -> {
                if (oracle(entries, a[0], a[1])) {
                    expected.add(name);
                }
            });
            List<String> got = b.lists(a[0], a[1]);
            assertEquals(expected, got, IpAddress.toString(a[0], a[1]));
            assertEquals(expected.stream().map(n -> "blacklist:" + n).toList(), b.tags(a[0], a[1]));
            hits += expected.isEmpty() ? 0 : 1;
            overlapping += expected.size() > 1 ? 1 : 0;
        }
        assertTrue(hits > 10_000, "probes hit: " + hits);
        assertTrue(overlapping > 1_000, "probes on overlapping lists: " + overlapping);
    }

    @Test
    void knownEntries() throws Exception {
        BlacklistService b = new BlacklistService();
        b.load(List.of(BlacklistSource.of(firehol("firehol_level1.netset"))));
        // firehol_level1 lists 0.0.0.0/8 and 10.0.0.0/8 (bogons) and 1.10.16.0/20 (spamhaus drop)
        assertEquals(List.of("blacklist:firehol_level1"), b.tags("10.255.255.255"));
        assertEquals(List.of("blacklist:firehol_level1"), b.tags("1.10.31.255"));
        assertEquals(List.of(), b.tags("1.10.32.0"));
        assertEquals(List.of(), b.tags("8.8.8.8"));
        assertEquals(List.of(), b.tags("2001:db8::1"), "an IPv4 list does not match IPv6 addresses");
    }

    @Test
    void torExitListsTagTorExitNodeIncludingIpv6() throws Exception {
        Path exits = Corpus.resolve("blocklists/tor/tor-exit-nodes.lst");
        BlacklistSource src = BlacklistSource.of(exits);
        assertTrue(src.torExits(), "file name marks a Tor exit list");
        assertFalse(BlacklistSource.of(firehol("dm_tor.ipset")).torExits(), "all Tor nodes are not exits");
        BlacklistService b = new BlacklistService();
        b.load(List.of(src, BlacklistSource.of(firehol("tor_exits.ipset")), BlacklistSource.of(firehol("firehol_level1.netset"))));
        List<Subnet> entries = entries(exits);
        Subnet v6 = entries.stream().filter(s -> !IpAddress.isV4(s.hi(), s.lo())).findFirst().orElseThrow();
        assertEquals(List.of("tor_exit_node"), b.tags(v6.hi(), v6.lo()));
        assertEquals(List.of("tor-exit-nodes"), b.lists(v6.hi(), v6.lo()));
        assertTrue(b.tags(v6.hi(), v6.lo() ^ 1).isEmpty() || oracle(entries, v6.hi(), v6.lo() ^ 1));
        // an address on both Tor exit lists gets the tag once
        Subnet both = entries(firehol("tor_exits.ipset")).stream().filter(s -> oracle(entries, s.hi(), s.lo()))
                .findFirst().orElseThrow();
        assertEquals(List.of("tor_exit_node"), b.tags(both.hi(), both.lo()));
        assertEquals(2, b.lists(both.hi(), both.lo()).size());
        long v6count = entries.stream().filter(s -> !IpAddress.isV4(s.hi(), s.lo())).count();
        for (Subnet s : entries) {
            assertEquals(List.of("tor-exit-nodes"), b.lists(s.hi(), s.lo()).stream().filter("tor-exit-nodes"::equals).toList(),
                    s.text());
        }
        assertTrue(v6count > 100, "the corpus list has IPv6 exits: " + v6count);
    }

    @Test
    void edamameDatabaseAsPublished() throws Exception {
        Path db = Corpus.resolve("edamame/blacklists-db.json");
        String json = Files.readString(db);
        Matcher m = Pattern.compile("\"ip_ranges\"\\s*:\\s*\\[(.*?)\\]", Pattern.DOTALL).matcher(json);
        assertTrue(m.find());
        List<Subnet> ranges = new ArrayList<>();
        Matcher q = Pattern.compile("\"([^\"]+)\"").matcher(m.group(1));
        while (q.find()) {
            ranges.add(Subnet.parse(q.group(1)));
        }
        BlacklistService b = new BlacklistService();
        BlacklistSource src = BlacklistSource.of(db);
        assertEquals(BlacklistSource.Format.EDAMAME_JSON, src.format());
        b.load(List.of(src));
        assertEquals(1, b.loaded().size());
        assertEquals("firehol_level1", b.loaded().get(0).name());
        assertEquals(ranges.size(), b.loaded().get(0).entries());
        for (long[] a : probes(ranges, 5_000, 7)) {
            boolean expected = oracle(ranges, a[0], a[1]);
            assertEquals(expected ? List.of("blacklist:firehol_level1") : List.of(), b.tags(a[0], a[1]),
                    IpAddress.toString(a[0], a[1]));
        }
    }

    @Test
    void ipsumWithCountsAndLargeLists() throws Exception {
        Path ipsum = Corpus.resolve("blocklists/ipsum/ipsum.txt");
        BlacklistService b = new BlacklistService();
        b.load(List.of(BlacklistSource.of(ipsum), BlacklistSource.of(firehol("firehol_level2.netset")),
                BlacklistSource.of(firehol("firehol_level3.netset"))));
        List<Subnet> entries = entries(ipsum);
        assertEquals(entries.size(), b.loaded().get(0).entries());
        assertTrue(entries.size() > 100_000);
        Random r = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            Subnet s = entries.get(r.nextInt(entries.size()));
            assertTrue(b.lists(s.hi(), s.lo()).contains("ipsum"), s.text());
        }
    }

    @Test
    void overlappingAndAdjacentRangesInOneAndSeveralLists() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.netset"), """
                # overlapping, nested and adjacent entries of one list
                10.0.0.0/8
                10.1.0.0/16
                11.0.0.0/8
                12.0.0.5-12.0.0.9
                2001:db8::/32
                2001:db8:1::/48
                ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0/124
                """);
        Path b = Files.writeString(tmp.resolve("b.txt"), """
                10.1.2.3\t7
                12.0.0.9
                2001:db8:1::1
                """);
        BlacklistService s = new BlacklistService();
        s.load(List.of(BlacklistSource.of(a), BlacklistSource.of(b)));
        assertEquals(List.of("a"), s.lists("10.0.0.0"));
        assertEquals(List.of("a", "b"), s.lists("10.1.2.3"));
        assertEquals(List.of("a"), s.lists("10.1.2.4"));
        assertEquals(List.of("a"), s.lists("11.255.255.255"));
        assertEquals(List.of(), s.lists("12.0.0.0"));
        assertEquals(List.of("a"), s.lists("12.0.0.5"));
        assertEquals(List.of("a", "b"), s.lists("12.0.0.9"));
        assertEquals(List.of(), s.lists("12.0.0.10"));
        assertEquals(List.of("a", "b"), s.lists("2001:db8:1::1"));
        assertEquals(List.of("a"), s.lists("2001:db8:ffff::1"));
        assertEquals(List.of(), s.lists("2001:db9::"));
        assertEquals(List.of("a"), s.lists("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        // an IPv6 network that spans the IPv4-mapped space covers IPv4 addresses too
        Path wide = Files.writeString(tmp.resolve("wide.netset"), "::/1\n");
        BlacklistService w = new BlacklistService();
        w.load(List.of(BlacklistSource.of(a), BlacklistSource.of(wide)));
        assertEquals(List.of("a", "wide"), w.lists("10.1.2.3"));
        assertEquals(List.of("wide"), w.lists("255.255.255.255"));
        assertEquals(List.of("wide"), w.lists("7fff::1"));
        assertEquals(List.of(), w.lists("8000::"));
        Blacklists.ListInfo info = s.loaded().get(0);
        assertEquals(7, info.entries());
        assertEquals(4, info.ranges(), "10/8+11/8 merge (adjacent), 12.0.0.5-9, 2001:db8::/32, the top /124");
    }

    @Test
    void brokenLineNamesFileLineAndColumnAndKeepsPreviousLists() throws Exception {
        BlacklistService s = new BlacklistService();
        s.load(List.of(BlacklistSource.of(firehol("feodo.ipset"))));
        Path bad = Files.writeString(tmp.resolve("bad.netset"), "# header\n1.2.3.4\n\n  10.0.0.0/33\n");
        FeedException e = assertThrows(FeedException.class,
                () -> s.load(List.of(BlacklistSource.of(firehol("dshield.netset")), BlacklistSource.of(bad))));
        assertEquals(bad, e.file());
        assertEquals(4, e.line());
        assertEquals(3, e.column());
        assertTrue(e.getMessage().startsWith(bad + ":4:3: bad entry '10.0.0.0/33'"), e.getMessage());
        assertEquals(List.of("feodo"), s.loaded().stream().map(Blacklists.ListInfo::name).toList());
        assertSame(e, s.lastError().orElseThrow());
        Path missing = tmp.resolve("missing.netset");
        FeedException e2 = assertThrows(FeedException.class, () -> s.load(List.of(BlacklistSource.of(missing))));
        assertTrue(e2.getMessage().contains("missing.netset"), e2.getMessage());
    }

    @Test
    void brokenJsonNamesLineAndColumn() throws Exception {
        Path truncated = Files.writeString(tmp.resolve("t.json"), "{\n  \"blacklists\": [\n    {\"name\": \"x\", \"ip_ranges\": [\"1.2.3.0/24\",\n");
        FeedException e = assertThrows(FeedException.class, () -> new BlacklistService().load(List.of(BlacklistSource.of(truncated))));
        assertEquals(truncated, e.file());
        assertTrue(e.line() >= 3, e.getMessage());
        Path wrongType = Files.writeString(tmp.resolve("w.json"), "{\n  \"blacklists\": [\n    {\"name\": \"x\",\n     \"ip_ranges\": [\"1.2.3.0/24\", 17]}]}\n");
        FeedException w = assertThrows(FeedException.class, () -> new BlacklistService().load(List.of(BlacklistSource.of(wrongType))));
        assertEquals(4, w.line());
        assertEquals(34, w.column());
        Path badRange = Files.writeString(tmp.resolve("r.json"), "{\"blacklists\": [{\"name\": \"x\", \"ip_ranges\": [\"1.2.3.999/24\"]}]}");
        FeedException r = assertThrows(FeedException.class, () -> new BlacklistService().load(List.of(BlacklistSource.of(badRange))));
        assertEquals(1, r.line());
        assertEquals(45, r.column());
        assertTrue(r.getMessage().contains("1.2.3.999/24"));
    }

    @Test
    void lookupsAllocateNothing() throws Exception {
        BlacklistService b = new BlacklistService();
        b.load(List.of(BlacklistSource.of(firehol("firehol_level1.netset")), BlacklistSource.of(firehol("spamhaus_drop.netset"))));
        long[] hit = new long[2], miss = new long[2];
        IpAddress.parse("10.1.1.1", hit);
        IpAddress.parse("8.8.8.8", miss);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        int n = 0;
        for (int i = 0; i < 20_000; i++) {
            n += b.tags(hit[0], hit[1]).size() + b.tags(miss[0], miss[1]).size();
        }
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            n += b.tags(hit[0], hit[1]).size() + b.tags(miss[0], miss[1]).size();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertEquals(120_000, n);
        // One allocation per lookup would be 3.2 MB at least; a few KB can be the JVM's own (see GeoLookupTest).
        assertTrue(allocated < 32 * 1024, "200,000 lookups allocated " + allocated + " bytes");
    }
}
