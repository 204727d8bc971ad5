package org.weir.exchange;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

import org.weir.core.Enrichment;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;

/**
 * Writes every closed session as one record. As a {@link SessionListener} it writes the closed sessions of each
 * batch; I/O errors surface as {@link UncheckedIOException} from the listener call and as {@link IOException}
 * from {@link #close()}.
 */
public abstract class SessionWriter implements SessionListener, Closeable {

    private long written;

    @Override
    public final void onSessions(SessionBatch batch) {
        try {
            for (Session s : batch.closed()) {
                write(s);
                written++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one session record. */
    public abstract void write(Session session) throws IOException;

    /** The parts of the enrichment its records show: an analysis computes those for it. */
    public abstract Set<Enrichment> reads();

    /** Records written so far through {@link #onSessions(SessionBatch)}. */
    public long written() {
        return written;
    }
}
