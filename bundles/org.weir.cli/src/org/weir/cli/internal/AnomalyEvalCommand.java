package org.weir.cli.internal;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code weir anomaly-eval}: the Extended Isolation Forest on any labelled numeric CSV, reporting AUROC. The work is
 * the anomaly bundle's ({@code org.weir.detect.eif.AnomalyService}); this command only presents it, and says so
 * when that bundle is not installed.
 */
final class AnomalyEvalCommand implements Command {

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
        try {
            return "usage: " + org.weir.detect.eif.AnomalyEvalCommand.USAGE;
        } catch (NoClassDefFoundError e) {
            return "usage: weir anomaly-eval CSV... (the anomaly detection bundle is not installed)\n";
        }
    }

    @Override
    public int run(List<String> args, Console console) throws UsageException {
        Object found = service.get();
        if (!(found instanceof org.weir.detect.eif.AnomalyService anomalies)) {
            console.error("anomaly-eval: the anomaly detection bundle (org.weir.detect.eif) is not installed");
            return ExitCodes.BAD_INPUT;
        }
        try {
            console.out().print(anomalies.anomalyEval(args));
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            String unknown = "unknown option ";
            throw e.getMessage() != null && e.getMessage().startsWith(unknown)
                    ? UsageException.unknownOption(e.getMessage().substring(unknown.length()))
                    : new UsageException(e.getMessage());
        } catch (IOException e) {
            console.error(e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
