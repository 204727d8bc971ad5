package org.weir.cli.internal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/** Standard streams of one invocation, and Ctrl-C handling. */
final class Console {

    private final PrintStream out;
    private final StandardOutput stdout;
    private final PrintStream err;
    private final String program;

    /** {@code stdout} is what {@code out} writes to: writers of records write there directly (see stdoutStream). */
    Console(PrintStream out, StandardOutput stdout, PrintStream err, String program) {
        this.out = out;
        this.stdout = stdout;
        this.err = err;
        this.program = program;
    }

    /**
     * The console of a process: standard output is {@code stdout} (its file descriptor), printed to in {@code charset}
     * through a buffer flushed at each line, its errors kept (a print stream keeps them to itself).
     */
    static Console over(OutputStream stdout, Charset charset, PrintStream err, String program) {
        StandardOutput kept = new StandardOutput(stdout);
        return new Console(new PrintStream(new BufferedOutputStream(kept, 8192), true, charset), kept, err, program);
    }

    /** A console whose standard output is {@code out} alone, whose errors it keeps to itself (tests). */
    Console(PrintStream out, PrintStream err, String program) {
        this(out, new StandardOutput(out), err, program);
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /**
     * Standard output as a stream that a writer may close without closing standard output. Its errors are thrown,
     * not kept as the print stream keeps them, so that a conn.log piped into a reader that went away stops the
     * analysis at once.
     */
    OutputStream stdoutStream() {
        out.flush(); // what was printed before comes first
        return new FilterOutputStream(stdout) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                stdout.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                stdout.flush();
            }
        };
    }

    /** Whether standard output's reader went away (a pipe closed, as {@code | head} closes it). */
    boolean stdoutReaderGone() {
        return stdout.readerGone();
    }

    /** Why writing to standard output failed, as the system said it; null if it did not, or nobody kept it. */
    String stdoutFailure() {
        return stdout.failure();
    }

    /** One-line error on standard error, prefixed with the program name, as command-line tools do. */
    void error(String message) {
        err.println(program + ": " + message);
    }

    /** While open, Ctrl-C (SIGINT/SIGTERM) runs {@code action} and waits for the command to finish its output. */
    Interruption onInterrupt(Runnable action) {
        return new Interruption(action);
    }

    /**
     * The JVM runs shutdown hooks on Ctrl-C while other threads go on; the hook asks the work to stop and then
     * waits (bounded) until {@link #close()} says the output is complete.
     */
    static final class Interruption implements AutoCloseable {
        private final Thread hook;
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

        Interruption(Runnable action) {
            hook = new Thread(() -> {
                action.run();
                try {
                    done.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "weir-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void close() {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it returns now that the work is done.
            }
        }
    }
}
