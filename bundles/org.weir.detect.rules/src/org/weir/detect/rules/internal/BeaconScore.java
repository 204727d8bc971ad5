package org.weir.detect.rules.internal;

import java.util.Arrays;

/**
 * Beacon scoring after RITA: a beacon's inter-arrival times and payload sizes are both tightly clustered and
 * symmetric. Each series gets (1 − |Bowley skewness|) and (median − MAD) / median, averaged; the beacon score is
 * the mean of the timing and the size score. RITA's histogram and duration sub-scores need hours of data and are
 * left out, which suits captures of minutes.
 */
final class BeaconScore {

    private BeaconScore() {
    }

    /** Score in [0, 1] of one series; {@code madDefault} applies when the median is below 1. */
    static double statistical(double[] values, int n, double madDefault) {
        double[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        double q1 = lowerQuartile(v), q2 = median(v, 0, v.length), q3 = upperQuartile(v);
        double den = q3 - q1;
        double skew = 0;
        // As RITA: a spread under 10 units or a median on a quartile counts as symmetric.
        if (den >= 10 && q2 != q1 && q2 != q3) {
            skew = (q1 + q3 - 2 * q2) / den;
        }
        double skewScore = 1 - Math.abs(skew);
        double[] dev = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            dev[i] = Math.abs(v[i] - q2);
        }
        Arrays.sort(dev);
        double mad = median(dev, 0, dev.length);
        double madScore = q2 >= 1 ? (q2 - mad) / q2 : madDefault;
        if (madScore < 0 || Double.isNaN(madScore)) {
            madScore = 0;
        }
        return Math.max(0, Math.min(1, (skewScore + madScore) / 2));
    }

    /** Timing score of start times (seconds, ascending): over the non-zero intervals; needs 3 of them. */
    static double timing(double[] starts, int n) {
        double[] d = new double[Math.max(0, n - 1)];
        int k = 0;
        for (int i = 1; i < n; i++) {
            double gap = starts[i] - starts[i - 1];
            if (gap > 0) {
                d[k++] = gap;
            }
        }
        return k < 3 ? 0 : statistical(d, k, 1);
    }

    /** Size score of payload sizes (bytes); needs 3 of them. */
    static double size(double[] sizes, int n) {
        return n < 3 ? 0 : statistical(sizes, n, 0);
    }

    static double median(double[] sorted, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return 0;
        }
        int mid = from + n / 2;
        return n % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Median of the lower half (the median itself excluded for odd counts), as RITA's statistics library. */
    static double lowerQuartile(double[] sorted) {
        int n = sorted.length;
        return n < 2 ? median(sorted, 0, n) : median(sorted, 0, n / 2);
    }

    static double upperQuartile(double[] sorted) {
        int n = sorted.length;
        return n < 2 ? median(sorted, 0, n) : median(sorted, (n + 1) / 2, n);
    }
}
