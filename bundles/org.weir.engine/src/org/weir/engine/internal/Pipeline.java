package org.weir.engine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.CaptureFilterCompiler;
import org.weir.core.CaptureFilterException;
import org.weir.core.CaptureFormat;
import org.weir.core.CaptureFormatException;
import org.weir.core.CaptureReader;
import org.weir.core.Enricher;
import org.weir.core.Enrichment;
import org.weir.core.FollowedStream;
import org.weir.core.LinkTypes;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketExportResult;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.core.ProgressMonitor;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;
import org.weir.core.SessionTable;
import org.weir.core.SessionTableFactory;
import org.weir.detect.Alert;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;

/**
 * The packet path over capture files: reader → decoder → session table (+ enrichers' and detectors' packet hooks)
 * → enrichers (ascending order) → detectors → listeners. Plain Java, so the CLI, the workbench (through
 * {@link PipelineAnalyzer}), tests and the benchmark run the very same loop ({@link CaptureLoop}).
 */
public final class Pipeline {

    private final List<CaptureFormat> formats;
    private final PacketDecoderFactory decoders;
    private final SessionTableFactory tables;
    private final DetectorRegistry detectors;
    private final Supplier<? extends List<? extends Enricher>> enrichers;
    private final CaptureFilterCompiler filters;

    /**
     * @param detectors the registered detectors, followed while an analysis runs; null for none
     */
    public Pipeline(List<CaptureFormat> formats, PacketDecoderFactory decoders, SessionTableFactory tables,
            DetectorRegistry detectors) {
        this(formats, decoders, tables, detectors, List::of);
    }

    /**
     * @param detectors the registered detectors, followed while an analysis runs; null for none
     * @param enrichers the enrichers registered when an analysis starts (they take part in that analysis)
     */
    public Pipeline(List<CaptureFormat> formats, PacketDecoderFactory decoders, SessionTableFactory tables,
            DetectorRegistry detectors, Supplier<? extends List<? extends Enricher>> enrichers) {
        this(formats, decoders, tables, detectors, enrichers, null);
    }

    /**
     * @param detectors the registered detectors, followed while an analysis runs; null for none
     * @param enrichers the enrichers registered when an analysis starts (they take part in that analysis)
     * @param filters the compiler of capture filters; null when none is installed (an analysis with a capture
     *     filter is then refused)
     */
    public Pipeline(List<CaptureFormat> formats, PacketDecoderFactory decoders, SessionTableFactory tables,
            DetectorRegistry detectors, Supplier<? extends List<? extends Enricher>> enrichers,
            CaptureFilterCompiler filters) {
        this.formats = List.copyOf(formats);
        this.decoders = decoders;
        this.tables = tables;
        this.detectors = detectors;
        this.enrichers = enrichers;
        this.filters = filters;
    }

    /** The format whose magic the file starts with. */
    public CaptureFormat formatOf(Path file) throws IOException {
        return formatOf(formats, file);
    }

    /**
     * The one of {@code formats} whose magic the file starts with; for a compressed file (gzip, zstd, lz4), the one
     * its decompressed bytes start with.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws CaptureFormatException when the file is too short or none of the formats recognises it
     */
    public static CaptureFormat formatOf(List<? extends CaptureFormat> formats, Path file) throws IOException {
        return detect(formats, file).format();
    }

    /**
     * Opens a capture file with the one of {@code formats} that {@link #formatOf(List, Path)} picks, through its
     * decompression for a compressed file.
     */
    public static CaptureReader open(List<? extends CaptureFormat> formats, Path file) throws IOException {
        Detected d = detect(formats, file);
        return d.compression() == null ? d.format().open(file)
                : CompressedCapture.open(d.compression(), d.format(), file);
    }

    /** A file's capture format, and its compression (null if none). */
    private record Detected(CaptureFormat format, Compression compression) {
    }

