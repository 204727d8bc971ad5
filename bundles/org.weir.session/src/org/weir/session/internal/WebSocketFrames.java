package org.weir.session.internal;

/**
 * One side of Zeek's WebSocket analyzer (the binpac grammar {@code WebSocket_Message}), as far as conn.log shows it:
 * messages of frames, each frame a two-byte header (the first frame of a message with a non-zero opcode, the frames
 * that continue it with opcode 0, which the grammar enforces: anything else is a violation), a 16- or 64-bit length
 * where the header says so, a masking key where it is masked, and the payload; a frame with FIN ends the message,
 * whose end confirms the protocol ({@code process_message}). A violation ends this side's reading.
 */
final class WebSocketFrames {

    private static final int HEADER = 0, EXTENDED = 1, PAYLOAD = 2, STOPPED = 3;

    private int state = HEADER;
    /** The header's bytes gathered so far (at most 2 + 8 + 4) and how many it needs. */
    private final byte[] header = new byte[14];
    private int headerLength, headerNeeded = 2;
    private boolean firstFrame = true, fin;
    private long payloadLeft;
    private boolean messageEnded, violated;

    /** Whether a whole message was read on this side. */
    boolean messageEnded() {
        return messageEnded;
    }

    /** Whether the grammar refused a frame (a binpac exception: Zeek's analyzer reports a violation). */
    boolean violated() {
        return violated;
    }

    /** Nothing more is read (after a content gap, Zeek's analyzer skips what follows). */
    void stop() {
        state = STOPPED;
    }

    /** The side's next stream bytes [o, o + n) of {@code d}. */
    void deliver(byte[] d, int o, int n) {
        int end = o + n;
        for (int i = o; i < end && state != STOPPED; ) {
            if (state == PAYLOAD) {
                int take = (int) Math.min(payloadLeft, end - i);
                i += take;
                payloadLeft -= take;
                if (payloadLeft == 0) {
                    frameEnded();
                }
                continue;
            }
            int take = Math.min(headerNeeded - headerLength, end - i);
            System.arraycopy(d, i, header, headerLength, take);
            headerLength += take;
            i += take;
            if (headerLength < headerNeeded) {
                return;
            }
            if (state == HEADER) {
                int opcode = header[0] & 0x0F;
                if (firstFrame == (opcode == 0)) {
                    violated = true; // &enforce: a message begins with an opcode, a continuation has none
                    state = STOPPED;
                    return;
                }
                fin = (header[0] & 0x80) != 0;
                int len = header[1] & 0x7F;
                headerNeeded = 2 + (len == 126 ? 2 : len == 127 ? 8 : 0) + ((header[1] & 0x80) != 0 ? 4 : 0);
                state = EXTENDED;
            }
            if (headerLength == headerNeeded) {
                int len = header[1] & 0x7F;
                payloadLeft = len < 126 ? len : len == 126 ? (header[2] & 0xFF) << 8 | (header[3] & 0xFF)
                        : bigEndianLong(header, 2);
                if (payloadLeft < 0) {
                    payloadLeft = Long.MAX_VALUE; // a length past 2^63 is never reached
                }
                headerLength = 0;
                headerNeeded = 2;
                state = PAYLOAD;
                if (payloadLeft == 0) {
                    frameEnded();
                }
            }
        }
    }

    private void frameEnded() {
        state = HEADER;
        if (fin) {
            messageEnded = true;
        }
        firstFrame = fin;
    }

    private static long bigEndianLong(byte[] b, int o) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = v << 8 | (b[o + k] & 0xFF);
        }
        return v;
    }
}
