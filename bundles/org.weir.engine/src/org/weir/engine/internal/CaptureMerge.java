package org.weir.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.weir.core.CaptureFormat;
import org.weir.core.CaptureFormatException;
import org.weir.core.CaptureReader;
import org.weir.core.PacketView;

/**
 * Several captures read as one, in time order, as mergecap merges them: the next frame is the earliest of the
 * captures' next frames (on a tie, that of a capture already being read, then of the capture named first). So the
 * captures of a tap's two directions, or of two taps, make the sessions that one capture of the link would make, and
 * the files of a ring buffer are read in order whatever order they are named in. Frames are numbered on across the
 * captures (the decoder keeps a fragment's number, an export marks frames by it), so one number names one frame of all
 * of them.
 *
 * <p>A file is opened when the merge reaches its first frame (a look at that frame when the merge is made says when),
 * and closed at its end: a ring buffer of thousands of files has one open at a time (two where their times overlap).
 * A stream (standard input, a pipe) is read from the start, since its times are known only as they come. A capture
 * that turns out damaged, or whose frames a capture filter cannot test ({@link #endCurrent}), ends there while the
 * others go on; the first such problem is kept for the caller ({@link #error}). One capture alone is read straight
 * through, with nothing added per frame but its number.
 */
final class CaptureMerge implements CaptureReader {

    /** A file of the merge, opened when it is reached. */
    static Input file(Path path) throws IOException {
        return new Input(path.toString(), path, null, null, Files.size(path));
    }

    /**
     * A stream of the merge, whose reader is open already (its header read); {@code companion} (e.g. the watch that
     * ends its waits on cancellation) is closed with it.
     */
    static Input stream(String name, CaptureReader reader, AutoCloseable companion) {
        return new Input(name, null, reader, companion, -1);
    }

    private final List<? extends CaptureFormat> formats;
    private final BooleanSupplier cancelled;
    private final Input[] inputs;
    /** Files not yet reached, by their first frame's time (then their order); {@link #nextPending} is the next. */
    private Input[] pending;
    private int nextPending;
    /**
     * The captures being read, each with its next frame in {@link Input#head}: a binary heap by that frame's time (then
     * the order named), so that hundreds of captures open at once cost a few compares per frame, not one each.
     */
    private final Input[] active;
    private int activeCount;
    /** The capture of the frame handed out last: it is read on at the next call. */
    private Input current;
    private boolean started;
    /** The only capture, read straight into the caller's view; null when there are several. */
    private final Input single;
    private long numbered;
    /** Bytes of the captures read to their end. */
    private long bytesDone;
    private final long size;
    private CaptureFormatException error;

    /**
     * Looks at the first frame of each file. A file whose first frame cannot be read is a problem of the merge
     * ({@link #error}), not an exception, as if it were found damaged while read.
     *
     * @param cancelled whether the analysis is cancelled: a stream cut short by it is not damaged
     * @param limits for each capture, the frames to read at most (as many as an earlier merge of the same captures
     *     read before {@link #endCurrent} ended it), or -1; null for no limits
     */
    CaptureMerge(List<? extends CaptureFormat> formats, List<Input> captures, BooleanSupplier cancelled, long[] limits)
            throws IOException {
        this.formats = formats;
        this.cancelled = cancelled;
        this.inputs = captures.toArray(Input[]::new);
        this.active = new Input[inputs.length];
        this.single = inputs.length == 1 ? inputs[0] : null;
        long total = 0;
        for (int i = 0; i < inputs.length; i++) {
            Input in = inputs[i];
            in.index = i;
            in.limit = limits == null || limits[i] < 0 ? Long.MAX_VALUE : limits[i];
            total = total < 0 || in.size < 0 ? -1 : total + in.size;
        }
        this.size = total;
        try {
            List<Input> files = new ArrayList<>();
            for (Input in : inputs) {
                if (in.path != null && single == null) {
                    peek(in);
                    if (in.first != Long.MIN_VALUE) {
                        files.add(in);
                    }
                }
            }
            files.sort(Comparator.comparingLong((Input in) -> in.first).thenComparingInt(in -> in.index));
            pending = files.toArray(Input[]::new);
            if (single != null && single.path != null) {
                open(single);
            }
        } catch (IOException | RuntimeException e) {
            close(captures);
            throw e;
        }
    }

