package org.weir.engine.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.weir.core.CaptureAnalyzer;
import org.weir.core.CaptureFormatException;
import org.weir.core.FollowedStream;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.ProgressMonitor;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;
import org.weir.core.SessionTable;

/**
 * Follows one session's data ({@link CaptureAnalyzer#followStream}): the captures are read through the decoder and a
 * session table as the analysis read them, each layer that went to the session gives its payload to the side that
 * sent it, and the reading stops once the table has closed the session. A TCP side puts its segments in sequence
 * order as Wireshark's Follow TCP Stream does: bytes already delivered are dropped (retransmissions, overlaps), a
 * segment ahead of the next expected byte waits until the gap is filled, and a gap is given up (marked as missing)
 * once the other side acknowledges data past it (also when nothing came after it yet), the side has held
 * {@value #HELD_LIMIT} bytes behind it, or the capture ends. A UDP datagram's payload is one chunk.
 */
final class StreamFollow {

    /** Bytes a side holds behind a gap before the gap counts as missed (a one-sided capture never acknowledges). */
    static final int HELD_LIMIT = 4 << 20;

    private final Rereading again;
    private final SessionTable table;
    private final ProgressMonitor monitor;

    /** Reading the captures as the analysis whose session is followed read them. */
    StreamFollow(Rereading again) {
        this.again = again;
        this.table = again.table();
        this.monitor = again.monitor();
    }

    FollowedStream follow(List<Path> captures, String uid, long maxBytes) throws IOException {
        long totalBytes = again.totalBytes(captures, "following a session reads its captures again");
        Assembly assembly = new Assembly(maxBytes);
        Finder finder = new Finder(uid, assembly);
        table.addListener(finder);
        // The reading stops once the session has closed, as if cancelled; the caller's cancellation is told apart.
        ProgressMonitor untilClosed = new ProgressMonitor() {
            @Override
            public void progress(String task, long done, long total) {
                monitor.progress(task, done, total);
            }

            @Override
            public boolean isCancelled() {
                return finder.session != null || monitor.isCancelled();
            }
        };
        CaptureLoop loop = again.loop(finder, untilClosed);
        CaptureFormatException error;
        boolean cancelled;
        try (CaptureMerge merge = again.merge(captures, untilClosed::isCancelled, null)) {
            String task = "Following the session in " + merge.name();
            while (true) {
                try {
                    loop.read(merge, task, totalBytes);
                    break;
                } catch (LinkTypeFilters.NotApplicable e) {
                    merge.endCurrent(e.getMessage()); // as the analysis did
                }
            }
            error = finder.session == null ? merge.error() : null;
            cancelled = finder.session == null && monitor.isCancelled();
        } finally {
            if (finder.session == null) {
                table.closeAll(); // the session may be open at the end of the captures
            }
            table.removeListener(finder);
        }
        monitor.progress("Done", totalBytes, totalBytes);
        return assembly.result(finder.session, cancelled, error);
    }

    /** The packet handler: the session table, then the layers that went to the followed session, to the assembly. */
    private final class Finder implements PacketHandler, SessionListener {

        private final String uid;
        private final Assembly assembly;
        /** The session's serial number once seen, 0 before; serials are resolved to uids up to {@link #resolved}. */
        private long serial;
        private long resolved;
        /** The session as it closed. */
        Session session;

        Finder(String uid, Assembly assembly) {
            this.uid = uid;
            this.assembly = assembly;
        }

        @Override
        public void onPacket(PacketView v) {
            table.onPacket(v);
            long s = table.lastSerial();
            if (s != 0 && isFollowed(s)) {
                assembly.add(v);
            }
        }

        @Override
        public void onTunnelRefused(int tunnelType, boolean violation) {
            table.onTunnelRefused(tunnelType, violation);
        }

        private boolean isFollowed(long s) {
            if (serial != 0) {
                return s == serial;
            }
            while (resolved < s) {
                resolved++;
                if (uid.equals(table.uid(resolved))) {
                    serial = resolved;
                }
            }
            return s == serial;
        }

        @Override
        public void onSessions(SessionBatch batch) {
            for (Session closed : batch.closed()) {
                if (closed.uid().equals(uid)) {
                    session = closed;
                }
            }
        }
    }

    /**
     * The two sides' data. Side 0 is the sender of the first layer followed; the session's originator, known when
     * it closes, decides which side the chunks name as the originator's.
     */
    static final class Assembly {

