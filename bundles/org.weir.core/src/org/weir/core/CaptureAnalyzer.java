package org.weir.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.weir.detect.AlertSink;
import org.weir.detect.DetectorInfo;

/**
 * DS service: runs the packet path (read → decode → sessions → detectors) over capture files and delivers session
 * events and alerts. The workbench and the headless {@code weir} application both use it; only their listeners
 * differ.
 */
public interface CaptureAnalyzer {

    /**
     * Whether a capture is the process's standard input: named {@code -}, as tcpdump and Zeek take it. An analysis
     * reads it once, in order, recognising its format by its first bytes; its size is not known.
     */
    static boolean isStandardInput(Path capture) {
        return capture.toString().equals("-");
    }

    /**
     * The one of {@code captures} that {@code output} is (the same file, under whatever name), or null: writing there
     * would destroy what is being read, so outputs are checked against it before they are opened.
     */
    static Path captureAt(Path output, List<Path> captures) {
        if (!Files.exists(output)) {
            return null;
        }
        for (Path capture : captures) {
            try {
                if (!isStandardInput(capture) && Files.exists(capture) && Files.isSameFile(output, capture)) {
                    return capture;
                }
            } catch (IOException e) {
                // Not comparable: then not the same file as far as anyone can tell.
            }
        }
        return null;
    }

    /**
     * Analyses the captures as one stream of packets, merged by time as mergecap merges them (the earliest of their
     * next frames first; on a tie, a capture already being read, then the one named first). Returns normally when
     * the input is damaged or the monitor cancels: every session seen so far is closed and delivered, and the result
     * says what happened.
     * Detectors see each session batch before {@code listener} does, so the sessions it receives carry their tags.
     *
     * @throws IOException when a file cannot be opened or read at all (missing, unreadable, unknown format)
     * @throws IllegalArgumentException when a detector parameter names an unknown detector or parameter, or its
     *     value does not fit the parameter's type; when a file is named twice, or a stream (it can be read once)
     * @throws CaptureFilterException when the capture filter does not compile for the link type of the first
     *     capture, or cannot be compiled here at all
     */
    AnalysisResult analyze(List<Path> captures, AnalysisOptions options, SessionListener listener, AlertSink alerts,
            ProgressMonitor monitor) throws IOException;

    /** As {@link #analyze(List, AnalysisOptions, SessionListener, AlertSink, ProgressMonitor)}, ignoring alerts. */
    default AnalysisResult analyze(List<Path> captures, AnalysisOptions options, SessionListener listener,
            ProgressMonitor monitor) throws IOException {
        return analyze(captures, options, listener, alert -> {
        }, monitor);
    }

    /**
     * Writes the frames of chosen sessions to a capture file, as Wireshark's Export Specified Packets does for the
     * packets shown. The captures are analysed again with the same options (which give the same sessions the same
     * uids), each frame is followed to the sessions it went to (a tunnelled frame to the tunnel's and the inner
     * connection's, a fragment to its datagram's) and those of a chosen session are written in the order the analysis
     * read them (several captures merged by time). A file whose name ends in {@code .pcapng} is written as pcapng
     * (frames of any link types); any other as pcap, which holds one link type, with nanosecond timestamps only when
     * the frames have them.
     *
     * @param options the options the sessions were made with (capture filter, checksums, session options)
     * @param uids the uids of the chosen sessions
     * @return what was written; when cancelled, nothing is left written
     * @throws IOException when a capture cannot be opened or the file cannot be written (it is then removed)
     * @throws IllegalArgumentException when a capture is a stream (read once; an export reads twice), the file is
     *     one of the captures, or the frames have several link types and the file is to be pcap
     * @throws CaptureFilterException when the options' capture filter does not compile
     */
    PacketExportResult exportPackets(List<Path> captures, AnalysisOptions options, Set<String> uids, Path output,
            ProgressMonitor monitor) throws IOException;

    /**
     * The data a TCP or UDP session carried, as Wireshark's Follow Stream shows it. The captures are analysed again
     * with the same options (which give the same session the same uid) until the session closes; the payloads of the
     * frames that went to it are put in order.
     *
     * @param options the options the session was made with (capture filter, checksums, session options)
     * @param uid the session's uid
     * @param maxBytes how many bytes of data to keep at most (the first ones; the rest is counted)
     * @throws IOException when a capture cannot be opened
     * @throws IllegalArgumentException when a capture is a stream (the session is found by reading it again)
     * @throws CaptureFilterException when the options' capture filter does not compile
     */
    FollowedStream followStream(List<Path> captures, AnalysisOptions options, String uid, long maxBytes,
            ProgressMonitor monitor) throws IOException;

    /** The detectors registered now, as they describe themselves. */
    List<DetectorInfo> detectors();
}
