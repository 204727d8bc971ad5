package org.weir.core;

/** DS service that makes session tables; one per pipeline. */
public interface SessionTableFactory {

    SessionTable create(SessionOptions options);
}
