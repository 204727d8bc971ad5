package org.weir.core;

/** Receives decoded layers on the packet path. Implementations must not allocate, lock or log per call. */
@FunctionalInterface
public interface PacketHandler {

    /** Called once per delivered layer; the view is only valid during the call. */
    void onPacket(PacketView packet);
}
