package org.weir.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.weir.detect.eif.AnomalyEvalReport;
import org.weir.detect.eif.AnomalyEvaluation;
import org.weir.detect.eif.AnomalyService;
import org.weir.detect.eif.ExtendedIsolationForest;

/**
 * {@code weir anomaly-eval}: the Extended Isolation Forest on any labelled numeric CSV, reporting AUROC. The work is
 * the anomaly bundle's ({@link AnomalyService}); this command reads the command line, presents the report, and says
 * so when that bundle is not installed (its package is imported optionally: nothing of it is touched before the
 * service is found).
 */
final class AnomalyEvalCommand implements Command {

    private static final String USAGE = """
            usage: weir anomaly-eval CSV... [--label-column NAME] [--trees N] [--sample N] [--extension N|full]
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

    /** The service, or null when the anomaly bundle is absent. */
    private final Supplier<Object> service;

    AnomalyEvalCommand(Supplier<Object> service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "anomaly-eval";
    }

    @Override
    public String summary() {
        return "train and score the Extended Isolation Forest on a labelled CSV; print AUROC";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(List<String> argv, Console console) throws UsageException {
        Object found = service.get();
        if (found == null) {
            console.error("anomaly-eval: the anomaly detection bundle (org.weir.detect.eif) is not installed");
            return ExitCodes.BAD_INPUT;
        }
        return evaluate((AnomalyService) found, argv, console);
    }

    private static int evaluate(AnomalyService anomalies, List<String> argv, Console console) throws UsageException {
        AnomalyEvalReport.Request request = request(argv);
        try {
            console.out().println(anomalies.anomalyEvalReport(request).stripTrailing());
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage()); // settings that do not fit a file (--extension)
        } catch (IOException e) {
            console.error(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    static AnomalyEvalReport.Request request(List<String> argv) throws UsageException {
        AnomalyEvaluation.Settings d = AnomalyEvaluation.Settings.defaults();
        String label = "label";
        int trees = d.trees(), sample = d.sampleSize(), extension = d.extensionLevel(), seeds = d.seeds();
        long firstSeed = d.firstSeed();
        Arguments args = new Arguments(argv);
        for (String option; (option = args.nextOption()) != null;) {
            switch (option) {
                case "--label-column" -> {
                    label = args.value(option).strip();
                    if (label.isEmpty()) {
                        throw new UsageException("option --label-column needs a column name");
                    }
                }
                case "--trees" -> trees = args.intValue(option, 1);
                case "--sample" -> sample = args.intValue(option, 2);
                case "--extension" -> {
                    String v = args.value(option);
                    extension = v.strip().toLowerCase(Locale.ROOT).equals("full")
                            ? ExtendedIsolationForest.FULL_EXTENSION
                            : (int) Arguments.wholeNumber(option, v, 0, Integer.MAX_VALUE);
                }
                case "--seeds" -> seeds = args.intValue(option, 1);
                case "--first-seed" -> firstSeed = args.longValue(option, Long.MIN_VALUE);
                default -> throw UsageException.unknownOption(option);
            }
        }
        if (args.operands().isEmpty()) {
            throw new UsageException("name at least one CSV file");
        }
        return new AnomalyEvalReport.Request(args.operands().stream().map(Path::of).toList(), label,
                new AnomalyEvaluation.Settings(trees, sample, extension, seeds, firstSeed));
    }
}
