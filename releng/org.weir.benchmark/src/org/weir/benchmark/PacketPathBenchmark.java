package org.weir.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureFormat;
import org.weir.core.CaptureReader;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.ProgressMonitor;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;
import org.weir.core.SessionTable;
import org.weir.core.SessionTableFactory;
import org.weir.engine.internal.CaptureLoop;
import org.weir.engine.internal.Pipeline;

/**
 * Steady-state throughput of the packet path on one core, in process: the real capture reader, decoder and
 * session table (the DS components of the bundle jars on the class path, instantiated directly), without OSGi,
 * output writers or the launcher.
 *
 * <p>The capture (or its first {@code --slice-mb} megabytes) is first read with the real reader and kept in memory
 * as compact frame records; then each stage is timed over repeated passes, warm-up passes first:
 * <ul>
 * <li>{@code copy} — the frames copied from memory into a reader-sized buffer, window by window, as the
 * stages below feed the decoder (a reader's refill; subtract it for the decoder's own cost);</li>
 * <li>{@code decode} — memory → buffer → decoder, with a handler that only reads a field;</li>
 * <li>{@code decode+sessions} — memory → buffer → decoder → a fresh session table per pass (the target
 * figure);</li>
 * <li>{@code read} and {@code read+decode+sessions} — the same from the file through the real reader (the file
 * sits in the page cache after the first pass), i.e. the pipeline's loop without the conn.log writer.</li>
 * </ul>
 * Each pass is single-threaded. The session table's retained heap is measured after one extra pass (before its
 * {@code closeAll}) by a full GC, to give bytes per live session.
 */
public final class PacketPathBenchmark {

    private static final int CHUNK = 256 << 20;
    /** Record header in memory: timestamp (8), captured length (4), wire length (4), link type (4). */
    private static final int RECORD_HEADER = 20;

    private final List<byte[]> chunks = new ArrayList<>();
    private final List<Integer> chunkLengths = new ArrayList<>();
    private long frames;
    private long frameBytes;

    private final PacketDecoderFactory decoders;
    private final SessionTableFactory tables;
    private final List<CaptureFormat> formats;
    private final AnalysisOptions options;

