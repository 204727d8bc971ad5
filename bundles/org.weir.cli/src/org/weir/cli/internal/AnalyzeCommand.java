package org.weir.cli.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.CaptureFilterException;
import org.weir.core.Enrichment;
import org.weir.core.LocalNetworks;
import org.weir.core.PacketExportResult;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;
import org.weir.detect.AlertSink;
import org.weir.exchange.AlertJsonWriter;
import org.weir.exchange.ConnColumns;
import org.weir.exchange.JsonConnWriter;
import org.weir.exchange.SessionWriter;
import org.weir.exchange.SessionWriterThread;
import org.weir.exchange.ZeekConnLogWriter;
import org.weir.filter.FilterSyntaxException;
import org.weir.filter.SessionFilter;

/** {@code weir analyze}: captures → sessions → Zeek conn.log / JSON lines, with a summary. */
final class AnalyzeCommand implements Command {

    static final String USAGE = """
            usage: weir analyze CAPTURE... [options]

            Reconstructs the sessions of pcap/pcapng captures (also compressed with gzip, zstd or lz4) as Zeek's
            conn.log does and prints a summary.
            A capture named '-' is read from standard input, e.g. tcpdump -w - | weir analyze -.
            Several captures are merged by time, as mergecap merges them: the two directions of a tap make the
            link's sessions, and the files of a ring buffer may be named in any order.

            options:
              -r, --read FILE        a capture to read, as with zeek -r and tcpdump -r (the same as naming it)
              --conn-log FILE        write a Zeek conn.log (TSV); '-' for standard output
              --json FILE            write sessions as JSON lines (Zeek field names); '-' for standard output
              -w, --write FILE       write the packets of the sessions written (those -Y passes) to FILE,
                                     as pcap, or pcapng when FILE ends in .pcapng (as tshark -w; the
                                     captures are read again for it)
              -f, --filter EXPR      analyse only the frames that a capture filter accepts, in tcpdump's
                                     syntax (pcap-filter(7); as zeek -f), e.g. 'tcp port 443 or udp'
              -Y, --display-filter EXPR
                                     write and summarise only the sessions a display filter passes
                                     (as tshark -Y; Wireshark's language over conn.log's fields, as
                                     the workbench's filter bar), e.g. 'id.resp_p == 443 && !service'
              -c, --count N          analyse the first N frames only (those -f accepts), as tcpdump -c
              -C, --ignore-checksums do not verify checksums (as zeek -C)
              -b, --bare             sessions as zeek -b with the tested protocol's script loaded, as
                                     Zeek's tests run it: no likely server ports but the tunnels';
                                     the application analyzers stay attached
              --conn-columns LIST    extra conn.log columns (comma-separated groups): vlan, l2, community_id,
                                     geo (location and AS of both ends), names (domains), intel (MAC vendors,
                                     port service and CVEs, criticality tags, whitelist verdict)
              --local-nets LIST      networks counted as local (CIDRs, comma-separated; 'none' for no
                                     local_orig/local_resp); default: private address space, as Zeek
              --max-sessions N       bound on sessions open in memory (default: one per 768 bytes of the
                                     JVM's maximum heap, at most 2000000); when full, the longest-idle
                                     sessions are closed and written early
              --alerts FILE          write detector alerts as JSON lines; '-' for standard output
              --set DET.PARAM=VALUE  set a detector parameter (repeatable; see 'weir detectors')
              --no-detectors         do not run detectors
            %s  -q, --quiet            no summary
              --progress / --no-progress
                                     progress line on standard error (default: when it is a terminal)
            """.formatted(IntelFlags.USAGE);

    private final CaptureAnalyzer analyzer;

