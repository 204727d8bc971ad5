package org.weir.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.weir.core.AnalysisOptions;
import org.weir.core.CaptureFormat;
import org.weir.core.CaptureReader;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.ProgressMonitor;
import org.weir.core.Session;
import org.weir.core.SessionTable;
import org.weir.core.SessionTableFactory;
import org.weir.engine.internal.CaptureLoop;
import org.weir.engine.internal.Pipeline;

/**
 * The heap that a capture's closed sessions take when a listener keeps every one of them, as the workbench does:
 * the engine's loop into a session table, every closed session kept in a list and its {@code service} read once,
 * then full collections and the heap in use, in all and per session.
 *
 * <pre>java -Xmx4g -cp CLASSPATH org.weir.benchmark.KeptSessions CAPTURE</pre>
 */
public final class KeptSessions {

    private KeptSessions() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KeptSessions CAPTURE");
            System.exit(2);
        }
        Components components = new Components(KeptSessions.class.getClassLoader());
        AnalysisOptions options = AnalysisOptions.defaults();
        Path file = Path.of(args[0]);
        List<Session> kept = analyse(components, options, file);
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        System.out.printf(Locale.ROOT, "%s: %,d closed sessions kept, %.1f MB of heap in use, %.0f bytes per session%n",
                file.getFileName(), kept.size(), used / 1e6, (double) used / Math.max(1, kept.size()));
    }

    /** The capture's closed sessions, each read as a view reads it; the table and decoder are gone afterwards. */
    private static List<Session> analyse(Components components, AnalysisOptions options, Path file) throws Exception {
        PacketDecoder decoder = components.get(PacketDecoderFactory.class).create(options.decoder());
        SessionTable table = components.get(SessionTableFactory.class).create(options.sessions());
        List<Session> kept = new ArrayList<>();
        table.addListener(batch -> kept.addAll(batch.closed()));
        CaptureLoop loop = new CaptureLoop(decoder, table, ProgressMonitor.NONE);
        try (CaptureReader reader = Pipeline.open(components.all(CaptureFormat.class), file)) {
            loop.read(reader, file.toString(), -1);
        }
        table.closeAll();
        for (Session s : kept) {
            s.service();
        }
        return kept;
    }
}
