package org.weir.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.IntelOptions;
import org.weir.core.IpAddress;
import org.weir.core.PolicyVerdict;
import org.weir.core.Session;

/**
 * {@code weir check}: a CI/CD gate. Judges the egress sessions of captures against a whitelist; exit 0 when
 * every one conforms, 1 with the exceptions listed, 2 on bad input.
 */
final class CheckCommand implements Command {

    static final String USAGE = """
            usage: weir check --whitelist FILE [--profile NAME] [options] CAPTURE...

            Judges every egress session of the captures (a local originator talking to a remote responder) against
            an EDAMAME whitelist, as flodbadd does: port, protocol, domain (from DNS answers, TLS SNI, HTTP Host in
            the capture), address, AS number/country/owner. Sessions on a blacklist (--blacklist) are findings too.
            Prints one line per exception on standard output, tab-separated:
              uid  proto orig_h:orig_p -> resp_h:resp_p  domain (or -)  reason
            and a summary on standard error.

            exit codes: 0 every egress session conforms, 1 exceptions found, 2 bad arguments or input (a
                        damaged capture: the findings before the damage are listed), 130 interrupted (the
                        findings so far are listed; the check is incomplete)

            options:
              -r, --read FILE        a capture to read, as with zeek -r and tcpdump -r (the same as naming it)
              --local-nets LIST      networks counted as local (CIDRs, comma-separated); default: the private
                                     address space
              -f, --filter EXPR      judge only the frames that a capture filter accepts (see weir analyze --help)
              -C, --ignore-checksums do not verify checksums (as zeek -C)
              -b, --bare             sessions as zeek -b (see weir analyze --help)
              --progress / --no-progress
                                     progress line on standard error (default: when it is a terminal)
            %s""".formatted(IntelFlags.USAGE);

    private final CaptureAnalyzer analyzer;

    CheckCommand(CaptureAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "CI gate: do the captures' egress sessions conform to a whitelist? (exit 0/1)";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> argv, Console console) throws UsageException {
        IntelFlags intel = new IntelFlags();
        boolean ignoreChecksums = false, bare = false;
        Boolean progress = null;
        String filter = null;
        Arguments args = new Arguments(argv);
        for (String option; (option = args.nextOption()) != null;) {
            if (intel.accept(option, args)) {
                continue;
            }
            switch (option) {
                case "-r", "--read" -> args.addOperand(args.value(option));
                case "-f", "--filter" -> filter = args.value(option);
                case "-C", "--ignore-checksums" -> ignoreChecksums = true;
                case "-b", "--bare" -> bare = true;
                case "--progress" -> progress = true;
                case "--no-progress" -> progress = false;
                default -> throw UsageException.unknownOption(option);
            }
        }
        if (intel.whitelist == null) {
            throw new UsageException("--whitelist FILE is required");
        }
        if (!intel.enrichment) {
            throw new UsageException("--no-enrichment leaves nothing to check");
        }
        List<Path> captures = new ArrayList<>();
        for (String s : args.operands()) {
            captures.add(Path.of(s));
        }
        if (captures.isEmpty()) {
            throw new UsageException("no capture file given");
        }
        String unreadable = CaptureFiles.problem(captures);
        if (unreadable != null) {
            console.error(unreadable);
            return ExitCodes.BAD_INPUT;
        }
        IntelOptions io = intel.options();
        AnalysisOptions options = AnalysisOptions.defaults().withDetection(false).withIgnoreChecksums(ignoreChecksums)
                .withBareZeek(bare).withIntel(io).withCaptureFilter(filter);
        List<String> findings = new ArrayList<>();
        long[] judged = new long[2]; // egress sessions with a verdict, blacklisted sessions
        String[] profile = new String[1];
        TerminalProgress monitor = new TerminalProgress(console.err(),
                progress != null ? progress : TerminalProgress.isTerminal());
        AnalysisResult result;
        // Ctrl-C stops the analysis; the hook waits until the findings so far are listed.
        try (Console.Interruption ignored = console.onInterrupt(monitor::cancel)) {
            try {
                result = analyzer.analyze(captures, options, batch -> {
                    for (Session s : batch.closed()) {
                        PolicyVerdict v = s.verdict();
                        String blacklisted = blacklistTags(s);
                        if (v != null) {
                            judged[0]++;
                            profile[0] = v.profile();
                            if (!v.conforming()) {
                                findings.add(line(s, v.rule()));
                            }
                        } else if (blacklisted != null) {
                            judged[1]++;
                            findings.add(line(s, "blacklisted (" + blacklisted + ")"));
                        }
                    }
                }, monitor);
            } catch (IOException | IllegalArgumentException e) {
                monitor.finish();
                console.error(CaptureFiles.readFailure(e));
                return ExitCodes.BAD_INPUT;
            }
            monitor.finish();
            return report(result, findings, judged, profile[0], io, console);
        }
    }

    /** The findings, then what they are worth: a verdict, or why there is none. */
    private static int report(AnalysisResult result, List<String> findings, long[] judged, String profile,
            IntelOptions io, Console console) {
        for (String w : result.warnings()) {
            console.error("warning: " + w);
        }
        // Listed in any case: what was judged before an interruption or damage is not lost.
        for (String f : findings) {
            console.out().println(f);
        }
        String found = findings.size() + " finding(s), " + judged[0] + " egress session(s) judged";
        if (result.cancelled()) {
            console.error("interrupted: the check is incomplete; " + found + " so far");
            return ExitCodes.INTERRUPTED;
        }
        if (result.error() != null) {
            console.error(result.error().getMessage());
            console.error("the check is incomplete; " + found + " before the damage");
            return ExitCodes.BAD_INPUT;
        }
        // The profile judged by is known from the verdicts; the file's name stands in when nothing was judged.
        String against = "whitelist '" + (profile != null ? profile : io.profile() != null ? io.profile()
                : io.whitelist().getFileName()) + "'";
        if (findings.isEmpty()) {
            console.err().println(judged[0] == 0
                    ? "ok: no egress sessions to judge (none from a local network to a remote address: check"
                            + " --local-nets)"
                    : "ok: " + judged[0] + " egress session(s) conform to " + against);
            return ExitCodes.OK;
        }
        console.err().println(findings.size() + " finding(s): " + (findings.size() - judged[1]) + " of " + judged[0]
                + " egress session(s) are exceptions to " + against
                + (judged[1] > 0 ? ", " + judged[1] + " session(s) blacklisted" : ""));
        return ExitCodes.FINDINGS;
    }

    private static String blacklistTags(Session s) {
        List<String> b = s.tags().stream().filter(t -> t.startsWith("blacklist:") || t.equals("tor_exit_node")).toList();
        return b.isEmpty() ? null : String.join(",", b);
    }

    private static String line(Session s, String reason) {
        StringBuilder b = new StringBuilder(s.uid()).append('\t');
        b.append(s.transport() == null ? "?" : s.transport().zeekName()).append(' ');
        b.append(IpAddress.endpoint(s.origHi(), s.origLo(), s.origPort())).append(" -> ")
                .append(IpAddress.endpoint(s.respHi(), s.respLo(), s.respPort()));
        String domain = s.respInfo().domain();
        b.append('\t').append(domain == null ? "-" : domain);
        b.append('\t').append(reason);
        return b.toString();
    }
}