    AnalyzeCommand(CaptureAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    @Override
    public String name() {
        return "analyze";
    }

    @Override
    public String summary() {
        return "reconstruct sessions from captures; write conn.log / JSON";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> argv, Console console) throws UsageException {
        String connLog = null, json = null, alertsFile = null, displayFilter = null, packets = null;
        List<String> assignments = new ArrayList<>();
        boolean ignoreChecksums = false, quiet = false;
        Boolean progress = null;
        Set<ConnColumns> columns = EnumSet.noneOf(ConnColumns.class);
        LocalNetworks local = LocalNetworks.privateAddressSpace();
        AnalysisOptions options = AnalysisOptions.defaults();
        IntelFlags intel = new IntelFlags();
        Arguments args = new Arguments(argv);
        for (String option; (option = args.nextOption()) != null;) {
            String o = option;
            if (intel.accept(o, args)) {
                if (o.equals("--local-nets")) {
                    local = intel.local;
                }
                continue;
            }
            switch (o) {
                case "-r", "--read" -> args.addOperand(args.value(o));
                case "--conn-log" -> connLog = args.value(o);
                case "--json" -> json = args.value(o);
                case "-w", "--write" -> packets = args.value(o);
                case "-f", "--filter" -> options = options.withCaptureFilter(args.value(o));
                case "-Y", "--display-filter" -> displayFilter = args.value(o);
                case "-c", "--count" -> options = options.withFrameLimit(args.longValue(o, 1));
                case "-C", "--ignore-checksums" -> ignoreChecksums = true;
                case "-b", "--bare" -> options = options.withBareZeek(true);
                case "--conn-columns" -> {
                    String v = args.value(o);
                    columns = parse(() -> ConnColumns.parse(v));
                }
                case "--max-sessions" -> options = options.withMaxLiveSessions(
                        (int) Math.min(Integer.MAX_VALUE, args.longValue(o, 1)));
                case "--alerts" -> alertsFile = args.value(o);
                case "--set" -> assignments.add(args.value(o));
                case "--no-detectors" -> options = options.withDetection(false);
                case "-q", "--quiet" -> quiet = true;
                case "--progress" -> progress = true;
                case "--no-progress" -> progress = false;
                default -> throw UsageException.unknownOption(o);
            }
        }
        List<Path> captures = new ArrayList<>();
        for (String s : args.operands()) {
            captures.add(Path.of(s));
        }
        if (captures.isEmpty()) {
            throw new UsageException("no capture file given");
        }
        if (List.of(String.valueOf(connLog), String.valueOf(json), String.valueOf(alertsFile)).stream()
                .filter("-"::equals).count() > 1) {
            throw new UsageException("only one of --conn-log, --json and --alerts can write to standard output");
        }
        if (packets != null) {
            if (packets.equals("-")) {
                throw new UsageException("-w needs a file: the packets are written after the sessions are known");
            }
            for (Path p : captures) {
                if (CaptureAnalyzer.isStandardInput(p) || (Files.exists(p) && !Files.isRegularFile(p))) {
                    throw new UsageException("-w reads the captures again, which " + (CaptureAnalyzer
                            .isStandardInput(p) ? "standard input" : p + " (not a regular file)") + " cannot be");
                }
            }
        }
        options = options.withDetectorParameters(DetectorsCommand.parseAssignments(assignments))
                .withIntel(intel.options());
        String unreadable = CaptureFiles.problem(captures);
        if (unreadable != null) {
            console.error(unreadable);
            return ExitCodes.BAD_INPUT;
        }
        String overwrite = CaptureFiles.overwrite(captures, new String[][] {{"--conn-log", connLog},
                {"--json", json}, {"--alerts", alertsFile}, {"-w", packets}});
        if (overwrite != null) {
            console.error(overwrite);
            return ExitCodes.BAD_INPUT;
        }
        options = options.withIgnoreChecksums(ignoreChecksums);
        SessionFilter sessionFilter = SessionFilter.ALL;
        if (displayFilter != null) {
            try {
                sessionFilter = SessionFilter.compile(displayFilter, local);
            } catch (FilterSyntaxException e) {
                console.error("display filter: " + e.reason());
                console.err().println("  " + displayFilter);
                console.err().println("  " + " ".repeat(e.start()) + "^" + "~".repeat(Math.max(0,
                        e.end() - e.start() - 1)));
                return ExitCodes.BAD_INPUT;
            }
        }
        refuseWhatNeedsEnrichment(intel, displayFilter, sessionFilter);
        boolean stdoutTaken = "-".equals(connLog) || "-".equals(json) || "-".equals(alertsFile);
        PrintStream report = quiet ? null : stdoutTaken ? console.err() : console.out();

        List<SessionWriter> writers = new ArrayList<>();
        AlertJsonWriter alerts = null;
        try {
            if (alertsFile != null) {
                alerts = new AlertJsonWriter(open(alertsFile, console));
            }
            if (connLog != null) {
                writers.add(FilteredWriter.of(new ZeekConnLogWriter(open(connLog, console), local, columns),
                        sessionFilter));
            }
            if (json != null) {
                writers.add(FilteredWriter.of(new JsonConnWriter(open(json, console), local), sessionFilter));
            }
            if (packets != null) {
                open(packets, console).close(); // refused now rather than after the analysis
            }
        } catch (OutputException e) {
            closeQuietly(opened(writers, alerts));
            console.error(e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (IOException e) {
            closeQuietly(opened(writers, alerts));
            console.error("cannot write output: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }

        // Enrichment is computed for what reads it: the outputs, the feeds named on the command line (whose errors
        // are then reported), and the detectors (the engine adds theirs).
        Set<Enrichment> read = intel.named();
        for (SessionWriter w : writers) {
            read.addAll(w.reads());
        }
        if (!quiet) {
            read.addAll(sessionFilter.reads()); // the summary's sessions are filtered too
        }
        options = options.withIntel(options.intel().withRead(read));

        Summary summary = new Summary(sessionFilter);
        List<SessionListener> listeners = new ArrayList<>();
        PacketChoice chosen = packets == null ? null : new PacketChoice(sessionFilter);
        if (chosen != null) {
            listeners.add(chosen);
        }
        // Records are formatted and written on a thread of their own, off the packet path.
        List<Closeable> outputs = new ArrayList<>();
        if (!writers.isEmpty()) {
            SessionWriterThread writing = new SessionWriterThread(writers);
            listeners.add(writing);
            outputs.add(writing);
        }
        if (alerts != null) {
            outputs.add(alerts);
        }
        if (!quiet) {
            // Only printed: with --quiet, not gathered either.
            listeners.add(summary);
        }
        SessionListener all = batch -> fanOut(listeners, batch);
        TerminalProgress monitor = new TerminalProgress(console.err(),
                progress != null ? progress : TerminalProgress.isTerminal());
        // Ctrl-C stops the analysis; the hook waits until everything analysed so far is written.
        try (Console.Interruption ignored = console.onInterrupt(monitor::cancel)) {
            int status = analyzeAndWrite(captures, options, all, alerts, monitor, outputs, !writers.isEmpty(),
                    summary, report, console);
            if (chosen != null && (status == ExitCodes.OK || status == ExitCodes.BAD_INPUT && chosen.analysed)) {
                int written = writePackets(captures, options, chosen, Path.of(packets), monitor, report, console);
                return status == ExitCodes.OK ? written : status;
            }
            if (chosen != null) {
                deleteQuietly(Path.of(packets));
                if (status == ExitCodes.INTERRUPTED) {
                    console.error("the packets (-w) were not written");
                }
            }
            return status;
        }
    }

    /**
     * With {@code --no-enrichment}, a feed named or a display filter on enrichment fields would be ignored without a
     * word (the filter then passes no session, or every one). Enrichment columns may stay: unset, they keep a
     * schema's columns in place at the speed without enrichment.
     */
    private static void refuseWhatNeedsEnrichment(IntelFlags intel, String displayFilter, SessionFilter filter)
            throws UsageException {
        if (intel.enrichment) {
            return;
        }
        String turnedOff = ", which --no-enrichment turns off";
        if (!intel.feedOptions().isEmpty()) {
            throw new UsageException(String.join(" and ", intel.feedOptions()) + " feed enrichment" + turnedOff);
        }
        if (!filter.reads().isEmpty()) {
            throw new UsageException("the display filter '" + displayFilter + "' reads enrichment ("
                    + String.join(", ", filter.reads().stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList())
                    + ")" + turnedOff);
        }
    }

    /**
     * {@code -w}: the packets of the sessions written, found by a second reading of the captures.
     *
     * @return the exit code
     */
    private int writePackets(List<Path> captures, AnalysisOptions options, PacketChoice chosen, Path file,
            TerminalProgress monitor, PrintStream report, Console console) {
        PacketExportResult result;
        try {
            result = analyzer.exportPackets(captures, options, chosen.uids, file, monitor);
        } catch (IllegalArgumentException e) {
            monitor.finish();
            deleteQuietly(file); // made empty before the analysis, to refuse it early
            console.error(file + ": " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (IOException e) {
            monitor.finish();
            deleteQuietly(file);
            console.error(file + ": cannot write the packets (" + e.getMessage() + ")");
            return ExitCodes.IO_ERROR;
        }
        monitor.finish();
        if (result.cancelled()) {
            console.error("interrupted: the packets were not written");
            return ExitCodes.INTERRUPTED;
        }
        String line = "packets: %s of %s %s written to %s".formatted(Format.count(result.frames()),
                Format.count(result.sessions()), result.sessions() == 1 ? "session" : "sessions", file);
        if (report != null) {
            report.println(line);
        }
        return ExitCodes.OK;
    }

    /** The uids of the sessions that {@code -w} writes the packets of: those the display filter passes. */
    private static final class PacketChoice implements SessionListener {
        private final SessionFilter filter;
        final Set<String> uids = new HashSet<>();
        /** Whether any session was made: a capture damaged before its first leaves nothing to write. */
        boolean analysed;

        PacketChoice(SessionFilter filter) {
            this.filter = filter;
        }

        @Override
        public void onSessions(SessionBatch batch) {
            analysed |= !batch.closed().isEmpty();
            for (var s : batch.closed()) {
                if (filter.test(s)) {
                    uids.add(s.uid());
                }
            }
        }
    }

    /** Removes a file left empty or unfinished; never a device such as /dev/null. */
    private static void deleteQuietly(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // It was empty.
        }
    }

    private int analyzeAndWrite(List<Path> captures, AnalysisOptions options, SessionListener all,
            AlertJsonWriter alerts, TerminalProgress monitor, List<Closeable> outputs, boolean sessionsWritten,
            Summary summary, PrintStream report, Console console) {
        boolean quiet = report == null;
        long start = System.nanoTime();
        AnalysisResult result;
        try {
            AlertSink sink = alerts != null ? alerts : alert -> {
            };
            result = analyzer.analyze(captures, options, all, sink, monitor);
        } catch (IOException | CaptureFilterException e) {
            monitor.finish();
            closeQuietly(outputs);
            console.error(CaptureFiles.readFailure(e));
            return ExitCodes.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            // A detector parameter that does not fit the detectors present, or standard input named twice.
            monitor.finish();
            closeQuietly(outputs);
            console.error(e.getMessage() + (assignmentsGiven(options) ? " (see 'weir detectors')" : ""));
            return ExitCodes.BAD_INPUT;
        } catch (UncheckedIOException e) {
            monitor.finish();
            closeQuietly(outputs);
            if (StandardOutput.readerGone(e)) {
                return ExitCodes.STDOUT_CLOSED; // what the reader wanted it has; nothing to say
            }
            console.error("cannot write output: " + e.getCause().getMessage());
            return ExitCodes.IO_ERROR;
        } catch (OutOfMemoryError e) {
            monitor.finish();
            closeQuietly(outputs);
            long heapMb = Runtime.getRuntime().maxMemory() >> 20;
            console.error("out of memory: the capture's state outgrew the heap (" + heapMb + " MB); the analysis "
                    + "stopped and the sessions closed until then were written " + Weir.OUT_OF_MEMORY_ADVICE);
            return ExitCodes.INTERNAL_ERROR;
        }
        monitor.finish();
        int status = ExitCodes.OK;
        for (Closeable w : outputs) {
            try {
                w.close();
            } catch (IOException e) {
                if (StandardOutput.readerGone(e)) {
                    status = ExitCodes.STDOUT_CLOSED;
                } else {
                    console.error("cannot finish output: " + e.getMessage());
                    status = status == ExitCodes.STDOUT_CLOSED ? status : ExitCodes.IO_ERROR;
                }
            }
        }
        if (status == ExitCodes.STDOUT_CLOSED) {
            return status; // the reader has what it wanted: no summary, no warnings
        }
        for (String warning : result.warnings()) {
            console.error("warning: " + warning);
        }
        if (result.evicted() > 0) {
            console.error("warning: %s sessions were closed early: more than %s were open at once (raise the bound "
                    .formatted(Format.count(result.evicted()), Format.count(options.sessions().maxLiveSessions()))
                    + "with --max-sessions, and the heap with WEIR_VMARGS=-Xmx...)");
        }
        if (!quiet) {
            summary.print(report, result, captures.size(), (System.nanoTime() - start) / 1e9);
        }
        if (result.error() != null) {
            console.error(result.error().getMessage() + " (" + whatWasKept(result.sessions(), sessionsWritten, !quiet)
                    + ")");
            return ExitCodes.BAD_INPUT;
        }
        if (result.cancelled()) {
            console.error("interrupted: sessions analysed so far were written");
            return ExitCodes.INTERRUPTED;
        }
        return status;
    }

    /** What became of the sessions seen before the damage that stopped the analysis. */
    static String whatWasKept(long sessions, boolean written, boolean summarised) {
        if (sessions == 0) {
            return "no sessions before it";
        }
        boolean one = sessions == 1;
        String those = one ? "the session before it" : "the " + Format.count(sessions) + " sessions before it";
        if (written) {
            return those + (one ? " was written" : " were written");
        }
        return those + (summarised ? (one ? " is in the summary" : " are in the summary")
                : (one ? " was analysed" : " were analysed"));
    }

    private static boolean assignmentsGiven(AnalysisOptions options) {
        return !options.detectorParameters().isEmpty();
    }

    private static void fanOut(List<SessionListener> listeners, SessionBatch batch) {
        for (SessionListener l : listeners) {
            l.onSessions(batch);
        }
    }

    private static OutputStream open(String target, Console console) throws IOException, OutputException {
        if (target.equals("-")) {
            return console.stdoutStream();
        }
        Path p = Path.of(target);
        try {
            return Files.newOutputStream(p);
        } catch (NoSuchFileException e) {
            // Also said of a folder that exists but takes no new files (such as /proc).
            Path folder = p.toAbsolutePath().getParent();
            throw new OutputException(target + ": cannot write (" + (folder != null && Files.isDirectory(folder)
                    ? "no file can be made in " + folder : "folder does not exist") + ")");
        } catch (AccessDeniedException e) {
            throw new OutputException(target + ": cannot write (permission denied)");
        } catch (IOException e) {
            throw new OutputException(target + ": cannot write (" + e.getMessage() + ")");
        }
    }

    private static List<Closeable> opened(List<SessionWriter> writers, Closeable alerts) {
        List<Closeable> all = new ArrayList<>(writers);
        if (alerts != null) {
            all.add(alerts);
        }
        return all;
    }

    private static void closeQuietly(List<? extends Closeable> outputs) {
        for (Closeable c : outputs) {
            try {
                c.close();
            } catch (IOException ignored) {
                // The first error has been reported already.
            }
        }
    }

    private interface Parser<T> {
        T parse() throws UsageException;
    }

    private static <T> T parse(Parser<T> parser) throws UsageException {
        try {
            return parser.parse();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static final class OutputException extends Exception {
        private static final long serialVersionUID = 1L;

        OutputException(String message) {
            super(message);
        }
    }
}