    private static Detected detect(List<? extends CaptureFormat> formats, Path file) throws IOException {
        byte[] head = new byte[16];
        int n = head(file, head);
        Compression compression = Compression.of(head, n);
        if (compression != null) {
            n = CompressedCapture.decompressedHead(compression, file, head);
        }
        return new Detected(formatOf(formats, file.toString(), head, n), compression);
    }

    /** Reads the file's first bytes into {@code head}; how many it has. */
    private static int head(Path file, byte[] head) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
    }

    /**
     * The one of {@code formats} whose magic a source's first bytes are.
     *
     * @throws CaptureFormatException when there are too few bytes or none of the formats recognises them
     */
    static CaptureFormat formatOf(List<? extends CaptureFormat> formats, String source, byte[] head, int n)
            throws CaptureFormatException {
        for (CaptureFormat f : formats) {
            if (f.recognises(head, n)) {
                return f;
            }
        }
        if (n < 4) {
            throw new CaptureFormatException(source, 0, "too short to be a capture (" + n + " bytes)");
        }
        throw new CaptureFormatException(source, 0,
                String.format("not a capture file in a known format (magic %02x%02x%02x%02x; known: %s)", head[0],
                        head[1], head[2], head[3], formats.stream().map(CaptureFormat::name).toList()));
    }

    public AnalysisResult analyze(List<Path> captures, AnalysisOptions options, SessionListener listener,
            AlertSink alerts, ProgressMonitor monitor) throws IOException {
        Map<Path, StreamedCapture> streams = new HashMap<>();
        try {
            return analyze(captures, streams, options, listener, alerts, monitor);
        } finally {
            // The streams opened here that no reader took over (cancelled, or an error first): closing their end
            // lets a writer blocked on a pipe fail now rather than when this process exits.
            for (StreamedCapture stream : streams.values()) {
                stream.close();
            }
        }
    }

    private AnalysisResult analyze(List<Path> captures, Map<Path, StreamedCapture> streams, AnalysisOptions options,
            SessionListener listener, AlertSink alerts, ProgressMonitor monitor) throws IOException {
        // Open every file first: a missing or foreign file is reported before any work is done. Streams (standard
        // input, "-", and files that are no regular files: named pipes, a shell's process substitution) are
        // recognised by their first bytes too, and can be read once.
        long totalBytes = 0;
        Map<Object, Path> files = new HashMap<>();
        for (Path p : captures) {
            boolean standardInput = CaptureAnalyzer.isStandardInput(p);
            if (!standardInput && (Files.isRegularFile(p) || !Files.exists(p))) {
                formatOf(p);
                totalBytes += Files.size(p);
                Path earlier = files.putIfAbsent(fileKey(p), p);
                if (earlier != null) {
                    throw new IllegalArgumentException(p + " is named twice" + (earlier.equals(p) ? ""
                            : " (also as " + earlier + ")") + ": merged with itself, each packet would count twice");
                }
                continue;
            }
            if (captures.indexOf(p) != captures.lastIndexOf(p)) { // before a pipe's open waits for its writer
                throw new IllegalArgumentException(
                        (standardInput ? "standard input ('-')" : p.toString()) + " can be read only once");
            }
            StreamedCapture stream = standardInput ? StreamedCapture.standardInput(formats, monitor)
                    : StreamedCapture.file(formats, p, monitor);
            if (stream == null) {
                return new AnalysisResult(0, 0, 0, 0, 0, 0, 0, Map.of(), 0, List.of(), true, null);
            }
            streams.put(p, stream);
        }
        if (!streams.isEmpty()) {
            totalBytes = -1; // unknown: progress counts bytes without a share
        }
        LinkTypeFilters filter = options.captureFilter() == null ? null
                : filter(options.captureFilter(), captures, streams.keySet());
        // Enrichers start first: a feed named in the options that cannot be used stops the analysis here.
        EnrichmentHost enrichment = null;
        if (options.intel().enrichment()) {
            List<? extends Enricher> present = enrichers.get();
            if (!present.isEmpty()) {
                try {
                    enrichment = new EnrichmentHost(present, withDetectorReads(options));
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
                if (enrichment.isEmpty() && enrichment.problems().isEmpty()) {
                    enrichment = null;
                }
            }
        }
        AlertCounter alertCounter = new AlertCounter(alerts);
        DetectionHost host = detectors != null && options.detection()
                ? detectors.open(options.detectorParameters(), alertCounter)
                : null;
        PacketDecoder decoder = decoders.create(options.decoder());
        SessionTable table = tables.create(options.sessions());
        SessionCounter counter = new SessionCounter();
        table.addListener(counter);
        // Enrichers see each batch first, then detectors: both tag sessions before the listener (the sinks) writes
        // them. On the packet path the table comes first, then the enrichers' and the detectors' hooks.
        SessionListener downstream = host == null ? listener : host.before(listener);
        if (enrichment != null) {
            downstream = enrichment.before(downstream);
        }
        table.addListener(downstream);
        PacketHandler handler = enrichment == null ? table : enrichment.after(table);
        handler = host == null ? handler : host.after(handler);

        CaptureLoop loop = new CaptureLoop(decoder, handler, monitor, filter, options.frameLimit());
        long done = 0;
        boolean cancelled = false;
        CaptureFormatException error = null;
        try {
            List<CaptureMerge.Input> inputs = new ArrayList<>();
            CaptureMerge opened = null;
            try {
                for (Path p : captures) {
                    StreamedCapture stream = streams.get(p);
                    if (stream == null) {
                        inputs.add(CaptureMerge.file(p));
                        continue;
                    }
                    try {
                        CaptureReader reader = stream.reader(monitor);
                        if (reader == null) {
                            cancelled = true; // while waiting for the stream's header
                            break;
                        }
                        streams.remove(p); // the reader closes it
                        inputs.add(CaptureMerge.stream(stream.name(), reader, stream.watch(reader, monitor)));
                    } catch (CaptureFormatException e) {
                        if (monitor.isCancelled()) {
                            cancelled = true; // cut short by the cancellation, not damaged
                            break;
                        }
                        error = error == null ? e : error; // the other captures are still analysed
                    }
                }
                opened = cancelled ? null : new CaptureMerge(formats, inputs, monitor::isCancelled, null);
            } finally {
                if (opened == null) {
                    CaptureMerge.close(inputs);
                }
            }
            if (opened != null) {
                try (CaptureMerge merge = opened) {
                    String task = "Analysing " + merge.name();
                    monitor.progress(task, 0, totalBytes);
                    try {
                        while (true) {
                            try {
                                cancelled = loop.read(merge, task, totalBytes);
                                break;
                            } catch (LinkTypeFilters.NotApplicable e) {
                                // Frames of a link type the filter cannot test: their capture ends there, as damage.
                                merge.endCurrent(e.getMessage());
                            }
                        }
                    } finally {
                        done = merge.position();
                        error = error == null ? merge.error() : error;
                    }
                }
            }
            cancelled |= monitor.isCancelled();
        } catch (OutOfMemoryError e) {
            // The heap is full. The detectors' state goes, so that the open sessions can still be closed and
            // handed over; then the error goes on to the caller.
            if (host != null) {
                host.abandon();
            }
            throw e;
        } finally {
            table.closeAll();
            table.removeListener(downstream);
            if (host != null) {
                host.finish();
                detectors.close(host);
            }
        }
        // A run cut short by a cancellation or damage ends where it stopped, not at 100 %.
        boolean whole = !cancelled && error == null && totalBytes >= 0;
        monitor.progress(cancelled ? "Stopped" : "Done", whole ? totalBytes : done, totalBytes);
        Map<String, Long> anomalies = decoder.statistics().anomalies();
        List<String> warnings = warnings(enrichment, host);
        // In a damaged capture, bad checksums are as likely the damage's as the capturing host's.
        String offloading = error != null ? null
                : ChecksumOffloading.warning(anomalies, loop.frames(), options.decoder().ignoreChecksums());
        if (offloading != null) {
            warnings.add(0, offloading);
        }
        return new AnalysisResult(loop.frames(), loop.filteredOut(), loop.bytes(), counter.closed,
                table.evictedCount(), loop.firstNanos(), loop.lastNanos(), anomalies, alertCounter.count, warnings,
                cancelled, error);
    }

    /** What tells a file from every other, under any name: its device and inode where the system has them. */
    private static Object fileKey(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return key != null ? key : file.toRealPath();
    }

    /** {@link CaptureAnalyzer#exportPackets}. */
    public PacketExportResult exportPackets(List<Path> captures, AnalysisOptions options, Set<String> uids,
            Path output, ProgressMonitor monitor) throws IOException {
        return new PacketExport(rereading(captures, options, monitor)).export(captures, uids, output);
    }

    /** {@link CaptureAnalyzer#followStream}. */
    public FollowedStream followStream(List<Path> captures, AnalysisOptions options, String uid, long maxBytes,
            ProgressMonitor monitor) throws IOException {
        return new StreamFollow(rereading(captures, options, monitor)).follow(captures, uid, maxBytes);
    }

    private Rereading rereading(List<Path> captures, AnalysisOptions options, ProgressMonitor monitor)
            throws IOException {
        LinkTypeFilters filter = options.captureFilter() == null ? null
                : filter(options.captureFilter(), captures, Set.of());
        return new Rereading(formats, decoders.create(options.decoder()), tables.create(options.sessions()), filter,
                options.frameLimit(), monitor);
    }

    /**
     * The capture filter, compiled for the link type of the first frame of the first capture file that has one (for
     * Ethernet when none has; a stream cannot be read twice), so that a wrong expression is refused before
     * anything starts.
     *
     * @throws CaptureFilterException when no filter compiler is installed, or the expression does not compile
     */
    private LinkTypeFilters filter(String expression, List<Path> captures, Set<Path> streams) throws IOException {
        if (filters == null) {
            throw new CaptureFilterException("capture filter '" + expression + "': no filter compiler is installed "
                    + "(bundle org.weir.capture)", null);
        }
        int linkType = LinkTypes.ETHERNET;
        PacketView first = new PacketView();
        for (Path p : captures) {
            if (streams.contains(p)) {
                continue;
            }
            try (CaptureReader reader = open(formats, p)) {
                if (reader.next(first)) {
                    linkType = first.linkType;
                    break;
                }
            } catch (CaptureFormatException e) {
                // Reported when the capture is analysed.
            }
        }
        return new LinkTypeFilters(expression, filters, linkType);
    }

    private static List<String> warnings(EnrichmentHost enrichment, DetectionHost host) {
        List<String> all = new ArrayList<>();
        if (enrichment != null) {
            all.addAll(enrichment.problems());
        }
        if (host != null) {
            all.addAll(host.problems());
        }
        return all;
    }

    /** Passes alerts on and counts them. */
    private static final class AlertCounter implements AlertSink {
        private final AlertSink next;
        long count;

        AlertCounter(AlertSink next) {
            this.next = next;
        }

        @Override
        public void raise(Alert alert) {
            count++;
            next.raise(alert);
        }
    }

    /** Counts the sessions the table delivers. */
    private static final class SessionCounter implements SessionListener {
        long closed;

        @Override
        public void onSessions(SessionBatch batch) {
            closed += batch.closed().size();
        }
    }

    /** The options with what the detectors present read of the enrichment added to what the outputs read. */
    private AnalysisOptions withDetectorReads(AnalysisOptions options) {
        if (detectors == null || !options.detection()) {
            return options;
        }
        Set<Enrichment> read = EnumSet.noneOf(Enrichment.class);
        read.addAll(options.intel().read());
        for (Detector d : detectors.detectors()) {
            read.addAll(d.reads());
        }
        return read.equals(options.intel().read()) ? options : options.withIntel(options.intel().withRead(read));
    }
}