    PacketPathBenchmark(Components components, AnalysisOptions options) {
        this.decoders = components.get(PacketDecoderFactory.class);
        this.tables = components.get(SessionTableFactory.class);
        this.formats = components.all(CaptureFormat.class);
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Path file = null;
        int warmup = 2, passes = 5;
        long sliceMb = 0;
        boolean ignoreChecksums = false, fileStages = true, memoryStages = true, floor = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--slice-mb" -> sliceMb = Long.parseLong(args[++i]);
                case "-C", "--ignore-checksums" -> ignoreChecksums = true;
                case "--memory-only" -> fileStages = false;
                case "--file-only" -> memoryStages = false;
                case "--floor" -> floor = true;
                default -> {
                    if (args[i].startsWith("-") || file != null) {
                        System.err.println("""
                                usage: PacketPathBenchmark CAPTURE [--warmup N] [--passes N] [--slice-mb MB]
                                                           [-C] [--memory-only | --file-only] [--floor]""");
                        System.exit(2);
                    }
                    file = Path.of(args[i]);
                }
            }
        }
        if (file == null) {
            System.err.println("usage: PacketPathBenchmark CAPTURE [options]; --help for more");
            System.exit(2);
        }
        Components components = new Components(PacketPathBenchmark.class.getClassLoader());
        AnalysisOptions options = AnalysisOptions.defaults().withIgnoreChecksums(ignoreChecksums);
        PacketPathBenchmark b = new PacketPathBenchmark(components, options);
        System.out.printf(Locale.ROOT, "JVM %s %s, %d processor(s), max heap %d MB; args %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.printf(Locale.ROOT, "decoder factory %s, session table factory %s, formats %s%n",
                b.decoders.getClass().getName(), b.tables.getClass().getName(),
                b.formats.stream().map(CaptureFormat::name).toList());
        if (memoryStages) {
            long t0 = System.nanoTime();
            b.load(file, sliceMb << 20);
            System.out.printf(Locale.ROOT, "loaded %,d frames (%,d bytes) of %s into memory in %.1f s%n", b.frames,
                    b.frameBytes, file.getFileName(), (System.nanoTime() - t0) / 1e9);
            b.stage("copy", warmup, passes, b::copyFromMemory);
            b.stage("decode", warmup, passes, b::decodeFromMemory);
            if (floor) {
                b.stage("decode+floor", warmup, passes, b::floorFromMemory);
            }
            b.stage("decode+sessions", warmup, passes, b::sessionsFromMemory);
            b.retainedHeap();
        }
        if (fileStages) {
            Path capture = file;
            b.chunks.clear();
            System.gc();
            b.stage("read", warmup, passes, () -> b.fromFile(capture, Mode.READ));
            b.stage("read+decode+sessions", warmup, passes, () -> b.fromFile(capture, Mode.SESSIONS));
        }
    }

    // ---- stages ------------------------------------------------------------------------------------------------

    /** What one pass did. */
    record Pass(long packets, long nanos, long closeNanos, long sessions, int live, long evicted, long allocated,
            long gcMillis, long cpuNanos) {
        Pass withGc(long gc) {
            return new Pass(packets, nanos, closeNanos, sessions, live, evicted, allocated, gc, cpuNanos);
        }
    }

    /**
     * CPU time of this thread: on a shared machine the rate per CPU second is steadier than the rate per wall
     * second (it leaves out the time the thread waited for a core, not the cache misses others cause).
     */
    private static long cpuNanos() {
        var t = ManagementFactory.getThreadMXBean();
        return t.isCurrentThreadCpuTimeSupported() ? t.getCurrentThreadCpuTime() : -1;
    }

    /** Total time of all collections so far (stop-the-world pauses and, for concurrent collectors, cycles). */
    private static long gcMillis() {
        long sum = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** Bytes allocated by this thread so far (HotSpot's ThreadMXBean extension), or -1 when unavailable. */
    private static long allocatedBytes() {
        try {
            Object bean = ManagementFactory.getThreadMXBean();
            if (ALLOCATED == null) {
                return -1;
            }
            return (Long) ALLOCATED.invoke(bean);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static final java.lang.reflect.Method ALLOCATED = allocatedMethod();

    private static java.lang.reflect.Method allocatedMethod() {
        try {
            Class<?> c = Class.forName("com.sun.management.ThreadMXBean");
            return c.getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    interface Body {
        Pass run() throws IOException;
    }

    private void stage(String name, int warmup, int passes, Body body) throws IOException {
        for (int i = 0; i < warmup; i++) {
            long g0 = gcMillis();
            Pass p = body.run();
            p = p.withGc(gcMillis() - g0);
            System.out.printf(Locale.ROOT, "  %-22s warm-up %d: %s%n", name, i + 1, describe(p));
        }
        double[] rates = new double[passes], cpuRates = new double[passes];
        Pass last = null;
        for (int i = 0; i < passes; i++) {
            System.gc();
            long g0 = gcMillis();
            Pass p = body.run();
            p = p.withGc(gcMillis() - g0);
            rates[i] = p.packets() / (p.nanos() / 1e9);
            cpuRates[i] = p.packets() / (Math.max(1, p.cpuNanos()) / 1e9);
            last = p;
            System.out.printf(Locale.ROOT, "  %-22s pass %d:    %s%n", name, i + 1, describe(p));
        }
        Arrays.sort(rates);
        Arrays.sort(cpuRates);
        double median = rates[passes / 2];
        System.out.printf(Locale.ROOT,
                "RESULT stage=%s packets=%d median_pps=%.0f best_pps=%.0f ns_per_packet=%.1f median_cpu_pps=%.0f"
                        + " sessions=%d live=%d alloc_per_packet=%.1f%n",
                name, last.packets(), median, rates[passes - 1], 1e9 / median, cpuRates[passes / 2],
                last.sessions(), last.live(), last.allocated() / (double) last.packets());
    }

    private static String describe(Pass p) {
        String s = String.format(Locale.ROOT,
                "%,d packets in %.3f s = %,.0f packets/s (%.1f ns/packet, %.1f bytes allocated/packet)", p.packets(),
                p.nanos() / 1e9, p.packets() / (p.nanos() / 1e9), p.nanos() / (double) p.packets(),
                p.allocated() / (double) p.packets());
        if (p.cpuNanos() > 0) {
            s += String.format(Locale.ROOT, ", thread CPU %.3f s", p.cpuNanos() / 1e9);
        }
        if (p.gcMillis() > 0) {
            s += String.format(Locale.ROOT, ", GC %.3f s", p.gcMillis() / 1e3);
        }
        if (p.sessions() >= 0) {
            s += String.format(Locale.ROOT, "; %,d sessions (%,d live at the end, %,d evicted), closeAll %.3f s",
                    p.sessions(), p.live(), p.evicted(), p.closeNanos() / 1e9);
        }
        return s;
    }

    /** Counts the sessions a table delivers, as the pipeline does. */
    private static final class Counter implements SessionListener {
        long closed;

        @Override
        public void onSessions(SessionBatch batch) {
            closed += batch.closed().size();
        }
    }

    /** A handler that only reads the view, so the decoder's work cannot be optimised away. */
    private static final class Sink implements PacketHandler {
        long sum;

        @Override
        public void onPacket(PacketView packet) {
            sum += packet.srcPort + packet.payloadLength;
        }
    }

    private static long blackhole;

    /** What one replay measured: packets, wall and thread CPU nanoseconds, bytes the thread allocated. */
    private record Timed(long packets, long nanos, long cpuNanos, long allocated) {
        Pass pass(long closeNanos, long sessions, int live, long evicted) {
            return new Pass(packets, nanos, closeNanos, sessions, live, evicted, allocated, -1, cpuNanos);
        }
    }

    /** One timed replay of the frames in memory through a fresh decoder into {@code handler} (null: copies only). */
    private Timed timedReplay(PacketHandler handler) {
        PacketDecoder decoder = handler == null ? null : decoders.create(options.decoder());
        long a0 = allocatedBytes(), c0 = cpuNanos();
        long t0 = System.nanoTime();
        long n = replay(decoder, handler);
        long t = System.nanoTime() - t0;
        return new Timed(n, t, cpuNanos() - c0, allocatedBytes() - a0);
    }

    private Pass decodeFromMemory() {
        Sink sink = new Sink();
        Timed r = timedReplay(sink);
        blackhole += sink.sum;
        return r.pass(0, -1, 0, 0);
    }

    private Pass sessionsFromMemory() {
        return sessionsFromMemory(false);
    }

    /** The decoder and {@link FloorTable}: the least any session table costs here. */
    private Pass floorFromMemory() {
        FloorTable table = new FloorTable();
        return timedReplay(table).pass(0, table.created, table.live, 0);
    }

    private Pass sessionsFromMemory(boolean measureHeap) {
        SessionTable table = tables.create(options.sessions());
        Counter counter = new Counter();
        table.addListener(counter);
        Timed r = timedReplay(table);
        int live = table.liveCount();
        if (measureHeap) {
            long used = usedAfterGc();
            System.out.printf(Locale.ROOT,
                    "  session table retained heap: %,d MB for %,d live sessions = %,.0f bytes/session "
                            + "(heap in use %,d MB, of which %,d MB frames in memory)%n",
                    (used - baseline) >> 20, live, (used - baseline) / (double) Math.max(1, live), used >> 20,
                    baseline >> 20);
        }
        long k0 = System.nanoTime();
        table.closeAll();
        long close = System.nanoTime() - k0;
        return r.pass(close, counter.closed, live, table.evictedCount());
    }

    private long baseline;

    private void retainedHeap() {
        baseline = usedAfterGc();
        sessionsFromMemory(true);
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Bytes the replay hands to the decoder at a time: the capture readers' buffer (a refill's worth). */
    private static final int WINDOW = 256 << 10;
    private byte[] window = new byte[WINDOW];

    /** The replay's copies and record walk alone, without decoding: what {@link #replay} adds to the decoder. */
    private Pass copyFromMemory() {
        return timedReplay(null).pass(0, -1, 0, 0);
    }

    /**
     * The loop over the frames in memory: copy the next window of records into a buffer, as a reader's refill
     * does, fill the view as a reader would, decode. Decoding straight from the in-memory chunks would measure
     * something the product never does: there every frame was just copied into the reader's L2-sized buffer. From
     * the chunks, a decoder that reads only headers (checksums ignored) takes a memory miss on every record,
     * which a checksum's sequential read of each frame hides by letting the hardware stream the next record in.
     * Without a decoder, only the copies and the walk over the records.
     */
    private long replay(PacketDecoder decoder, PacketHandler handler) {
        PacketView view = new PacketView();
        byte[] w = window;
        long n = 0;
        for (int c = 0; c < chunks.size(); c++) {
            byte[] b = chunks.get(c);
            int end = chunkLengths.get(c);
            int p = 0;
            while (p < end) {
                int len = Math.max(Math.min(WINDOW, end - p), RECORD_HEADER + i32(b, p + 8));
                if (len > w.length) {
                    w = window = new byte[len];
                }
                System.arraycopy(b, p, w, 0, len);
                view.data = w;
                int q = 0;
                while (q + RECORD_HEADER <= len) {
                    int cap = i32(w, q + 8);
                    if (q + RECORD_HEADER + cap > len) {
                        break;
                    }
                    n++;
                    if (decoder == null) {
                        blackhole += i32(w, q + 16);
                    } else {
                        view.timestampNanos = i64(w, q);
                        view.capturedLength = cap;
                        view.wireLength = i32(w, q + 12);
                        view.linkType = i32(w, q + 16);
                        view.frameOffset = q + RECORD_HEADER;
                        view.interfaceId = 0;
                        view.frameNumber = n;
                        decoder.decode(view, handler);
                    }
                    q += RECORD_HEADER + cap;
                }
                p += q;
            }
        }
        return n;
    }

    enum Mode {
        READ, SESSIONS
    }

    private Pass fromFile(Path file, Mode mode) throws IOException {
        PacketDecoder decoder = decoders.create(options.decoder());
        SessionTable table = mode == Mode.SESSIONS ? tables.create(options.sessions()) : null;
        Counter counter = new Counter();
        long n = 0, bytes = 0;
        long a0 = allocatedBytes(), c0 = cpuNanos();
        long t0 = System.nanoTime();
        if (table == null) {
            PacketView view = new PacketView();
            try (CaptureReader reader = open(file)) {
                while (reader.next(view)) {
                    n++;
                    bytes += view.capturedLength;
                }
            }
        } else {
            table.addListener(counter);
            // The pipeline's own loop.
            CaptureLoop loop = new CaptureLoop(decoder, table, ProgressMonitor.NONE);
            try (CaptureReader reader = open(file)) {
                loop.read(reader, file.toString(), -1);
            }
            n = loop.frames();
            bytes = loop.bytes();
        }
        long t = System.nanoTime() - t0;
        long c = cpuNanos() - c0, a = allocatedBytes() - a0;
        blackhole += bytes;
        if (table == null) {
            return new Pass(n, t, 0, -1, 0, 0, a, -1, c);
        }
        int live = table.liveCount();
        long k0 = System.nanoTime();
        table.closeAll();
        return new Pass(n, t, System.nanoTime() - k0, counter.closed, live, table.evictedCount(), a, -1, c);
    }

    /** Opens a capture with the format the pipeline would pick. */
    private CaptureReader open(Path file) throws IOException {
        return Pipeline.open(formats, file);
    }

    /** Reads frames with the real reader into compact in-memory records (up to {@code limit} bytes, 0 = all). */
    private void load(Path file, long limit) throws IOException {
        byte[] chunk = new byte[CHUNK];
        int p = 0;
        PacketView view = new PacketView();
        try (CaptureReader reader = open(file)) {
            while (reader.next(view)) {
                int need = RECORD_HEADER + view.capturedLength;
                if (limit > 0 && frameBytes + need > limit) {
                    break;
                }
                if (p + need > chunk.length) {
                    chunks.add(chunk);
                    chunkLengths.add(p);
                    chunk = new byte[Math.max(CHUNK, need)];
                    p = 0;
                }
                put64(chunk, p, view.timestampNanos);
                put32(chunk, p + 8, view.capturedLength);
                put32(chunk, p + 12, view.wireLength);
                put32(chunk, p + 16, view.linkType);
                System.arraycopy(view.data, view.frameOffset, chunk, p + RECORD_HEADER, view.capturedLength);
                p += need;
                frames++;
                frameBytes += need;
            }
        }
        chunks.add(Arrays.copyOf(chunk, p));
        chunkLengths.add(p);
    }

    private static int i32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    private static long i64(byte[] b, int p) {
        return (long) i32(b, p) << 32 | (i32(b, p + 4) & 0xFFFF_FFFFL);
    }

    private static void put32(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    private static void put64(byte[] b, int p, long v) {
        put32(b, p, (int) (v >>> 32));
        put32(b, p + 4, (int) v);
    }
}
