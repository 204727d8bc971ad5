package org.weir.core;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The application data of one session as its two ends exchanged it ({@link CaptureAnalyzer#followStream}), as
 * Wireshark's Follow TCP/UDP Stream shows it: for TCP, each side's bytes in sequence order, once (retransmissions and
 * overlaps dropped, segments that came early held until the gap before them is filled, a gap the capture never filled
 * marked where it is); for UDP, each datagram's payload. Chunks are in the order the data became readable; one chunk
 * holds what one side sent until the other side's data came next (TCP), or one datagram (UDP).
 *
 * @param session the session followed, as it closed (its originator decides the chunks' direction); null when the
 *     captures had no session of that uid
 * @param chunks the data, in order
 * @param origBytes the originator's bytes in the chunks (gaps not counted)
 * @param respBytes the responder's bytes in the chunks
 * @param omittedBytes bytes left out because the chunks reached the limit asked for (the first bytes are kept)
 * @param cancelled the monitor asked to stop: the chunks are those found until then
 * @param error the first input problem met (the data before it is in the chunks), or null
 */
public record FollowedStream(Session session, List<Chunk> chunks, long origBytes, long respBytes, long omittedBytes,
        boolean cancelled, CaptureFormatException error) {

    /**
     * The data of the sides asked for, in order, gaps left out: with one side, what it sent (a file a download
     * carried, headers and all), as Wireshark's Save As of raw data writes it.
     */
    public byte[] data(boolean originator, boolean responder) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Chunk c : chunks) {
            if (c.fromOriginator() ? originator : responder) {
                all.writeBytes(c.data());
            }
        }
        return all.toByteArray();
    }

    /**
     * One side's data.
     *
     * @param fromOriginator sent by the session's originator
     * @param timestampNanos when the frame that made its first byte readable was captured
     * @param data the bytes (empty for a gap)
     * @param missingBytes for a gap: how many bytes of this side the capture lacks here (sequence space it skipped);
     *     0 for data
     */
    public record Chunk(boolean fromOriginator, long timestampNanos, byte[] data, long missingBytes) {

        public boolean isGap() {
            return missingBytes > 0;
        }
    }
}