    /** Closes the captures' readers (a merge closes them itself once made). */
    static void close(List<Input> captures) throws IOException {
        IOException failure = null;
        for (Input in : captures) {
            try {
                close(in);
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The first frame's time of a file, closed again; a file without frames, or damaged there, is done. */
    private void peek(Input in) throws IOException {
        PacketView view = new PacketView();
        try (CaptureReader reader = Pipeline.open(formats, in.path)) {
            if (in.limit > 0 && reader.next(view)) {
                in.first = view.timestampNanos;
                return;
            }
        } catch (CaptureFormatException e) {
            problem(e);
        }
        bytesDone += in.size;
    }

    private void open(Input in) throws IOException {
        try {
            in.reader = Pipeline.open(formats, in.path);
        } catch (CaptureFormatException e) {
            problem(e);
            bytesDone += in.size;
        }
    }

    @Override
    public boolean next(PacketView view) throws IOException {
        Input in = single;
        if (in != null) {
            if (in.reader == null) {
                return false;
            }
            if (in.frames < in.limit && read(in, view)) {
                in.ownFrame = view.frameNumber;
                view.frameNumber = ++numbered;
                in.frames++;
                current = in;
                return true;
            }
            finish(in);
            return false;
        }
        if (current != null) {
            advanceRoot(); // the frame handed out last was the root's
            current = null;
        }
        if (!started) {
            started = true;
            for (Input stream : inputs) {
                if (stream.path == null && advance(stream)) { // its first frame
                    push(stream);
                }
            }
        }
        while (nextPending < pending.length) {
            Input p = pending[nextPending];
            if (activeCount > 0 && p.first >= active[0].head.timestampNanos) {
                break; // on a tie the captures being read go first: a ring buffer's file ends before the next begins
            }
            nextPending++;
            open(p);
            if (p.reader != null && advance(p)) {
                push(p);
            }
        }
        if (activeCount == 0) {
            return false;
        }
        Input best = active[0];
        PacketView head = best.head;
        view.data = head.data;
        view.frameOffset = head.frameOffset;
        view.capturedLength = head.capturedLength;
        view.wireLength = head.wireLength;
        view.timestampNanos = head.timestampNanos;
        view.linkType = head.linkType;
        view.interfaceId = head.interfaceId;
        view.frameNumber = ++numbered;
        best.ownFrame = head.frameNumber;
        best.frames++;
        current = best;
        return true;
    }

    /**
     * Reads the capture's next frame into its head; false when it ends there (its end, its limit, damage), closed.
     */
    private boolean advance(Input in) throws IOException {
        if (in.frames < in.limit && read(in, in.head)) {
            return true;
        }
        finish(in);
        return false;
    }

    /** Reads the root's next frame and puts it where that frame's time says, or drops it when it has ended. */
    private void advanceRoot() throws IOException {
        if (!advance(active[0])) {
            active[0] = active[--activeCount];
            active[activeCount] = null;
        }
        if (activeCount > 0) {
            siftDown(0);
        }
    }

    private void push(Input in) {
        int i = activeCount++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(in, active[parent])) {
                break;
            }
            active[i] = active[parent];
            i = parent;
        }
        active[i] = in;
    }

    private void siftDown(int i) {
        Input in = active[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= activeCount) {
                break;
            }
            if (child + 1 < activeCount && before(active[child + 1], active[child])) {
                child++;
            }
            if (!before(active[child], in)) {
                break;
            }
            active[i] = active[child];
            i = child;
        }
        active[i] = in;
    }

