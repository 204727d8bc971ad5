package org.weir.intel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.Transport;
import org.weir.intel.FeedException;
import org.weir.intel.MacVendors;
import org.weir.intel.PortVulnerabilities;
import org.weir.intel.ServiceNames;
import org.weir.intel.internal.OuiRegistry;
import org.weir.intel.internal.PortVulnDatabase;
import org.weir.intel.internal.ServiceTable;
import org.weir.testsupport.Corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** MAC vendors from the IEEE CSVs, the bundled service table, EDAMAME's port-vulnerability database. */
class VendorsServicesPortsTest {

    @TempDir
    Path tmp;

    private static List<Path> ieee() {
        return List.of(Corpus.resolve("oui/oui.csv"), Corpus.resolve("oui/mam.csv"), Corpus.resolve("oui/oui36.csv"),
                Corpus.resolve("oui/iab.csv"));
    }

    @Test
    void ouiLongestPrefixWins() throws Exception {
        OuiRegistry oui = new OuiRegistry();
        oui.load(ieee());
        // Records counted the simple way: lines that start a record (quoted addresses span lines).
        Pattern record = Pattern.compile("^(MA-L|MA-M|MA-S|IAB),[0-9A-F]+,.*");
        long expected = 0;
        for (Path p : ieee()) {
            expected += Files.readAllLines(p).stream().filter(l -> record.matcher(l).matches()).count();
        }
        assertTrue(expected > 45_000);
        assertTrue(oui.size() <= expected && oui.size() > expected - 50, oui.size() + " of " + expected);
        // rows of the CSVs (MA-L, then sub-assignments under IEEE-RA blocks)
        assertEquals("American Micro-Fuel Device Corp.", oui.vendor("00:22:72:01:02:03"));
        assertEquals("MA-L", oui.assignment(MacVendors.parseMac("00-22-72-01-02-03")).registry());
        assertEquals("FUJIAN TAILI COMMUNICATION TECHNOLOGY CO.,LTD", oui.vendor("74:1a:e0:5f:ff:ff"));
        assertEquals(28, oui.assignment(MacVendors.parseMac("741a.e05f.ffff")).prefixBits());
        assertEquals("Private", oui.vendor("74:1A:E0:90:00:00"));
        assertEquals("TELEPLATFORMS", oui.vendor("70:B3:D5:F2:F0:00"));
        assertEquals(36, oui.assignment(MacVendors.parseMac("70:B3:D5:F2:FF:FF")).prefixBits());
        assertEquals("DEUTA-WERKE GmbH", oui.vendor("00:50:C2:7D:50:01"));
        assertEquals("IAB", oui.assignment(MacVendors.parseMac("00:50:C2:7D:50:01")).registry());
        // blocks the IEEE has not sub-assigned fall back to the enclosing MA-L (70B3D5233, 741AE0F are absent)
        assertEquals("IEEE Registration Authority", oui.vendor("70:B3:D5:23:30:00"));
        assertEquals(24, oui.assignment(MacVendors.parseMac("74:1A:E0:F0:00:00")).prefixBits());
        // a record whose quoted address holds doubled quotes and commas parses, and the next one too
        assertEquals("Best IT World (India) Pvt Ltd", oui.vendor("A0:47:D7:00:00:01"));
        assertEquals("Baikal Electronics JSC", oui.vendor("4C:A5:15:00:00:01"));
        // locally administered and unassigned
        assertNull(oui.vendor("02:00:00:00:00:01"));
        assertNull(oui.vendor(-1L));
    }

    @Test
    void brokenCsvNamesFileAndLineAndKeepsRegistry() throws Exception {
        OuiRegistry oui = new OuiRegistry();
        oui.load(List.of(Corpus.resolve("oui/oui.csv")));
        int size = oui.size();
        Path bad = Files.writeString(tmp.resolve("bad.csv"),
                "Registry,Assignment,Organization Name,Organization Address\nMA-L,002272,X,\"a\nb\"\nMA-L,00ZZ72,Y,addr\n");
        FeedException e = assertThrows(FeedException.class, () -> oui.load(List.of(bad)));
        assertEquals(bad, e.file());
        assertEquals(4, e.line(), e.getMessage());
        assertEquals(size, oui.size());
    }

