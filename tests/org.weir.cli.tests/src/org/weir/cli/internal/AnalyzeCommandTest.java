package org.weir.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.CaptureReader;
import org.weir.core.PacketView;
import org.weir.core.ProgressMonitor;
import org.weir.packet.PcapWriter;
import org.weir.testsupport.Captures;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;
import org.weir.testsupport.ZeekLog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.github.luben.zstd.ZstdOutputStream;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

class AnalyzeCommandTest {

    private static final String WIKIPEDIA = "zeek/core.tcp.rxmit-history/traces/wikipedia.pcap";

    @TempDir
    Path tmp;

    @Test
    void writesConnLogWithZeeksColumnsAndSummary() throws IOException {
        Path log = tmp.resolve("conn.log");
        WeirRun run = WeirRun.of("analyze", Corpus.resolve(WIKIPEDIA).toString(), "--conn-log", log.toString());

        assertEquals(0, run.exitCode(), run.err());
        ZeekLog ours = ZeekLog.read(log);
        ZeekLog zeek = ZeekLog.read(Corpus.resolve("zeek/core.tcp.rxmit-history/baseline/conn-2.log"));
        assertEquals(zeek.fields(), ours.fields(), "conn.log columns must be Zeek's, in Zeek's order");
        assertFalse(ours.records().isEmpty());
        assertTrue(Files.readAllLines(log).get(Files.readAllLines(log).size() - 1).startsWith("#close\t"));
        assertTrue(run.out().contains("sessions: " + ours.records().size() + " "),
                "summary counts the sessions written:\n" + run.out());
        Map<String, Integer> services = new TreeMap<>();
        ours.records().forEach(r -> services.merge(r.get("service"), 1, Integer::sum));
        assertTrue(services.containsKey("dns") && services.containsKey("http"), services.toString());
        String line = run.out().lines().filter(l -> l.startsWith("service: ")).findFirst().orElse("");
        services.forEach((service, n) -> assertTrue(line.contains(service + " " + n),
                "the summary's service line counts " + service + " as the conn.log does: " + line));
    }

    @Test
    void aDisplayFilterWritesAndSummarisesOnlyTheSessionsItPasses() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        Path all = tmp.resolve("all.log"), filtered = tmp.resolve("filtered.log");
        assertEquals(0, WeirRun.of("analyze", capture, "--conn-log", all.toString(), "--conn-columns", "names", "-q")
                .exitCode());
        List<Map<String, String>> records = ZeekLog.read(all).records();

        String expression = "tcp && service == http && resp_bytes > 700";
        WeirRun run = WeirRun.of("analyze", capture, "--conn-log", filtered.toString(), "-Y", expression);
        assertEquals(0, run.exitCode(), run.err());
        Set<String> expected = new TreeSet<>();
        for (Map<String, String> r : records) {
            if (r.get("proto").equals("tcp") && r.get("service").equals("http") && !r.get("resp_bytes").equals("-")
                    && Long.parseLong(r.get("resp_bytes")) > 700) {
                expected.add(r.get("uid"));
            }
        }
        assertTrue(!expected.isEmpty() && expected.size() < records.size(), expected.toString());
        Set<String> written = new TreeSet<>();
        ZeekLog.read(filtered).records().forEach(r -> written.add(r.get("uid")));
        assertEquals(expected, written, "the records the filter passes, and no others");
        assertTrue(run.out().contains("display filter: " + expected.size() + " of " + records.size()
                + " sessions passed '" + expression + "'"), run.out());
        assertTrue(run.out().contains("sessions: " + expected.size() + " "), "the summary counts those:\n"
                + run.out());

        // A field of the enrichment (names from the capture's DNS answers) has its values without its columns.
        long named = records.stream().filter(r -> r.get("resp_domain").contains("wiki")).count();
        assertTrue(named > 0 && named < records.size(), "named: " + named);
        WeirRun byName = WeirRun.of("analyze", capture, "--conn-log", filtered.toString(), "-q", "--display-filter",
                "resp_domain contains wiki");
        assertEquals(0, byName.exitCode(), byName.err());
        assertEquals(named, ZeekLog.read(filtered).records().size());

