package org.weir.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.weir.core.Enricher;
import org.weir.core.Enrichment;
import org.weir.core.Session;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.Severity;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;
import org.weir.testsupport.ZeekLog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * End to end through the DS-wired pipeline: names (DNS, mDNS, SNI, HTTP Host), geolocation and AS from MaxMind
 * test databases, blacklists, whitelist verdicts and the {@code weir check} gate, {@code weir intel lookup}.
 */
class IntelligenceTest {

    private static final String WIKIPEDIA = "zeek/core.tcp.rxmit-history/traces/wikipedia.pcap";
    private static final String TLS = "attacks/floods/moriakhin-malware_traffic_detector/no_flood.pcap";
    /** SMTP to 128.3.26.249, inside the LBL networks of Zeek's test MaxMind databases. */
    private static final String LBL = "zeek/core.tcp.truncated-header/traces/tcp/truncated-header.pcap";
    private static final String ZEEK_MMDB = "zeek/mmdb";

    @TempDir
    Path tmp;
    private String savedDataProperty;

    @BeforeEach
    void isolateDataFolder() throws IOException {
        // The machine's data folder must not change results: point Weir at an empty one.
        savedDataProperty = System.getProperty("weir.data");
        System.setProperty("weir.data", Files.createDirectories(tmp.resolve("data")).toString());
        // The three enrichers are registered before the first analysis.
        assertTrue(Services.all(Enricher.class, 3).size() >= 3);
    }

    @AfterEach
    void restore() {
        if (savedDataProperty == null) {
            System.clearProperty("weir.data");
        } else {
            System.setProperty("weir.data", savedDataProperty);
        }
    }


