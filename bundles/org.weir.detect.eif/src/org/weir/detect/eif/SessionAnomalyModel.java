package org.weir.detect.eif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

import org.weir.core.Session;

/**
 * Session anomaly detection as EDAMAME runs it, on an {@link ExtendedIsolationForest} over
 * {@link SessionFeatures}.
 *
 * <ul>
 * <li><b>Warm-up.</b> Nothing is scored until the model has seen traffic for at least
 *     {@link Config#warmupMinimumNanos() the minimum} (60 s) and holds {@link Config#minTrainingSamples() enough}
 *     distinct sessions; it trains then if the training window is full, else when the
 *     {@link Config#warmupTargetNanos() target} (3 min) is reached.</li>
 * <li><b>Sliding training window.</b> The features of the last {@link Config#windowSize() 800} closed sessions.
 *     Sessions tagged {@code blacklist:} stay out: known-bad traffic must not define normal.</li>
 * <li><b>Thresholds</b> are percentiles of the training sessions' own scores: 99th → suspicious, 99.5th →
 *     abnormal (never below {@link Config#minThreshold() 0.5}, the score of an unremarkable point).</li>
 * <li><b>Retraining</b> on the current window every {@link Config#retrainIntervalNanos() interval}, and
 *     <b>re-evaluation</b> of live sessions: an open session is scored again when the model changed or its last
 *     score is older than {@link Config#reevaluateIntervalNanos() a minute}; a closing session is always scored
 *     with the current model. Labels change as the model learns.</li>
 * </ul>
 *
 * Time comes only from the clock given to the constructor (capture time for files, the capture clock for live
 * traffic), never from the wall clock, so a run is reproducible. The model belongs to one thread (the pipeline's).
 * Scoring a session allocates only its verdict; tracking a new live session adds a small record.
 */
public final class SessionAnomalyModel {

    private static final long SECOND = 1_000_000_000L;

