package org.weir.detect.eif.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.weir.core.Enrichment;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.detect.Alert;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;
import org.weir.detect.eif.AnomalyLabel;
import org.weir.detect.eif.SessionAnomalyModel;
import org.weir.detect.eif.SessionAnomalyModel.Config;
import org.weir.detect.eif.SessionAnomalyModel.Verdict;
import org.weir.detect.eif.SessionFeatures;

/**
 * The session anomaly model as a detector: tags every scored session {@code anomaly:normal|suspicious|abnormal}
 * (a later verdict replaces the tag) and raises an alert for closed sessions at or above {@code alert_on}. All the
 * logic is in {@link SessionAnomalyModel}; this only maps parameters and batches onto it.
 */
@Component(service = Detector.class)
public final class EifDetector implements Detector {

    public static final String ID = "anomaly";

    private static final long SECOND = 1_000_000_000L;

    static final List<Parameter> PARAMETERS = parameters();

    private static final DetectorInfo INFO = new DetectorInfo(ID, "Session anomalies (Extended Isolation Forest)",
            "Anomaly", Severity.MEDIUM,
            "Learns what sessions look like (12 features: process, duration, bytes, packets, timing, direction ratio, "
                    + "packet size and rate, missed bytes, destination port) with an Extended Isolation Forest over a "
                    + "sliding window of recent sessions, after a warm-up. Sessions scoring at or above a high "
                    + "percentile of the training sessions' own scores are tagged suspicious or abnormal; tags change "
                    + "as the model retrains.",
            PARAMETERS);

    private static List<Parameter> parameters() {
        Config d = Config.defaults();
        return List.of(new Parameter("trees", "int", "" + d.trees(), "trees per forest"),
                new Parameter("sample_size", "int", "" + d.sampleSize(), "sessions per tree (psi)"),
                new Parameter("extension_level", "int", "" + d.extensionLevel(),
                        "0 = axis-parallel cuts (standard Isolation Forest) up to 11; -1 = full extension"),
                new Parameter("seed", "long", "" + d.seed(), "seed of the forests (runs are reproducible)"),
                new Parameter("window", "int", "" + d.windowSize(), "training window, in closed sessions"),
                new Parameter("min_samples", "int", "" + d.minTrainingSamples(),
                        "distinct sessions needed before the first training"),
                new Parameter("warmup_min", "duration", seconds(d.warmupMinimumNanos()),
                        "no scoring before this much capture time"),
                new Parameter("warmup_target", "duration", seconds(d.warmupTargetNanos()),
                        "train at this age even if the window is not full"),
                new Parameter("suspicious_percentile", "double", "" + d.suspiciousPercentile(),
                        "training-score percentile at and above which a session is suspicious"),
                new Parameter("abnormal_percentile", "double", "" + d.abnormalPercentile(),
                        "training-score percentile at and above which a session is abnormal"),
                new Parameter("min_threshold", "double", "" + d.minThreshold(), "thresholds are never below this score"),
                new Parameter("retrain_interval", "duration", seconds(d.retrainIntervalNanos()),
                        "retrain on the current window this often"),
                new Parameter("reevaluate_interval", "duration", seconds(d.reevaluateIntervalNanos()),
                        "score a live session again after this long"),
                new Parameter("alert_on", "string", "abnormal",
                        "raise an alert for closed sessions labelled: abnormal, suspicious (and above) or none"));
    }

    private static String seconds(long nanos) {
        return "" + nanos / SECOND;
    }

    @Override
    public DetectorInfo info() {
        return INFO;
    }

    /** Blacklist tags: the model keeps blacklisted sessions out of its training. */
    @Override
    public Set<Enrichment> reads() {
        return Set.of(Enrichment.TAGS);
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        // The host passes every parameter; a missing one (a caller that bypasses it) takes its default, with a warning.
        ParameterReader p = new ParameterReader(INFO, parameters, sink::warn);
        return new Run(config(p), alertLevel(p), sink);
    }

    /** The model configuration from run parameters. */
    static Config config(ParameterReader p) {
        return new Config(p.intValue("trees"), p.intValue("sample_size"), p.intValue("extension_level"),
                p.longValue("seed"), p.intValue("window"), p.intValue("min_samples"), p.nanos("warmup_min"),
                p.nanos("warmup_target"), p.doubleValue("suspicious_percentile"),
                p.doubleValue("abnormal_percentile"), p.doubleValue("min_threshold"), p.nanos("retrain_interval"),
                p.nanos("reevaluate_interval"));
    }

