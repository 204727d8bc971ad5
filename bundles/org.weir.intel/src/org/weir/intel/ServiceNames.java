package org.weir.intel;

import java.nio.file.Path;

import org.weir.core.Transport;

/**
 * Service names per port and transport protocol, as in IANA's Service Name and Transport Protocol Port Number
 * Registry. The bundle ships a compact table of common ports; a full table in {@code /etc/services} format can be
 * loaded instead. Lookups are array reads.
 */
public interface ServiceNames {

    /**
     * The service name, {@code null} when none is known.
     *
     * @param ipProtocol IP protocol number: 6 (TCP), 17 (UDP) or 132 (SCTP); others have no port numbers
     */
    String name(int port, int ipProtocol);

    /** The service name for a TCP or UDP port, {@code null} when none is known or for other transports. */
    default String name(int port, Transport transport) {
        // Not a switch: the Eclipse compiler's table for a switch on an enum cannot be cached in an interface, so
        // it would be made anew on every call (once per session).
        if (transport == Transport.TCP) {
            return name(port, 6);
        }
        return transport == Transport.UDP ? name(port, 17) : null;
    }

    /** Replaces the table with a file in {@code /etc/services} format ({@code name port/proto [aliases] [# comment]}). */
    void load(Path servicesFile) throws FeedException;

    /** Back to the table shipped in the bundle. */
    void reset();

    /** The last load failure, empty after a successful load. */
    java.util.Optional<FeedException> lastError();
}
