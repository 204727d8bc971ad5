package org.weir.session.internal;

/**
 * What few connections need, made on first need so that every other session stays small: their bad checksum counts
 * and their tunnel bookkeeping.
 */
final class RareState {

    /** Bad checksums of the originator and of the responder. */
    int origChecksumErrors, respChecksumErrors;
    /**
     * Fingerprint of the encapsulation this connection's last packet came in, 0 for none (Zeek's
     * {@code Connection::encapsulation}, compared by {@code CheckEncapsulation}).
     */
    int encapsulation;
    /** Zeek's {@code tunnel_changes}: changes of the encapsulation counted so far. */
    int tunnelChanges;
    /** The tunnel analyzers (bits by {@code TunnelType} ordinal) that found this UDP connection's payload malformed. */
    int refusedTunnels;
}
