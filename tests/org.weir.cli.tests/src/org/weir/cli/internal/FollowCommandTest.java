package org.weir.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.ZeekLog;

/** {@code weir follow}, run as a user runs it: uids from {@code weir analyze}, the data printed as tshark does. */
class FollowCommandTest {

    private static final String WIKIPEDIA = "zeek/core.tcp.rxmit-history/traces/wikipedia.pcap";

    @TempDir
    Path tmp;

    @Test
    void printsTheRequestThenTheIndentedResponse() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        Map<String, String> http = connLog(capture).stream().filter(r -> r.get("service").equals("http"))
                .findFirst().orElseThrow();
        WeirRun run = WeirRun.of("follow", http.get("uid"), capture);
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("=".repeat(67), lines.get(0));
        assertEquals("Follow: tcp,ascii", lines.get(1));
        assertEquals("Filter: uid == \"" + http.get("uid") + "\"", lines.get(2));
        assertEquals("Node 0: " + http.get("id.orig_h") + ":" + http.get("id.orig_p"), lines.get(3));
        assertEquals("Node 1: " + http.get("id.resp_h") + ":" + http.get("id.resp_p"), lines.get(4));
        assertTrue(lines.get(5).startsWith("GET /"), lines.get(5));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("\tHTTP/1.1 ")), run.out());
        assertTrue(lines.stream().filter(l -> l.startsWith("\t")).count() > 3);
        assertEquals("=".repeat(67), lines.get(lines.size() - 1));
    }

    @Test
    void hexCountsEachSidesOffsetsAndRawIsTheBytes() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        String uid = connLog(capture).stream().filter(r -> r.get("service").equals("http")).findFirst()
                .orElseThrow().get("uid");
        List<String> hex = WeirRun.of("follow", uid, capture, "--as", "hex").out().lines().toList();
        assertTrue(hex.get(5).startsWith("00000000  47 45 54 20 "), hex.get(5)); // "GET "
        assertTrue(hex.stream().anyMatch(l -> l.startsWith("\t00000000  48 54 54 50 ")), "HTTP at 0 of its side");
        List<String> raw = WeirRun.of("follow", uid, capture, "--as", "raw").out().lines().toList();
        assertTrue(raw.get(5).startsWith("474554202f"), raw.get(5));
        assertTrue(raw.get(6).startsWith("\t48545450"), raw.get(6));
    }

    @Test
    void oneSideAloneAndItsBytesThemselves() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        String uid = connLog(capture).stream().filter(r -> r.get("service").equals("http")).findFirst()
                .orElseThrow().get("uid");
        List<String> requests = WeirRun.of("follow", uid, capture, "--side", "orig").out().lines().toList();
        assertTrue(requests.get(5).startsWith("GET /") && requests.stream().noneMatch(l -> l.startsWith("\t")),
                String.join("\n", requests));
        WeirRun response = WeirRun.of("follow", uid, capture, "--as", "bytes", "--side", "resp");
        assertEquals(0, response.exitCode(), response.err());
        assertTrue(response.out().startsWith("HTTP/1.1 304 Not Modified\r\n"), response.out());
        assertTrue(response.out().endsWith("\r\n\r\n") && !response.out().contains("GET /"), response.out());
        WeirRun side = WeirRun.of("follow", uid, capture, "--side", "server");
        assertEquals(2, side.exitCode());
        assertTrue(side.err().contains("--side server: give both, orig or resp"), side.err());
    }

    @Test
    void refusesWhatItCannotFollow() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        WeirRun unknown = WeirRun.of("follow", "CnotThere1", capture);
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("no session CnotThere1 in the captures"), unknown.err());
        assertEquals("", unknown.out());

        WeirRun swapped = WeirRun.of("follow", capture, "CnotThere1");
        assertEquals(2, swapped.exitCode());
        assertTrue(swapped.err().contains("is not a session uid"), swapped.err());

        WeirRun form = WeirRun.of("follow", "C1", capture, "--as", "ebcdic");
        assertEquals(2, form.exitCode());
        assertTrue(form.err().contains("give ascii, hex, raw or bytes"), form.err());

        WeirRun stdin = WeirRun.of("follow", "C1", "-");
        assertEquals(2, stdin.exitCode());
        assertTrue(stdin.err().contains("name the file"), stdin.err());

        String ping = Corpus.resolve("zeek/core.icmp.icmp-events/traces/icmp/icmp-ping.pcap").toString();
        String icmp = connLog(ping).get(0).get("uid");
        WeirRun notTcp = WeirRun.of("follow", icmp, ping);
        assertEquals(2, notTcp.exitCode());
        assertTrue(notTcp.err().contains("is icmp: follow shows the data of TCP and UDP sessions"), notTcp.err());
    }

    @Test
    void aDamagedCaptureGivesTheDataBeforeTheDamage() throws IOException {
        Path whole = Corpus.resolve(WIKIPEDIA);
        String uid = connLog(whole.toString()).stream().filter(r -> r.get("service").equals("http")).findFirst()
                .orElseThrow().get("uid");
        String all = WeirRun.of("follow", uid, whole.toString()).out();
        // Cut in the middle of a frame, after the session's first request and before its end.
        Path cut = tmp.resolve("cut.pcap");
        try (InputStream in = Files.newInputStream(whole)) {
            Files.write(cut, in.readNBytes(20_000));
        }
        WeirRun run = WeirRun.of("follow", uid, cut.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("cut.pcap: at byte"), run.err());
        assertTrue(run.err().contains("printed up to the damage"), run.err());
        String request = run.out().lines().skip(5).findFirst().orElseThrow();
        assertTrue(all.contains(request) && request.startsWith("GET /"), request);
    }

    @Test
    void theOptionsTheUidsWereMadeWithFindTheSession() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        Path log = tmp.resolve("udp.log");
        assertEquals(0, WeirRun.of("analyze", capture, "-f", "udp", "-C", "--conn-log", log.toString(), "-q")
                .exitCode());
        Map<String, String> dns = ZeekLog.read(log).records().stream().filter(r -> r.get("id.resp_p").equals("53"))
                .findFirst().orElseThrow();
        WeirRun run = WeirRun.of("follow", dns.get("uid"), capture, "-f", "udp", "-C", "--as", "hex");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Follow: udp,hex"));
        long queryBytes = run.out().lines().skip(5).filter(l -> !l.startsWith("\t") && !l.startsWith("="))
                .mapToLong(l -> l.substring(10, 58).trim().split(" +").length).sum();
        assertEquals(Long.parseLong(dns.get("orig_bytes")), queryBytes);
    }

    private List<Map<String, String>> connLog(String capture) throws IOException {
        Path log = tmp.resolve("conn-" + System.nanoTime() + ".log");
        WeirRun run = WeirRun.of("analyze", capture, "--conn-log", log.toString(), "-q");
        assertEquals(0, run.exitCode(), run.err());
        return ZeekLog.read(log).records();
    }
}
