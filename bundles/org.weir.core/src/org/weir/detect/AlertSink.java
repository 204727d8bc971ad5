package org.weir.detect;

/**
 * Where a detector reports; the engine routes alerts to stores, writers and views, and shows warnings with the
 * analysis's other warnings ({@code weir analyze} prints them on standard error).
 */
@FunctionalInterface
public interface AlertSink {

    void raise(Alert alert);

    /**
     * Tells the user of a condition of this run that is not an alert about the traffic but limits what the run
     * could see: chiefly a bound on the run's memory reached, saying what could not be tracked and how much of it
     * (bounded memory is fine, silently losing data is not); also a parameter value that was missing. The host
     * names the detector in front of the message.
     *
     * <p>Not for the hot path: building a message allocates. Count on the hot path and warn once, from
     * {@link DetectorRun#onTime} or {@link DetectorRun#finish}. The default ignores the message.
     *
     * @param message one line, without the detector's name
     * @since 0.4
     */
    default void warn(String message) {
    }
}
