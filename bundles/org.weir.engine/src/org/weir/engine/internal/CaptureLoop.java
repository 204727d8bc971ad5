package org.weir.engine.internal;

import java.io.IOException;

import org.weir.core.CaptureReader;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.ProgressMonitor;

/**
 * The packet path's read → decode loop: every frame of a capture read into one reused {@link PacketView} and, when
 * it passes the capture filter (if any), decoded into a handler, with frames, bytes and first and last timestamps
 * of those frames counted over all the captures it reads; every {@value #PROGRESS_INTERVAL} frames read it reports
 * progress and checks for cancellation. The {@link Pipeline} reads its captures with it; plain Java, so that tests
 * and the benchmark run the very same loop.
 */
public final class CaptureLoop {

    /** Frames between progress reports and cancellation checks: rare enough to cost nothing per packet. */
    public static final int PROGRESS_INTERVAL = 1 << 16;

    private final PacketDecoder decoder;
    private final PacketHandler handler;
    private final ProgressMonitor monitor;
    private final LinkTypeFilters filter;
    private final long frameLimit;
    private final PacketView view = new PacketView();
    private long read, frames, bytes, firstNanos, lastNanos;

    public CaptureLoop(PacketDecoder decoder, PacketHandler handler, ProgressMonitor monitor) {
        this(decoder, handler, monitor, null, 0);
    }

    /**
     * @param filter the capture filter frames must pass to be decoded (as Zeek's {@code -f}: the others are not
     *     counted, and their time does not advance the sessions' clock); null for none
     * @param frameLimit the frames to analyse at most, over all the captures read (as tcpdump's {@code -c}); 0 for
     *     no limit
     */
    CaptureLoop(PacketDecoder decoder, PacketHandler handler, ProgressMonitor monitor, LinkTypeFilters filter,
            long frameLimit) {
        this.decoder = decoder;
        this.handler = handler;
        this.monitor = monitor;
        this.filter = filter;
        this.frameLimit = frameLimit == 0 ? Long.MAX_VALUE : frameLimit;
    }

    /**
     * Reads the capture to its end, until the frame limit is reached (then nothing more is read), or until the
     * monitor says cancelled. What was read is counted also when the
     * reader throws (e.g. a truncated file).
     *
     * @param task the progress task name
     * @param totalBytes bytes of the capture (of all the captures a {@link CaptureMerge} reads), for progress; -1 when
     *     unknown
     * @return true when cancelled
     * @throws LinkTypeFilters.NotApplicable when the capture filter does not compile for a frame's link type
     */
    public boolean read(CaptureReader reader, String task, long totalBytes) throws IOException {
        PacketView view = this.view;
        LinkTypeFilters filter = this.filter;
        long read = this.read, frames = this.frames, bytes = this.bytes, first = this.firstNanos,
                last = this.lastNanos, limit = this.frameLimit;
        try {
            while (frames < limit && reader.next(view)) {
                read++;
                if (filter == null || filter.accepts(view)) {
                    if (frames == 0) {
                        first = view.timestampNanos;
                    }
                    frames++;
                    bytes += view.capturedLength;
                    last = view.timestampNanos;
                    decoder.decode(view, handler);
                }
                if ((read & (PROGRESS_INTERVAL - 1)) == 0) {
                    monitor.progress(task, reader.position(), totalBytes);
                    if (monitor.isCancelled()) {
                        return true;
                    }
                }
            }
            return false;
        } finally {
            this.read = read;
            this.frames = frames;
            this.bytes = bytes;
            this.firstNanos = first;
            this.lastNanos = last;
        }
    }

    /** Frames read and analysed so far: those that passed the capture filter, if there is one. */
    public long frames() {
        return frames;
    }

    /** Frames read so far that the capture filter rejected. */
    public long filteredOut() {
        return read - frames;
    }

    /** Captured bytes of the frames analysed so far. */
    public long bytes() {
        return bytes;
    }

    /** Timestamp of the first frame analysed (0 before any). */
    public long firstNanos() {
        return firstNanos;
    }

    /** Timestamp of the last frame analysed (0 before any). */
    public long lastNanos() {
        return lastNanos;
    }
}
