package org.weir.core;

/** Receives session events in batches, on the pipeline thread. Must return quickly; copy what it keeps. */
@FunctionalInterface
public interface SessionListener {

    void onSessions(SessionBatch batch);
}
