package org.weir.core;

/**
 * Options of one offline analysis.
 *
 * @param decoder decoder options (checksums, fragments)
 * @param sessions session table options (timeouts, memory bound)
 */
public record AnalysisOptions(DecoderOptions decoder, SessionOptions sessions) {

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(DecoderOptions.defaults(), SessionOptions.defaults());
    }

    public AnalysisOptions withIgnoreChecksums(boolean ignore) {
        return new AnalysisOptions(decoder.withIgnoreChecksums(ignore), sessions);
    }
}
