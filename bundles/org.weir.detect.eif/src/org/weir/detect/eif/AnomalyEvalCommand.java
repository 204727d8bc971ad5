package org.weir.detect.eif;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The logic of {@code weir anomaly-eval}, independent of the command-line framework: parse the arguments, evaluate
 * the forest on each labelled CSV and return the report as text. The CLI wraps it: an
 * {@link IllegalArgumentException} is a usage error (show {@link #USAGE}), a {@link CsvFormatException} or other
 * {@link IOException} is bad input.
 */
public final class AnomalyEvalCommand {

    public static final String NAME = "anomaly-eval";

    public static final String SUMMARY = "train and score the Extended Isolation Forest on labelled CSV data, report AUROC";

    public static final String USAGE = """
            weir anomaly-eval CSV... [--label-column NAME] [--trees N] [--sample N] [--extension N|full]
                                     [--seeds N] [--first-seed N]

              CSV             header line, numeric feature columns and a 0/1 label column (1 = outlier),
                              as the ODDS benchmark files
              --label-column  the label column's header (default: label)
              --trees         trees per forest (default: 100)
              --sample        rows per tree, psi (default: 256)
              --extension     0 = standard Isolation Forest (axis-parallel cuts) up to features - 1,
                              or full (default: full)
              --seeds         runs, each trained on the whole file with its own seed (default: 10)
              --first-seed    seed of the first run (default: 0)

            Trains on every row without using the labels, scores every row and reports the AUROC
            (mean, standard deviation, min, max over the seeds) and the time per run.
            """;

    /**
     * A parsed command line.
     *
     * @param files the CSV files, in order
     * @param labelColumn header of the label column
     * @param settings forest and seeds
     */
    public record Request(List<Path> files, String labelColumn, AnomalyEvaluation.Settings settings) {
    }

    private AnomalyEvalCommand() {
    }

    /**
     * Reads the arguments ({@code --option value} or {@code --option=value}).
     *
     * @throws IllegalArgumentException with a message for the user when they are wrong
     */
    public static Request parse(List<String> args) {
        List<Path> files = new ArrayList<>();
        String label = "label";
        AnomalyEvaluation.Settings d = AnomalyEvaluation.Settings.defaults();
        int trees = d.trees(), sample = d.sampleSize(), extension = d.extensionLevel(), seeds = d.seeds();
        long firstSeed = d.firstSeed();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.equals("--")) {
                if (a.equals("--")) {
                    args.subList(i + 1, args.size()).forEach(f -> files.add(Path.of(f)));
                    break;
                }
                files.add(Path.of(a));
                continue;
            }
            String option = a, value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                option = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("option " + option + " needs a value");
                }
                value = args.get(++i);
            }
            switch (option) {
                case "--label-column" -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("option --label-column needs a column name");
                    }
                    label = value.trim();
                }
                case "--trees" -> trees = number(option, value, 1);
                case "--sample" -> sample = number(option, value, 2);
                case "--extension" -> extension = value.trim().toLowerCase(Locale.ROOT).equals("full")
                        ? ExtendedIsolationForest.FULL_EXTENSION : number(option, value, 0);
                case "--seeds" -> seeds = number(option, value, 1);
                case "--first-seed" -> {
                    try {
                        firstSeed = Long.parseLong(value.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("option --first-seed needs a whole number, not '" + value + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("name at least one CSV file");
        }
        return new Request(List.copyOf(files), label,
                new AnomalyEvaluation.Settings(trees, sample, extension, seeds, firstSeed));
    }

    private static int number(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value.trim().replace("_", ""));
            if (n < min) {
                throw new IllegalArgumentException("option " + option + " must be at least " + min + ", not " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + option + " needs a whole number, not '" + value + "'");
        }
    }

    /**
     * Evaluates every file and returns the report, one block per file.
     *
     * @throws CsvFormatException when a file does not fit (names file, line, column)
     * @throws IOException when a file cannot be read, or labels no row or every row an outlier
     * @throws IllegalArgumentException when the settings do not fit a file (an extension level beyond its
     *     features)
     */
    public static String run(Request request) throws IOException {
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

    /** {@link #parse} then {@link #run}. */
    public static String run(List<String> args) throws IOException {
        return run(parse(args));
    }
}