    /** The lowest label that raises an alert, or null for none. */
    static AnomalyLabel alertLevel(ParameterReader p) {
        String v = p.text("alert_on").toLowerCase(Locale.ROOT);
        return switch (v) {
            case "none" -> null;
            case "suspicious" -> AnomalyLabel.SUSPICIOUS;
            case "abnormal" -> AnomalyLabel.ABNORMAL;
            default -> throw new IllegalArgumentException(
                    "alert_on must be none, suspicious or abnormal, not '" + v + "'");
        };
    }

    /** One run: the model on the capture clock (the latest time seen in sessions and ticks). */
    static final class Run implements DetectorRun {

        private final SessionAnomalyModel model;
        private final AnomalyLabel alertLevel;
        private final AlertSink sink;
        private long now = Long.MIN_VALUE;

        Run(Config config, AnomalyLabel alertLevel, AlertSink sink) {
            this.model = new SessionAnomalyModel(config, new SessionFeatures(), () -> now);
            this.alertLevel = alertLevel;
            this.sink = sink;
        }

        SessionAnomalyModel model() {
            return model;
        }

        @Override
        public void onSessions(SessionBatch batch) {
            for (Session s : batch.opened()) {
                if (!s.isClosed()) {
                    observe(s);
                }
            }
            for (Session s : batch.updated()) {
                observe(s);
            }
            for (Session s : batch.closed()) {
                observe(s);
            }
        }

        private void observe(Session s) {
            now = Math.max(now, s.lastNanos());
            Verdict v = model.observe(s);
            if (v == null) {
                return;
            }
            s.addTag(v.label().tag());
            if (s.isClosed() && alertLevel != null && v.label().compareTo(alertLevel) >= 0) {
                sink.raise(alert(s, v));
            }
        }

        private Alert alert(Session s, Verdict v) {
            SessionAnomalyModel.Status st = model.status();
            double threshold = v.label() == AnomalyLabel.ABNORMAL ? st.abnormalThreshold() : st.suspiciousThreshold();
            double percentile = v.label() == AnomalyLabel.ABNORMAL ? model.config().abnormalPercentile()
                    : model.config().suspiciousPercentile();
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("score", round(v.score()));
            evidence.put("threshold", round(threshold));
            evidence.put("percentile", Math.round(percentile * 1000) / 10.0);
            evidence.put("model_version", v.modelVersion());
            evidence.put("window_sessions", st.windowSamples());
            double[] f = new SessionFeatures().extract(s);
            for (int i = 0; i < f.length; i++) {
                evidence.put(SessionFeatures.NAMES.get(i), round(f[i]));
            }
            String target = s.respAddress() + ":" + s.respPort() + "/"
                    + (s.transport() == null ? "?" : s.transport().zeekName());
            String summary = String.format(Locale.ROOT,
                    "Session %s to %s is %s: score %.3f, at or above %.3f (the %s percentile of the last %d "
                            + "sessions' scores)",
                    s.uid(), target, v.label().label(), v.score(), threshold, percentileText(percentile),
                    st.windowSamples());
            Severity severity = v.label() == AnomalyLabel.ABNORMAL ? Severity.MEDIUM : Severity.LOW;
            return new Alert(ID, "session_" + v.label().label(), severity, s.lastNanos(), s.origAddress(), target,
                    summary, evidence, List.of(s.uid()));
        }

        private static String percentileText(double p) {
            double pct = Math.round(p * 1000) / 10.0; // 0.995 → 99.5, not 99.49999999999999
            return (pct == Math.rint(pct) ? Long.toString((long) pct) : Double.toString(pct)) + "th";
        }

        private static double round(double v) {
            return Math.round(v * 1e4) / 1e4;
        }

        @Override
        public void onTime(long nowNanos) {
            now = Math.max(now, nowNanos);
            model.tick();
        }
    }

    /** For tests and tools: the model behind a run started by this detector. */
    static SessionAnomalyModel modelOf(DetectorRun run) {
        return ((Run) run).model();
    }
}
