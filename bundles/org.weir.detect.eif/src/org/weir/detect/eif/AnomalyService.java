package org.weir.detect.eif;

import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;

import org.osgi.annotation.versioning.ProviderType;
import org.weir.core.Session;

/**
 * The anomaly detection bundle as an OSGi service, for bundles that should not hard-wire it (the CLI's
 * {@code anomaly-eval}, reports, the workbench): bind it with an optional {@code @Reference} and the feature
 * disappears cleanly when the bundle is absent. Everything here is also available as plain Java in this package;
 * the pipeline itself uses the {@code anomaly} detector ({@link org.weir.detect.Detector}).
 */
@ProviderType
public interface AnomalyService {

    /**
     * The report of {@code weir anomaly-eval}: see {@link AnomalyEvalReport#of}.
     *
     * @throws IllegalArgumentException when the settings do not fit a file (the message says why)
     * @throws CsvFormatException for a file that does not fit (names file, line, column)
     * @throws IOException for a file that cannot be read or has no outliers (or nothing else)
     */
    String anomalyEvalReport(AnomalyEvalReport.Request request) throws IOException;

    /** Trains and scores the forest on labelled data once per seed and computes the AUROC. */
    AnomalyEvaluation.Result evaluate(LabelledData data, AnomalyEvaluation.Settings settings);

    /** Labels sessions of an analysed capture: see {@link SessionAnomalyModel#scoreOffline}. */
    List<SessionAnomalyModel.Verdict> scoreOffline(List<? extends Session> sessions, SessionAnomalyModel.Config config);

    /** A streaming model on the given clock, with the session features as far as the session table provides them. */
    SessionAnomalyModel newModel(SessionAnomalyModel.Config config, LongSupplier clockNanos);
}
