package org.weir.cli.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Standard output beneath the command's {@link java.io.PrintStream}, which keeps its errors to itself: this keeps the
 * first, so that the command can tell a reader that went away (as {@code | head} does once it has its lines) from a
 * full disk.
 */
final class StandardOutput extends FilterOutputStream {

    private volatile IOException failure;

    StandardOutput(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw kept(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw kept(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw kept(e);
        }
    }

    private IOException kept(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** Why writing failed first, as the system said it; null while it has not. */
    String failure() {
        IOException f = failure;
        return f == null ? null : f.getMessage();
    }

    /** Whether writing failed because the reader closed its end of the pipe. */
    boolean readerGone() {
        return readerGone(failure);
    }

    /** Whether {@code e} (or its cause) is the system's "broken pipe" (EPIPE; Java ignores SIGPIPE). */
    static boolean readerGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException && "Broken pipe".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
