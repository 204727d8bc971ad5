package org.weir.session.internal;

import java.util.Random;

import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.Session;

/**
 * Hands a TCP segment's payload to the next handler in smaller segments, as a sender with another segment size
 * would have sent the same stream: the same sequence space, acknowledgements and time, a FIN or PSH only on the last
 * piece. Zeek's analyzers read reassembled streams, so what they conclude must not change. Segments with SYN or RST
 * (whose data Zeek treats apart), segments whose payload was not captured whole, tunnelled segments (each piece would
 * need its own outer layers) and every other packet pass unchanged. No cut falls between a CR and its LF: Zeek's line
 * reader ends a line at a CR that ends a delivery, so where that line switches the protocol (an HTTP CONNECT's or
 * upgrade's reply) the LF becomes the next protocol's first byte.
 */
final class Resegmenter implements PacketHandler {

    private final PacketHandler next;
    private final Random random;
    private final int maxPiece;

    /** How the tests cut streams: pieces of at most so many bytes. */
    static final int[] MAX_PIECES = {200, 7, 1};
    private static final int PSH = 0x08;

    /** Pieces of 1 to {@code maxPiece} bytes, chosen by {@code seed}. */
    Resegmenter(PacketHandler next, long seed, int maxPiece) {
        this.next = next;
        this.random = new Random(seed);
        this.maxPiece = maxPiece;
    }

    @Override
    public void onPacket(PacketView p) {
        int n = p.payloadLength;
        if (p.protocol != 6 || n < 2 || p.tunnelDepth > 0 || p.payloadCapturedLength < n || p.transportChecksumBad
                || (p.tcpFlags & (TcpConnection.SYN | TcpConnection.RST)) != 0) {
            next.onPacket(p);
            return;
        }
        int offset = p.payloadOffset, total = p.ipTotalLength, flags = p.tcpFlags;
        long seq = p.tcpSeq;
        int overhead = total - n;
        for (int done = 0; done < n;) {
            int piece = Math.min(n - done, 1 + random.nextInt(maxPiece));
            int cut = offset + done + piece;
            if (done + piece < n && p.data[cut - 1] == '\r' && p.data[cut] == '\n') {
                piece++; // not between CR and LF (above)
            }
            boolean last = done + piece == n;
            p.payloadOffset = offset + done;
            p.payloadLength = piece;
            p.payloadCapturedLength = piece;
            p.ipTotalLength = overhead + piece;
            p.tcpSeq = (seq + done) & 0xFFFF_FFFFL;
            p.tcpFlags = last ? flags : flags & ~(TcpConnection.FIN | PSH);
            next.onPacket(p);
            done += piece;
        }
        p.payloadOffset = offset;
        p.payloadLength = n;
        p.payloadCapturedLength = n;
        p.ipTotalLength = total;
        p.tcpSeq = seq;
        p.tcpFlags = flags;
    }

    @Override
    public void onTunnelRefused(int tunnelType, boolean violation) {
        next.onTunnelRefused(tunnelType, violation);
    }

    /**
     * What a session's streams decide, which cutting them otherwise must not change: service, state, sizes by sequence
     * space, missed bytes, and whether an analysis limit was reached ({@code X}).
     */
    static String streamConclusions(Session s) {
        String h = s.history();
        return String.join(" ", Runs.value(s, "service"), Runs.value(s, "conn_state"), Runs.value(s, "orig_bytes"),
                Runs.value(s, "resp_bytes"), Runs.value(s, "missed_bytes"),
                h.indexOf('X') >= 0 || h.indexOf('x') >= 0 ? "X" : "-");
    }
}