        private final long maxBytes;
        private final Side[] sides = {new Side(), new Side()};
        private final List<Piece> pieces = new ArrayList<>();
        /** The chunk being added to: consecutive TCP data of one side is one chunk. */
        private ByteArrayOutputStream open;
        private int openSide = -1;
        private long kept, omitted;
        private long side0Hi, side0Lo;
        private int side0Port = -1;

        Assembly(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        void add(PacketView v) {
            if (side0Port < 0) {
                side0Hi = v.srcHi;
                side0Lo = v.srcLo;
                side0Port = v.srcPort;
            }
            int s = v.srcHi == side0Hi && v.srcLo == side0Lo && v.srcPort == side0Port ? 0 : 1;
            int n = Math.max(0, v.payloadCapturedLength);
            if (v.protocol == 17) {
                if (v.payloadLength > 0) {
                    closeChunk();
                    deliver(s, v.timestampNanos, v.data, v.payloadOffset, n);
                    closeChunk();
                    if (v.payloadLength > n) {
                        gap(s, v.timestampNanos, v.payloadLength - n);
                    }
                }
            } else if (v.protocol == 6) {
                segment(s, v, n);
            }
        }

        private void segment(int s, PacketView v, int captured) {
            Side side = sides[s];
            side.seen = true;
            long seq = side.unwrap(v.tcpSeq);
            boolean syn = (v.tcpFlags & 0x02) != 0, fin = (v.tcpFlags & 0x01) != 0, ack = (v.tcpFlags & 0x10) != 0;
            if (syn) {
                seq++; // the SYN takes one number; data on it (TCP Fast Open) follows
                if (!side.started) {
                    side.started = true;
                    side.next = seq;
                }
                if (ack && !sides[1 - s].started) {
                    // A SYN-ACK whose SYN the capture lacks: it says where the other side's data begins.
                    sides[1 - s].startAt(v.tcpAck);
                }
            }
            if (ack) {
                acknowledged(1 - s, v.tcpAck, v.timestampNanos); // the other side's data came before this segment's
            }
            int length = Math.max(0, v.payloadLength);
            if (length > 0) {
                if (!side.started) {
                    side.started = true;
                    side.next = seq;
                }
                byte[] data = Arrays.copyOfRange(v.data, v.payloadOffset, v.payloadOffset + captured);
                side.held(seq, new Held(data, length, v.timestampNanos));
                drain(s, false);
            }
            if (fin && side.started) {
                side.end = Math.max(side.end, seq + length);
            }
        }

        /**
         * The other side acknowledged up to {@code rawAck}: what it holds behind a gap below that is delivered, and
         * bytes acknowledged that the capture never had, with nothing after them yet, are missing here (as Zeek
         * counts an acknowledgement above a hole). Not for a side of which the capture has no segment at all (a
         * one-sided capture): whether its last number acknowledged was a byte or its FIN cannot be told, and Zeek
         * counts nothing there either.
         */
        private void acknowledged(int s, long rawAck, long timestampNanos) {
            Side side = sides[s];
            if (!side.started) {
                return;
            }
            side.acked = Math.max(side.acked, side.unwrapAck(rawAck));
            drain(s, false);
            long upTo = side.end > 0 ? Math.min(side.acked, side.end) : side.acked;
            if (side.seen && side.pending.isEmpty() && upTo > side.next) {
                gap(s, timestampNanos, upTo - side.next);
                side.next = upTo;
            }
        }

        /**
         * Delivers what a side holds from its next byte on; a gap before held data is given up when the other side
         * acknowledged past it, too much waits behind it, or {@code atEnd}.
         */
        private void drain(int s, boolean atEnd) {
            Side side = sides[s];
            while (!side.pending.isEmpty()) {
                Map.Entry<Long, Held> first = side.pending.firstEntry();
                long start = first.getKey();
                Held h = first.getValue();
                if (start > side.next) {
                    if (!atEnd && side.acked < start && side.heldBytes < HELD_LIMIT) {
                        return;
                    }
                    gap(s, h.timestampNanos, start - side.next);
                    side.next = start;
                }
                side.pending.pollFirstEntry();
                side.heldBytes -= h.data.length;
                long end = start + h.length;
                if (end <= side.next) {
                    continue; // delivered already
                }
                int skip = (int) (side.next - start);
                if (skip < h.data.length) {
                    deliver(s, h.timestampNanos, h.data, skip, h.data.length - skip);
                }
                if (h.length > h.data.length) {
                    // The frame was cut by the snap length: the rest of the segment is not in the capture.
                    long from = Math.max(side.next, start + h.data.length);
                    gap(s, h.timestampNanos, end - from);
                }
                side.next = end;
            }
        }

        private void deliver(int s, long timestampNanos, byte[] data, int offset, int length) {
            if (length <= 0) {
                return;
            }
            sides[s].bytes += length;
            int room = (int) Math.max(0, Math.min(length, maxBytes - kept));
            omitted += length - room;
            if (room == 0) {
                return;
            }
            if (openSide != s) {
                closeChunk();
                open = new ByteArrayOutputStream();
                openSide = s;
                pieces.add(new Piece(s, timestampNanos, open, 0));
            }
            open.write(data, offset, room);
            kept += room;
        }

        private void gap(int s, long timestampNanos, long missing) {
            if (missing <= 0) {
                return;
            }
            closeChunk();
            pieces.add(new Piece(s, timestampNanos, null, missing));
        }

        private void closeChunk() {
            open = null;
            openSide = -1;
        }

        FollowedStream result(Session session, boolean cancelled, CaptureFormatException error) {
            // What is still held: after the capture's last frame, nothing more will fill its gaps. Then what the
            // other side acknowledged (or a FIN ended) beyond the last byte seen, which the capture lacks.
            for (int s = 0; s < 2; s++) {
                drain(s, true);
                Side side = sides[s];
                if (side.seen) {
                    long last = side.end > 0 ? side.end : side.acked;
                    if (last > side.next) {
                        gap(s, Long.MAX_VALUE, last - side.next);
                    }
                }
            }
            boolean side0IsOriginator = session == null || side0Port < 0
                    || (session.origHi() == side0Hi && session.origLo() == side0Lo
                            && session.origPort() == side0Port);
            List<FollowedStream.Chunk> chunks = new ArrayList<>(pieces.size());
            for (Piece p : pieces) {
                chunks.add(new FollowedStream.Chunk((p.side == 0) == side0IsOriginator,
                        p.timestampNanos == Long.MAX_VALUE ? lastTimestamp(chunks) : p.timestampNanos,
                        p.data == null ? new byte[0] : p.data.toByteArray(), p.missing));
            }
            long orig = sides[side0IsOriginator ? 0 : 1].bytes, resp = sides[side0IsOriginator ? 1 : 0].bytes;
            return new FollowedStream(session, List.copyOf(chunks), orig, resp, omitted, cancelled, error);
        }

        private static long lastTimestamp(List<FollowedStream.Chunk> chunks) {
            return chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).timestampNanos();
        }
    }

