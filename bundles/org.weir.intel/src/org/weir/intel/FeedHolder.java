package org.weir.intel;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The data of a reloadable feed. A reload replaces the data atomically and only when the new data loaded
 * completely; on failure the previous data stays in force and the error is kept for {@link #lastError()}.
 * Readers call {@link #get()} once per use and work on that snapshot.
 */
public final class FeedHolder<T> {

    /** Produces the next data, or fails without side effects. */
    @FunctionalInterface
    public interface Loader<T> {
        T load() throws FeedException;
    }

    private final AtomicReference<T> current;
    private volatile FeedException lastError;

    public FeedHolder(T initial) {
        current = new AtomicReference<>(initial);
    }

    public T get() {
        return current.get();
    }

    /** Loads and swaps in the new data; on any failure the current data is kept and the error rethrown. */
    public T reload(Loader<T> loader) throws FeedException {
        T next;
        try {
            next = loader.load();
        } catch (FeedException e) {
            lastError = e;
            throw e;
        }
        current.set(next);
        lastError = null;
        return next;
    }

    /** Replaces the data unconditionally (data built in memory). */
    public void set(T data) {
        current.set(data);
        lastError = null;
    }

    /** The error of the last reload, empty when it succeeded. */
    public Optional<FeedException> lastError() {
        return Optional.ofNullable(lastError);
    }
}