    /**
     * @param trees trees per forest
     * @param sampleSize ψ (capped at the window's size when training)
     * @param extensionLevel 0 … {@link SessionFeatures#COUNT} − 1, or {@link ExtendedIsolationForest#FULL_EXTENSION}
     * @param seed determines every forest (each retraining derives its own seed from it)
     * @param windowSize training window, in sessions
     * @param minTrainingSamples distinct feature vectors needed before the first training
     * @param warmupMinimumNanos no model before this much time has passed since the first session
     * @param warmupTargetNanos train at this age even if the window is not full
     * @param suspiciousPercentile e.g. 0.99
     * @param abnormalPercentile e.g. 0.995 (at least the suspicious percentile)
     * @param minThreshold thresholds are never below this score
     * @param retrainIntervalNanos retrain on the current window this often (if new sessions arrived)
     * @param reevaluateIntervalNanos score a live session again after this long
     */
    public record Config(int trees, int sampleSize, int extensionLevel, long seed, int windowSize,
            int minTrainingSamples, long warmupMinimumNanos, long warmupTargetNanos, double suspiciousPercentile,
            double abnormalPercentile, double minThreshold, long retrainIntervalNanos, long reevaluateIntervalNanos) {

        public Config {
            new ExtendedIsolationForest.Options(trees, sampleSize, extensionLevel, seed, 0); // validates those
            if (extensionLevel >= SessionFeatures.COUNT) {
                throw new IllegalArgumentException("extension level must be below " + SessionFeatures.COUNT
                        + " (the number of session features), not " + extensionLevel);
            }
            if (minTrainingSamples < 2) {
                throw new IllegalArgumentException("min training samples must be at least 2, not "
                        + minTrainingSamples);
            }
            if (windowSize < minTrainingSamples) {
                throw new IllegalArgumentException("window size " + windowSize
                        + " is smaller than the min training samples " + minTrainingSamples);
            }
            if (warmupMinimumNanos < 0 || warmupTargetNanos < warmupMinimumNanos) {
                throw new IllegalArgumentException("warm-up needs 0 <= minimum <= target");
            }
            if (!(suspiciousPercentile > 0 && suspiciousPercentile <= abnormalPercentile && abnormalPercentile <= 1)) {
                throw new IllegalArgumentException("percentiles need 0 < suspicious <= abnormal <= 1, not "
                        + suspiciousPercentile + " and " + abnormalPercentile);
            }
            if (!(minThreshold >= 0 && minThreshold <= 1)) {
                throw new IllegalArgumentException("min threshold must be in [0, 1], not " + minThreshold);
            }
            if (retrainIntervalNanos <= 0 || reevaluateIntervalNanos < 0) {
                throw new IllegalArgumentException("retrain interval must be positive, re-evaluation interval >= 0");
            }
        }

        /**
         * EDAMAME's operation with the brief's thresholds: 100 trees of 256, full extension, seed 0; window 800
         * sessions, 200 distinct before training; warm-up 60 s minimum, 3 min target; 99th and 99.5th
         * percentiles, floor 0.5; retrain every 10 minutes, re-evaluate live sessions every 60 s.
         */
        public static Config defaults() {
            return new Config(100, 256, ExtendedIsolationForest.FULL_EXTENSION, 0, 800, 200, 60 * SECOND,
                    180 * SECOND, 0.99, 0.995, 0.5, 600 * SECOND, 60 * SECOND);
        }

        public Config withWarmup(long minimumNanos, long targetNanos) {
            return new Config(trees, sampleSize, extensionLevel, seed, windowSize, minTrainingSamples, minimumNanos,
                    targetNanos, suspiciousPercentile, abnormalPercentile, minThreshold, retrainIntervalNanos,
                    reevaluateIntervalNanos);
        }

        public Config withWindow(int size, int minSamples) {
            return new Config(trees, sampleSize, extensionLevel, seed, size, minSamples, warmupMinimumNanos,
                    warmupTargetNanos, suspiciousPercentile, abnormalPercentile, minThreshold, retrainIntervalNanos,
                    reevaluateIntervalNanos);
        }

        public Config withPercentiles(double suspicious, double abnormal) {
            return new Config(trees, sampleSize, extensionLevel, seed, windowSize, minTrainingSamples,
                    warmupMinimumNanos, warmupTargetNanos, suspicious, abnormal, minThreshold, retrainIntervalNanos,
                    reevaluateIntervalNanos);
        }

        public Config withIntervals(long retrainNanos, long reevaluateNanos) {
            return new Config(trees, sampleSize, extensionLevel, seed, windowSize, minTrainingSamples,
                    warmupMinimumNanos, warmupTargetNanos, suspiciousPercentile, abnormalPercentile, minThreshold,
                    retrainNanos, reevaluateNanos);
        }

        public Config withSeed(long s) {
            return new Config(trees, sampleSize, extensionLevel, s, windowSize, minTrainingSamples,
                    warmupMinimumNanos, warmupTargetNanos, suspiciousPercentile, abnormalPercentile, minThreshold,
                    retrainIntervalNanos, reevaluateIntervalNanos);
        }

        ExtendedIsolationForest.Options forestOptions(long forestSeed) {
            return new ExtendedIsolationForest.Options(trees, sampleSize, extensionLevel, forestSeed, 0);
        }
    }

    /**
     * A session's label and score, and the model version that gave them.
     *
     * @param score the forest's score in (0, 1]
     * @param modelVersion 1 for the first trained model, then one more per retraining
     */
    public record Verdict(AnomalyLabel label, double score, long modelVersion) {
    }

    /**
     * The model's state for status displays.
     *
     * @param trained whether sessions are being scored
     * @param modelVersion 0 before the first training
     * @param windowSamples sessions in the training window
     * @param suspiciousThreshold score at and above which a session is suspicious (NaN before training)
     * @param abnormalThreshold score at and above which a session is abnormal (NaN before training)
     * @param warmupElapsedNanos time since the first session (0 before it)
     * @param trackedLiveSessions open sessions whose last verdict is kept for re-evaluation
     */
    public record Status(boolean trained, long modelVersion, int windowSamples, double suspiciousThreshold,
            double abnormalThreshold, long warmupElapsedNanos, int trackedLiveSessions) {
    }

    private final Config config;
    private final SessionFeatures features;
    private final LongSupplier clock;

    /** Training window: a ring of feature vectors. */
    private final double[] window;
    /**
     * Closed sessions in the window whose features are not extracted yet (null where they are): while no model
     * scores, features are extracted only when the window is read (distinct count, training), so the sessions
     * that pass through the window during warm-up cost nothing. Only when the features come from the session
     * alone (a closed session is final).
     */
    private final Session[] pending;
    private final boolean lazy;
    private int windowCount, windowNext;
    private long added, addedAtLastTraining, addedAtUniqueCount = -1;
    private int uniqueCount;

    private final double[] buffer = new double[SessionFeatures.COUNT];
    private final Map<String, Tracked> live = new HashMap<>();

