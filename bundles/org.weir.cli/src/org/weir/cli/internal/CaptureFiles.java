package org.weir.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.weir.core.CaptureAnalyzer;

/**
 * The captures named on a command line, checked before any work: each must exist, be no folder and be readable, and
 * no output may be one of them.
 * Standard input ({@code -}) and files that are no regular files (named pipes, a shell's process substitution) are
 * read as streams, as tcpdump and Zeek read them.
 */
final class CaptureFiles {

    private CaptureFiles() {
    }

    /**
     * Why reading the captures failed, as an error line: the file a {@link NoSuchFileException} names (it went away
     * after the check), else the message, which names the file and what is wrong with it.
     */
    static String readFailure(Exception e) {
        return e instanceof NoSuchFileException missing ? missing.getFile() + ": no such file" : e.getMessage();
    }

    /** The first capture that cannot be read, with why, as an error line; null when all can. */
    static String problem(List<Path> captures) {
        for (Path p : captures) {
            if (CaptureAnalyzer.isStandardInput(p)) {
                if (isTerminal(0)) {
                    // It would wait for a capture typed in, as gzip refuses to (a forgotten pipe, most likely).
                    return "standard input is a terminal, not a capture: pipe one in (tcpdump -w - | weir analyze -)"
                            + " or name a file";
                }
                continue;
            }
            if (!Files.exists(p)) {
                return p + ": no such file";
            }
            if (Files.isDirectory(p)) {
                return p + ": a folder, not a capture file";
            }
            if (!Files.isReadable(p)) {
                return p + ": not readable (permission denied)";
            }
        }
        return null;
    }

    /**
     * Whether a standard stream (0 input, 1 output) is a terminal, by what its descriptor links to (Linux); false when
     * that is unknown.
     */
    static boolean isTerminal(int descriptor) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + descriptor)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * The first output that is one of the captures (the same file, under whatever name), as an error line; null when
     * none is.
     *
     * @param outputs option and file name pairs, the name null or {@code -} for none
     * @throws UsageException when two outputs name the same file
     */
    static String overwrite(List<Path> captures, String[][] outputs) throws UsageException {
        for (int i = 0; i < outputs.length; i++) {
            String option = outputs[i][0], name = outputs[i][1];
            if (name == null || name.equals("-")) {
                continue;
            }
            Path read = CaptureAnalyzer.captureAt(Path.of(name), captures);
            if (read != null) {
                return option + " " + name + ": that is the capture being read (" + read + "); nothing was written";
            }
            for (int j = 0; j < i; j++) {
                String earlier = outputs[j][1];
                if (earlier != null && Path.of(earlier).toAbsolutePath().normalize()
                        .equals(Path.of(name).toAbsolutePath().normalize())) {
                    throw new UsageException(outputs[j][0] + " and " + option + " name the same file, " + name);
                }
            }
        }
        return null;
    }
}
