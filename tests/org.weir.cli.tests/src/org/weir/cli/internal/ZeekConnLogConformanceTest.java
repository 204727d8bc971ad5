package org.weir.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.ZeekLog;

/**
 * Zeek's conn.log baselines reproduced through the command a user runs, {@code weir analyze --conn-log}: every
 * column but the masked timestamp and the random uid, with the flags of the case's {@code zeek} command ({@code -C},
 * {@code -b}). The session bundle's suite covers every case with its script options; this one proves the command
 * and the writer.
 */
class ZeekConnLogConformanceTest {

    /** Masked or random (uids, also in tunnel_parents). */
    private static final Set<String> IGNORED = Set.of("ts", "uid", "tunnel_parents");
    /**
     * In bare mode also {@code service}: it depends on the scripts a case loads beside {@code -b}, which
     * {@code weir analyze -b} cannot know (it keeps every analyzer).
     */
    private static final Set<String> IGNORED_BARE = Set.of("ts", "uid", "tunnel_parents", "service");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "core.tcp.rxmit-history/traces/wikipedia.pcap, core.tcp.rxmit-history/baseline/conn-2.log, -C",
        "core.tcp.rxmit-history/traces/tcp/retransmit-fast009.pcap, core.tcp.rxmit-history/baseline/conn-1.log, -C",
        "core.tcp.missing-syn/traces/tcp/missing-syn.pcap, core.tcp.missing-syn/baseline/conn.log, -b -C",
        "core.pppoe/traces/pppoe.pcap, core.pppoe/baseline/conn.log, ''",
        "core.vlan-mpls/traces/mixed-vlan-mpls.pcap, core.vlan-mpls/baseline/conn.log, -b -C",
        "core.q-in-q/traces/q-in-q.pcap, core.q-in-q/baseline/conn.log, -b",
        "core.unknown-ip-protocol/traces/communityid/sctp.pcap, core.unknown-ip-protocol/baseline/conn.log, -b",
        "core.skip_analyzer/traces/tunnels/gre-sample.pcap, core.skip_analyzer/baseline/conn.log, -b -C",
        "core.conn-size-flip/traces/tcp/one-sided-2745.pcap, core.conn-size-flip/baseline/conn.log.one-sided, -C -b",
        "core.conn-size-flip/traces/tcp/ctu-64702-888.pcap, core.conn-size-flip/baseline/conn.log.ctu, -C -b",
        // Bare mode decides this one: without the default scripts' likely server ports nothing flips.
        "core.checksums_ignore_nets/traces/chksums/localhost-bad-chksum.pcap, "
                + "core.checksums_ignore_nets/baseline/conn-failed.log, -b",
    })
    void connLogEqualsZeeks(String trace, String baseline, String flags) throws IOException {
        Path log = tmp.resolve("conn.log");
        List<String> args = new ArrayList<>(List.of("analyze", Corpus.resolve("zeek/" + trace).toString(),
                "--conn-log", log.toString(), "-q", "--no-detectors"));
        if (!flags.isBlank()) {
            args.addAll(List.of(flags.split(" ")));
        }
        WeirRun run = WeirRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());

        ZeekLog expectedLog = ZeekLog.read(Corpus.resolve("zeek/" + baseline));
        // Cut baselines (zeek-cut -m) may leave out proto: key both sides the same way then.
        boolean withProto = expectedLog.fields().contains("proto");
        Map<String, Map<String, String>> ours = byConnection(ZeekLog.read(log), withProto);
        Map<String, Map<String, String>> zeek = byConnection(expectedLog, withProto);
        assertEquals(zeek.keySet(), ours.keySet(), "the same connections, in Zeek's orientation");
        List<String> differences = new ArrayList<>();
        Set<String> ignored = List.of(flags.split(" ")).contains("-b") ? IGNORED_BARE : IGNORED;
        zeek.forEach((key, expected) -> expected.forEach((column, value) -> {
            if (!ignored.contains(column) && !value.equals(ours.get(key).get(column))) {
                differences.add(key + " " + column + ": zeek " + value + ", weir " + ours.get(key).get(column));
            }
        }));
        assertTrue(differences.isEmpty(), String.join("\n", differences));
    }

    /**
     * Bare mode as Zeek's protocol tests run it ({@code zeek -b} with the tested protocol's script): the DNS
     * analyzer's flip of a connection whose first message is a response, which the test's dns.log shows.
     */
    @Test
    void bareModeKeepsTheApplicationAnalyzers() throws IOException {
        Path log = tmp.resolve("conn.log");
        WeirRun run = WeirRun.of("analyze", Corpus.resolve("zeek/scripts.base.protocols.dns.flip/traces/dns53.pcap")
                .toString(), "--conn-log", log.toString(), "-q", "--no-detectors", "-b");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, String> dns = ZeekLog.read(Corpus.resolve("zeek/scripts.base.protocols.dns.flip/baseline/dns.log"))
                .records().get(0);
        List<Map<String, String>> conns = ZeekLog.read(log).records();
        assertEquals(1, conns.size());
        assertEquals(ZeekLog.connKey(dns), ZeekLog.connKey(conns.get(0)), "oriented as the dns.log of zeek -b");
        assertEquals("D^", conns.get(0).get("history"));
    }

    private static Map<String, Map<String, String>> byConnection(ZeekLog log, boolean withProto) {
        Map<String, Map<String, String>> map = new LinkedHashMap<>();
        for (Map<String, String> r : log.records()) {
            String key = ZeekLog.connKey(r);
            map.put(withProto ? key : key.substring(key.indexOf(' ') + 1), r);
        }
        return map;
    }
}
