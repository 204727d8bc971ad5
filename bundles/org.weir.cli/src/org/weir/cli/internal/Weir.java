package org.weir.cli.internal;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.weir.core.Spelling;

/** The {@code weir} command: dispatches to sub-commands, prints usage, turns problems into exit codes. */
final class Weir {

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final String version;

    Weir(List<Command> commands, String version) {
        for (Command c : commands) {
            this.commands.put(c.name(), c);
        }
        this.version = version;
    }

    int run(List<String> args, Console console) {
        if (args.isEmpty()) {
            console.err().print(usage());
            return ExitCodes.BAD_INPUT;
        }
        String first = args.get(0);
        switch (first) {
            case "-h", "--help", "help" -> {
                if (args.size() == 1 || List.of("help", "version").contains(args.get(1))) {
                    console.out().print(usage());
                } else if (commands.containsKey(args.get(1))) {
                    console.out().print(commands.get(args.get(1)).usage());
                } else {
                    return unknownCommand(args.get(1), console);
                }
                return ExitCodes.OK;
            }
            case "-V", "--version", "version" -> {
                console.out().println("weir " + version);
                return ExitCodes.OK;
            }
            default -> {
                // fall through to the sub-commands
            }
        }
        Command command = commands.get(first);
        if (command == null) {
            return unknownCommand(first, console);
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("-h") || rest.contains("--help")) {
            console.out().print(command.usage());
            return ExitCodes.OK;
        }
        try {
            return standardOutputWritten(command.run(rest, console), console);
        } catch (UsageException e) {
            // The mistake, what was probably meant, and the command's synopsis: the whole usage would push the line
            // that says what is wrong off the screen.
            console.error(command.name() + ": " + e.getMessage() + meant(e.unknownOption(), command.usage()));
            console.err().print(synopsis(command.usage()));
            console.err().println("('weir help " + command.name() + "' tells more)");
            return ExitCodes.BAD_INPUT;
        } catch (InvalidPathException e) {
            // A name no file can have: a NUL character, or (the JVM naming files in the locale's character set) a
            // letter beyond ASCII under the C/POSIX locale, which the launcher avoids.
            String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
            console.error(command.name() + ": cannot use the file name '" + e.getInput() + "': " + e.getReason()
                    + (charset.equalsIgnoreCase("UTF-8") ? ""
                            : " (file names are read as " + charset + " here; a UTF-8 locale, e.g. LC_ALL=C.UTF-8,"
                                    + " reads them all)"));
            return ExitCodes.BAD_INPUT;
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            // A defect or an exhausted machine, not the user's input: say so in one line, never a stack trace.
            console.error(command.name() + ": internal error: " + describe(e)
                    + (e instanceof OutOfMemoryError ? " " + OUT_OF_MEMORY_ADVICE : ""));
            return ExitCodes.INTERNAL_ERROR;
        }
    }

    private int unknownCommand(String name, Console console) {
        List<String> names = new ArrayList<>(commands.keySet());
        names.addAll(List.of("help", "version"));
        console.error("unknown command '" + name + "'"
                + Spelling.closest(name, names).map(known -> ": did you mean '" + known + "'?").orElse("")
                + " (try 'weir help')");
        return ExitCodes.BAD_INPUT;
    }

    /**
     * The command's exit code, or {@link ExitCodes#IO_ERROR} when what it wrote to standard output did not arrive (a
     * full disk): standard output is a {@link PrintStream}, which keeps such errors to itself, and a script that gets 0
     * would take a cut conn.log or summary for a whole one. A reader that went away ({@code | head}) is
     * {@link ExitCodes#STDOUT_CLOSED}, without a word, as SIGPIPE ends a C tool.
     */
    private static int standardOutputWritten(int code, Console console) {
        boolean failed = console.out().checkError(); // flushes what is buffered
        if (console.stdoutReaderGone()) {
            return ExitCodes.STDOUT_CLOSED;
        }
        if (failed) {
            String why = console.stdoutFailure();
            console.error("cannot write to standard output (" + (why != null ? why : "a full disk, or its reader went"
                    + " away") + "): what was written there is incomplete");
            return code == ExitCodes.OK ? ExitCodes.IO_ERROR : code;
        }
        return code;
    }

    /** An option that a usage text names, written like a long option the command does not have; else "". */
    static String meant(String unknownOption, String usage) {
        if (unknownOption == null || unknownOption.length() <= 2) {
            return ""; // a single letter is as near to every other
        }
        Set<String> options = new LinkedHashSet<>();
        Matcher m = OPTION.matcher(usage);
        while (m.find()) {
            options.add(m.group());
        }
        return Spelling.suggestion(unknownOption, options);
    }

    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--?[A-Za-z][A-Za-z0-9-]*");

    /** The usage's first paragraph: how the command is called. */
    static String synopsis(String usage) {
        int end = usage.indexOf("\n\n");
        return end < 0 ? usage : usage.substring(0, end + 1);
    }

    /** What a user can do about an exhausted heap. */
    static final String OUT_OF_MEMORY_ADVICE =
            "(try a larger heap, e.g. WEIR_VMARGS=-Xmx8g, or a lower --max-sessions)";

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private String usage() {
        StringBuilder sb = new StringBuilder("usage: weir COMMAND [ARGS...]\n\ncommands:\n");
        for (Command c : commands.values()) {
            sb.append(String.format("  %-12s %s%n", c.name(), c.summary()));
        }
        sb.append(String.format("  %-12s %s%n", "help", "this text, or 'weir help COMMAND' for one command"));
        sb.append(String.format("  %-12s %s%n", "version", "print the version"));
        sb.append("\nexit codes: 0 ok, 1 findings (check), 2 bad arguments or input, 3 output error, 70 internal error,"
                + " 130 interrupted,\n            141 standard output closed by its reader (as by | head)\n");
        return sb.toString();
    }
}