    @Test
    void bundledServiceNames() throws Exception {
        ServiceTable s = new ServiceTable();
        assertEquals("ssh", s.name(22, 6));
        assertEquals("domain", s.name(53, 17));
        assertEquals("domain", s.name(53, Transport.TCP));
        assertEquals("https", s.name(443, Transport.UDP));
        assertEquals("ntp", s.name(123, 17));
        assertNull(s.name(123, 6), "NTP is registered for UDP only in the table");
        assertEquals("microsoft-ds", s.name(445, 6));
        assertEquals("ms-wbt-server", s.name(3389, 6));
        assertEquals("ssh", s.name(22, 132));
        assertNull(s.name(22, 1), "ICMP has no ports");
        assertNull(s.name(22, Transport.ICMP));
        assertNull(s.name(22, Transport.UNKNOWN));
        assertNull(s.name(65000, 6));
        assertNull(s.name(70000, 6));
    }

    /** Called once per session: the Eclipse compiler cannot cache an enum switch's table in an interface. */
    @Test
    void serviceNamesHasNoSwitchTable() {
        for (java.lang.reflect.Method m : ServiceNames.class.getDeclaredMethods()) {
            assertFalse(m.getName().contains("$SWITCH_TABLE$"), "made anew on every call: " + m);
        }
    }

    @Test
    void servicesFileReplacesTableAndBrokenFileKeepsIt() throws Exception {
        ServiceTable s = new ServiceTable();
        Path f = Files.writeString(tmp.resolve("services"), "# test\nfoo\t22/tcp\tbar\t# c\nbaz 22/tcp\nqux 7/ddp\n");
        s.load(f);
        assertEquals("foo", s.name(22, 6), "first name for a port wins");
        assertNull(s.name(53, 17));
        Path bad = Files.writeString(tmp.resolve("bad"), "ok 1/tcp\n\nnope 99999/tcp\n");
        FeedException e = assertThrows(FeedException.class, () -> s.load(bad));
        assertEquals(3, e.line());
        assertEquals(6, e.column());
        assertEquals("foo", s.name(22, 6));
        s.reset();
        assertEquals("ssh", s.name(22, 6));
    }

    /** Every entry of the database, compared with a tree-model read of the same file. */
    @Test
    void edamamePortDatabaseAsPublished() throws Exception {
        Path db = Corpus.resolve("edamame/lanscan-port-vulns-db.json");
        PortVulnDatabase v = new PortVulnDatabase();
        v.load(db);
        JsonNode root = new ObjectMapper().readTree(db.toFile());
        int n = 0, withCves = 0;
        for (JsonNode e : root.get("vulnerabilities")) {
            PortVulnerabilities.PortInfo info = v.lookup(e.get("port").asInt());
            String name = e.get("name").asText();
            assertEquals(name.isEmpty() ? null : name, info.name());
            assertEquals(e.get("protocol").asText(), info.protocol());
            List<String> ids = new ArrayList<>();
            e.get("vulnerabilities").forEach(c -> ids.add(c.get("name").asText()));
            assertEquals(ids, info.cves().stream().map(PortVulnerabilities.Cve::id).toList());
            assertEquals(e.get("count").asInt(), info.cves().size());
            n++;
            withCves += ids.isEmpty() ? 0 : 1;
        }
        assertEquals(n, v.size());
        assertTrue(withCves > 10);
        PortVulnerabilities.PortInfo ssh = v.lookup(22);
        assertEquals("ssh", ssh.name());
        assertTrue(ssh.cves().stream().allMatch(c -> c.id().startsWith("CVE-") && c.description() != null));
        assertNull(v.lookup(65535 + 1));
    }

    @Test
    void brokenPortDatabaseNamesLineAndColumn() throws Exception {
        PortVulnDatabase v = new PortVulnDatabase();
        v.load(Corpus.resolve("edamame/lanscan-port-vulns-db.json"));
        Path bad = Files.writeString(tmp.resolve("p.json"),
                "{\"vulnerabilities\": [\n {\"port\": 22, \"name\": \"ssh\"},\n {\"port\": \"x\"}]}");
        FeedException e = assertThrows(FeedException.class, () -> v.load(bad));
        assertEquals(3, e.line());
        assertEquals(11, e.column());
        assertEquals("ssh", v.lookup(22).name());
        assertTrue(v.lookup(80).cves().size() > 0, "previous database still in force");
    }
}
