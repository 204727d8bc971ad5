package org.weir.core;

import java.io.Closeable;
import java.io.IOException;

/**
 * Streams the frames of one capture into a {@link PacketView}, without allocating per frame. Files larger than
 * memory are read through a bounded buffer.
 */
public interface CaptureReader extends Closeable {

    /**
     * Reads the next frame into the frame fields of {@code view} ({@code data}, {@code frameOffset},
     * {@code capturedLength}, {@code wireLength}, {@code timestampNanos}, {@code linkType}, {@code interfaceId},
     * {@code frameNumber}).
     *
     * @return false at the clean end of the capture
     * @throws CaptureFormatException when the capture is corrupt or truncated; frames read before stay valid
     */
    boolean next(PacketView view) throws IOException;

    /** Byte offset in the source of the next unread record (for progress and error messages). */
    long position();

    /** Size of the source in bytes, or -1 when unknown (a pipe, a live source). */
    long size();

    /** Human-readable name of the source, e.g. the file name. */
    String name();

    /**
     * Called from another thread when the analysis is cancelled while it may be waiting for a stream (a pipe that
     * stays silent): the reader stops waiting and ends after the frames it has. Files never wait; for them it does
     * nothing.
     */
    default void abandon() {
    }
}
