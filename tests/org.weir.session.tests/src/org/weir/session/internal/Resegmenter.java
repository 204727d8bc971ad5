package org.weir.session.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.Session;

/**
 * Hands a TCP segment's payload to the next handler in smaller segments, as a sender with another segment size would
 * have sent the same stream: the same sequence space, acknowledgements and time, a FIN or PSH only on the last piece;
 * optionally the pieces come last first, as when the first of them was lost and sent again, and each is sent twice.
 * Zeek's analyzers read reassembled streams, so what they conclude must not change. Segments with SYN or RST (whose
 * data Zeek treats apart), segments whose payload was not captured whole, tunnelled segments (each piece would need its
 * own outer layers) and every other packet pass unchanged; pieces come in order where the connection's SYN from the
 * sender was not seen (there the first segment seen begins the stream) or the payload is larger than a receive window
 * holds ahead of a hole. No cut falls between a CR and its LF: Zeek's line reader ends a line at a CR that ends a
 * delivery, so where that line switches the protocol (an HTTP CONNECT's or upgrade's reply) the LF becomes the next
 * protocol's first byte.
 */
final class Resegmenter implements PacketHandler {

    /** One way of cutting streams: pieces of at most so many bytes, in order or last first, each sent once or twice. */
    record Cutting(int maxPiece, boolean reversed, boolean twice) {
        @Override
        public String toString() {
            return "pieces of at most " + maxPiece + " bytes" + (reversed ? ", last first" : "")
                    + (twice ? ", each sent twice" : "");
        }
    }

    /** How the tests cut streams. */
    static final List<Cutting> CUTTINGS = List.of(new Cutting(200, false, false), new Cutting(7, false, false),
            new Cutting(1, false, false), new Cutting(200, true, false), new Cutting(7, true, false),
            new Cutting(7, false, true), new Cutting(200, true, true));
    private static final int PSH = 0x08, MAX_REVERSED = 16 * 1024;
    /** How far after its SYN a segment still belongs to the connection that SYN began (not one reusing its ports). */
    private static final long AFTER_SYN = 1 << 24;

    private final PacketHandler next;
    private final Random random;
    private final int maxPiece;
    private final boolean reversed, twice;
    /** The sequence number of each direction's (addresses and ports) last SYN. */
    private final Map<String, Long> synSeq = new HashMap<>();
    private final List<int[]> pieces = new ArrayList<>();

    /** Pieces of 1 to the cutting's most bytes, chosen by {@code seed}, sent in order or last first. */
    Resegmenter(PacketHandler next, long seed, Cutting cutting) {
        this.next = next;
        this.random = new Random(seed);
        this.maxPiece = cutting.maxPiece();
        this.reversed = cutting.reversed();
        this.twice = cutting.twice();
    }

    @Override
    public void onPacket(PacketView p) {
        int n = p.payloadLength;
        if (p.protocol == 6 && (p.tcpFlags & TcpConnection.SYN) != 0) {
            synSeq.put(direction(p), p.tcpSeq);
        }
        if (p.protocol != 6 || n < 2 || p.tunnelDepth > 0 || p.payloadCapturedLength < n || p.transportChecksumBad
                || (p.tcpFlags & (TcpConnection.SYN | TcpConnection.RST)) != 0) {
            next.onPacket(p);
            return;
        }
        int offset = p.payloadOffset, total = p.ipTotalLength, flags = p.tcpFlags;
        long seq = p.tcpSeq;
        int overhead = total - n;
        pieces.clear();
        for (int done = 0; done < n;) {
            int piece = Math.min(n - done, 1 + random.nextInt(maxPiece));
            int cut = offset + done + piece;
            if (done + piece < n && p.data[cut - 1] == '\r' && p.data[cut] == '\n') {
                piece++; // not between CR and LF (above)
            }
            pieces.add(new int[] {done, piece});
            done += piece;
        }
        Long syn = synSeq.get(direction(p));
        if (reversed && n <= MAX_REVERSED && syn != null && ((seq - syn) & 0xFFFF_FFFFL) < AFTER_SYN) {
            Collections.reverse(pieces);
        }
        for (int[] piece : pieces) {
            int done = piece[0], length = piece[1];
            boolean last = done + length == n;
            p.payloadOffset = offset + done;
            p.payloadLength = length;
            p.payloadCapturedLength = length;
            p.ipTotalLength = overhead + length;
            p.tcpSeq = (seq + done) & 0xFFFF_FFFFL;
            p.tcpFlags = last ? flags : flags & ~(TcpConnection.FIN | PSH);
            next.onPacket(p);
            if (twice) {
                next.onPacket(p); // a retransmission, or the capture of both copies
            }
        }
        p.payloadOffset = offset;
        p.payloadLength = n;
        p.payloadCapturedLength = n;
        p.ipTotalLength = total;
        p.tcpSeq = seq;
        p.tcpFlags = flags;
    }

    private static String direction(PacketView p) {
        return p.srcHi + "/" + p.srcLo + "/" + p.srcPort + ">" + p.dstHi + "/" + p.dstLo + "/" + p.dstPort;
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
