package org.weir.ui.sessions.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.weir.core.LocalNetworks;
import org.weir.core.Session;
import org.weir.exchange.ConnColumns;
import org.weir.exchange.JsonConnWriter;
import org.weir.exchange.SessionWriter;
import org.weir.exchange.ZeekConnLogWriter;

/**
 * Writes the sessions the view shows, in its order, as Wireshark's "Export Specified Packets" writes the displayed
 * packets: a Zeek conn.log with the column groups the view shows, or JSON lines when the file's name ends in
 * {@code .json} (what {@code weir analyze --conn-log} and {@code --json} write). A file that could not be finished is
 * removed rather than left half written.
 */
final class SessionExport {

    /** Rows written between looks at the monitor. */
    private static final int STEP = 8192;

    private SessionExport() {
    }

    /** "Exporting 1,000,000 sessions to conn.log": the job's name. */
    static String taskName(int rows, Path file) {
        return String.format(Locale.ROOT, "Exporting %,d %s to %s", rows, rows == 1 ? "session" : "sessions",
                file.getFileName());
    }

    /** Whether the file's name asks for JSON lines. */
    static boolean isJson(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    /**
     * Writes the rows; on cancellation or an error the file is removed.
     *
     * @throws OperationCanceledException when the monitor was cancelled
     * @throws IOException what went wrong writing
     */
    static void write(Session[] rows, Set<ConnColumns> groups, Path file, IProgressMonitor monitor)
            throws IOException {
        monitor.beginTask(taskName(rows.length, file), rows.length);
        boolean done = false;
        try (OutputStream out = Files.newOutputStream(file);
                SessionWriter writer = isJson(file) ? new JsonConnWriter(out, LocalNetworks.privateAddressSpace())
                        : new ZeekConnLogWriter(out, LocalNetworks.privateAddressSpace(), groups)) {
            for (int i = 0; i < rows.length; i++) {
                writer.write(rows[i]);
                if (i % STEP == STEP - 1) {
                    if (monitor.isCanceled()) {
                        throw new OperationCanceledException();
                    }
                    monitor.worked(STEP);
                }
            }
            done = true;
        } finally {
            monitor.done();
            if (!done && Files.isRegularFile(file)) { // never a device such as /dev/null
                Files.deleteIfExists(file);
            }
        }
    }
}
