package org.weir.detect.eif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures how well the forest ranks labelled outliers: trains on the whole data set (unsupervised: labels are
 * not used for training), scores every row and computes the AUROC, repeated over several seeds. This is how the
 * reference's published figures were obtained, with no scaling or other preprocessing of the features.
 */
public final class AnomalyEvaluation {

    private AnomalyEvaluation() {
    }

    /**
     * @param trees trees per forest
     * @param sampleSize ψ
     * @param extensionLevel 0 (standard Isolation Forest) up to dimensions − 1, or
     *     {@link ExtendedIsolationForest#FULL_EXTENSION}
     * @param seeds number of runs; run i uses seed {@code firstSeed + i}
     * @param firstSeed seed of the first run
     */
    public record Settings(int trees, int sampleSize, int extensionLevel, int seeds, long firstSeed) {

        public Settings {
            if (seeds < 1) {
                throw new IllegalArgumentException("seeds must be at least 1, not " + seeds);
            }
            new ExtendedIsolationForest.Options(trees, sampleSize, extensionLevel, 0, 0); // validates the rest
        }

        /** 100 trees, ψ = 256, full extension, 10 seeds from 0. */
        public static Settings defaults() {
            return new Settings(100, 256, ExtendedIsolationForest.FULL_EXTENSION, 10, 0);
        }

        public Settings withExtensionLevel(int level) {
            return new Settings(trees, sampleSize, level, seeds, firstSeed);
        }

        public Settings withSeeds(int n) {
            return new Settings(trees, sampleSize, extensionLevel, n, firstSeed);
        }
    }

    /** One seed's run: its AUROC and how long training and scoring all rows took. */
    public record Run(long seed, double auroc, long trainNanos, long scoreNanos) {
    }

    /**
     * The runs over all seeds.
     *
     * @param extensionLevel the level as used (full resolved to dimensions − 1)
     */
    public record Result(String dataset, int rows, int dimensions, int outliers, Settings settings,
            int extensionLevel, int sampleSizeUsed, int heightLimit, List<Run> runs) {

        public double meanAuroc() {
            double s = 0;
            for (Run r : runs) {
                s += r.auroc();
            }
            return s / runs.size();
        }

        /** Sample standard deviation (n − 1) of the AUROC over the seeds; 0 for a single run. */
        public double stdAuroc() {
            if (runs.size() < 2) {
                return 0;
            }
            double mean = meanAuroc();
            double s = 0;
            for (Run r : runs) {
                s += (r.auroc() - mean) * (r.auroc() - mean);
            }
            return Math.sqrt(s / (runs.size() - 1));
        }

        public double minAuroc() {
            return runs.stream().mapToDouble(Run::auroc).min().orElse(Double.NaN);
        }

        public double maxAuroc() {
            return runs.stream().mapToDouble(Run::auroc).max().orElse(Double.NaN);
        }

        public double meanTrainMillis() {
            return runs.stream().mapToLong(Run::trainNanos).average().orElse(0) / 1e6;
        }

        public double meanScoreMillis() {
            return runs.stream().mapToLong(Run::scoreNanos).average().orElse(0) / 1e6;
        }

        /** A few lines for people: the data, the forest, the AUROC over the seeds, the time per seed. */
        public String report() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%s: %d rows, %d features, %d outliers (%.2f%%)%n", dataset, rows,
                    dimensions, outliers, 100.0 * outliers / rows));
            b.append(String.format(Locale.ROOT, "forest: %d trees, sample %d, extension level %d%s, height limit %d%n",
                    settings.trees(), sampleSizeUsed, extensionLevel,
                    extensionLevel == dimensions - 1 ? " (full)" : extensionLevel == 0 ? " (standard IF)" : "",
                    heightLimit));
            b.append(String.format(Locale.ROOT, "AUROC over %d seed%s (%d..%d): mean %.4f, std %.4f, min %.4f, max %.4f%n",
                    runs.size(), runs.size() == 1 ? "" : "s", settings.firstSeed(),
                    settings.firstSeed() + runs.size() - 1, meanAuroc(), stdAuroc(), minAuroc(), maxAuroc()));
            b.append(String.format(Locale.ROOT, "time per seed: train %.1f ms, score %d rows %.1f ms%n",
                    meanTrainMillis(), rows, meanScoreMillis()));
            return b.toString();
        }
    }

    /** Trains and scores once per seed. */
    public static Result evaluate(LabelledData data, Settings settings) {
        if (data.outliers() == 0 || data.outliers() == data.rows()) {
            throw new IllegalArgumentException(data.source() + ": AUROC needs both outliers and normal rows; found "
                    + data.outliers() + " outliers in " + data.rows() + " rows");
        }
        double[] scores = new double[data.rows()];
        List<Run> runs = new ArrayList<>(settings.seeds());
        ExtendedIsolationForest last = null;
        for (int i = 0; i < settings.seeds(); i++) {
            long seed = settings.firstSeed() + i;
            ExtendedIsolationForest.Options options = new ExtendedIsolationForest.Options(settings.trees(),
                    settings.sampleSize(), settings.extensionLevel(), seed, 0);
            long t0 = System.nanoTime();
            last = ExtendedIsolationForest.train(data.values(), data.rows(), data.dimensions(), options);
            long t1 = System.nanoTime();
            last.scoreAll(data.values(), data.rows(), scores);
            long t2 = System.nanoTime();
            runs.add(new Run(seed, auroc(scores, data.outlierLabels()), t1 - t0, t2 - t1));
        }
        return new Result(data.source(), data.rows(), data.dimensions(), data.outliers(), settings,
                last.extensionLevel(), last.sampleSize(), last.heightLimit(), List.copyOf(runs));
    }

    /**
     * The exact area under the ROC curve of {@code scores} for the positives marked in {@code positive}: the
     * Mann–Whitney probability that a random positive scores above a random negative, ties counting one half.
     *
     * @throws IllegalArgumentException when there are no positives or no negatives, or a score is NaN
     */
    public static double auroc(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + positive.length + " labels");
        }
        int nPos = 0;
        for (boolean p : positive) {
            nPos += p ? 1 : 0;
        }
        int nNeg = scores.length - nPos;
        if (nPos == 0 || nNeg == 0) {
            throw new IllegalArgumentException("AUROC needs positives and negatives; found " + nPos + " and " + nNeg);
        }
        double[] pos = new double[nPos];
        double[] neg = new double[nNeg];
        for (int i = 0, a = 0, b = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            if (positive[i]) {
                pos[a++] = scores[i];
            } else {
                neg[b++] = scores[i];
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        // For each run of equal positive scores: negatives strictly below count 1, equal ones 1/2.
        // Twice the count keeps the sum in exact integer arithmetic.
        long twiceWins = 0;
        int below = 0;
        for (int i = 0; i < nPos;) {
            double v = pos[i];
            int j = i;
            while (j < nPos && pos[j] == v) {
                j++;
            }
            while (below < nNeg && neg[below] < v) {
                below++;
            }
            int equal = below;
            while (equal < nNeg && neg[equal] == v) {
                equal++;
            }
            twiceWins += (long) (j - i) * (2L * below + (equal - below));
            i = j;
        }
        return twiceWins / (2.0 * nPos * (double) nNeg);
    }
}
