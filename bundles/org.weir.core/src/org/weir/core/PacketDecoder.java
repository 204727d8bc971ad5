package org.weir.core;

import java.util.function.LongConsumer;

/**
 * Decodes the frame held by a {@link PacketView}: link layer, VLAN/MPLS/PPPoE, IP (with fragment reassembly),
 * tunnels and the transport header. One decoder belongs to one pipeline thread (it keeps reassembly state).
 */
public interface PacketDecoder {

    /**
     * Decodes the frame currently in {@code view} and calls {@code handler} once per transport layer: the outer
     * layer first, then each encapsulated one. A frame that is not IP (ARP, unknown EtherType) is delivered once
     * with {@code ipVersion == 0}. A fragment that does not complete a datagram is not delivered.
     *
     * @return the number of layers delivered
     */
    int decode(PacketView view, PacketHandler handler);

    /**
     * Calls {@code action} with the {@link PacketView#frameNumber frame numbers} of the fragments that made up the
     * datagram delivered last with {@link PacketView#reassembled} set, in the order they arrived; nothing when the
     * last decode delivered no reassembled datagram. Valid until the next decode.
     */
    void reassembledFrames(LongConsumer action);

    /** Counters of what the decoder could not decode or chose not to deliver, by reason. */
    DecodeStatistics statistics();
}
