package org.weir.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.ZeekLog;

/**
 * Corpus captures with bytes changed at random, through the whole command with every stage on: decoder, session
 * table and its protocol analyses, every detector, enrichment against real databases (MaxMind's test databases, a
 * FireHOL list, EDAMAME's whitelists), and all three outputs. The decoder's and the table's own mutation tests reach
 * only their parts; here a parser of an enricher or a detector (DNS names, TLS server names, HTTP hosts) meets the
 * same bytes. Every run must end with 0 or the bad-input code and one clear line, no plugin disabled by an error, and
 * complete logs. A failure names the capture and the changed offsets, so that it can be made again.
 */
class MutatedCapturesTest {

    private static final int RUNS = 800;
    private static final long SEED = 20261124L;
    private static final long LARGEST = 256 * 1024;

    @TempDir
    Path tmp;

    @Test
    void mutatedCapturesEndCleanlyThroughEveryStage() throws IOException {
        List<Path> captures = new ArrayList<>();
        for (String folder : List.of("zeek", "suricata-verify", "attacks")) {
            try (Stream<Path> files = Files.walk(Corpus.resolve(folder))) {
                files.filter(MutatedCapturesTest::isSmallCapture).sorted().forEach(captures::add);
            }
        }
        assertTrue(captures.size() >= 50, "corpus captures: " + captures.size());
        List<String> enrichment = List.of("--conn-columns", "geo,names,intel,l2,vlan,community_id",
                "--no-intel-defaults",
                "--geoip", Corpus.resolve("mmdb/maxmind-test-data/GeoIP2-City-Test.mmdb").toString(),
                "--geoip", Corpus.resolve("mmdb/maxmind-test-data/GeoLite2-ASN-Test.mmdb").toString(),
                "--blacklist", Corpus.resolve("blocklists/firehol-snapshot/dshield.netset").toString(),
                "--whitelist", Corpus.resolve("edamame/whitelists-db.json").toString());
        Random random = new Random(SEED);
        Path mutant = tmp.resolve("mutant.pcap");
        Path conn = tmp.resolve("conn.log"), json = tmp.resolve("conn.json"), alerts = tmp.resolve("alerts.json");
        int damaged = 0;
        for (int run = 0; run < RUNS; run++) {
            Path capture = captures.get(random.nextInt(captures.size()));
            byte[] bytes = Files.readAllBytes(capture);
            String changes = mutate(bytes, random);
            int length = random.nextInt(8) == 0 ? 24 + random.nextInt(bytes.length - 24) : bytes.length;
            Files.write(mutant, Arrays.copyOf(bytes, length));
            String what = "run " + run + ": " + Corpus.resolve(".").relativize(capture) + " with " + changes
                    + (length < bytes.length ? ", cut at " + length : "");

            List<String> args = new ArrayList<>(List.of("analyze", mutant.toString(), "-q", "--conn-log",
                    conn.toString(), "--json", json.toString(), "--alerts", alerts.toString()));
            args.addAll(enrichment);
            WeirRun result = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> WeirRun.of(args.toArray(String[]::new)), what);

            String err = result.err();
            assertTrue(result.exitCode() == 0 || result.exitCode() == ExitCodes.BAD_INPUT,
                    what + ": exit " + result.exitCode() + "\n" + err);
            assertFalse(err.contains("Exception") || err.contains("\tat ") || err.contains("internal error"),
                    what + ":\n" + err);
            assertFalse(err.contains("disabled after an error") || err.contains("did not start"), what + ":\n" + err);
            if (result.exitCode() != 0) {
                damaged++;
                assertEquals(1, result.errLines().stream().filter(l -> !l.startsWith("weir: warning: ")).count(),
                        what + ": one line of error\n" + err);
                assertTrue(err.contains("mutant.pcap"), what + ": the error names the file\n" + err);
            }
            ZeekLog.read(conn); // complete and readable, also after damage
        }
        // Both kinds of run happened: the frames' contents changed, and capture structure broken.
        assertTrue(damaged > 0 && damaged < RUNS, "damaged captures: " + damaged + " of " + RUNS);
    }

    private static boolean isSmallCapture(Path file) {
        String name = file.getFileName().toString();
        try {
            return Files.isRegularFile(file) && Files.size(file) > 100 && Files.size(file) <= LARGEST
                    && (name.endsWith(".pcap") || name.endsWith(".pcapng") || name.endsWith(".trace"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Changes 1 to 64 bytes after the file header (a byte set to 0, 0xff, a random value or one bit flipped). */
    private static String mutate(byte[] bytes, Random random) {
        int count = 1 << random.nextInt(7);
        StringBuilder changed = new StringBuilder("bytes changed at");
        for (int i = 0; i < count && bytes.length > 24; i++) {
            int at = 24 + random.nextInt(bytes.length - 24);
            bytes[at] = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> (byte) 0xff;
                case 2 -> (byte) random.nextInt(256);
                default -> (byte) (bytes[at] ^ 1 << random.nextInt(8));
            };
            changed.append(i == 0 ? " " : ",").append(at);
        }
        return changed.toString();
    }
}
