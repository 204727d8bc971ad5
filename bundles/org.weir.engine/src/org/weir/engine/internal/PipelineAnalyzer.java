package org.weir.engine.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.CaptureFilterCompiler;
import org.weir.core.CaptureFormat;
import org.weir.core.Enricher;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.FollowedStream;
import org.weir.core.PacketExportResult;
import org.weir.core.ProgressMonitor;
import org.weir.core.SessionListener;
import org.weir.core.SessionTableFactory;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;

/**
 * The {@link CaptureAnalyzer} service: the {@link Pipeline} over whatever capture formats and detectors are
 * registered, with the enrichers registered when an analysis starts. Detectors may arrive and leave while an
 * analysis runs; running analyses follow them.
 */
@Component(service = CaptureAnalyzer.class, configurationPid = PipelineAnalyzer.PID)
public final class PipelineAnalyzer implements CaptureAnalyzer {

    /**
     * Configuration Admin PID of site-wide detector parameters: properties {@code DETECTOR.PARAMETER = VALUE}, which
     * an analysis's own parameters ({@code --set}) override.
     */
    public static final String PID = "org.weir.detectors";

    private volatile Map<String, Map<String, String>> configured = Map.of();

    private final List<CaptureFormat> formats = new CopyOnWriteArrayList<>();
    private final DetectorRegistry detectors = new DetectorRegistry();
    private final List<Enricher> enrichers = new CopyOnWriteArrayList<>();

    @Reference
    private PacketDecoderFactory decoders;

    @Reference
    private SessionTableFactory tables;

    /** Optional: without it, analyses without a capture filter still run. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CaptureFilterCompiler filters;

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC)
    void addFormat(CaptureFormat format) {
        formats.add(format);
    }

    void removeFormat(CaptureFormat format) {
        formats.remove(format);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDetector(Detector detector) {
        detectors.add(detector);
    }

    void removeDetector(Detector detector) {
        detectors.remove(detector);
    }

    /** Enrichers (names, address intelligence, verdicts, third-party ones); each analysis uses those present at its start. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEnricher(Enricher enricher) {
        enrichers.add(enricher);
    }

    void removeEnricher(Enricher enricher) {
        enrichers.remove(enricher);
    }

    /** The enrichers registered now, in chain order. */
    public List<Enricher> enrichers() {
        return enrichers.stream().sorted(java.util.Comparator.comparingInt(Enricher::order)).toList();
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        configured = DetectorParameters.fromConfiguration(properties);
    }

    @Override
    public AnalysisResult analyze(List<Path> captures, AnalysisOptions requested, SessionListener listener,
            AlertSink alerts, ProgressMonitor monitor) throws IOException {
        AnalysisOptions options = requested.withDetectorParameters(
                DetectorParameters.merge(configured, requested.detectorParameters()));
        return new Pipeline(formats, decoders, tables, detectors, () -> List.copyOf(enrichers), filters)
                .analyze(captures, options, listener, alerts, monitor);
    }

    @Override
    public PacketExportResult exportPackets(List<Path> captures, AnalysisOptions options, Set<String> uids,
            Path output, ProgressMonitor monitor) throws IOException {
        return new Pipeline(formats, decoders, tables, null, List::of, filters).exportPackets(captures, options, uids,
                output, monitor);
    }

    @Override
    public FollowedStream followStream(List<Path> captures, AnalysisOptions options, String uid, long maxBytes,
            ProgressMonitor monitor) throws IOException {
        return new Pipeline(formats, decoders, tables, null, List::of, filters).followStream(captures, options, uid,
                maxBytes, monitor);
    }

    @Override
    public List<DetectorInfo> detectors() {
        return detectors.detectors().stream().map(Detector::info).toList();
    }
}