    private boolean started;
    private long startNanos, lastTrainingNanos;
    private ExtendedIsolationForest forest;
    private long modelVersion;
    private double suspiciousThreshold = Double.NaN, abnormalThreshold = Double.NaN;

    private static final class Tracked {
        long scoredAt;
        Verdict verdict;
    }

    /**
     * @param clockNanos the current time in nanoseconds (capture time); read on every call
     */
    public SessionAnomalyModel(Config config, SessionFeatures features, LongSupplier clockNanos) {
        this.config = Objects.requireNonNull(config);
        this.features = Objects.requireNonNull(features);
        this.clock = Objects.requireNonNull(clockNanos);
        this.window = new double[config.windowSize() * SessionFeatures.COUNT];
        this.lazy = features.fromSessionAlone();
        this.pending = lazy ? new Session[config.windowSize()] : null;
    }

    /**
     * Feeds a session event: an open session that changed, or a closed one with its final values. Returns the
     * verdict to show for it now, or null while the model is warming up. Closed sessions enter the training
     * window after they are scored.
     */
    public Verdict observe(Session session) {
        long now = clock.getAsLong();
        advance(now);
        Verdict verdict = null;
        if (session.isClosed()) {
            if (!live.isEmpty()) {
                live.remove(session.uid());
            }
            if (forest == null && lazy) {
                if (!isBlacklisted(session)) {
                    addPending(session);
                }
            } else {
                features.extract(session, buffer, 0);
                if (forest != null) {
                    verdict = judge(buffer);
                }
                if (!isBlacklisted(session)) {
                    addToWindow(buffer);
                }
            }
            advance(now); // the window may just have become large enough to train
        } else if (forest != null) {
            Tracked t = live.get(session.uid());
            if (t == null) {
                t = new Tracked();
                live.put(session.uid(), t);
            }
            // Most updates of a live session reuse its verdict: extract its features only to score it again.
            if (t.verdict == null || t.verdict.modelVersion() != modelVersion
                    || now - t.scoredAt >= config.reevaluateIntervalNanos()) {
                features.extract(session, buffer, 0);
                t.verdict = judge(buffer);
                t.scoredAt = now;
            }
            verdict = t.verdict;
        }
        return verdict;
    }

    /** Lets time pass without a session (the pipeline's clock tick): warm-up may end, retraining may be due. */
    public void tick() {
        advance(clock.getAsLong());
    }

    /** Scores a session with the current model without recording anything; null while warming up. */
    public Verdict score(Session session) {
        if (forest == null) {
            return null;
        }
        features.extract(session, buffer, 0);
        return judge(buffer);
    }

    public Status status() {
        return new Status(forest != null, modelVersion, windowCount, suspiciousThreshold, abnormalThreshold,
                started ? clock.getAsLong() - startNanos : 0, live.size());
    }

    public Config config() {
        return config;
    }

    /** The current forest, or null while warming up. */
    public ExtendedIsolationForest forest() {
        return forest;
    }

    private Verdict judge(double[] x) {
        double s = forest.score(x, 0);
        AnomalyLabel label = s >= abnormalThreshold ? AnomalyLabel.ABNORMAL
                : s >= suspiciousThreshold ? AnomalyLabel.SUSPICIOUS : AnomalyLabel.NORMAL;
        return new Verdict(label, s, modelVersion);
    }

    private void advance(long now) {
        if (!started) {
            started = true;
            startNanos = now;
            return;
        }
        if (forest == null) {
            long age = now - startNanos;
            if (age >= config.warmupMinimumNanos() && windowCount >= config.minTrainingSamples()
                    && (age >= config.warmupTargetNanos() || windowCount == config.windowSize())
                    && uniqueSamples() >= config.minTrainingSamples()) {
                train(now);
            }
        } else if (now - lastTrainingNanos >= config.retrainIntervalNanos() && added > addedAtLastTraining) {
            train(now);
        }
    }

    private void addToWindow(double[] x) {
        System.arraycopy(x, 0, window, windowNext * SessionFeatures.COUNT, SessionFeatures.COUNT);
        if (lazy) {
            pending[windowNext] = null;
        }
        windowNext = (windowNext + 1) % config.windowSize();
        windowCount = Math.min(windowCount + 1, config.windowSize());
        added++;
    }

    /** Takes the session's place in the window; its features are extracted when the window is read. */
    private void addPending(Session s) {
        pending[windowNext] = s;
        windowNext = (windowNext + 1) % config.windowSize();
        windowCount = Math.min(windowCount + 1, config.windowSize());
        added++;
    }

