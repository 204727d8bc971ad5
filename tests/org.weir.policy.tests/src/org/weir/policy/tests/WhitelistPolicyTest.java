package org.weir.policy.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.intel.FeedException;
import org.weir.intel.FeedSignature;
import org.weir.policy.SessionFacts;
import org.weir.policy.Verdict;
import org.weir.policy.WhitelistEndpoint;
import org.weir.policy.internal.WhitelistService;
import org.weir.testsupport.Corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * EDAMAME's published whitelist database and flodbadd's documented matching rules (WHITELISTS.md in the corpus):
 * inheritance, wildcards, IP/CIDR, AS criteria, process, domain-before-IP priority, cycles.
 */
class WhitelistPolicyTest {

    @TempDir
    Path tmp;

    private static Path edamame() {
        return Corpus.resolve("edamame/whitelists-db.json");
    }

    private static WhitelistService load(Path file, String profile) throws FeedException {
        WhitelistService w = new WhitelistService();
        w.load(file, profile);
        return w;
    }

    private Path json(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    /** Descriptions of a profile's endpoints after inheritance, computed from a tree-model read of the file. */
    private static void expected(Map<String, JsonNode> byName, String name, Set<String> path, List<String> out) {
        assertTrue(path.add(name));
        byName.get(name).get("endpoints").forEach(e -> out.add(name + ":" + e.get("description").asText()));
        JsonNode ext = byName.get(name).get("extends");
        if (ext != null && ext.isArray()) {
            ext.forEach(p -> expected(byName, p.asText(), path, out));
        }
        path.remove(name);
    }

    @Test
    void bundledProfilesLoadUnchangedWithTheirInheritance() throws Exception {
        JsonNode root = new ObjectMapper().readTree(edamame().toFile());
        Map<String, JsonNode> byName = new HashMap<>();
        root.get("whitelists").forEach(w -> byName.put(w.get("name").asText(), w));
        WhitelistService w = load(edamame(), "github");
        assertEquals(Set.of("edamame", "builder", "github", "github_macos", "github_ubuntu", "github_windows"),
                w.profiles());
        for (String profile : byName.keySet()) {
            List<String> want = new ArrayList<>();
            expected(byName, profile, new LinkedHashSet<>(), want);
            List<String> got = w.endpoints(profile).stream().map(e -> e.profile() + ":" + e.description()).toList();
            assertEquals(want, got, profile);
            new WhitelistService().load(edamame(), profile); // every profile can be chosen
        }
        assertEquals(47, w.endpoints("github_windows").size(), "0 own + github 11 + builder 21 + edamame 15");
    }

    @Test
    void inheritanceDecidesWhatAProfileAllows() throws Exception {
        SessionFacts esm = SessionFacts.to("185.125.188.54", 443, "TCP").withDomain("esm.ubuntu.com");
        WhitelistService ubuntu = load(edamame(), "github_ubuntu");
        Verdict v = ubuntu.evaluate(esm);
        assertTrue(v.conforming());
        assertEquals("github_ubuntu", v.rule().profile());
        assertEquals("*.ubuntu.com", v.rule().domain(), "the first matching endpoint in order decides");
        assertEquals(0, v.rule().index());
        WhitelistService github = load(edamame(), "github");
        assertFalse(github.evaluate(esm).conforming(), "a parent does not inherit its children's rules");
        // github_windows has no endpoints of its own but everything of github, builder and edamame
        WhitelistService windows = load(edamame(), "github_windows");
        Verdict gh = windows.evaluate(SessionFacts.to("140.82.112.3", 443, "TCP").withDomain("api.github.com"));
        assertEquals("github", gh.rule().profile());
        Verdict lan = windows.evaluate(SessionFacts.to("10.20.30.40", 8080, "UDP"));
        assertEquals("edamame", lan.rule().profile());
        assertEquals("10.0.0.0/8", lan.rule().ip());
        Verdict ntp = windows.evaluate(SessionFacts.to("162.159.200.1", 123, "UDP"));
        assertEquals("Connection to NTP", ntp.rule().description());
        // and select() switches profile on the loaded file
        windows.select("edamame");
        assertFalse(windows.evaluate(SessionFacts.to("162.159.200.1", 123, "UDP")).conforming());
        assertThrows(IllegalArgumentException.class, () -> windows.select("nope"));
    }

    @Test
    void wildcardsOfTheBundledFile() throws Exception {
        WhitelistService w = load(edamame(), "github_ubuntu");
        SessionFacts base = SessionFacts.to("20.1.2.3", 443, "TCP");
        assertTrue(w.evaluate(base.withDomain("api.github.com")).conforming());
        assertEquals("github.com", w.evaluate(base.withDomain("github.com")).rule().domain());
        assertFalse(w.evaluate(base.withDomain("evilgithub.com")).conforming());
        assertFalse(w.evaluate(base.withDomain("github.com.evil.net")).conforming());
        SessionFacts mirror = SessionFacts.to("20.1.2.3", 80, "TCP")
                .withDomain("cloud-mirror-lb.eastus.cloudapp.azure.com");
        assertEquals("cloud-mirror-lb.*.cloudapp.azure.com", w.evaluate(mirror).rule().domain());
        assertFalse(w.evaluate(SessionFacts.to("20.1.2.3", 8080, "TCP")
                .withDomain("cloud-mirror-lb.eastus.cloudapp.azure.com")).conforming(), "port must match first");
        assertFalse(w.evaluate(SessionFacts.to("20.1.2.3", 80, "TCP").withDomain("cloud-mirror-lb.cloudapp.azure.com"))
                .conforming(), "the middle wildcard needs something in the middle");
    }

    @Test
    void asNumberRulesAndProcess() throws Exception {
        WhitelistService builder = load(edamame(), "builder");
        SessionFacts google = SessionFacts.to("142.250.74.46", 443, "TCP");
        assertFalse(builder.evaluate(google).conforming(), "without AS data the ASN rule cannot match");
        Verdict v = builder.evaluate(google.withAs(15169, "US", "GOOGLE"));
        assertTrue(v.conforming());
        assertEquals(Long.valueOf(15169), v.rule().asNumber());
        assertFalse(builder.evaluate(SessionFacts.to("142.250.74.46", 80, "TCP").withAs(15169, "US", "GOOGLE"))
                .conforming());
        // edamame's Cloudflare rules need the edamame_posture process (case-insensitive)
        WhitelistService edamame = load(edamame(), "edamame");
        SessionFacts cf = SessionFacts.to("104.16.1.1", 443, "TCP").withAs(13335, "US", "CLOUDFLARENET");
        assertFalse(edamame.evaluate(cf).conforming(), "no process known");
        assertFalse(edamame.evaluate(cf.withProcess("curl")).conforming());
        assertTrue(edamame.evaluate(cf.withProcess("EDAMAME_Posture")).conforming());
        Verdict miss = edamame.evaluate(cf.withProcess("curl"));
        assertNull(miss.rule());
        assertTrue(miss.reason().startsWith("No matching endpoint found in whitelist 'edamame' for domain: None, "
                + "ip: Some(\"104.16.1.1\"), port: 443, protocol: TCP, ASN: Some(13335)"), miss.reason());
    }

    /** Step 2 of the documented algorithm: domain before IP, and AS criteria after either. */
    @Test
    void domainHasPriorityOverIpAndAsCriteriaApplyAfterEither() throws Exception {
        Path f = json("p.json", """
                {"date": "x", "whitelists": [{"name": "p", "endpoints": [
                  {"domain": "a.example.com", "ip": "192.0.2.0/24", "port": 443, "protocol": "tcp"},
                  {"domain": "b.example.com", "port": 443, "as_country": "fr", "as_owner": "Ovh"},
                  {"ip": "198.51.100.7", "port": 22, "as_number": 64500},
                  {"ips": ["2001:db8::1-2001:db8::ff", "203.0.113.0/28"], "ports": [53, {"start": 8000, "end": 8100}]}
                ]}]}""");
        WhitelistService w = load(f, "p");
        // domain matches, IP does not: allowed (domain decides)
        assertEquals(0, w.evaluate(SessionFacts.to("10.9.9.9", 443, "TCP").withDomain("a.example.com")).rule().index());
        // domain does not match but the IP does: allowed through the IP fallback
        assertEquals(0, w.evaluate(SessionFacts.to("192.0.2.10", 443, "Tcp").withDomain("z.example.com")).rule().index());
        // both mismatch, and the protocol must match first
        assertFalse(w.evaluate(SessionFacts.to("10.9.9.9", 443, "TCP").withDomain("z.example.com")).conforming());
        assertFalse(w.evaluate(SessionFacts.to("192.0.2.10", 443, "UDP").withDomain("a.example.com")).conforming());
        // a matching domain is still subject to the AS criteria (case-insensitive)
        SessionFacts b = SessionFacts.to("51.68.1.1", 443, "TCP").withDomain("b.example.com");
        assertFalse(w.evaluate(b).conforming(), "AS country/owner unknown");
        assertFalse(w.evaluate(b.withAs(16276, "DE", "OVH")).conforming());
        assertEquals(1, w.evaluate(b.withAs(16276, "FR", "OVH")).rule().index());
        // IP-only rule with an AS number
        assertFalse(w.evaluate(SessionFacts.to("198.51.100.7", 22, "TCP")).conforming());
        assertEquals(2, w.evaluate(SessionFacts.to("198.51.100.7", 22, "TCP").withAs(64500, null, null)).rule().index());
        assertFalse(w.evaluate(SessionFacts.to("198.51.100.8", 22, "TCP").withAs(64500, null, null)).conforming(),
                "an IP rule that does not match fails even when the AS matches");
        // ranges and port lists
        assertEquals(3, w.evaluate(SessionFacts.to("2001:db8::80", 8050, "UDP")).rule().index());
        assertEquals(3, w.evaluate(SessionFacts.to("203.0.113.15", 53, "UDP")).rule().index());
        assertFalse(w.evaluate(SessionFacts.to("203.0.113.16", 53, "UDP")).conforming());
        assertFalse(w.evaluate(SessionFacts.to("2001:db8::100", 53, "UDP")).conforming());
        assertFalse(w.evaluate(SessionFacts.to("2001:db8::80", 8101, "UDP")).conforming());
        assertFalse(w.evaluate(SessionFacts.toUnknownAddress(53, "UDP")).conforming());
    }

    @Test
    void ipv4RulesDoNotMatchIpv6() throws Exception {
        Path f = json("v.json", """
                {"date": "x", "whitelists": [{"name": "v", "endpoints": [{"ip": "::/0"}, {"ip": "0.0.0.0/0", "port": 1}]}]}""");
        WhitelistService w = load(f, "v");
        assertEquals(0, w.evaluate(SessionFacts.to("2001:db8::1", 9, "TCP")).rule().index());
        assertFalse(w.evaluate(SessionFacts.to("192.0.2.1", 9, "TCP")).conforming(), "::/0 is IPv6 only");
        assertEquals(1, w.evaluate(SessionFacts.to("192.0.2.1", 1, "TCP")).rule().index());
    }

    @Test
    void cyclesAndUnknownParentsAreRejectedAndThePreviousPolicyStays() throws Exception {
        WhitelistService w = load(edamame(), "github");
        Path cycle = json("c.json", """
                {"date": "x", "whitelists": [
                  {"name": "a", "extends": ["b"], "endpoints": []},
                  {"name": "b", "extends": ["c"], "endpoints": []},
                  {"name": "c", "extends": ["a"], "endpoints": [{"port": 1}]}
                ]}""");
        FeedException e = assertThrows(FeedException.class, () -> w.load(cycle, "a"));
        assertEquals(cycle, e.file());
        assertEquals(4, e.line());
        assertEquals(29, e.column());
        assertTrue(e.getMessage().contains("circular dependency in whitelist inheritance: a -> b -> c -> a"), e.getMessage());
        Path self = json("s.json", """
                {"date": "x", "whitelists": [{"name": "s", "extends": ["s"], "endpoints": []}]}""");
        assertThrows(FeedException.class, () -> w.load(self, "s"));
        Path unknown = json("u.json", """
                {"date": "x", "whitelists": [{"name": "u", "extends": ["nowhere"], "endpoints": []}]}""");
        FeedException u = assertThrows(FeedException.class, () -> w.load(unknown, "u"));
        assertTrue(u.getMessage().contains("extends unknown whitelist \"nowhere\""), u.getMessage());
        assertEquals("github", w.profile(), "previous policy in force");
        assertTrue(w.evaluate(SessionFacts.to("140.82.112.3", 443, "TCP").withDomain("github.com")).conforming());
        assertTrue(w.lastError().isPresent());
        // a shared parent (diamond) is not a cycle; its endpoints come once per path, as in flodbadd
        Path diamond = json("d.json", """
                {"date": "x", "whitelists": [
                  {"name": "top", "extends": ["l", "r"], "endpoints": []},
                  {"name": "l", "extends": ["base"], "endpoints": []},
                  {"name": "r", "extends": ["base"], "endpoints": []},
                  {"name": "base", "endpoints": [{"port": 7}]}
                ]}""");
        w.load(diamond, "top");
        assertEquals(List.of("base", "base"), w.endpoints("top").stream().map(WhitelistEndpoint::profile).toList());
        assertTrue(w.evaluate(SessionFacts.to("192.0.2.1", 7, "UDP")).conforming());
        assertTrue(w.lastError().isEmpty());
    }

    @Test
    void brokenFilesNameLineAndColumn() throws Exception {
        WhitelistService w = load(edamame(), "edamame");
        record Case(String json, int line, int column, String text) {
        }
        List<Case> cases = List.of(
                new Case("{\"date\": \"x\", \"whitelists\": [{\"name\": \"p\", \"endpoints\": [\n  {\"prot\": \"TCP\"}]}]}", 2, 4,
                        "unknown field \"prot\""),
                new Case("{\"date\": \"x\", \"whitelists\": [{\"name\": \"p\", \"endpoints\": [\n\n  {\"port\": 70000}]}]}", 3, 12,
                        "port number"),
                new Case("{\"date\": \"x\", \"whitelists\": [{\"name\": \"p\", \"endpoints\": [\n  {\"ip\": \"10.0.0.0/33\"}]}]}", 2, 10,
                        "bad IP specification \"10.0.0.0/33\""),
                // inet_aton's short form would read 10.1/16 as 10.0.0.1/16, i.e. 10.0.0.0/16: not what it says.
                new Case("{\"date\": \"x\", \"whitelists\": [{\"name\": \"p\", \"endpoints\": [\n  {\"ip\": \"10.1/16\"}]}]}", 2, 10,
                        "bad IP specification \"10.1/16\""),
                new Case("{\"date\": \"x\", \"whitelists\": [{\"name\": \"p\", \"endpoints\": [\n  {\"port\": \"443\"}]}]}", 2, 12,
                        "expected a port number (0-65535), found a string"),
                new Case("{\"date\": \"x\", \"whitelists\": [{\"name\": \"p\", \"endpoints\": [\n  {\"port\": 443,}]}]}", 2, 16,
                        "malformed JSON"),
                new Case("{\"date\": \"x\", \"whitelists\": [{\"name\": \"p\",\n \"endpoints\": [{\"as_number\": -1}]}]}", 2, 30,
                        "AS number"),
                new Case("{\"date\": \"x\", \"whitelists\": [\n {\"name\": \"p\", \"endpoints\": []},\n {\"name\": \"p\", \"endpoints\": []}]}", 3, 2,
                        "defined twice"));
        int i = 0;
        for (Case c : cases) {
            Path f = json("b" + i++ + ".json", c.json());
            FeedException e = assertThrows(FeedException.class, () -> w.load(f, "p"), c.json());
            assertEquals(f, e.file());
            assertEquals(c.line(), e.line(), e.getMessage());
            assertEquals(c.column(), e.column(), e.getMessage());
            assertTrue(e.getMessage().contains(c.text()), e.getMessage());
        }
        FeedException noProfile = assertThrows(FeedException.class, () -> w.load(edamame(), "nope"));
        assertTrue(noProfile.getMessage().contains("no whitelist named \"nope\""));
        assertEquals("edamame", w.profile());
    }

    @Test
    void emptyProfileIsAnException() throws Exception {
        Path f = json("e.json", "{\"date\": \"x\", \"whitelists\": [{\"name\": \"e\", \"endpoints\": []}]}");
        Verdict v = load(f, "e").evaluate(SessionFacts.to("192.0.2.1", 1, "TCP"));
        assertFalse(v.conforming());
        assertEquals("Whitelist 'e' contains no endpoints", v.reason());
    }

    @Test
    void signedWhitelist() throws Exception {
        KeyPair k = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path f = tmp.resolve("whitelists-db.json");
        Files.copy(edamame(), f);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(k.getPrivate());
        s.update(Files.readAllBytes(f));
        Files.write(FeedSignature.signatureFile(f), s.sign());
        WhitelistService w = new WhitelistService();
        w.load(f, "github", k.getPublic());
        Files.writeString(f, Files.readString(f).replace("\"github.com\"", "\"evil.com\""));
        FeedException e = assertThrows(FeedException.class, () -> w.load(f, "github", k.getPublic()));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        assertTrue(w.evaluate(SessionFacts.to("140.82.112.3", 443, "TCP").withDomain("github.com")).conforming());
    }
}
