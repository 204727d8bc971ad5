package org.weir.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import org.weir.core.CaptureAnalyzer;
import org.weir.core.CaptureFormatException;
import org.weir.core.LinkTypes;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketExportResult;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.ProgressMonitor;
import org.weir.core.SessionTable;
import org.weir.packet.CaptureFileWriter;
import org.weir.packet.PcapWriter;
import org.weir.packet.PcapngWriter;

/**
 * Writes the frames of chosen sessions ({@link CaptureAnalyzer#exportPackets}) in two passes over the captures: the
 * first runs the decoder and a session table as the analysis did and marks each frame that went to a chosen session
 * (and the earlier fragments of a datagram that did), the second copies the marked frames. Two passes, because a
 * fragment's session is known only once its datagram is complete, and the file's format (one link type or several,
 * micro- or nanosecond times) only once every frame is known.
 */
final class PacketExport {

    /** libpcap's largest snap length: no frame read is longer. */
    private static final int SNAP_LENGTH = 262_144;

    private final Rereading again;
    private final PacketDecoder decoder;
    private final SessionTable table;
    private final ProgressMonitor monitor;

    /** Reading the captures as the analysis whose sessions are chosen read them. */
    PacketExport(Rereading again) {
        this.again = again;
        this.decoder = again.decoder();
        this.table = again.table();
        this.monitor = again.monitor();
    }

    PacketExportResult export(List<Path> captures, Set<String> uids, Path output) throws IOException {
        long totalBytes = again.totalBytes(captures, "an export of packets reads its captures twice");
        Path read = CaptureAnalyzer.captureAt(output, captures);
        if (read != null) {
            throw new IllegalArgumentException(output + " is the capture being read (" + read + ")");
        }
        // Pass 1: follow the frames to their sessions, in the order the analysis read them.
        Follower follower = new Follower(uids);
        CaptureLoop loop = again.loop(follower, monitor);
        CaptureFormatException error;
        long[] cutOffs;
        try (CaptureMerge merge = again.merge(captures, monitor::isCancelled, null)) {
            String task = "Finding the sessions' packets in " + merge.name();
            while (true) {
                try {
                    if (loop.read(merge, task, 2 * totalBytes)) {
                        return new PacketExportResult(0, follower.sessionsFound, true, null);
                    }
                    break;
                } catch (LinkTypeFilters.NotApplicable e) {
                    merge.endCurrent(e.getMessage()); // as the analysis did; what came before is exported
                }
            }
            error = merge.error();
            cutOffs = merge.cutOffs();
        }
        if (follower.linkTypes.length > 1 && !isPcapng(output)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the packets have %d link types (LINKTYPE"
                    + " %s), which one pcap file cannot hold: name the file .pcapng", follower.linkTypes.length,
                    Arrays.stream(follower.linkTypes).mapToObj(Integer::toString).collect(Collectors.joining(", "))));
        }
        // Pass 2: copy the marked frames.
        boolean finished = false;
        try (CaptureFileWriter out = isPcapng(output) ? PcapngWriter.create(output, "Weir")
                : PcapWriter.create(output, follower.linkTypes.length == 0 ? LinkTypes.ETHERNET
                        : follower.linkTypes[0], SNAP_LENGTH, follower.subMicrosecond)) {
            PacketView frame = new PacketView();
            // The same merge, each capture cut where the first pass cut it, numbers every frame as that pass did; a
            // damaged capture ends at the same place by itself. It stops after the last marked frame.
            try (CaptureMerge merge = again.merge(captures, monitor::isCancelled, cutOffs)) {
                String task = "Writing the sessions' packets from " + merge.name();
                while (merge.frames() <= follower.lastMarked && merge.next(frame)) {
                    if (follower.marks.get(frame.frameNumber - 1)) {
                        out.write(frame.timestampNanos, frame.linkType, frame.data, frame.frameOffset,
                                frame.capturedLength, frame.wireLength);
                    }
                    if ((frame.frameNumber & (CaptureLoop.PROGRESS_INTERVAL - 1)) == 0) {
                        monitor.progress(task, totalBytes + merge.position(), 2 * totalBytes);
                        if (monitor.isCancelled()) {
                            return new PacketExportResult(out.frames(), follower.sessionsFound, true, null);
                        }
                    }
                }
            }
            monitor.progress("Done", 2 * totalBytes, 2 * totalBytes);
            finished = true;
            return new PacketExportResult(out.frames(), follower.sessionsFound, false, error);
        } finally {
            // A file left unfinished goes; a device (-w /dev/null) stays, whoever runs this.
            if (!finished && Files.isRegularFile(output)) {
                Files.deleteIfExists(output);
            }
        }
    }

    private static boolean isPcapng(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pcapng");
    }

    /**
     * The first pass's packet handler: the session table, then a look at which session the layer went to. Frame
     * {@code n} of the merged captures ({@link CaptureMerge}) is mark {@code n - 1}.
     */
    private final class Follower implements PacketHandler, LongConsumer {

        private final Set<String> uids;
        final LongBits marks = new LongBits();
        /** The highest frame number marked, -1 before any. */
        long lastMarked = -1;
        /** Serial numbers of chosen sessions, known up to {@link #resolved}. */
        private final LongBits chosen = new LongBits();
        private final LongBits found = new LongBits();
        private long resolved;
        long sessionsFound;
        int[] linkTypes = new int[0];
        boolean subMicrosecond;

        Follower(Set<String> uids) {
            this.uids = uids;
        }

        @Override
        public void onPacket(PacketView v) {
            table.onPacket(v);
            long serial = table.lastSerial();
            if (serial == 0 || !chosen(serial)) {
                return;
            }
            if (!found.get(serial)) {
                found.set(serial);
                sessionsFound++;
            }
            mark(v.frameNumber - 1, v.linkType, v.timestampNanos);
            if (v.reassembled) {
                decoder.reassembledFrames(this); // the earlier fragments
            }
        }

        /** A fragment of the datagram just delivered. */
        @Override
        public void accept(long frameNumber) {
            marks.set(frameNumber - 1); // before the frame that completed it: lastMarked stays
        }

        @Override
        public void onTunnelRefused(int tunnelType, boolean violation) {
            table.onTunnelRefused(tunnelType, violation);
        }

        private boolean chosen(long serial) {
            while (resolved < serial) {
                resolved++;
                if (uids.contains(table.uid(resolved))) {
                    chosen.set(resolved);
                }
            }
            return chosen.get(serial);
        }

        private void mark(long frame, int linkType, long timestampNanos) {
            marks.set(frame);
            lastMarked = Math.max(lastMarked, frame);
            subMicrosecond |= timestampNanos % 1000 != 0;
            for (int t : linkTypes) {
                if (t == linkType) {
                    return;
                }
            }
            linkTypes = Arrays.copyOf(linkTypes, linkTypes.length + 1);
            linkTypes[linkTypes.length - 1] = linkType;
        }

    }

    /** A growable set of non-negative longs (frame and serial numbers), one bit each. */
    static final class LongBits {
        private long[] words = new long[1024];

        void set(long n) {
            int w = Math.toIntExact(n >>> 6);
            if (w >= words.length) {
                words = Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
            }
            words[w] |= 1L << n;
        }

        boolean get(long n) {
            long w = n >>> 6;
            return w < words.length && (words[(int) w] & (1L << n)) != 0;
        }
    }
}
