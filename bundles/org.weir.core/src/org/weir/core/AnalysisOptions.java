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
 * @param captureFilter a capture filter expression in tcpdump's syntax ({@link CaptureFilterCompiler}): only the
 *     frames it accepts are analysed, as with Zeek's {@code -f}; null for every frame
 * @param frameLimit the analysis ends after this many frames analysed (those the capture filter accepts), as
 *     tcpdump's and tshark's {@code -c}; 0 for no limit
 */
public record AnalysisOptions(DecoderOptions decoder, SessionOptions sessions, boolean detection,
        Map<String, Map<String, String>> detectorParameters, IntelOptions intel, String captureFilter,
        long frameLimit) {

    public AnalysisOptions {
        if (frameLimit < 0) {
            throw new IllegalArgumentException("frame limit must be 0 (none) or more: " + frameLimit);
        }
        detectorParameters = Map.copyOf(detectorParameters);
        if (intel == null) {
            intel = IntelOptions.defaults();
        }
        if (captureFilter != null && captureFilter.isBlank()) {
            captureFilter = null;
        }
    }

    /** Options without a capture filter. */
    public AnalysisOptions(DecoderOptions decoder, SessionOptions sessions, boolean detection,
            Map<String, Map<String, String>> detectorParameters, IntelOptions intel) {
        this(decoder, sessions, detection, detectorParameters, intel, null, 0);
    }

    /** Options with the default intelligence settings ({@link IntelOptions#defaults()}). */
    public AnalysisOptions(DecoderOptions decoder, SessionOptions sessions, boolean detection,
            Map<String, Map<String, String>> detectorParameters) {
        this(decoder, sessions, detection, detectorParameters, IntelOptions.defaults(), null, 0);
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(DecoderOptions.defaults(), SessionOptions.defaults(), true, Map.of(),
                IntelOptions.defaults(), null, 0);
    }

    public AnalysisOptions withIntel(IntelOptions options) {
        return new AnalysisOptions(decoder, sessions, detection, detectorParameters, options, captureFilter,
                frameLimit);
    }

    public AnalysisOptions withIgnoreChecksums(boolean ignore) {
        return new AnalysisOptions(decoder.withIgnoreChecksums(ignore), sessions, detection, detectorParameters,
                intel, captureFilter, frameLimit);
    }

    public AnalysisOptions withMaxLiveSessions(int max) {
        return new AnalysisOptions(decoder, sessions.withMaxLiveSessions(max), detection, detectorParameters,
                intel, captureFilter, frameLimit);
    }

    /** Zeek's bare mode ({@code zeek -b}) for the sessions: {@link SessionOptions#bare()}. */
    public AnalysisOptions withBareZeek(boolean bare) {
        return new AnalysisOptions(decoder, sessions.withBare(bare), detection, detectorParameters, intel,
                captureFilter, frameLimit);
    }

    public AnalysisOptions withDetection(boolean run) {
        return new AnalysisOptions(decoder, sessions, run, detectorParameters, intel, captureFilter, frameLimit);
    }

    public AnalysisOptions withDetectorParameters(Map<String, Map<String, String>> parameters) {
        return new AnalysisOptions(decoder, sessions, detection, parameters, intel, captureFilter, frameLimit);
    }

    /** Only the frames that {@code expression} accepts are analysed; null or blank for every frame. */
    public AnalysisOptions withCaptureFilter(String expression) {
        return new AnalysisOptions(decoder, sessions, detection, detectorParameters, intel, expression, frameLimit);
    }

    /** The analysis ends after {@code frames} frames analysed; 0 for no limit. */
    public AnalysisOptions withFrameLimit(long frames) {
        return new AnalysisOptions(decoder, sessions, detection, detectorParameters, intel, captureFilter, frames);
    }
}
