package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.weir.core.CommunityId;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.TestSession;

/** Community ID v1 values against Zeek's {@code community_id_v1} baselines and suricata-verify's expectations. */
class CommunityIdTest {

    private static final Pattern ZEEK_LINE = Pattern.compile(
            "\\[orig_h=([^,]+), orig_p=(\\d+)/\\w+, resp_h=([^,]+), resp_p=(\\d+)/\\w+, proto=(\\d+), ctx=\\[\\]\\], (\\S+)");

    /** Every connection Zeek saw in the community-id traces, with the value Zeek computed. */
    @Test
    void zeekBaselines() throws IOException {
        String dir = "zeek/bifs.community_id.run-pcaps/";
        Map<String, String> expected = new TreeMap<>(), actual = new TreeMap<>();
        for (String pcap : new String[] {"tcp.pcap", "udp.pcap", "icmp.pcap", "icmp6.pcap", "ipv6.pcap", "sctp.pcap",
            "arp.pcap"}) {
            for (String line : Files.readAllLines(Corpus.resolve(dir + "baseline/" + pcap + ".out"))) {
                Matcher m = ZEEK_LINE.matcher(line);
                if (m.find()) {
                    expected.put(m.group(5) + " " + m.group(1) + ":" + m.group(2) + " > " + m.group(3) + ":"
                            + m.group(4), m.group(6));
                }
            }
            for (Session s : Runs.run(dir + "traces/communityid/" + pcap, false, Cases.FULL)) {
                actual.put(s.ipProtocol() + " " + s.origAddress() + ":" + s.origPort() + " > " + s.respAddress() + ":"
                        + s.respPort(), s.communityId());
            }
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
    }

    /**
     * suricata-verify records carry the tuple and its Community ID (computed there with {@code community-id-seed: 7},
     * read from the case's suricata.yaml); the value depends on the tuple and the seed only.
     */
    @Test
    void suricataValues() throws IOException {
        List<String> expected = new ArrayList<>(), actual = new ArrayList<>();
        int seed = -1;
        for (String line : Files.readAllLines(Corpus.resolve("suricata-verify/community-id-ipv6/suricata.yaml"))) {
            if (line.strip().startsWith("community-id-seed:")) {
                seed = Integer.parseInt(line.strip().substring("community-id-seed:".length()).strip());
            }
        }
        assertEquals(7, seed);
        List<Session> sessions = Runs.run("suricata-verify/community-id-ipv6/input.pcap", true, Cases.FULL);
        for (Map<String, String> c : SuricataChecks.read(Corpus.resolve("suricata-verify/community-id-ipv6/test.yaml"))) {
            String cid = c.get("community_id");
            if (cid == null) {
                continue;
            }
            int proto = switch (c.get("proto")) {
                case "TCP" -> 6;
                case "UDP" -> 17;
                default -> throw new IllegalArgumentException(c.get("proto"));
            };
            Session t = new TestSession(c.get("src_ip"), Integer.parseInt(c.get("src_port")), c.get("dest_ip"),
                    Integer.parseInt(c.get("dest_port")), Transport.of(proto));
            expected.add(cid);
            actual.add(CommunityId.v1(t, seed));
            // The session the table built for that flow hashes to the same value, whatever its orientation.
            Session flow = sessions.stream().filter(x -> x.ipProtocol() == proto
                    && ((x.origPort() == t.origPort() && x.respPort() == t.respPort())
                            || (x.origPort() == t.respPort() && x.respPort() == t.origPort())))
                    .findFirst().orElseThrow();
            expected.add(cid);
            actual.add(CommunityId.v1(flow, seed));
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
    }
}