    /** Analyses captures to JSON lines and reads them back (arrays joined with commas). */
    private List<Map<String, String>> json(String... args) throws IOException {
        Path json = tmp.resolve("conn-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of("analyze"));
        all.addAll(List.of(args));
        all.addAll(List.of("--json", json.toString(), "--quiet", "--no-detectors"));
        WeirRun run = WeirRun.of(all.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        List<Map<String, String>> records = new ArrayList<>();
        for (String line : Files.readAllLines(json)) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> r = new LinkedHashMap<>();
            try (JsonParser p = new JsonFactory().createParser(line)) {
                assertEquals(JsonToken.START_OBJECT, p.nextToken());
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (p.nextToken() == JsonToken.START_ARRAY) {
                        List<String> items = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            items.add(p.getText());
                        }
                        r.put(name, String.join(",", items));
                    } else {
                        r.put(name, p.getText());
                    }
                }
            }
            records.add(r);
        }
        return records;
    }

    private static List<Map<String, String>> where(List<Map<String, String>> records, String field, String value) {
        return records.stream().filter(r -> value.equals(r.get(field))).toList();
    }

    // ---- names ---------------------------------------------------------------------------------------------

    @Test
    void httpHostAndMdnsNamesOnWikipediaCapture() throws IOException {
        List<Map<String, String>> conns = json(Corpus.resolve(WIKIPEDIA).toString());
        // tcpdump -A: every request to 208.80.152.3:80 carries "Host: upload.wikimedia.org".
        List<Map<String, String>> upload = conns.stream()
                .filter(r -> "208.80.152.3".equals(r.get("id.resp_h")) && "80".equals(r.get("id.resp_p"))
                        && r.containsKey("orig_bytes") && !"0".equals(r.get("orig_bytes")))
                .toList();
        assertFalse(upload.isEmpty());
        for (Map<String, String> r : upload) {
            assertEquals("upload.wikimedia.org", r.get("resp_domain"), r.toString());
            assertEquals("wikimedia.org", r.get("resp_registered_domain"), r.toString());
            assertEquals("http", r.get("resp_name_source"), r.toString());
        }
        // tcpdump -vv: 141.142.220.50 announces "gemini.local. A 141.142.220.50" over mDNS.
        List<Map<String, String>> gemini = where(conns, "id.orig_h", "141.142.220.50");
        assertFalse(gemini.isEmpty());
        for (Map<String, String> r : gemini) {
            assertEquals("gemini.local", r.get("orig_domain"), r.toString());
            assertEquals("mdns", r.get("orig_name_source"), r.toString());
        }
    }

    @Test
    void tlsServerNameOnCorpusCapture() throws IOException {
        // The capture's checksums were offloaded (zero): -C, as zeek -C. tcpdump -X shows the ClientHello of
        // 192.168.1.34:51621 -> 217.69.139.59:443 naming "portal.mail.ru".
        List<Map<String, String>> conns = json(Corpus.resolve(TLS).toString(), "-C");
        Map<String, String> r = conns.stream()
                .filter(c -> "51621".equals(c.get("id.orig_p")) && "217.69.139.59".equals(c.get("id.resp_h")))
                .findFirst().orElseThrow();
        assertEquals("portal.mail.ru", r.get("resp_domain"));
        assertEquals("mail.ru", r.get("resp_registered_domain"));
        assertEquals("sni", r.get("resp_name_source"));
        assertTrue(where(conns, "resp_name_source", "sni").size() >= 2, "more ClientHellos in the capture");
    }

    @Test
    void dnsAnswerThatPrecededTheSessionWinsAndFlowNamesWinOverAddressNames() throws IOException {
        Path pcap = tmp.resolve("names.pcap");
        long t = 1_700_000_000L * Frames.SECOND;
        String client = "10.0.0.2", resolver = "10.0.0.53", server = "93.184.216.34";
        new Frames()
                // 1 s: www.first.example.co.uk is a CNAME of a CDN name that has the server's address
                .udp(t + Frames.SECOND, resolver, 53, client, 33333, Frames.dnsResponse(1, "www.first.example.co.uk",
                        List.of("edge.cdn.example.net"), List.of(server)))
                // 2 s: a session to the server, no name of its own
                .connection(t + 2 * Frames.SECOND, client, 40000, server, 8000, new byte[0])
                // 3 s: another name for the same address
                .udp(t + 3 * Frames.SECOND, resolver, 53, client, 33334,
                        Frames.dnsResponse(2, "second.example.org", List.of(), List.of(server)))
                // 4 s: a session after the second answer
                .connection(t + 4 * Frames.SECOND, client, 40001, server, 8000, new byte[0])
                // 5 s: TLS on a non-standard port, and HTTP with a port in the Host header
                .connection(t + 5 * Frames.SECOND, client, 40002, server, 8443, Frames.clientHello("api.sni.example"))
                .connection(t + 6 * Frames.SECOND, client, 40003, server, 8080, Frames.httpGet("Web.Example.COM:8080"))
                // an address literal in Host is not a name: the address's DNS name stays
                .connection(t + 7 * Frames.SECOND, client, 40004, server, 80, Frames.httpGet("93.184.216.34"))
                .write(pcap);
        List<Map<String, String>> conns = json(pcap.toString());
        Map<String, String> first = where(conns, "id.orig_p", "40000").get(0);
        assertEquals("www.first.example.co.uk", first.get("resp_domain"), "the name asked for, through the CNAME");
        assertEquals("example.co.uk", first.get("resp_registered_domain"), "public-suffix aware");
        assertEquals("dns", first.get("resp_name_source"));
        Map<String, String> second = where(conns, "id.orig_p", "40001").get(0);
        assertEquals("second.example.org", second.get("resp_domain"));
        assertEquals("example.org", second.get("resp_registered_domain"));
        Map<String, String> sni = where(conns, "id.orig_p", "40002").get(0);
        assertEquals("api.sni.example", sni.get("resp_domain"));
        assertEquals("sni", sni.get("resp_name_source"));
        Map<String, String> http = where(conns, "id.orig_p", "40003").get(0);
        assertEquals("web.example.com", http.get("resp_domain"));
        assertEquals("http", http.get("resp_name_source"));
        Map<String, String> literal = where(conns, "id.orig_p", "40004").get(0);
        assertEquals("second.example.org", literal.get("resp_domain"));
        assertEquals("dns", literal.get("resp_name_source"));
        // Sessions of the DNS answers themselves: the resolver has no name.
        assertNull(where(conns, "id.orig_p", "33333").get(0).get("resp_domain"));
    }

    // ---- geolocation, AS, blacklists ----------------------------------------------------------------------

    /** Zeek's baseline for its test databases: "ADDRESS, location, [country_code=US, ..., city=..., ...]". */
    private static Map<String, String> zeekBaseline(String address, String kind) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Corpus.resolve(ZEEK_MMDB + "/expected-lookup-out.db"))) {
            if (line.startsWith(address + ", " + kind + ", [")) {
                Matcher m = Pattern.compile("(\\w+)=([^,\\]]+)").matcher(line);
                while (m.find()) {
                    values.put(m.group(1), m.group(2));
                }
            }
        }
        assertFalse(values.isEmpty(), "baseline line for " + address + " " + kind);
        return values;
    }

    @Test
    void geoipWithZeeksTestDatabasesGivesCountryCityAndAs() throws IOException {
        // Zeek's test databases hold 128.3.0.0/16 as one network; its baseline gives the values for 128.3.0.1.
        Map<String, String> loc = zeekBaseline("128.3.0.1", "location");
        Map<String, String> as = zeekBaseline("128.3.0.1", "asn");
        String dbs = Corpus.resolve(ZEEK_MMDB).toString();
        List<Map<String, String>> conns = json(Corpus.resolve(LBL).toString(), "--geoip", dbs);
        List<Map<String, String>> toLbl = where(conns, "id.resp_h", "128.3.26.249");
        assertFalse(toLbl.isEmpty());
        for (Map<String, String> r : toLbl) {
            assertEquals(loc.get("country_code"), r.get("resp_cc"), r.toString());
            assertEquals(loc.get("city"), r.get("resp_city"), r.toString());
            assertEquals(Double.parseDouble(loc.get("latitude")), Double.parseDouble(r.get("resp_lat")), 1e-9);
            assertEquals(Double.parseDouble(loc.get("longitude")), Double.parseDouble(r.get("resp_lon")), 1e-9);
            assertEquals(as.get("number"), r.get("resp_asn"), r.toString());
            assertEquals(as.get("organization"), r.get("resp_as_org"), r.toString());
            assertNull(r.get("orig_cc"), "the originator is outside the test networks");
        }
        // The same in the Zeek log, under Zeek's geo_location / geo_autonomous_system names.
        Path log = tmp.resolve("geo.log");
        WeirRun run = WeirRun.of("analyze", Corpus.resolve(LBL).toString(), "--geoip", dbs, "--conn-columns", "geo,names",
                "--conn-log", log.toString(), "--quiet");
        assertEquals(0, run.exitCode(), run.err());
        ZeekLog z = ZeekLog.read(log);
        assertTrue(z.fields().containsAll(List.of("resp_location.country_code", "resp_location.city",
                "resp_location.latitude", "resp_location.longitude", "resp_as.number", "resp_as.organization",
                "resp_domain", "resp_registered_domain", "resp_name_source")), z.fields().toString());
        Map<String, String> rec = z.records().stream().filter(r -> "128.3.26.249".equals(r.get("id.resp_h")))
                .findFirst().orElseThrow();
        assertEquals(loc.get("country_code"), rec.get("resp_location.country_code"));
        assertEquals(loc.get("city"), rec.get("resp_location.city"));
        assertEquals(as.get("number"), rec.get("resp_as.number"));
        assertEquals(loc.get("latitude"), rec.get("resp_location.latitude"));
        assertEquals("-", rec.get("orig_location.country_code"));
    }

    @Test
    void blacklistTagsSessionsToAndFromListedAddresses() throws IOException {
        Path list = tmp.resolve("lbl-test.netset");
        Files.writeString(list, "# test list\n128.3.0.0/16\n");
        List<Map<String, String>> conns = json(Corpus.resolve(LBL).toString(), "--blacklist", list.toString());
        assertFalse(conns.isEmpty());
        for (Map<String, String> r : conns) {
            boolean listed = r.get("id.resp_h").startsWith("128.3.") || r.get("id.orig_h").startsWith("128.3.");
            String crit = r.getOrDefault("criticality", "");
            assertEquals(listed, Arrays.asList(crit.split(",")).contains("blacklist:lbl-test"), r.toString());
        }
    }

    @Test
    void badFeedFilesAreReportedWithFileAndLine() throws IOException {
        Path list = tmp.resolve("broken.netset");
        Files.writeString(list, "10.0.0.0/8\n300.1.2.3\n");
        WeirRun run = WeirRun.of("analyze", Corpus.resolve(LBL).toString(), "--blacklist", list.toString(), "--quiet");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(list + ":2"), run.err());
        assertFalse(run.err().contains("Exception"), "no stack trace: " + run.err());

        WeirRun missing = WeirRun.of("analyze", Corpus.resolve(LBL).toString(), "--geoip", tmp.resolve("nope").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    /**
     * A detector that notes whether the sessions it sees were located, reading what it is told to read (null: it does
     * not say).
     */
    private static final class LocationProbe implements Detector {
        private final Set<Enrichment> reads;
        volatile int sessions, located;

        LocationProbe(Set<Enrichment> reads) {
            this.reads = reads;
        }

        @Override
        public DetectorInfo info() {
            return new DetectorInfo("test_location_probe", "Location probe", "Test", Severity.LOW,
                    "notes the locations of sessions", List.of());
        }

        @Override
        public Set<Enrichment> reads() {
            return reads != null ? reads : Detector.super.reads();
        }

        @Override
        public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
            return batch -> {
                for (Session s : batch.closed()) {
                    sessions++;
                    if (s.respInfo().countryCode() != null) {
                        located++;
                    }
                }
            };
        }
    }

    /** Runs an analysis with the probe registered; returns it. */
    private LocationProbe probe(Set<Enrichment> reads, String... args) {
        BundleContext bc = FrameworkUtil.getBundle(IntelligenceTest.class).getBundleContext();
        LocationProbe probe = new LocationProbe(reads);
        ServiceRegistration<Detector> registration = bc.registerService(Detector.class, probe, null);
        try {
            List<String> all = new ArrayList<>(List.of("analyze", Corpus.resolve(LBL).toString(), "--quiet"));
            all.addAll(List.of(args));
            WeirRun run = WeirRun.of(all.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.err());
        } finally {
            registration.unregister();
        }
        assertTrue(probe.sessions > 0, "the probe ran");
        return probe;
    }

    @Test
    void enrichmentIsComputedForTheOutputsAndDetectorsThatReadIt() throws IOException {
        // Zeek's test databases as the data folder's own (128.3.26.249 is in them): any analysis could locate.
        Path geo = Files.createDirectories(Path.of(System.getProperty("weir.data"), "geoip"));
        for (String db : List.of("GeoLite2-City.mmdb", "GeoLite2-ASN.mmdb")) {
            Files.copy(Corpus.resolve(ZEEK_MMDB).resolve(db), geo.resolve(db));
        }
        String log = tmp.resolve("conn.log").toString();
        assertEquals(0, probe(Set.of(), "--conn-log", log).located, "nothing reads locations: none looked up");
        assertTrue(probe(Set.of(Enrichment.LOCATION), "--conn-log", log).located > 0, "the detector reads them");
        assertTrue(probe(Set.of(), "--conn-log", log, "--conn-columns", "geo").located > 0, "the log shows them");
        assertTrue(probe(Set.of(), "--json", tmp.resolve("conn.json").toString()).located > 0, "JSON shows all");
        assertTrue(probe(null, "--conn-log", log).located > 0, "a detector that does not say gets all of it");
    }

    // ---- whitelist verdicts and the check gate ------------------------------------------------------------

    private static boolean multicastOrBroadcast(String address) {
        if (address.contains(":")) {
            return address.toLowerCase().startsWith("ff");
        }
        int first = Integer.parseInt(address.substring(0, address.indexOf('.')));
        return first >= 224 && first <= 239 || address.equals("255.255.255.255");
    }

    @Test
    void checkPassesWhenEveryEgressSessionIsWhitelistedAndListsTheExceptionsOtherwise() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        String local = "141.142.0.0/16";
        // Egress sessions by the JSON output: local originator, remote (non-multicast) responder.
        List<Map<String, String>> conns = json(capture, "--local-nets", local);
        List<Map<String, String>> egress = conns.stream()
                .filter(r -> "true".equals(r.get("local_orig")) && "false".equals(r.get("local_resp"))
                        && !multicastOrBroadcast(r.get("id.resp_h")))
                .toList();
        assertTrue(egress.size() > 3, "the capture has egress sessions");
        // Every egress session has a verdict in the JSON once a whitelist applies; first, one allowing all of them.
        Set<String> endpoints = new TreeSet<>();
        for (Map<String, String> r : egress) {
            endpoints.add(r.get("id.resp_h") + "|" + r.get("id.resp_p") + "|" + r.get("proto").toUpperCase());
        }
        Path all = whitelist("all", endpoints);
        WeirRun pass = WeirRun.of("check", "--whitelist", all.toString(), "--local-nets", local, capture);
        assertEquals(0, pass.exitCode(), pass.out() + pass.err());
        assertEquals("", pass.out());
        assertTrue(pass.err().contains("ok: " + egress.size() + " egress session(s) conform to whitelist 'all'"),
                pass.err());
        // Nothing local: nothing judged, which is said rather than counted as conformance to a profile.
        WeirRun none = WeirRun.of("check", "--whitelist", all.toString(), "--local-nets", "10.0.0.0/8", capture);
        assertEquals(0, none.exitCode(), none.out() + none.err());
        assertEquals("ok: no egress sessions to judge (none from a local network to a remote address: check"
                + " --local-nets)", none.err().strip());

        // Leave out the endpoint of the most sessions: exactly those sessions are the exceptions.
        Map<String, List<String>> uidsByEndpoint = new LinkedHashMap<>();
        for (Map<String, String> r : egress) {
            uidsByEndpoint.computeIfAbsent(r.get("id.resp_h") + "|" + r.get("id.resp_p") + "|"
                    + r.get("proto").toUpperCase(), k -> new ArrayList<>()).add(r.get("uid"));
        }
        String dropped = uidsByEndpoint.entrySet().stream().max((a, b) -> a.getValue().size() - b.getValue().size())
                .orElseThrow().getKey();
        Set<String> rest = new TreeSet<>(endpoints);
        rest.remove(dropped);
        Path some = whitelist("some", rest);
        WeirRun fail = WeirRun.of("check", "--whitelist", some.toString(), "--profile", "some", "--local-nets", local,
                capture);
        assertEquals(1, fail.exitCode(), fail.err());
        Set<String> listed = new TreeSet<>();
        for (String line : fail.out().lines().toList()) {
            String[] f = line.split("\t");
            assertEquals(4, f.length, line);
            listed.add(f[0]);
            String[] ep = dropped.split("\\|");
            assertTrue(f[1].endsWith(" -> " + ep[0] + ":" + ep[1]), line);
            assertTrue(f[3].startsWith("No matching endpoint found in whitelist 'some'"), line);
        }
        assertEquals(new TreeSet<>(uidsByEndpoint.get(dropped)), listed);

        // The verdicts are in the JSON too, with the rule that matched.
        List<Map<String, String>> judged = json(capture, "--local-nets", local, "--whitelist", some.toString());
        for (Map<String, String> r : judged) {
            boolean isEgress = egress.stream().anyMatch(e -> e.get("uid").equals(r.get("uid")));
            assertEquals(isEgress, r.containsKey("verdict"), r.toString());
            if (isEgress) {
                boolean exception = listed.contains(r.get("uid"));
                assertEquals(exception ? "exception" : "conforming", r.get("verdict"), r.toString());
                if (!exception) {
                    assertTrue(r.get("verdict_rule").startsWith("some["), r.toString());
                }
            }
        }
    }

    @Test
    void aDamagedCaptureIsReportedWithTheFindingsBeforeTheDamage() throws IOException {
        // wikipedia.pcap cut in the middle of a packet record, two thirds in: no verdict, but the exceptions found
        // up to there are listed, as the sessions before the damage are written by weir analyze.
        byte[] whole = Files.readAllBytes(Corpus.resolve(WIKIPEDIA));
        Path cut = Files.write(tmp.resolve("cut.pcap"), java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        Path nothing = whitelist("nothing", Set.of());
        String local = "141.142.0.0/16";
        WeirRun damaged = WeirRun.of("check", "--whitelist", nothing.toString(), "--local-nets", local, cut.toString());
        assertEquals(2, damaged.exitCode(), damaged.err());
        List<String> err = damaged.errLines();
        assertTrue(err.get(0).startsWith("weir: " + cut + ": at byte "), damaged.err());
        int listed = (int) damaged.out().lines().count();
        assertTrue(listed > 0, "findings before the damage");
        assertEquals("weir: the check is incomplete; " + listed + " finding(s), " + listed
                + " egress session(s) judged before the damage", err.get(1));
        // Fewer than the whole capture's, which are all listed when it is intact.
        WeirRun intact = WeirRun.of("check", "--whitelist", nothing.toString(), "--local-nets", local,
                Corpus.resolve(WIKIPEDIA).toString());
        assertEquals(1, intact.exitCode(), intact.err());
        assertTrue(intact.out().lines().count() > listed, intact.out());
    }

    @Test
    void checkSeesTheSessionsOfZeeksBareModeWithDashB() throws IOException {
        // A DNS answer seen without its query. Zeek's likely server ports make the local host the originator: an
        // egress session, and this whitelist does not allow it. In bare mode there are none (but the tunnels'), so
        // the remote end stays the originator and nothing is egress.
        Path pcap = tmp.resolve("answer-only.pcap");
        long t = 1_700_000_000L * Frames.SECOND;
        new Frames().udp(t, "9.9.9.9", 53, "192.168.1.10", 33333,
                Frames.dnsResponse(1, "www.example.com", List.of(), List.of("93.184.216.34"))).write(pcap);
        Path other = whitelist("other", Set.of("203.0.113.1|443|TCP"));
        WeirRun full = WeirRun.of("check", "--whitelist", other.toString(), pcap.toString());
        assertEquals(1, full.exitCode(), full.out() + full.err());
        assertTrue(full.out().contains("192.168.1.10:33333 -> 9.9.9.9:53"), full.out());
        WeirRun bare = WeirRun.of("check", "-b", "--whitelist", other.toString(), pcap.toString());
        assertEquals(0, bare.exitCode(), bare.out() + bare.err());
        assertEquals("", bare.out());
    }

    /** A whitelist with one profile of ip/port/protocol endpoints ("ip|port|PROTO"). */
    private Path whitelist(String name, Set<String> endpoints) throws IOException {
        StringBuilder sb = new StringBuilder("{\"date\": \"test\", \"whitelists\": [{\"name\": \"" + name
                + "\", \"endpoints\": [\n");
        int i = 0;
        for (String e : endpoints) {
            String[] f = e.split("\\|");
            sb.append(i++ > 0 ? ",\n" : "").append("{\"ip\": \"").append(f[0]).append("\", \"port\": ").append(f[1])
                    .append(", \"protocol\": \"").append(f[2]).append("\"}");
        }
        sb.append("\n]}]}\n");
        Path p = tmp.resolve(name + ".json");
        Files.writeString(p, sb);
        return p;
    }

    @Test
    void checkWithEdamameProfiles() throws IOException {
        // A capture written for the profiles of EDAMAME's whitelists-db.json: "edamame" allows ip-api.com on port
        // 80 (any process); "builder" extends it and allows NTP (port 123) anywhere.
        Path pcap = tmp.resolve("edamame.pcap");
        long t = 1_700_000_000L * Frames.SECOND;
        String client = "192.168.1.10", resolver = "192.168.1.1";
        new Frames()
                .udp(t, client, 33000, resolver, 53, new byte[12])
                .udp(t + 1000_000, resolver, 53, client, 33000,
                        Frames.dnsResponse(7, "ip-api.com", List.of(), List.of("208.95.112.1")))
                .connection(t + Frames.SECOND, client, 41000, "208.95.112.1", 80, Frames.httpGet("ip-api.com"))
                .udp(t + 2 * Frames.SECOND, client, 50123, "129.6.15.28", 123, new byte[48])
                .connection(t + 3 * Frames.SECOND, client, 41001, "93.184.216.34", 443,
                        Frames.clientHello("www.example.com"))
                .write(pcap);
        Path db = Corpus.resolve("edamame/whitelists-db.json");

        WeirRun edamame = WeirRun.of("check", "--whitelist", db.toString(), "--profile", "edamame", pcap.toString());
        assertEquals(1, edamame.exitCode(), edamame.err());
        List<String> lines = edamame.out().lines().toList();
        assertEquals(2, lines.size(), edamame.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains(" -> 129.6.15.28:123\t-\t")), edamame.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains(" -> 93.184.216.34:443\twww.example.com\tNo matching")),
                edamame.out());
        assertTrue(edamame.err().contains("2 of 3 egress session(s)"), edamame.err());

        WeirRun builder = WeirRun.of("check", "--whitelist", db.toString(), "--profile", "builder", pcap.toString());
        assertEquals(1, builder.exitCode(), builder.err());
        assertEquals(1, builder.out().lines().count(), builder.out());
        assertTrue(builder.out().contains("www.example.com"), builder.out());

        // The rules that matched, in the JSON: the IP-API endpoint of "edamame", NTP of "builder".
        List<Map<String, String>> conns = json(pcap.toString(), "--whitelist", db.toString(), "--profile",
                "builder");
        Map<String, String> ipApi = where(conns, "id.resp_p", "80").get(0);
        assertEquals("ip-api.com", ipApi.get("resp_domain"));
        assertEquals("http", ipApi.get("resp_name_source"), "the flow's own name wins over the address's DNS name");
        assertEquals("conforming", ipApi.get("verdict"));
        assertTrue(ipApi.get("verdict_rule").startsWith("edamame[") && ipApi.get("verdict_rule").contains("IP-API"),
                ipApi.get("verdict_rule"));
        Map<String, String> ntp = where(conns, "id.resp_p", "123").get(0);
        assertEquals("conforming", ntp.get("verdict"));
        assertTrue(ntp.get("verdict_rule").startsWith("builder[") && ntp.get("verdict_rule").contains("NTP"),
                ntp.get("verdict_rule"));
    }

    @Test
    void checkRejectsBadInputWithExitTwo() throws IOException {
        String capture = Corpus.resolve(LBL).toString();
        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "{\"date\": \"x\",\n \"whitelists\": [{\"name\": \"p\", \"endpoints\": [{\"port\": \"eighty\"}]}]}\n");
        WeirRun bad = WeirRun.of("check", "--whitelist", broken.toString(), capture);
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains(broken + ":2:"), "file:line:column: " + bad.err());
        assertFalse(bad.err().contains("Exception"), bad.err());

        WeirRun profile = WeirRun.of("check", "--whitelist", Corpus.resolve("edamame/whitelists-db.json").toString(),
                "--profile", "nosuch", capture);
        assertEquals(2, profile.exitCode());
        assertTrue(profile.err().contains("no whitelist named \"nosuch\"") && profile.err().contains("builder"),
                profile.err());

        WeirRun noList = WeirRun.of("check", capture);
        assertEquals(2, noList.exitCode());
        assertTrue(noList.err().contains("--whitelist FILE is required"), noList.err());
    }

    // ---- weir intel lookup ---------------------------------------------------------------------------------

    @Test
    void intelLookupPrintsLocationAsAndPortService() throws IOException {
        Map<String, String> loc = zeekBaseline("2607:f140::1", "location");
        Map<String, String> as = zeekBaseline("2607:f140::1", "asn");
        WeirRun run = WeirRun.of("intel", "lookup", "2607:f140::1", "22/tcp", "--geoip",
                Corpus.resolve(ZEEK_MMDB).toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("country:     " + loc.get("country_code")), run.out());
        assertTrue(run.out().contains("city:        " + loc.get("city")), run.out());
        // As Zeek and the conn.log print coordinates (at most six decimals).
        assertTrue(run.out().contains("location:    " + loc.get("latitude") + ", " + loc.get("longitude") + "\n"),
                run.out());
        assertTrue(run.out().contains("AS:          AS" + as.get("number") + " " + as.get("organization")), run.out());
        assertTrue(run.out().contains("port:        22/tcp ssh"), run.out());
        // The folder's databases one a line, each under the first.
        List<String> lines = run.out().lines().toList();
        int first = lines.indexOf(lines.stream().filter(l -> l.startsWith("databases:   ")).findFirst().orElseThrow());
        assertTrue(lines.get(first + 1).matches(" {13}\\S.*\\.mmdb"), run.out());

        WeirRun none = WeirRun.of("intel", "lookup", "10.0.0.1", "--geoip", Corpus.resolve(ZEEK_MMDB).toString());
        assertEquals(0, none.exitCode(), none.err());
        assertTrue(none.out().contains("country:     -"), none.out());

        WeirRun bad = WeirRun.of("intel", "lookup", "not-an-address");
        assertEquals(2, bad.exitCode());
        assertEquals("weir: intel: not an IP address: 'not-an-address'", bad.err().strip());
        WeirRun shortForm = WeirRun.of("intel", "lookup", "1.2.3");
        assertEquals(2, shortForm.exitCode());
        assertEquals("weir: intel: not an IP address: '1.2.3' (IPv4 is four numbers from 0 to 255: a.b.c.d)",
                shortForm.err().strip());
        assertEquals("", shortForm.out());
    }
}
