package org.weir.core;

import java.util.Map;

/**
 * Options of one offline analysis.
 *
 * @param decoder decoder options (checksums, fragments)
 * @param sessions session table options (timeouts, memory bound)
 * @param detection run the registered detectors
 * @param detectorParameters parameter values by detector id and parameter name (defaults apply to the rest)
 * @param intel intelligence feeds and whitelist of this analysis (for the enrichers)
 */
public record AnalysisOptions(DecoderOptions decoder, SessionOptions sessions, boolean detection,
        Map<String, Map<String, String>> detectorParameters, IntelOptions intel) {

    public AnalysisOptions {
        detectorParameters = Map.copyOf(detectorParameters);
        if (intel == null) {
            intel = IntelOptions.defaults();
        }
    }

    /** Options with the default intelligence settings ({@link IntelOptions#defaults()}). */
    public AnalysisOptions(DecoderOptions decoder, SessionOptions sessions, boolean detection,
            Map<String, Map<String, String>> detectorParameters) {
        this(decoder, sessions, detection, detectorParameters, IntelOptions.defaults());
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(DecoderOptions.defaults(), SessionOptions.defaults(), true, Map.of(),
                IntelOptions.defaults());
    }

    public AnalysisOptions withIntel(IntelOptions options) {
        return new AnalysisOptions(decoder, sessions, detection, detectorParameters, options);
    }

    public AnalysisOptions withIgnoreChecksums(boolean ignore) {
        return new AnalysisOptions(decoder.withIgnoreChecksums(ignore), sessions, detection, detectorParameters,
                intel);
    }

    public AnalysisOptions withMaxLiveSessions(int max) {
        return new AnalysisOptions(decoder, sessions.withMaxLiveSessions(max), detection, detectorParameters,
                intel);
    }

    /** Zeek's bare mode ({@code zeek -b}) for the sessions: {@link SessionOptions#bare()}. */
    public AnalysisOptions withBareZeek(boolean bare) {
        return new AnalysisOptions(decoder, sessions.withBare(bare), detection, detectorParameters, intel);
    }

    public AnalysisOptions withDetection(boolean run) {
        return new AnalysisOptions(decoder, sessions, run, detectorParameters, intel);
    }

    public AnalysisOptions withDetectorParameters(Map<String, Map<String, String>> parameters) {
        return new AnalysisOptions(decoder, sessions, detection, parameters, intel);
    }
}
