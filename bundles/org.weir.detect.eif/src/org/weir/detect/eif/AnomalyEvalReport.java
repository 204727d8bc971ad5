package org.weir.detect.eif;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The report of {@code weir anomaly-eval}: the forest trained and scored on each labelled CSV, one block of text per
 * file. The command line is the CLI's; this is what it asks for and gets back.
 */
public final class AnomalyEvalReport {

    /**
     * What to evaluate.
     *
     * @param files the CSV files, in order
     * @param labelColumn header of the label column
     * @param settings forest and seeds
     */
    public record Request(List<Path> files, String labelColumn, AnomalyEvaluation.Settings settings) {

        public Request {
            files = List.copyOf(files);
        }
    }

    private AnomalyEvalReport() {
    }

    /**
     * Evaluates every file and returns the report, one block per file.
     *
     * @throws CsvFormatException when a file does not fit (names file, line, column)
     * @throws IOException when a file cannot be read, or labels no row or every row an outlier
     * @throws IllegalArgumentException when the settings do not fit a file (an extension level beyond its
     *     features)
     */
    public static String of(Request request) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Path file : request.files()) {
            LabelledData data = LabelledData.readCsv(file, request.labelColumn());
            if (data.outliers() == 0 || data.outliers() == data.rows()) {
                throw new IOException(file + ": the label column '" + request.labelColumn() + "' marks "
                        + data.outliers() + " of " + data.rows() + " rows as outliers; AUROC needs both kinds");
            }
            if (request.settings().extensionLevel() > data.dimensions() - 1) {
                throw new IllegalArgumentException(file + " has " + data.dimensions()
                        + " features: --extension must be at most " + (data.dimensions() - 1) + " (or full)");
            }
            if (!out.isEmpty()) {
                out.append(System.lineSeparator());
            }
            out.append(AnomalyEvaluation.evaluate(data, request.settings()).report());
        }
        return out.toString();
    }
}
