package org.weir.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.weir.core.CaptureAnalyzer;
import org.weir.core.CaptureFormat;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketHandler;
import org.weir.core.ProgressMonitor;
import org.weir.core.SessionTable;

/**
 * Reading captures again as the analysis that made their sessions read them: the same formats and merge, a fresh
 * decoder and session table with the analysis's options, its capture filter and frame limit, so that the same frames
 * make the same sessions with the same uids. The export of sessions' packets ({@link PacketExport}) and Follow Stream
 * ({@link StreamFollow}) read this way.
 */
record Rereading(List<? extends CaptureFormat> formats, PacketDecoder decoder, SessionTable table,
        LinkTypeFilters filter, long frameLimit, ProgressMonitor monitor) {

    /**
     * The captures' size in bytes, for progress, once each is known to be a capture file that can be read again.
     *
     * @param purpose what reads them again, for the message ("an export of packets reads its captures twice")
     * @throws IllegalArgumentException for standard input or another stream, which can be read only once
     */
    long totalBytes(List<Path> captures, String purpose) throws IOException {
        long total = 0;
        for (Path p : captures) {
            if (CaptureAnalyzer.isStandardInput(p) || !Files.isRegularFile(p)) {
                throw new IllegalArgumentException((CaptureAnalyzer.isStandardInput(p) ? "standard input ('-')"
                        : p.toString()) + " can be read only once, and " + purpose);
            }
            Pipeline.formatOf(formats, p);
            total += Files.size(p);
        }
        return total;
    }

    /** The captures merged by time, as the analysis merged them; {@code cutOffs} as {@link CaptureMerge} takes. */
    CaptureMerge merge(List<Path> captures, BooleanSupplier cancelled, long[] cutOffs) throws IOException {
        List<CaptureMerge.Input> inputs = new ArrayList<>();
        for (Path p : captures) {
            inputs.add(CaptureMerge.file(p));
        }
        return new CaptureMerge(formats, inputs, cancelled, cutOffs);
    }

    /** The analysis's read → decode loop into {@code handler}, with its capture filter and frame limit. */
    CaptureLoop loop(PacketHandler handler, ProgressMonitor progress) {
        return new CaptureLoop(decoder, handler, progress, filter, frameLimit);
    }
}
