package org.weir.detect.eif.internal;

import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Component;
import org.weir.core.Session;
import org.weir.detect.eif.AnomalyEvalReport;
import org.weir.detect.eif.AnomalyEvaluation;
import org.weir.detect.eif.AnomalyService;
import org.weir.detect.eif.LabelledData;
import org.weir.detect.eif.SessionAnomalyModel;
import org.weir.detect.eif.SessionFeatures;

/** {@link AnomalyService} over the plain-Java classes; stateless. */
@Component(service = AnomalyService.class)
public final class AnomalyServiceComponent implements AnomalyService {

    @Override
    public String anomalyEvalReport(AnomalyEvalReport.Request request) throws IOException {
        return AnomalyEvalReport.of(request);
    }

    @Override
    public AnomalyEvaluation.Result evaluate(LabelledData data, AnomalyEvaluation.Settings settings) {
        return AnomalyEvaluation.evaluate(data, settings);
    }

    @Override
    public List<SessionAnomalyModel.Verdict> scoreOffline(List<? extends Session> sessions,
            SessionAnomalyModel.Config config) {
        return SessionAnomalyModel.scoreOffline(sessions, config, new SessionFeatures());
    }

    @Override
    public SessionAnomalyModel newModel(SessionAnomalyModel.Config config, LongSupplier clockNanos) {
        return new SessionAnomalyModel(config, new SessionFeatures(), clockNanos);
    }
}