    /** A chunk in the making: a side's data (growing while the side goes on) or a gap. */
    private record Piece(int side, long timestampNanos, ByteArrayOutputStream data, long missing) {
    }

    /** A segment's bytes waiting for the bytes before them; {@code length} counts what the capture cut off too. */
    private record Held(byte[] data, long length, long timestampNanos) {
    }

    /** One direction of a TCP connection, in sequence numbers made 64-bit. */
    private static final class Side {
        /** Whether the capture has a segment of this side; whether its stream's beginning is known. */
        boolean seen, started;
        /** The next byte to deliver; the highest acknowledged by the other side; the FIN's number (0: none). */
        long next, acked, end;
        long bytes;
        final TreeMap<Long, Held> pending = new TreeMap<>();
        long heldBytes;
        private final Widening seqs = new Widening(), acks = new Widening();

        /** A sequence number of this side, made 64-bit. */
        long unwrap(long raw) {
            return seqs.widen(raw);
        }

        /** An acknowledgement of this side's numbers by the other side, made 64-bit near them. */
        long unwrapAck(long raw) {
            if (acks.isEmpty()) {
                acks.seed(seqs);
            }
            return acks.widen(raw);
        }

        /** Starts the side at a 32-bit sequence number its peer acknowledged, before any of its own was seen. */
        void startAt(long raw) {
            started = true;
            next = seqs.widen(raw);
        }

        void held(long seq, Held h) {
            Held before = pending.get(seq);
            if (before == null || before.length < h.length) {
                pending.put(seq, h);
                heldBytes += h.data.length - (before == null ? 0 : before.data.length);
            }
        }
    }

    /** 32-bit TCP numbers made 64-bit near the last one seen: they wrap, and may come back a little. */
    private static final class Widening {
        private long lastRaw = -1, lastWide;

        long widen(long raw) {
            lastWide = lastRaw < 0 ? raw : lastWide + (int) (raw - lastRaw);
            lastRaw = raw;
            return lastWide;
        }

        boolean isEmpty() {
            return lastRaw < 0;
        }

        /** Goes on from where {@code other} is. */
        void seed(Widening other) {
            lastRaw = other.lastRaw;
            lastWide = other.lastWide;
        }
    }
}
