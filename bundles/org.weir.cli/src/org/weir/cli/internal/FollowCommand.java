package org.weir.cli.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.FollowedStream;
import org.weir.core.IpAddress;
import org.weir.core.Session;
import org.weir.core.StreamText;
import org.weir.core.Transport;

/**
 * {@code weir follow}: the data one session carried, as tshark's {@code -z follow} prints it (a header naming the two
 * nodes, the chunks in order, the responder's indented with a tab) and Wireshark's Follow Stream shows it.
 */
final class FollowCommand implements Command {

    static final String USAGE = """
            usage: weir follow UID CAPTURE... [options]

            Prints the data one TCP or UDP session carried, as Wireshark's Follow Stream and tshark -z follow
            show it: each side's bytes in order and once, the responder's lines indented with a tab, bytes the
            capture lacks marked where they are missing. UID is the session's uid in the conn.log (or JSON, or
            the workbench) of weir analyze with the same captures and the same -f, -c, -C, -b and --max-sessions.

            options:
              -r, --read FILE        a capture to read (the same as naming it)
              --as FORM              ascii: the bytes as text, others as '.' (default); hex: a hex dump, offsets
                                     counted in each side's data; raw: each chunk's bytes in hex on one line;
                                     bytes: the data itself, no header, gaps left out (into a file or a pipe;
                                     with --side resp, what a server sent: a download, headers and all)
              --side SIDE            both (default), orig or resp: the originator's or the responder's alone
              --max-bytes N          print the first N bytes of data at most (default 67108864); the rest is
                                     counted
              -f, --filter EXPR      the capture filter the sessions were made with (as weir analyze -f)
              -c, --count N          the frame count they were made with (as weir analyze -c)
              -C, --ignore-checksums as weir analyze -C
              -b, --bare             as weir analyze -b
              --max-sessions N       as weir analyze --max-sessions
              --progress / --no-progress
                                     progress line on standard error (default: when it is a terminal)
            """;

    static final long DEFAULT_MAX_BYTES = 64L << 20;

    private static final String RULE = "=".repeat(67);

    private final CaptureAnalyzer analyzer;

