package org.weir.cli.internal;

import java.io.PrintStream;
import java.util.Locale;

import org.weir.core.ProgressMonitor;

/**
 * A progress line on the terminal ({@code \r}-rewritten, at most five times a second) and the Ctrl-C flag.
 * Prints nothing when disabled (output not a terminal), but still carries cancellation.
 */
final class TerminalProgress implements ProgressMonitor {

    private final PrintStream err;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private volatile boolean cancelled;
    private long lastPrint;
    private boolean printed;

    TerminalProgress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void progress(String task, long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastPrint < 200_000_000L && done < total) {
            return;
        }
        lastPrint = now;
        double seconds = (now - startNanos) / 1e9;
        String line = total > 0
                ? String.format(Locale.ROOT, "%s: %5.1f%%  %s of %s  %.1f s", task, 100.0 * done / total,
                        Format.bytes(done), Format.bytes(total), seconds)
                : String.format(Locale.ROOT, "%s: %s  %.1f s", task, Format.bytes(done), seconds);
        err.print("\r" + line + "\033[K");
        err.flush();
        printed = true;
    }

    /** Ends the progress line so that what follows starts on a clean line. */
    void finish() {
        if (printed) {
            err.print("\r\033[K");
            err.flush();
            printed = false;
        }
    }

    /** True when standard error is an interactive terminal. */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even when redirected; it then answers isTerminal() == false.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