        // A mistake: what and where, nothing analysed.
        WeirRun wrong = WeirRun.of("analyze", capture, "-Y", "tcp && id.resp == 80");
        assertEquals(ExitCodes.BAD_INPUT, wrong.exitCode());
        assertEquals(List.of("weir: display filter: unknown field 'id.resp': did you mean id.resp_h?",
                "  tcp && id.resp == 80", "  " + " ".repeat(7) + "^" + "~".repeat(6)), wrong.errLines());
        assertEquals("", wrong.out());
    }

    @Test
    void writePacketsGivesACaptureOfTheSessionsWritten() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        Path log = tmp.resolve("dns.log"), packets = tmp.resolve("dns.pcap"), again = tmp.resolve("again.log");
        // The capture filter changes which sessions there are and how they are numbered: the export repeats it.
        WeirRun run = WeirRun.of("analyze", capture, "-f", "udp", "-Y", "service == dns && id.resp_p == 53",
                "--conn-log", log.toString(), "-w", packets.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<Map<String, String>> chosen = ZeekLog.read(log).records();
        assertTrue(chosen.size() > 1, chosen.toString());
        long frames = chosen.stream().mapToLong(r -> Long.parseLong(r.get("orig_pkts"))
                + Long.parseLong(r.get("resp_pkts"))).sum();
        assertTrue(run.out().contains("packets: " + frames + " of " + chosen.size() + " sessions written to "
                + packets), run.out());

        assertEquals(0, WeirRun.of("analyze", packets.toString(), "--conn-log", again.toString(), "-q").exitCode());
        assertEquals(withoutUid(chosen), withoutUid(ZeekLog.read(again).records()),
                "the written packets make exactly the sessions written");
    }

    @Test
    void capturesAreMergedByTimeAndTheirPacketsWrittenInThatOrder() throws IOException {
        // A raw-IP capture moved to begin a second before the Ethernet one: merged by time, its first frame comes
        // first, and a capture filter for Ethernet frames ends it there, as damage. The packets written are found
        // again in the same merge, that capture cut at the same frame.
        Path wikipedia = Corpus.resolve(WIKIPEDIA), early = tmp.resolve("early.pcap");
        long start;
        try (CaptureReader reader = Captures.open(wikipedia)) {
            PacketView frame = new PacketView();
            assertTrue(reader.next(frame));
            start = frame.timestampNanos;
        }
        try (CaptureReader reader = Captures.open(Corpus.resolve("attacks/floods/rusllang-ml_qos/icmp_flood.pcap"))) {
            PacketView frame = new PacketView();
            assertTrue(reader.next(frame));
            long shift = start - 1_000_000_000L - frame.timestampNanos;
            try (PcapWriter out = PcapWriter.create(early, frame.linkType, 65_535, false)) {
                do {
                    out.write(frame.timestampNanos + shift, frame.data, frame.frameOffset, frame.capturedLength,
                            frame.wireLength);
                } while (reader.next(frame));
            }
        }
        Path log = tmp.resolve("conn.log"), packets = tmp.resolve("sessions.pcap"), again = tmp.resolve("again.log");

        WeirRun run = WeirRun.of("analyze", wikipedia.toString(), early.toString(), "-f", "ether multicast or tcp",
                "--conn-log", log.toString(), "-w", packets.toString());

        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("weir: " + early + ": at byte ") && run.err().contains(
                ": frame 1: capture filter 'ether multicast or tcp' (for IPV4 frames)"), run.err());
        List<Map<String, String>> written = ZeekLog.read(log).records();
        assertFalse(written.isEmpty());
        assertEquals(0, WeirRun.of("analyze", packets.toString(), "--conn-log", again.toString(), "-q").exitCode());
        assertEquals(withoutUid(written), withoutUid(ZeekLog.read(again).records()));
    }

    @Test
    void writePacketsRefusesWhatItCannotDoBeforeAnalysing() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        WeirRun toStdout = WeirRun.of("analyze", capture, "-w", "-");
        assertEquals(ExitCodes.BAD_INPUT, toStdout.exitCode());
        assertTrue(toStdout.err().contains("-w needs a file"), toStdout.err());

        WeirRun fromStdin = WeirRun.of("analyze", "-", "-w", tmp.resolve("x.pcap").toString());
        assertEquals(ExitCodes.BAD_INPUT, fromStdin.exitCode());
        assertTrue(fromStdin.err().contains("-w reads the captures again, which standard input cannot be"),
                fromStdin.err());

        WeirRun nowhere = WeirRun.of("analyze", capture, "-w", "/proc/x.pcap");
        assertEquals(ExitCodes.BAD_INPUT, nowhere.exitCode());
        assertEquals(List.of("weir: /proc/x.pcap: cannot write (no file can be made in /proc)"), nowhere.errLines());
        assertEquals("", nowhere.out(), "refused before any analysis");

        // Known only once the packets are found: they have two link types, which a pcap file cannot hold.
        Path pcap = tmp.resolve("two.pcap");
        WeirRun twoLinkTypes = WeirRun.of("analyze", capture,
                Corpus.resolve("suricata-verify/defrag/bug-6887-defrag-ipv6-tcp/frag-ip-tcp.pcap").toString(), "-q",
                "-w", pcap.toString());
        assertEquals(ExitCodes.BAD_INPUT, twoLinkTypes.exitCode());
        assertEquals(List.of("weir: " + pcap + ": the packets have 2 link types (LINKTYPE 1, 229), which one pcap "
                + "file cannot hold: name the file .pcapng"), twoLinkTypes.errLines());
        assertFalse(Files.exists(pcap), "no empty file is left");
    }

    @Test
    void countAnalysesTheFirstFramesThatTheCaptureFilterAccepts() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        WeirRun first = WeirRun.of("analyze", capture, "-c", "60");
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().startsWith("60 packets "), first.out());

        Path log = tmp.resolve("udp.log");
        WeirRun udp = WeirRun.of("analyze", capture, "-f", "udp", "--count", "5", "--conn-log", log.toString());
        assertEquals(0, udp.exitCode(), udp.err());
        assertTrue(udp.out().startsWith("5 packets "), udp.out());
        assertEquals(5, ZeekLog.read(log).records().stream().mapToLong(r -> Long.parseLong(r.get("orig_pkts"))
                + Long.parseLong(r.get("resp_pkts"))).sum(), "five UDP datagrams in the sessions");

        WeirRun zero = WeirRun.of("analyze", capture, "-c", "0");
        assertEquals(ExitCodes.BAD_INPUT, zero.exitCode());
    }

    @Test
    void noOutputOverwritesTheCaptureBeingRead() throws IOException {
        Path capture = Files.copy(Corpus.resolve(WIKIPEDIA), tmp.resolve("trace.pcap"));
        Path alias = Files.createSymbolicLink(tmp.resolve("alias.pcap"), capture);
        byte[] before = Files.readAllBytes(capture);
        for (String option : List.of("--conn-log", "--json", "--alerts", "-w")) {
            WeirRun run = WeirRun.of("analyze", capture.toString(), option, alias.toString());
            assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), option);
            assertEquals(List.of("weir: " + option + " " + alias + ": that is the capture being read (" + capture
                    + "); nothing was written"), run.errLines());
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(capture)), option + " left it as it was");
        }
        Path log = tmp.resolve("out.log");
        WeirRun twice = WeirRun.of("analyze", capture.toString(), "--conn-log", log.toString(), "--json",
                log.toString());
        assertEquals(ExitCodes.BAD_INPUT, twice.exitCode());
        assertEquals("weir: analyze: --conn-log and --json name the same file, " + log, twice.errLines().get(0));
        assertFalse(Files.exists(log));
    }

    @Test
    void packetsThatCannotBeWrittenAreReportedAndNoDeviceIsRemoved() throws Exception {
        // A node of the device behind /dev/full (it takes the file's opening and refuses its bytes: a disk that is
        // full), made here so that a regression removes this one. Making device nodes needs root, as CI runs.
        Path full = tmp.resolve("full");
        Process mknod = new ProcessBuilder("mknod", full.toString(), "c", "1", "7").redirectErrorStream(true).start();
        assumeTrue(mknod.waitFor() == 0, "mknod needs root");
        WeirRun run = WeirRun.of("analyze", Corpus.resolve(WIKIPEDIA).toString(), "-q", "-w", full.toString());
        assertEquals(ExitCodes.IO_ERROR, run.exitCode());
        assertEquals(List.of("weir: " + full + ": cannot write the packets (No space left on device)"),
                run.errLines());
        assertTrue(Files.exists(full), "a device is not a file to clean up");
    }

    /** Records without their uid, sorted: what two analyses of the same packets agree on. */
    private static List<String> withoutUid(List<Map<String, String>> records) {
        List<String> lines = new ArrayList<>();
        for (Map<String, String> r : records) {
            Map<String, String> copy = new TreeMap<>(r);
            copy.remove("uid");
            lines.add(copy.toString());
        }
        lines.sort(null);
        return lines;
    }

    @Test
    void jsonLinesCarryTheSameSessionsAsTheConnLog() throws IOException {
        Path log = tmp.resolve("conn.log");
        Path json = tmp.resolve("conn.json");
        WeirRun run = WeirRun.of("analyze", Corpus.resolve(WIKIPEDIA).toString(), "--conn-log", log.toString(),
                "--json", json.toString(), "--quiet");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.out(), "--quiet prints no summary");
        Set<String> tsvUids = new TreeSet<>();
        for (Map<String, String> r : ZeekLog.read(log).records()) {
            tsvUids.add(r.get("uid"));
        }
        Set<String> jsonUids = new TreeSet<>();
        List<String> lines = Files.readAllLines(json);
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try (JsonParser p = new JsonFactory().createParser(line)) {
                assertEquals(JsonToken.START_OBJECT, p.nextToken());
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (name.equals("uid")) {
                        jsonUids.add(p.getText());
                    }
                    p.skipChildren();
                }
            }
        }
        assertEquals(tsvUids, jsonUids);
    }

    @Test
    void sessionsClosedEarlyByTheBoundAreWrittenAndReported() throws IOException {
        Path all = tmp.resolve("all.log"), bounded = tmp.resolve("bounded.log");
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        WeirRun unbounded = WeirRun.of("analyze", capture, "--conn-log", all.toString(), "-q", "--no-detectors");
        WeirRun run = WeirRun.of("analyze", capture, "--conn-log", bounded.toString(), "-q", "--no-detectors",
                "--max-sessions", "2");

        assertEquals(0, unbounded.exitCode(), unbounded.err());
        assertFalse(unbounded.err().contains("closed early"), unbounded.err());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().matches("(?s).*warning: [0-9,]+ sessions were closed early: more than 2 were open at "
                + "once \\(raise the bound with --max-sessions.*"), run.err());
        // Early closing splits connections, so there are at least as many records, and never fewer packets.
        List<Map<String, String>> records = ZeekLog.read(bounded).records();
        assertTrue(records.size() >= ZeekLog.read(all).records().size());
        assertEquals(packets(ZeekLog.read(all).records()), packets(records));
    }

    @Test
    void aDetectorThatReachesItsMemoryBoundSaysWhatItDidNotTrack() {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        WeirRun normal = WeirRun.of("analyze", capture, "-q");
        WeirRun run = WeirRun.of("analyze", capture, "-q", "--set", "ttl_anomaly.max_directions=1");

        assertEquals(0, normal.exitCode(), normal.err());
        assertFalse(normal.err().contains("not tracked"), normal.err());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().matches("(?s).*warning: detector 'ttl_anomaly': [0-9,]+ TCP control segments not "
                + "tracked: more than 1 connection directions \\(raise max_directions\\) at once \\(memory bound\\)\\n.*"),
                run.err());
    }

    @Test
    void aCaptureWithOffloadedChecksumsGetsZeeksWarningAndMinusCCountsItsPackets() throws IOException {
        // Captured on the sending host: the network card was to fill in every UDP checksum.
        String capture = Corpus.resolve("attacks/dns-tunnel/dns2tcp-netrack-2018-03-23.pcap").toString();
        Path verified = tmp.resolve("verified.log"), ignored = tmp.resolve("ignored.log");
        WeirRun run = WeirRun.of("analyze", capture, "--conn-log", verified.toString(), "-q", "--no-detectors");
        WeirRun minusC = WeirRun.of("analyze", capture, "--conn-log", ignored.toString(), "-q", "--no-detectors",
                "-C");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("weir: warning: invalid UDP checksums (9,070 of 9,070 frames), most likely from "
                + "checksum offloading on the capturing host;"), run.err());
        assertEquals(0, packets(ZeekLog.read(verified).records()));
        assertEquals(0, minusC.exitCode(), minusC.err());
        assertFalse(minusC.err().contains("checksum"), minusC.err());
        assertEquals(9_070, packets(ZeekLog.read(ignored).records()));
    }

    private static long packets(List<Map<String, String>> records) {
        long n = 0;
        for (Map<String, String> r : records) {
            n += Long.parseLong(r.get("orig_pkts")) + Long.parseLong(r.get("resp_pkts"));
        }
        return n;
    }

    @Test
    void truncatedCaptureReportsFileAndOffsetAndKeepsEarlierSessions() throws IOException {
        // Two captures of the same name: the error names the damaged one by the path it was given as.
        byte[] whole = Files.readAllBytes(Corpus.resolve(WIKIPEDIA));
        Path good = Files.createDirectories(tmp.resolve("monday")).resolve("trace.pcap");
        Path cut = Files.createDirectories(tmp.resolve("tuesday")).resolve("trace.pcap");
        Files.write(good, whole);
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        Path log = tmp.resolve("conn.log");

        WeirRun run = WeirRun.of("analyze", good.toString(), cut.toString(), "--conn-log", log.toString(), "-q");

        assertEquals(ExitCodes.BAD_INPUT, run.exitCode());
        assertEquals(1, run.errLines().size(), "one line of error:\n" + run.err());
        String error = run.errLines().get(0);
        assertTrue(error.startsWith("weir: " + cut + ": at byte "), error);
        int written = ZeekLog.read(log).records().size();
        assertTrue(written > 0, "sessions before the damage are written");
        assertTrue(error.endsWith(" (the " + written + " sessions before it were written)"), error);
    }

    @Test
    void everyMalformedCaptureLoadsOrFailsWithOneClearLine() throws IOException {
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(Corpus.resolve("malformed"))) {
            s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).forEach(files::add);
        }
        try (var s = Files.list(Corpus.resolve("zeek/core.truncation/traces/trunc"))) {
            s.forEach(files::add);
        }
        assertTrue(files.size() >= 15, "corpus has the malformed files: " + files);
        for (Path f : files) {
            Path log = tmp.resolve(f.getFileName() + ".log");
            WeirRun run = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                    () -> WeirRun.of("analyze", f.toString(), "--conn-log", log.toString(), "-q"), f.toString());
            assertTrue(run.exitCode() == 0 || run.exitCode() == ExitCodes.BAD_INPUT, f + ": exit " + run.exitCode());
            if (run.exitCode() != 0) {
                assertEquals(1, run.errLines().size(), f + ":\n" + run.err());
                assertTrue(run.err().contains(f.getFileName().toString()), run.err());
            }
            assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), f + ":\n" + run.err());
            ZeekLog.read(log); // always a complete, readable log
        }
    }

    /**
     * Standard output that takes nothing (a full disk): the command says so with exit 3, whether the conn.log or only
     * the summary went there; also where standard output is a print stream alone, which keeps the error to itself.
     */
    @Test
    void standardOutputThatTakesNothingIsAnOutputError() {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        for (List<String> args : List.of(List.of("analyze", capture, "--json", "-"), List.of("analyze", capture))) {
            for (boolean printStreamOnly : new boolean[] {false, true}) {
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                OutputStream full = new RefusingOutput(0, "No space left on device");
                PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
                Console console = printStreamOnly
                        ? new Console(new PrintStream(full, true, StandardCharsets.UTF_8), errors, "weir")
                        : Console.over(full, StandardCharsets.UTF_8, errors, "weir");
                int code = new Weir(List.of(new AnalyzeCommand(Services.get(CaptureAnalyzer.class))), "test")
                        .run(args, console);
                String said = err.toString(StandardCharsets.UTF_8);
                assertEquals(ExitCodes.IO_ERROR, code, args + ":\n" + said);
                // Said while writing, or when finishing (a capture this small is analysed before the first write),
                // or for the summary; as the system said it, where the print stream did not keep it.
                assertTrue(Pattern.compile("weir: cannot (write output|finish output|write to standard output)"
                        + (printStreamOnly ? "" : ":? \\(?No space left on device")).matcher(said).find(), said);
            }
        }
    }

    /**
     * A reader that takes a few lines and goes away, as {@code weir analyze CAPTURE --conn-log - | head} does: the
     * command stops without a word (no summary, no error: the reader has what it wanted) with the status of a process
     * that SIGPIPE ended, as a C tool in its place would end, whatever went to standard output.
     */
    @Test
    void aReaderThatGoesAwayEndsTheCommandQuietly() {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        for (List<String> args : List.of(List.of("analyze", capture, "--conn-log", "-"),
                List.of("analyze", capture, "--json", "-", "--alerts", tmp.resolve("alerts.json").toString()),
                List.of("analyze", Corpus.resolve("attacks/floods/rusllang-ml_qos/icmp_flood.pcap").toString(),
                        "--alerts", "-", "-q"), // 461 bytes of alerts
                List.of("analyze", capture))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Console console = Console.over(new RefusingOutput(300, "Broken pipe"), StandardCharsets.UTF_8,
                    new PrintStream(err, true, StandardCharsets.UTF_8), "weir");
            int code = new Weir(List.of(new AnalyzeCommand(Services.get(CaptureAnalyzer.class))), "test")
                    .run(args, console);
            assertEquals(ExitCodes.STDOUT_CLOSED, code, args + ":\n" + err);
            assertEquals("", err.toString(StandardCharsets.UTF_8), args.toString());
        }
    }

    /** Takes {@code capacity} bytes, then refuses every write with {@code reason}, as the system would say it. */
    private static final class RefusingOutput extends OutputStream {
        private long left;
        private final String reason;

        RefusingOutput(long capacity, String reason) {
            this.left = capacity;
            this.reason = reason;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                left = 0;
                throw new IOException(reason);
            }
            left -= len;
        }
    }

    @Test
    void badArgumentsAndInputsGiveClearErrors() throws IOException {
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "this is not a capture file\n");
        String capture = Corpus.resolve(WIKIPEDIA).toString();

        assertError(WeirRun.of("analyze"), "no capture file given");
        assertError(WeirRun.of("analyze", capture, "--frobnicate"), "unknown option --frobnicate");
        assertError(WeirRun.of("analyze", capture, "--conn-log"), "--conn-log needs a value");
        assertError(WeirRun.of("analyze", tmp.resolve("missing.pcap").toString()), "missing.pcap: no such file");
        assertError(WeirRun.of("analyze", text.toString()), "notes.txt: at byte 0: not a capture file");
        assertError(WeirRun.of("analyze", tmp.toString()), tmp + ": a folder, not a capture file");
        // Merged with itself, every packet would be counted twice (a retransmission each): a mistake, said so.
        Path link = Files.createSymbolicLink(tmp.resolve("same.pcap"), Path.of(capture));
        assertError(WeirRun.of("analyze", capture, "-r", capture), capture + " is named twice: merged with itself");
        assertError(WeirRun.of("analyze", capture, link.toString()), link + " is named twice (also as " + capture
                + "): merged with itself, each packet would count twice");
        Files.delete(link); // (JUnit warns of a link out of its folder)
        assertError(WeirRun.of("analyze", capture, "--conn-log", tmp.resolve("no/such/dir/conn.log").toString()),
                "folder does not exist");
        assertError(WeirRun.of("analyze", capture, "--json", "/proc/conn.json"), "no file can be made in /proc");
        assertError(WeirRun.of("analyze", capture, "--conn-columns", "vlan,colour"), "unknown conn.log column group");
        assertError(WeirRun.of("analyze", capture, "--local-nets", "10.0.0.0/33"), "prefix length out of range");
        assertError(WeirRun.of("analyze", capture, "--local-nets", "10.1/16"),
                "--local-nets 10.1/16: not an IP address: '10.1' (IPv4 is four numbers from 0 to 255: a.b.c.d)");
        // What --no-enrichment would ignore without a word; enrichment columns may stay (unset, a schema's).
        assertError(WeirRun.of("analyze", capture, "--no-enrichment", "-Y", "country == US"),
                "the display filter 'country == US' reads enrichment (location), which --no-enrichment turns off");
        assertError(WeirRun.of("analyze", capture, "--no-enrichment", "--whitelist", capture),
                "--whitelist feed enrichment, which --no-enrichment turns off");
        WeirRun unset = WeirRun.of("analyze", capture, "--no-enrichment", "-q", "--conn-columns", "geo",
                "-Y", "id.resp_p == 80", "--conn-log", "-");
        assertEquals(0, unset.exitCode(), unset.err());
        assertTrue(unset.out().contains("\torig_location.country_code\t"), unset.out());
        assertError(WeirRun.of("analyze", capture, "--local-nets", " , "),
                "--local-nets needs networks (CIDRs, comma-separated) or 'none', not ' , '");
        assertError(WeirRun.of("frobnicate"), "unknown command 'frobnicate'");
        assertError(WeirRun.of("analyze", "bad\u0000name.pcap"), "cannot use the file name 'bad");
    }

    /**
     * A mistyped command or option: what is wrong, what was probably meant, how the command is called; not the whole
     * usage, which would push that line off the screen.
     */
    @Test
    void aMistypedOptionOrCommandIsNamedWithWhatWasMeant() {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        WeirRun underscore = WeirRun.of("analyze", capture, "--conn_log", tmp.resolve("conn.log").toString());
        assertEquals(ExitCodes.BAD_INPUT, underscore.exitCode());
        assertEquals(List.of("weir: analyze: unknown option --conn_log: did you mean --conn-log?",
                "usage: weir analyze CAPTURE... [options]", "('weir help analyze' tells more)"),
                underscore.errLines());
        assertError(WeirRun.of("analyze", capture, "-display-filter", "tcp"),
                "unknown option -display-filter: did you mean --display-filter?");
        assertError(WeirRun.of("check", capture, "--whitelsit", "w.json"),
                "unknown option --whitelsit: did you mean --whitelist?");
        // Nothing near enough, or a single letter (as near to every other): no guess.
        assertEquals("weir: analyze: unknown option --frobnicate", WeirRun.of("analyze", capture, "--frobnicate")
                .errLines().get(0));
        assertEquals("weir: analyze: unknown option -x", WeirRun.of("analyze", capture, "-x").errLines().get(0));
        WeirRun intel = WeirRun.of("intel", "lookup", "192.0.2.1", "--geo-ip", "x");
        assertEquals(List.of("weir: intel: unknown option --geo-ip: did you mean --geoip?",
                "usage: weir intel lookup ADDRESS [PORT[/tcp|/udp]] [options]", "       weir intel update",
                "       weir intel status", "('weir help intel' tells more)"), intel.errLines());
        assertEquals(List.of("weir: unknown command 'anlyze': did you mean 'analyze'? (try 'weir help')"),
                WeirRun.of("anlyze", capture).errLines());
        assertEquals(List.of("weir: unknown command 'frobnicate' (try 'weir help')"),
                WeirRun.of("frobnicate").errLines());
        // Help on a command that is not one: said so, not the list of commands with 0.
        WeirRun help = WeirRun.of("help", "anlyze");
        assertEquals(ExitCodes.BAD_INPUT, help.exitCode());
        assertEquals("", help.out());
        assertEquals(List.of("weir: unknown command 'anlyze': did you mean 'analyze'? (try 'weir help')"),
                help.errLines());
        assertEquals(0, WeirRun.of("help", "help").exitCode());
        assertTrue(WeirRun.of("help", "version").out().startsWith("usage: weir COMMAND"));
    }

    /** {@code -r FILE}, as Zeek's and tcpdump's users type it, names a capture like an operand, in its place. */
    @Test
    void aCaptureNamedWithDashRIsReadAsWhenNamedPlainly() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        Path plain = tmp.resolve("plain.log"), dashR = tmp.resolve("r.log");
        WeirRun a = WeirRun.of("analyze", "-C", capture, "--conn-log", plain.toString(), "-q");
        WeirRun b = WeirRun.of("analyze", "-Cr", capture, "--conn-log", dashR.toString(), "-q");
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, b.exitCode(), b.err());
        assertEquals(ZeekLog.read(plain).records(), ZeekLog.read(dashR).records());
        assertFalse(ZeekLog.read(dashR).records().isEmpty());
        assertError(WeirRun.of("analyze", "-r"), "-r needs a value");
    }

    @Test
    void aCaptureFilterAnalysesOnlyTheFramesItAccepts() throws IOException {
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        Path all = tmp.resolve("all.log"), udp = tmp.resolve("udp.log"), rest = tmp.resolve("rest.log");
        WeirRun unfiltered = WeirRun.of("analyze", capture, "--conn-log", all.toString());
        WeirRun udpOnly = WeirRun.of("analyze", capture, "--conn-log", udp.toString(), "-f", "udp");
        WeirRun notUdp = WeirRun.of("analyze", capture, "--conn-log", rest.toString(), "--filter", "not udp");
        for (WeirRun run : List.of(unfiltered, udpOnly, notUdp)) {
            assertEquals(0, run.exitCode(), run.err());
        }

        // As with zeek -f, the sessions of the protocols a filter keeps are those of the whole capture.
        List<String> allRecords = recordsWithoutUid(all);
        assertEquals(allRecords.stream().filter(r -> r.contains("\tudp\t")).sorted().toList(),
                recordsWithoutUid(udp).stream().sorted().toList());
        assertEquals(allRecords.stream().filter(r -> !r.contains("\tudp\t")).sorted().toList(),
                recordsWithoutUid(rest).stream().sorted().toList());
        assertFalse(recordsWithoutUid(udp).isEmpty());
        assertFalse(recordsWithoutUid(rest).isEmpty());

        long[] udpFrames = framesPassed(udpOnly, "udp"), otherFrames = framesPassed(notUdp, "not udp");
        long frames = udpFrames[1];
        assertEquals(frames, otherFrames[1]);
        assertEquals(frames, udpFrames[0] + otherFrames[0], "each frame passes one of the two filters");
        assertTrue(unfiltered.out().startsWith(Format.count(frames) + " packets"), unfiltered.out());
        assertFalse(unfiltered.out().contains("capture filter"), unfiltered.out());

        // Compiled for the link type of each capture: one where it cannot apply stops there, as damage does.
        String rawIp = Corpus.resolve("attacks/floods/rusllang-ml_qos/icmp_flood.pcap").toString();
        Path both = tmp.resolve("both.log");
        WeirRun mixed = WeirRun.of("analyze", capture, rawIp, "-f", "ether multicast or tcp", "--conn-log",
                both.toString());
        assertEquals(ExitCodes.BAD_INPUT, mixed.exitCode(), mixed.err());
        assertTrue(mixed.err().contains(rawIp + ": at byte ") && mixed.err().contains(": frame 1: capture filter "
                + "'ether multicast or tcp' (for IPV4 frames): "), mixed.err());
        int kept = recordsWithoutUid(both).size();
        assertTrue(kept > 0 && mixed.err().contains("(the " + kept + " sessions before it were written)"),
                kept + " sessions written; " + mixed.err());
        assertError(WeirRun.of("analyze", rawIp, "-f", "ether multicast"), "capture filter 'ether multicast' (for "
                + "IPV4 frames): ");

        assertError(WeirRun.of("analyze", capture, "-f", "tcp port"), "capture filter 'tcp port'");
        assertTrue(WeirRun.of("analyze", capture, "-f", "tcp port").err().contains("syntax error"));
        assertError(WeirRun.of("analyze", capture, "-f"), "-f needs a value");
    }

    @Test
    void aCaptureOnStandardInputIsAnalysedAsTheFile() throws IOException {
        Path capture = Corpus.resolve("malformed/wikipedia.pcapng");
        Path fromFile = tmp.resolve("file.log"), fromStdin = tmp.resolve("stdin.log");
        WeirRun file = WeirRun.of("analyze", capture.toString(), "--conn-log", fromFile.toString());
        assertEquals(0, file.exitCode(), file.err());
        WeirRun stdin = withStandardInput(Files.readAllBytes(capture),
                () -> WeirRun.of("analyze", "-", "--conn-log", fromStdin.toString()));
        assertEquals(0, stdin.exitCode(), stdin.err());
        assertEquals(recordsWithoutUid(fromFile), recordsWithoutUid(fromStdin));
        assertFalse(recordsWithoutUid(fromStdin).isEmpty());

        // Damage and foreign bytes name standard input; what came before the damage is written.
        byte[] all = Files.readAllBytes(capture);
        WeirRun cut = withStandardInput(java.util.Arrays.copyOf(all, all.length * 2 / 3),
                () -> WeirRun.of("analyze", "-", "--conn-log", fromStdin.toString()));
        assertEquals(ExitCodes.BAD_INPUT, cut.exitCode(), cut.err());
        assertTrue(cut.err().contains("weir: standard input: at byte ") && cut.err().contains("sessions before it"
                + " were written"), cut.err());
        assertFalse(recordsWithoutUid(fromStdin).isEmpty());
        assertError(withStandardInput("not a capture at all".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                () -> WeirRun.of("analyze", "-")), "standard input: at byte 0: not a capture file");
        assertError(withStandardInput(all, () -> WeirRun.of("analyze", "-", "-")),
                "standard input ('-') can be read only once");
    }

    @Test
    void aNamedPipeIsReadAsAStreamAsTcpdumpAndZeekReadIt() throws Exception {
        // A named pipe, or a shell's process substitution (weir analyze <(zcat trace.pcap.gz)): no regular file.
        Path capture = Corpus.resolve(WIKIPEDIA);
        Path fifo = tmp.resolve("capture.fifo"), fromFile = tmp.resolve("file.log"), fromPipe = tmp.resolve("pipe.log");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        WeirRun file = WeirRun.of("analyze", capture.toString(), "--conn-log", fromFile.toString(), "-q");
        assertEquals(0, file.exitCode(), file.err());
        Thread writer = writeInto(fifo, Files.readAllBytes(capture));
        WeirRun piped = WeirRun.of("analyze", fifo.toString(), "--conn-log", fromPipe.toString(), "-q");
        writer.join(30_000);
        assertEquals(0, piped.exitCode(), piped.err());
        assertFalse(recordsWithoutUid(fromPipe).isEmpty());
        assertEquals(recordsWithoutUid(fromFile), recordsWithoutUid(fromPipe));

        // Damage in the stream names the pipe and keeps what came before it.
        byte[] all = Files.readAllBytes(capture);
        writer = writeInto(fifo, java.util.Arrays.copyOf(all, all.length * 2 / 3));
        WeirRun cut = WeirRun.of("analyze", fifo.toString(), "--conn-log", fromPipe.toString(), "-q");
        writer.join(30_000);
        assertEquals(ExitCodes.BAD_INPUT, cut.exitCode(), cut.err());
        assertTrue(cut.err().startsWith("weir: " + fifo + ": at byte "), cut.err());
        assertFalse(recordsWithoutUid(fromPipe).isEmpty());
        writer = writeInto(fifo, "not a capture at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertError(WeirRun.of("analyze", fifo.toString()), fifo + ": at byte 0: not a capture file");
        writer.join(30_000);
        assertError(WeirRun.of("analyze", fifo.toString(), fifo.toString()), fifo + " can be read only once");
    }

    /** Writes the bytes into a named pipe on a thread of its own (opening it waits for its reader). */
    private static Thread writeInto(Path fifo, byte[] bytes) {
        Thread t = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(bytes);
            } catch (IOException e) {
                // the reader went away: the test's assertions say what it saw
            }
        }, "fifo writer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The compressions Weir reads, written as the tools that make them write them by default. */
    enum Compressor {
        GZIP(".gz") {
            @Override
            OutputStream wrap(OutputStream out) throws IOException {
                return new java.util.zip.GZIPOutputStream(out);
            }
        },
        ZSTD(".zst") {
            @Override
            OutputStream wrap(OutputStream out) throws IOException {
                return new ZstdOutputStream(out).setChecksum(true);
            }
        },
        /**
         * As {@code zstd --long=28} declares it: a window of 256 MiB, above the 128 MiB that zstd's decoder takes by
         * default. Written by hand (raw blocks and the content checksum), since zstd-jni fits the window to the data.
         */
        ZSTD_LONG(".zst") {
            @Override
            OutputStream wrap(OutputStream out) throws IOException {
                return new java.io.ByteArrayOutputStream() {
                    @Override
                    public void close() throws IOException {
                        byte[] data = toByteArray();
                        // magic; frame header: content checksum, no size; window descriptor: exponent 18, 2^28
                        out.write(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x04, (byte) (18 << 3)});
                        boolean last = false;
                        for (int off = 0, n; !last; off += n) {
                            n = Math.min(128 << 10, data.length - off);
                            last = off + n == data.length;
                            int header = n << 3 | (last ? 1 : 0); // a raw block
                            out.write(new byte[] {(byte) header, (byte) (header >>> 8), (byte) (header >>> 16)});
                            out.write(data, off, n);
                        }
                        long checksum = XXHashFactory.safeInstance().hash64().hash(data, 0, data.length, 0);
                        out.write(new byte[] {(byte) checksum, (byte) (checksum >>> 8), (byte) (checksum >>> 16),
                            (byte) (checksum >>> 24)});
                        out.close();
                    }
                };
            }
        },
        LZ4(".lz4") {
            @Override
            OutputStream wrap(OutputStream out) throws IOException {
                // the lz4 tool's format with its -B4 (64 KiB blocks)
                return new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, -1L,
                        LZ4Factory.safeInstance().fastCompressor(), XXHashFactory.safeInstance().hash32(),
                        LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                        LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
            }
        };

        final String suffix;

        Compressor(String suffix) {
            this.suffix = suffix;
        }

        abstract OutputStream wrap(OutputStream out) throws IOException;

        Path compress(Path from, Path folder) throws IOException {
            Path to = folder.resolve(from.getFileName() + suffix);
            try (OutputStream out = wrap(Files.newOutputStream(to))) {
                Files.copy(from, out);
            }
            return to;
        }
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void aCompressedCaptureIsAnalysedAsTheFile(Compressor compressor) throws IOException {
        for (String name : List.of(WIKIPEDIA, "malformed/wikipedia.pcapng")) {
            Path capture = Corpus.resolve(name);
            Path c = compressor.compress(capture, tmp);
            for (String filter : List.of("", "udp")) {
                Path plain = tmp.resolve("plain.log"), decompressed = tmp.resolve("decompressed.log");
                List<String> f = filter.isEmpty() ? List.of() : List.of("-f", filter);
                WeirRun a = WeirRun.of(args(capture, plain, f));
                WeirRun b = WeirRun.of(args(c, decompressed, f));
                assertEquals(0, a.exitCode(), a.err());
                assertEquals(0, b.exitCode(), b.err());
                assertEquals("", b.err(), "nothing on standard error (no warning of the JVM's)");
                assertFalse(recordsWithoutUid(plain).isEmpty());
                assertEquals(recordsWithoutUid(plain), recordsWithoutUid(decompressed), name + " -f '" + filter + "'");
            }
        }

        // Compressed data that ends early: damage, named with its offset in the decompressed capture; what came
        // before is written. (A capture of several of zstd's and lz4's blocks: a block cut short gives nothing.)
        Path capture = Corpus.resolve("attacks/esnet-curated/tcp/control/two_way_all_flags.pcap");
        byte[] all = Files.readAllBytes(compressor.compress(capture, tmp));
        Path cut = tmp.resolve("cut.pcap" + compressor.suffix), log = tmp.resolve("cut.log");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length * 2 / 3));
        WeirRun run = WeirRun.of("analyze", cut.toString(), "--conn-log", log.toString(), "-q");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        assertEquals(1, run.errLines().size(), "one line of error:\n" + run.err());
        String error = run.errLines().get(0);
        assertTrue(error.startsWith("weir: " + cut + ": at byte ")
                && error.contains(": the compressed data ends early (") && error.contains("in the decompressed capture"),
                error);
        int written = ZeekLog.read(log).records().size();
        assertTrue(written > 0, "sessions before the damage are written");
        assertTrue(error.endsWith(" (the " + Format.count(written) + " sessions before it were written)"), error);

        // Damaged compressed data, and a foreign file behind a compression's header: one clear line each.
        byte[] damaged = all.clone();
        for (int i = all.length / 3; i < all.length / 3 + 64; i++) {
            damaged[i] ^= 0x5A;
        }
        Path bad = tmp.resolve("damaged.pcap" + compressor.suffix);
        Files.write(bad, damaged);
        assertError(WeirRun.of("analyze", bad.toString(), "-q"), bad + ": at byte ");
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "not a capture at all, only compressed");
        assertError(WeirRun.of("analyze", compressor.compress(text, tmp).toString()),
                "not a capture file in a known format");

        // On standard input too: the same records, and damage named as for a file.
        Path plain = tmp.resolve("plain.log"), piped = tmp.resolve("piped.log");
        assertEquals(0, WeirRun.of(args(capture, plain, List.of())).exitCode());
        WeirRun stdin = withStandardInput(all, () -> WeirRun.of("analyze", "-", "--conn-log", piped.toString()));
        assertEquals(0, stdin.exitCode(), stdin.err());
        assertEquals(recordsWithoutUid(plain), recordsWithoutUid(piped));
        WeirRun cutIn = withStandardInput(java.util.Arrays.copyOf(all, all.length * 2 / 3),
                () -> WeirRun.of("analyze", "-", "--conn-log", piped.toString(), "-q"));
        assertEquals(ExitCodes.BAD_INPUT, cutIn.exitCode(), cutIn.err());
        assertTrue(cutIn.errLines().get(0).matches("weir: standard input: at byte [0-9]+: the compressed data ends "
                + "early .*, in the decompressed capture \\(the [0-9,]+ sessions before it were written\\)"),
                cutIn.err());
    }

    private static String[] args(Path capture, Path log, List<String> more) {
        List<String> args = new ArrayList<>(List.of("analyze", capture.toString(), "--conn-log", log.toString(), "-q"));
        args.addAll(more);
        return args.toArray(new String[0]);
    }

    /**
     * A pipe that goes silent (its writer keeps it open, as a capture tool does between packets) does not keep a
     * cancelled analysis waiting: it ends at once with every frame that came (Ctrl-C in the command, Cancel in the
     * workbench).
     */
    @Test
    void aSilentPipeEndsWhenTheAnalysisIsCancelled() throws Exception {
        byte[] all = Files.readAllBytes(Corpus.resolve(WIKIPEDIA));
        CaptureAnalyzer analyzer = Services.get(CaptureAnalyzer.class);
        long expected = analyzer.analyze(List.of(Corpus.resolve(WIKIPEDIA)), AnalysisOptions.defaults(), batch -> {
        }, ProgressMonitor.NONE).sessions();
        try (java.io.PipedOutputStream writer = new java.io.PipedOutputStream();
                java.io.PipedInputStream pipe = new java.io.PipedInputStream(writer, all.length + 1)) {
            writer.write(all);
            writer.flush();
            java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
            ProgressMonitor monitor = new ProgressMonitor() {
                @Override
                public void progress(String task, long done, long total) {
                }

                @Override
                public boolean isCancelled() {
                    return cancel.get();
                }
            };
            java.io.InputStream saved = System.in;
            System.setIn(pipe);
            try {
                new Thread(() -> {
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    cancel.set(true);
                }).start();
                AnalysisResult result = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(30), () -> analyzer.analyze(List.of(Path.of("-")),
                                AnalysisOptions.defaults(), batch -> {
                                }, monitor));
                assertTrue(result.cancelled());
                assertEquals(null, result.error());
                assertEquals(expected, result.sessions(), "every session of the frames that came");
            } finally {
                System.setIn(saved);
            }
        }
    }

    private static WeirRun withStandardInput(byte[] bytes, java.util.function.Supplier<WeirRun> run) {
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(bytes));
        try {
            return run.get();
        } finally {
            System.setIn(saved);
        }
    }

    /** Passed and read frames in the summary line of a filtered run. */
    private static long[] framesPassed(WeirRun run, String filter) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("capture filter: ([0-9,]+) of ([0-9,]+) frames passed").matcher(run.out());
        assertTrue(m.find(), filter + ":\n" + run.out());
        return new long[] { Long.parseLong(m.group(1).replace(",", "")), Long.parseLong(m.group(2).replace(",", "")) };
    }

    /** The log's records, each its tab-separated fields but the uid. */
    private static List<String> recordsWithoutUid(Path log) throws IOException {
        List<String> records = new ArrayList<>();
        for (Map<String, String> r : ZeekLog.read(log).records()) {
            Map<String, String> fields = new java.util.LinkedHashMap<>(r);
            fields.remove("uid");
            records.add(String.join("\t", fields.values()));
        }
        return records;
    }

    @Test
    void alertsOfTheDetectorsAreWrittenAsJsonLines() throws IOException {
        Path alerts = tmp.resolve("alerts.json");
        Path capture = Corpus.resolve("zeek/scripts.policy.protocols.ssh.detect-bruteforcing/traces/ssh/sshguess.pcap");
        WeirRun run = WeirRun.of("analyze", capture.toString(), "-C", "--alerts", alerts.toString());

        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = Files.readAllLines(alerts).stream().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty(), "password guessing against SSH raises alerts");
        assertTrue(run.out().contains("alerts: " + lines.size()), run.out());
        for (String line : lines) {
            try (JsonParser p = new JsonFactory().createParser(line)) {
                assertEquals(JsonToken.START_OBJECT, p.nextToken(), line);
                p.skipChildren();
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("192.168.56.1") && l.contains("192.168.56.103")),
                "an alert names the guesser and its target:\n" + String.join("\n", lines));

        WeirRun quietDetectors = WeirRun.of("analyze", capture.toString(), "-C", "--no-detectors", "--alerts",
                alerts.toString());
        assertEquals(0, quietDetectors.exitCode(), quietDetectors.err());
        assertTrue(Files.readAllLines(alerts).stream().allMatch(String::isBlank), "--no-detectors raises nothing");
    }

    @Test
    void detectorsAreListedWithParametersAndSetChecksThem() {
        WeirRun list = WeirRun.of("detectors");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("port_scan"), list.out());
        String capture = Corpus.resolve(WIKIPEDIA).toString();
        assertError(WeirRun.of("analyze", capture, "--set", "port_scan"), "--set expects DETECTOR.PARAMETER=VALUE");
        assertError(WeirRun.of("analyze", capture, "--set", "no_such_detector.x=1"), "no_such_detector");
        assertError(WeirRun.of("analyze", capture, "--set", "portscan.min_ports=20"),
                "unknown detector 'portscan': did you mean port_scan? (known: ");
        assertError(WeirRun.of("analyze", capture, "--set", "port_scan.min_port=20"),
                "detector 'port_scan' has no parameter 'min_port': did you mean min_ports? (parameters: ");
        // Refused before any work, naming the parameter and what it takes (was: the detector left out with a
        // number parser's message, and exit code 0).
        assertError(WeirRun.of("analyze", capture, "--set", "brute_force.ports=22,ssh"),
                "detector 'brute_force' parameter 'ports': '22,ssh' is not a list of ports");
        assertError(WeirRun.of("analyze", capture, "--set", "beacon.ignore_ports=70000"),
                "parameter 'ignore_ports': '70000' is not a list of ports");
        // A value of the right type that the detector itself refuses: also before any work, not a warning.
        assertError(WeirRun.of("analyze", capture, "--set", "ttl_anomaly.max_directions=0"),
                "detector 'ttl_anomaly' refused its parameters: ");
    }

    @Test
    void anomalyEvalReportsAurocOnALabelledCsv() {
        WeirRun run = WeirRun.of("anomaly-eval", Corpus.resolve("anomaly/odds/ionosphere.csv").toString(), "--seeds",
                "2");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().toLowerCase(java.util.Locale.ROOT).contains("auroc"), run.out());
        assertTrue(run.out().endsWith("\n") && !run.out().endsWith("\n\n"), "ends its last line: " + run.out());
        assertError(WeirRun.of("anomaly-eval", Corpus.resolve("anomaly/odds/ionosphere.csv").toString(),
                "--label-column", "no_such_column"), "no_such_column");
    }

    @Test
    void helpAndVersion() {
        WeirRun help = WeirRun.of("help", "analyze");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("usage: weir analyze CAPTURE..."));
        assertEquals(0, WeirRun.of("--version").exitCode());
        assertEquals(ExitCodes.BAD_INPUT, WeirRun.of().exitCode());
    }

    private static void assertError(WeirRun run, String expected) {
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.errLines().get(0).startsWith("weir: "), run.err());
        assertTrue(run.errLines().get(0).contains(expected), "expected '" + expected + "' in:\n" + run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }
}
