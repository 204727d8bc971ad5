package org.weir.detect.eif.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.weir.core.SessionBatch;
import org.weir.detect.Detector;
import org.weir.detect.DetectorRun;
import org.weir.detect.eif.AnomalyEvalReport;
import org.weir.detect.eif.AnomalyEvaluation;
import org.weir.detect.eif.AnomalyService;
import org.weir.detect.eif.SessionAnomalyModel;
import org.weir.testsupport.Services;

/** The wiring: Declarative Services registers the detector, and a run started through the service works. */
class DetectorServiceTest {

    @Test
    void registeredAsTheAnomalyDetector() throws InterruptedException {
        Optional<Detector> found = Optional.empty();
        for (int attempt = 0; attempt < 100 && found.isEmpty(); attempt++) { // other detector bundles may come first
            found = Services.all(Detector.class, 1).stream().filter(d -> d.info().id().equals(EifDetector.ID))
                    .findFirst();
            if (found.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertTrue(found.isPresent(), "no Detector service with id " + EifDetector.ID);
        Detector detector = found.get();
        assertInstanceOf(EifDetector.class, detector);
        assertEquals(EifDetector.PARAMETERS, detector.info().parameters());
        Map<String, String> defaults = new HashMap<>(); // as the host passes them
        detector.info().parameters().forEach(p -> defaults.put(p.name(), p.defaultValue()));
        DetectorRun run = detector.start(defaults, alert -> {
        });
        run.onSessions(new SessionBatch(List.of(), List.of(), List.of(), 0));
        run.onTime(1_000_000_000L);
        assertEquals(0, EifDetector.modelOf(run).status().windowSamples());
    }

    @Test
    void anomalyServiceIsRegistered() {
        AnomalyService service = Services.get(AnomalyService.class);
        assertInstanceOf(AnomalyServiceComponent.class, service);
        AnomalyEvalReport.Request missing = new AnomalyEvalReport.Request(List.of(Path.of("no-such-file.csv")), "label",
                AnomalyEvaluation.Settings.defaults());
        IOException e = assertThrows(IOException.class,
                () -> service.anomalyEvalReport(missing));
        assertTrue(e.getMessage().contains("no-such-file.csv"), e.getMessage());
        assertEquals(0, service.newModel(SessionAnomalyModel.Config.defaults(), () -> 0).status().windowSamples());
    }
}
