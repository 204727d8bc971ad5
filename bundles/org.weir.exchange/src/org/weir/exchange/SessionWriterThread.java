package org.weir.exchange;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;

/**
 * Writes the closed sessions of each batch through {@link SessionWriter}s on a thread of its own, so that formatting
 * and output leave the pipeline thread. Closed sessions are final ({@link SessionBatch}), so the records are the
 * same as when written in the listener call, and in the same order; enrichers and detectors that tag sessions do so
 * during the call, before the batch reaches this listener.
 *
 * <p>The queue is bounded (the pipeline waits when the writers fall behind). An I/O error of a writer stops all
 * writing; it is thrown as an {@link UncheckedIOException} from the next {@link #onSessions} call, and as an
 * {@link IOException} from {@link #close()}, which writes what is queued, closes the writers and waits for the
 * thread.
 */
public final class SessionWriterThread implements SessionListener, Closeable {

    private static final Session[] END = new Session[0];

    /** An array: iterating a list would make an iterator per session. */
    private final SessionWriter[] writers;
    private final BlockingQueue<Session[]> queue = new ArrayBlockingQueue<>(16);
    private final Thread thread;
    private volatile IOException failure;
    private boolean closed;

    public SessionWriterThread(List<SessionWriter> writers) {
        this.writers = List.copyOf(writers).toArray(new SessionWriter[0]);
        this.thread = new Thread(this::run, "weir session writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void onSessions(SessionBatch batch) {
        IOException f = failure;
        if (f != null) {
            throw new UncheckedIOException(f);
        }
        List<Session> closedSessions = batch.closed();
        if (!closedSessions.isEmpty() && !closed) {
            put(closedSessions.toArray(END)); // the list is only valid during this call
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        put(END);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // what was analysed is still written
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        IOException first = failure;
        for (SessionWriter w : writers) {
            try {
                w.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void put(Session[] sessions) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(sessions);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the batch must not be lost
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Session[] sessions;
            try {
                sessions = queue.take();
            } catch (InterruptedException e) {
                continue; // only close() ends this thread, after the last batch
            }
            if (sessions == END) {
                return;
            }
            if (failure != null) {
                continue; // keep taking, so the pipeline never waits on a stopped writer
            }
            try {
                for (Session s : sessions) {
                    for (SessionWriter w : writers) {
                        w.write(s);
                    }
                }
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException("writing sessions failed: " + e, e);
            }
        }
    }
}
