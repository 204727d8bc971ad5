package org.weir.cli.internal;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

import org.weir.core.Enrichment;
import org.weir.core.Session;
import org.weir.exchange.SessionWriter;
import org.weir.filter.SessionFilter;

/**
 * Writes only the sessions a display filter passes ({@code weir analyze -Y}); on the writer thread, with the
 * writer it wraps, so that the filter costs the packet path nothing.
 */
final class FilteredWriter extends SessionWriter {

    private final SessionWriter writer;
    private final SessionFilter filter;

    private FilteredWriter(SessionWriter writer, SessionFilter filter) {
        this.writer = writer;
        this.filter = filter;
    }

    /** The writer itself when the filter passes every session. */
    static SessionWriter of(SessionWriter writer, SessionFilter filter) {
        return filter.isAll() ? writer : new FilteredWriter(writer, filter);
    }

    @Override
    public void write(Session session) throws IOException {
        if (filter.test(session)) {
            writer.write(session);
        }
    }

    /** What the records show, and what the filter's fields read. */
    @Override
    public Set<Enrichment> reads() {
        Set<Enrichment> read = EnumSet.noneOf(Enrichment.class);
        read.addAll(writer.reads());
        read.addAll(filter.reads());
        return read;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
