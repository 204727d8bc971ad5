package org.weir.detect;

/** Where a detector reports; the engine routes alerts to stores, writers and views. */
@FunctionalInterface
public interface AlertSink {

    void raise(Alert alert);
}
