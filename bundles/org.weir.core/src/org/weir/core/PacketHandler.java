package org.weir.core;

/** Receives decoded layers on the packet path. Implementations must not allocate, lock or log per call. */
@FunctionalInterface
public interface PacketHandler {

    /** Called once per delivered layer; the view is only valid during the call. */
    void onPacket(PacketView packet);

    /**
     * The UDP layer delivered last carries a tunnel ({@link TunnelType} ordinal) that is not decapsulated, for one of
     * the two reasons for which Zeek's tunnel analyzers mark the UDP connection: its analyzer found the payload
     * malformed ({@code violation}: it refuses the connection's later packets too, see
     * {@link PacketView#refusedTunnels}), or the encapsulation is one too deep ({@code X} in the history).
     * Composite handlers forward it to the session table. The default does nothing.
     */
    default void onTunnelRefused(int tunnelType, boolean violation) {
    }
}
