package org.weir.core;

import java.util.Map;

/**
 * Options of one offline analysis.
 *
 * @param decoder decoder options (checksums, fragments)
 * @param sessions session table options (timeouts, memory bound)
 * @param detection run the registered detectors
 * @param detectorParameters parameter values by detector id and parameter name (defaults apply to the rest)
 */
public record AnalysisOptions(DecoderOptions decoder, SessionOptions sessions, boolean detection,
        Map<String, Map<String, String>> detectorParameters) {

    public AnalysisOptions {
        detectorParameters = Map.copyOf(detectorParameters);
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(DecoderOptions.defaults(), SessionOptions.defaults(), true, Map.of());
    }

    public AnalysisOptions withIgnoreChecksums(boolean ignore) {
        return new AnalysisOptions(decoder.withIgnoreChecksums(ignore), sessions, detection, detectorParameters);
    }

    public AnalysisOptions withMaxLiveSessions(int max) {
        return new AnalysisOptions(decoder, sessions.withMaxLiveSessions(max), detection, detectorParameters);
    }

    public AnalysisOptions withDetection(boolean run) {
        return new AnalysisOptions(decoder, sessions, run, detectorParameters);
    }

    public AnalysisOptions withDetectorParameters(Map<String, Map<String, String>> parameters) {
        return new AnalysisOptions(decoder, sessions, detection, parameters);
    }
}
