package org.weir.core;

/**
 * A capture filter compiled for one link type: decides, before decoding, whether a frame enters the packet path, as
 * tcpdump's filter expression and Zeek's {@code -f} do. Called once per frame, so it must not allocate.
 */
public interface CaptureFilter {

    /**
     * Whether the frame in the view's frame fields ({@link PacketView#data}, {@link PacketView#frameOffset},
     * {@link PacketView#capturedLength}, {@link PacketView#wireLength}) passes. As in BPF, a test that needs bytes
     * beyond the captured ones rejects the frame.
     */
    boolean accepts(PacketView frame);
}
