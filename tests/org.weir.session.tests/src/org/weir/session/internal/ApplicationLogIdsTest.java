package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weir.core.Session;
import org.weir.testsupport.Corpus;

/**
 * Application logs (dns.log, ftp.log, http.log) carry the connection id of their connection, so they also pin
 * down Zeek's orientation of it: every id they name must be the oriented id of one of the table's sessions.
 */
class ApplicationLogIdsTest {

    @ParameterizedTest(name = "{0} {2}")
    @CsvSource({
        "core.ipv6-frag, ipv6-fragmented-dns.pcap, dns.log, false, dns",
        "scripts.base.protocols.dns.duplicate-reponses, dns-two-responses.pcap, dns.log, false, dns",
        "scripts.base.protocols.dns.flip, dns53.pcap, dns.log, false, dns",
        "scripts.base.protocols.dns.multiple-txt-strings, dns-txt-multiple.pcap, dns.log, false, dns",
        "scripts.policy.protocols.dns.original_case, dns_original_case.pcap, dns.log, false, dns",
        "scripts.policy.protocols.ftp.bruteforce, ftp/bruteforce.pcap, ftp.log, true, ftp",
        "core.vlan-mpls, mixed-vlan-mpls.pcap, http.log, true, http"})
    void idsAreSessionIds(String name, String trace, String log, boolean ignoreChecksums, String scripts)
            throws IOException {
        Consumer<ZeekConfig> setup = switch (scripts) {
            case "dns" -> Cases.BARE_DNS;
            case "http" -> Cases.BARE_HTTP;
            default -> c -> c.likelyServerPorts(new int[] {21, 2811}, new int[0]).dnsPorts(new int[0])
                    .ntpPorts(new int[0]); // ftp
        };
        List<Session> sessions = Runs.run("zeek/" + name + "/traces/" + trace, ignoreChecksums, setup);
        TreeSet<String> ours = new TreeSet<>();
        sessions.forEach(s -> ours.add(Runs.key(s, false)));
        List<String> missing = new ArrayList<>();
        Baseline base = Baseline.read(Corpus.resolve("zeek/" + name + "/baseline/" + log));
        assertFalse(base.rows().isEmpty());
        for (Map<String, String> r : base.rows()) {
            String id = r.get("id.orig_h") + ":" + r.get("id.orig_p") + " > " + r.get("id.resp_h") + ":"
                    + r.get("id.resp_p");
            if (!ours.contains(id)) {
                missing.add(id);
            }
        }
        assertEquals(List.of(), missing, "ours: " + ours);
    }
}