    /** The capture's next frame into {@code view}; false at its end, or at damage (kept as the merge's problem). */
    private boolean read(Input in, PacketView view) throws IOException {
        try {
            return in.reader.next(view);
        } catch (CaptureFormatException e) {
            if (in.path != null || !cancelled.getAsBoolean()) {
                problem(e); // (a stream cut short by the cancellation is not damaged)
            }
            return false;
        }
    }

    /** Whether {@code a}'s next frame comes before {@code b}'s: earlier, or as early and {@code a} named first. */
    private static boolean before(Input a, Input b) {
        return a.head.timestampNanos < b.head.timestampNanos
                || a.head.timestampNanos == b.head.timestampNanos && a.index < b.index;
    }

    /**
     * Ends the capture of the frame handed out last, as damaged there: a capture filter cannot test its frames. The
     * problem names the capture, the offset and its own number of the frame.
     */
    void endCurrent(String problem) throws IOException {
        Input in = current;
        problem(new CaptureFormatException(in.source, in.reader.position(), "frame " + in.ownFrame + ": " + problem));
        in.limit = in.frames;
        in.endedEarly = true;
        if (in != single) {
            advanceRoot(); // at its limit: it ends, and leaves the heap
        }
        current = null;
    }

    /**
     * For each capture, the frames it gave before {@link #endCurrent} ended it, or -1: what a later merge of the same
     * captures takes as its limits to hand out the same frames in the same order.
     */
    long[] cutOffs() {
        long[] cut = new long[inputs.length];
        Arrays.fill(cut, -1);
        for (Input in : inputs) {
            if (in.endedEarly) {
                cut[in.index] = in.frames;
            }
        }
        return cut;
    }

    private void finish(Input in) throws IOException {
        if (in.reader == null) {
            return;
        }
        bytesDone += in.size >= 0 ? in.size : in.reader.position();
        close(in);
    }

    private void problem(CaptureFormatException e) {
        if (error == null) {
            error = e;
        }
    }

    /** The first capture found damaged, or whose frames a filter could not test; null if none. */
    CaptureFormatException error() {
        return error;
    }

    /** Frames handed out. */
    long frames() {
        return numbered;
    }

    @Override
    public long position() {
        long p = bytesDone;
        if (single != null) {
            return single.reader == null ? p : p + single.reader.position();
        }
        for (int i = 0; i < activeCount; i++) {
            p += active[i].reader.position();
        }
        return p;
    }

    @Override
    public long size() {
        return size;
    }

    /** The capture's name, or how many there are. */
    @Override
    public String name() {
        return inputs.length == 1 ? inputs[0].name() : inputs.length + " captures";
    }

    @Override
    public void close() throws IOException {
        close(Arrays.asList(inputs));
    }

    private static void close(Input in) throws IOException {
        CaptureReader reader = in.reader;
        AutoCloseable companion = in.companion;
        in.reader = null;
        in.companion = null;
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            if (companion != null) {
                try {
                    companion.close();
                } catch (Exception e) {
                    throw e instanceof IOException io ? io : new IOException(e);
                }
            }
        }
    }

    /** One capture of a merge. */
    static final class Input {
        final String source;
        final Path path;
        final long size;
        CaptureReader reader;
        AutoCloseable companion;
        int index;
        /** The first frame's time (a file's, from the look when the merge is made); MIN_VALUE when none is known. */
        long first = Long.MIN_VALUE;
        /** The next frame, not yet handed out, when the merge has several captures. */
        final PacketView head = new PacketView();
        long frames, limit, ownFrame;
        boolean endedEarly;

        private Input(String source, Path path, CaptureReader reader, AutoCloseable companion, long size) {
            this.source = source;
            this.path = path;
            this.reader = reader;
            this.companion = companion;
            this.size = size;
        }

        String name() {
            return path != null ? String.valueOf(path.getFileName()) : source;
        }
    }
}
