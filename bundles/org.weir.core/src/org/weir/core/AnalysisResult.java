package org.weir.core;

import java.util.List;
import java.util.Map;

/**
 * What an analysis saw. When the input was damaged, {@code error} describes the first problem (file and offset)
 * and everything before it was still analysed and delivered.
 *
 * @param frames frames analysed: those read that passed the capture filter, if there was one
 * @param filteredOut frames read that the capture filter rejected (0 without a filter)
 * @param bytes captured bytes of the frames analysed
 * @param sessions sessions produced
 * @param evicted sessions closed early because of the live-session bound
 * @param firstNanos timestamp of the first frame analysed (0 when none)
 * @param lastNanos timestamp of the last frame analysed
 * @param decodeAnomalies decoder anomalies by reason
 * @param alerts alerts raised by detectors
 * @param warnings problems that did not stop the analysis (e.g. a detector that failed and was disabled)
 * @param cancelled the monitor asked to stop before the end
 * @param error the first input problem met, or null
 */
public record AnalysisResult(long frames, long filteredOut, long bytes, long sessions, long evicted, long firstNanos,
        long lastNanos, Map<String, Long> decodeAnomalies, long alerts, List<String> warnings, boolean cancelled,
        CaptureFormatException error) {
}