    /** Extracts the features of the window's pending sessions into their places. */
    private void extractPending() {
        if (!lazy) {
            return;
        }
        for (int i = 0; i < pending.length; i++) {
            if (pending[i] != null) {
                features.extract(pending[i], window, i * SessionFeatures.COUNT);
                pending[i] = null;
            }
        }
    }

    /** Distinct feature vectors in the window (EDAMAME's warm-up counts distinct samples); cached per change. */
    private int uniqueSamples() {
        if (addedAtUniqueCount != added) {
            extractPending();
            Set<Key> seen = new HashSet<>();
            for (int i = 0; i < windowCount; i++) {
                seen.add(new Key(Arrays.copyOfRange(window, i * SessionFeatures.COUNT,
                        (i + 1) * SessionFeatures.COUNT)));
            }
            uniqueCount = seen.size();
            addedAtUniqueCount = added;
        }
        return uniqueCount;
    }

    private record Key(double[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(v, k.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }

    private void train(long now) {
        extractPending();
        double[] data = Arrays.copyOf(window, windowCount * SessionFeatures.COUNT);
        long version = modelVersion + 1;
        ExtendedIsolationForest f = ExtendedIsolationForest.train(data, windowCount, SessionFeatures.COUNT,
                config.forestOptions(SplitMix.derive(config.seed(), version)));
        double[] scores = new double[windowCount];
        f.scoreAll(data, windowCount, scores);
        double[] t = thresholds(scores, config);
        forest = f;
        modelVersion = version;
        suspiciousThreshold = t[0];
        abnormalThreshold = t[1];
        lastTrainingNanos = now;
        addedAtLastTraining = added;
    }

    /**
     * The suspicious and abnormal thresholds for training scores: the scores at the percentiles (the smallest
     * score with at least that fraction of the training scores at or below it), floored at the minimum, the
     * abnormal one at least the suspicious one.
     */
    static double[] thresholds(double[] trainingScores, Config config) {
        double[] sorted = trainingScores.clone();
        Arrays.sort(sorted);
        double suspicious = Math.max(percentile(sorted, config.suspiciousPercentile()), config.minThreshold());
        double abnormal = Math.max(percentile(sorted, config.abnormalPercentile()), suspicious);
        return new double[] {suspicious, abnormal};
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(sorted.length * p) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static boolean isBlacklisted(Session s) {
        for (String tag : s.tags()) {
            if (tag.startsWith("blacklist:")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Offline operation, for a capture already analysed: trains on a random sample of the sessions (at most the
     * window size, drawn with the configured seed), sets the thresholds from the sample's scores and labels every
     * session. Returns one verdict per session, in order; all null when there are fewer distinct sessions than
     * {@link Config#minTrainingSamples()}.
     */
    public static List<Verdict> scoreOffline(List<? extends Session> sessions, Config config,
            SessionFeatures features) {
        int n = sessions.size();
        int d = SessionFeatures.COUNT;
        double[] all = new double[n * d];
        for (int i = 0; i < n; i++) {
            features.extract(sessions.get(i), all, i * d);
        }
        int m = Math.min(n, config.windowSize());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplitMix rng = new SplitMix(SplitMix.derive(config.seed(), -1));
        double[] sample = new double[m * d];
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
            System.arraycopy(all, order[i] * d, sample, i * d, d);
        }
        Set<Key> distinct = new HashSet<>();
        for (int i = 0; i < m; i++) {
            distinct.add(new Key(Arrays.copyOfRange(sample, i * d, (i + 1) * d)));
        }
        List<Verdict> result = new ArrayList<>(n);
        if (distinct.size() < config.minTrainingSamples()) {
            for (int i = 0; i < n; i++) {
                result.add(null);
            }
            return result;
        }
        ExtendedIsolationForest f = ExtendedIsolationForest.train(sample, m, d,
                config.forestOptions(SplitMix.derive(config.seed(), 1)));
        double[] trainingScores = new double[m];
        f.scoreAll(sample, m, trainingScores);
        double[] t = thresholds(trainingScores, config);
        double[] scores = new double[n];
        f.scoreAll(all, n, scores);
        for (int i = 0; i < n; i++) {
            double s = scores[i];
            AnomalyLabel label = s >= t[1] ? AnomalyLabel.ABNORMAL
                    : s >= t[0] ? AnomalyLabel.SUSPICIOUS : AnomalyLabel.NORMAL;
            result.add(new Verdict(label, s, 1));
        }
        return result;
    }
}
