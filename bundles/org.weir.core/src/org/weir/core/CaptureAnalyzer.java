package org.weir.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * DS service: runs the packet path (read → decode → sessions) over capture files and delivers session events.
 * The workbench and the headless {@code weir} application both use it; only their listeners differ.
 */
public interface CaptureAnalyzer {

    /**
     * Analyses the captures in order, as one stream of packets. Returns normally when the input is damaged or the
     * monitor cancels: every session seen so far is closed and delivered, and the result says what happened.
     *
     * @throws IOException when a file cannot be opened or read at all (missing, unreadable, unknown format)
     */
    AnalysisResult analyze(List<Path> captures, AnalysisOptions options, SessionListener listener,
            ProgressMonitor monitor) throws IOException;
}