    FollowCommand(CaptureAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    @Override
    public String name() {
        return "follow";
    }

    @Override
    public String summary() {
        return "print the data a TCP or UDP session carried (as Wireshark's Follow Stream)";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> argv, Console console) throws UsageException {
        AnalysisOptions options = AnalysisOptions.defaults().withDetection(false);
        StreamText form = StreamText.ASCII;
        boolean bytes = false, orig = true, resp = true;
        long maxBytes = DEFAULT_MAX_BYTES;
        Boolean progress = null;
        Arguments args = new Arguments(argv);
        for (String option; (option = args.nextOption()) != null;) {
            String o = option;
            switch (o) {
                case "-r", "--read" -> args.addOperand(args.value(o));
                case "--as" -> {
                    String v = args.value(o);
                    bytes = v.equals("bytes");
                    form = bytes ? StreamText.RAW : StreamText.of(v);
                    if (form == null) {
                        throw new UsageException("--as " + v + ": give ascii, hex, raw or bytes");
                    }
                }
                case "--side" -> {
                    String v = args.value(o);
                    if (!List.of("both", "orig", "resp").contains(v)) {
                        throw new UsageException("--side " + v + ": give both, orig or resp");
                    }
                    orig = !v.equals("resp");
                    resp = !v.equals("orig");
                }
                case "--max-bytes" -> maxBytes = args.longValue(o, 0);
                case "-f", "--filter" -> options = options.withCaptureFilter(args.value(o));
                case "-c", "--count" -> options = options.withFrameLimit(args.longValue(o, 1));
                case "-C", "--ignore-checksums" -> options = options.withIgnoreChecksums(true);
                case "-b", "--bare" -> options = options.withBareZeek(true);
                case "--max-sessions" -> options = options.withMaxLiveSessions(
                        (int) Math.min(Integer.MAX_VALUE, args.longValue(o, 1)));
                case "--progress" -> progress = true;
                case "--no-progress" -> progress = false;
                default -> throw UsageException.unknownOption(o);
            }
        }
        List<String> operands = args.operands();
        if (operands.isEmpty()) {
            throw new UsageException("no session uid given");
        }
        String uid = operands.get(0);
        if (!uid.matches("C[0-9A-Za-z]+")) {
            throw new UsageException("'" + uid + "' is not a session uid (conn.log's uid column, e.g."
                    + " CHhAvVGS1DHFjwGM9); give the uid first, then the captures");
        }
        List<Path> captures = new ArrayList<>();
        for (String s : operands.subList(1, operands.size())) {
            captures.add(Path.of(s));
        }
        if (captures.isEmpty()) {
            throw new UsageException("no capture file given");
        }
        for (Path p : captures) {
            if (CaptureAnalyzer.isStandardInput(p)) {
                throw new UsageException("follow reads the captures the uid came from a second time, which"
                        + " standard input cannot be: name the file");
            }
        }
        if (bytes && CaptureFiles.isTerminal(1)) {
            throw new UsageException("--as bytes writes the data itself, which a terminal would garble: redirect"
                    + " standard output to a file or a pipe");
        }
        String unreadable = CaptureFiles.problem(captures);
        if (unreadable != null) {
            console.error(unreadable);
            return ExitCodes.BAD_INPUT;
        }
        TerminalProgress monitor = new TerminalProgress(console.err(),
                progress != null ? progress : TerminalProgress.isTerminal());
        FollowedStream stream;
        try (Console.Interruption ignored = console.onInterrupt(monitor::cancel)) {
            try {
                stream = analyzer.followStream(captures, options, uid, maxBytes, monitor);
            } catch (IOException | IllegalArgumentException e) {
                monitor.finish();
                console.error(CaptureFiles.readFailure(e));
                return ExitCodes.BAD_INPUT;
            }
            monitor.finish();
            return report(stream, uid, bytes ? null : form, orig, resp, console);
        }
    }

    /** @param form null for the data itself */
    private static int report(FollowedStream stream, String uid, StreamText form, boolean orig, boolean resp,
            Console console) {
        Session s = stream.session();
        if (s == null) {
            if (stream.cancelled()) {
                console.error("interrupted before session " + uid + " was found");
                return ExitCodes.INTERRUPTED;
            }
            console.error("no session " + uid + " in the captures" + (stream.error() != null ? " before the damage ("
                    + stream.error().getMessage() + ")" : "") + "; uids depend on the options, so give the -f, -c,"
                    + " -C, -b and --max-sessions the conn.log was made with");
            return ExitCodes.BAD_INPUT;
        }
        if (s.transport() != Transport.TCP && s.transport() != Transport.UDP) {
            console.error("session " + uid + " is " + s.transport().zeekName() + ": follow shows the data of TCP and"
                    + " UDP sessions");
            return ExitCodes.BAD_INPUT;
        }
        if (form == null) {
            try (OutputStream out = console.stdoutStream()) {
                out.write(stream.data(orig, resp));
            } catch (IOException e) {
                if (console.stdoutReaderGone()) {
                    return ExitCodes.STDOUT_CLOSED;
                }
                console.error("cannot write standard output: " + e.getMessage());
                return ExitCodes.IO_ERROR;
            }
            return ended(stream, console);
        }
        PrintStream out = console.out();
        out.println(RULE);
        out.println("Follow: " + s.transport().zeekName() + "," + form.id());
        out.println("Filter: uid == \"" + uid + "\"");
        out.println("Node 0: " + IpAddress.endpoint(s.origHi(), s.origLo(), s.origPort()));
        out.println("Node 1: " + IpAddress.endpoint(s.respHi(), s.respLo(), s.respPort()));
        List<String> pieces = form.pieces(stream);
        for (int i = 0; i < pieces.size(); i++) {
            boolean fromOriginator = stream.chunks().get(i).fromOriginator();
            if (fromOriginator ? !orig : !resp) {
                continue;
            }
            print(out, pieces.get(i), !fromOriginator);
            if (console.stdoutReaderGone()) {
                return ExitCodes.STDOUT_CLOSED;
            }
        }
        out.println(RULE);
        return ended(stream, console);
    }

    /** What is left to say once the data is out: what --max-bytes left out, an interruption, the damage. */
    private static int ended(FollowedStream stream, Console console) {
        if (stream.omittedBytes() > 0) {
            console.error(String.format(java.util.Locale.ROOT, "%,d bytes more than --max-bytes not printed",
                    stream.omittedBytes()));
        }
        if (stream.cancelled()) {
            console.error("interrupted: the session's data is printed as far as it was read");
            return ExitCodes.INTERRUPTED;
        }
        if (stream.error() != null) {
            console.error(stream.error().getMessage());
            console.error("the session's data is printed up to the damage");
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.OK;
    }

    /** A chunk's text, each line of the responder's indented with a tab, ending with a line end. */
    private static void print(PrintStream out, String text, boolean indented) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            end = end < 0 ? text.length() : end;
            if (indented) {
                b.append('\t');
            }
            b.append(text, start, end).append('\n');
            start = end + 1;
        }
        out.print(b);
    }
}
