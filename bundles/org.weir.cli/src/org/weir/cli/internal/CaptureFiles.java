package org.weir.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.weir.core.CaptureAnalyzer;

/**
 * The captures named on a command line, checked before any work: each must exist, be no folder and be readable.
 * Standard input ({@code -}) and files that are no regular files (named pipes, a shell's process substitution) are
 * read as streams, as tcpdump and Zeek read them.
 */
final class CaptureFiles {

    private CaptureFiles() {
    }

    /** The first capture that cannot be read, with why, as an error line; null when all can. */
    static String problem(List<Path> captures) {
        for (Path p : captures) {
            if (CaptureAnalyzer.isStandardInput(p)) {
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
}
