package org.weir.cli.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/** Standard streams of one invocation, and Ctrl-C handling. */
final class Console {

    private final PrintStream out;
    private final PrintStream err;
    private final String program;

    Console(PrintStream out, PrintStream err, String program) {
        this.out = out;
        this.err = err;
        this.program = program;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** Standard output as a stream that a writer may close without closing standard output. */
    OutputStream stdoutStream() {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Console.this.out.write(b, off, len);
            }

            @Override
            public void close() {
                Console.this.out.flush();
            }
        };
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
