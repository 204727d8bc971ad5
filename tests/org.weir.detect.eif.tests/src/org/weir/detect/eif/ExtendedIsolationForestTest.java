package org.weir.detect.eif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExtendedIsolationForestTest {

    private static final ExtendedIsolationForest.Options OPTIONS = ExtendedIsolationForest.Options.defaults();

    /** n rows of a d-dimensional standard normal blob. */
    private static double[] blob(int n, int d, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    @Test
    void cFollowsTheReferenceFormula() {
        double gamma = 0.5772156649;
        assertEquals(0.0, ExtendedIsolationForest.c(0));
        assertEquals(0.0, ExtendedIsolationForest.c(1));
        // The reference's c(2): 2(ln 1 + γ) − 1, not the exact harmonic value 1.
        assertEquals(2 * gamma - 1, ExtendedIsolationForest.c(2), 1e-12);
        assertEquals(2 * (Math.log(2) + gamma) - 4.0 / 3, ExtendedIsolationForest.c(3), 1e-12);
        assertEquals(10.244770920116852, ExtendedIsolationForest.c(256), 1e-9);
        // c(n) grows like 2 ln n.
        assertEquals(2 * Math.log(1e6) + 2 * gamma - 2, ExtendedIsolationForest.c(1_000_000), 1e-5);
    }

    @Test
    void sameSeedSameForestOtherSeedOtherForest() {
        double[] x = blob(2000, 4, 1);
        ExtendedIsolationForest a = ExtendedIsolationForest.train(x, 2000, 4, OPTIONS.withSeed(42));
        ExtendedIsolationForest b = ExtendedIsolationForest.train(x.clone(), 2000, 4, OPTIONS.withSeed(42));
        ExtendedIsolationForest c = ExtendedIsolationForest.train(x, 2000, 4, OPTIONS.withSeed(43));
        double[] sa = new double[2000], sb = new double[2000], sc = new double[2000];
        a.scoreAll(x, 2000, sa);
        b.scoreAll(x, 2000, sb);
        c.scoreAll(x, 2000, sc);
        assertArrayEquals(sa, sb, 0.0);
        assertArrayEquals(a.splitNormals(), b.splitNormals());
        assertFalse(Arrays.equals(sa, sc));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, ExtendedIsolationForest.FULL_EXTENSION})
    void batchScoresEqualPointScores(int extension) {
        double[] x = blob(1500, 5, 2);
        ExtendedIsolationForest f = ExtendedIsolationForest.train(x, 1500, 5, OPTIONS.withExtensionLevel(extension));
        double[] batch = new double[1501];
        f.scoreAll(x, 1500, batch);
        double[] point = new double[5];
        for (int i = 0; i < 1500; i++) {
            System.arraycopy(x, i * 5, point, 0, 5);
            assertEquals(f.score(point), batch[i], 0.0, "row " + i);
            assertEquals(f.score(x, i * 5), batch[i], 0.0, "row " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, ExtendedIsolationForest.FULL_EXTENSION})
    void plantedOutliersScoreAboveTheBlob(int extension) {
        int n = 1000, planted = 8;
        double[] x = Arrays.copyOf(blob(n, 2, 3), (n + planted) * 2);
        boolean[] outlier = new boolean[n + planted];
        for (int i = 0; i < planted; i++) {
            double angle = 2 * Math.PI * i / planted;
            x[(n + i) * 2] = 6 * Math.cos(angle);
            x[(n + i) * 2 + 1] = 6 * Math.sin(angle);
            outlier[n + i] = true;
        }
        ExtendedIsolationForest f = ExtendedIsolationForest.train(x, n + planted, 2,
                OPTIONS.withExtensionLevel(extension).withSeed(7));
        double[] s = new double[n + planted];
        f.scoreAll(x, n + planted, s);
        double[] inliers = Arrays.copyOf(s, n);
        Arrays.sort(inliers);
        double p99 = inliers[(int) Math.ceil(0.99 * n) - 1];
        for (int i = n; i < n + planted; i++) {
            assertTrue(s[i] > p99, "outlier " + (i - n) + " scores " + s[i] + ", 99th percentile of the blob " + p99);
            assertTrue(s[i] > 0.6, "outlier " + (i - n) + " scores " + s[i]);
        }
        assertTrue(inliers[n / 2] < 0.5, "median blob score " + inliers[n / 2]);
        assertTrue(AnomalyEvaluation.auroc(s, outlier) > 0.99);
        double[] origin = {0, 0};
        double[] far = {10, -10};
        assertTrue(f.score(far) > f.score(origin));
    }

    @Test
    void extensionLevelZeroCutsAlongOneAxis() {
        double[] x = blob(3000, 6, 4);
        ExtendedIsolationForest f = ExtendedIsolationForest.train(x, 3000, 6, OPTIONS.withExtensionLevel(0));
        double[][] normals = f.splitNormals();
        assertTrue(normals.length > 100 * 30, "splits: " + normals.length);
        int[] used = new int[6];
        for (double[] n : normals) {
            int nonZero = 0;
            for (int j = 0; j < 6; j++) {
                if (n[j] != 0) {
                    nonZero++;
                    used[j]++;
                }
            }
            assertEquals(1, nonZero, () -> "normal " + Arrays.toString(n));
        }
        for (int j = 0; j < 6; j++) {
            // Each axis gets about a sixth of the cuts.
            assertTrue(used[j] > normals.length / 10, "axis " + j + " cut " + used[j] + " times");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5})
    void extensionLevelSetsTheNumberOfNonZeroComponents(int extension) {
        double[] x = blob(1000, 6, 5);
        ExtendedIsolationForest f = ExtendedIsolationForest.train(x, 1000, 6, OPTIONS.withExtensionLevel(extension));
        assertEquals(extension, f.extensionLevel());
        for (double[] n : f.splitNormals()) {
            assertEquals(extension + 1, Arrays.stream(n).filter(v -> v != 0).count(), () -> Arrays.toString(n));
        }
    }

    @Test
    void defaultsResolveFromTheData() {
        double[] x = blob(100, 3, 6);
        ExtendedIsolationForest f = ExtendedIsolationForest.train(x, 100, 3, OPTIONS);
        assertEquals(2, f.extensionLevel());
        assertEquals(100, f.sampleSize()); // ψ capped at the number of rows
        assertEquals(7, f.heightLimit()); // ⌈log2 100⌉
        assertEquals(100, f.trees());
        ExtendedIsolationForest g = ExtendedIsolationForest.train(blob(1000, 3, 6), 1000, 3, OPTIONS);
        assertEquals(256, g.sampleSize());
        assertEquals(8, g.heightLimit());
    }

    @Test
    void badArgumentsAreRefused() {
        double[] x = blob(10, 3, 7);
        assertThrows(IllegalArgumentException.class,
                () -> ExtendedIsolationForest.train(x, 10, 3, OPTIONS.withExtensionLevel(3)));
        assertThrows(IllegalArgumentException.class, () -> ExtendedIsolationForest.train(x, 1, 3, OPTIONS));
        assertThrows(IllegalArgumentException.class, () -> OPTIONS.withTrees(0));
        assertThrows(IllegalArgumentException.class, () -> OPTIONS.withSampleSize(1));
        x[4] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExtendedIsolationForest.train(x, 10, 3, OPTIONS));
        assertTrue(e.getMessage().contains("row 1, column 1"), e.getMessage());
    }

    @Test
    void scoringAPointAllocatesNothing() throws Exception {
        Object bean = ManagementFactory.getThreadMXBean();
        Class<?> api = ClassLoader.getPlatformClassLoader().loadClass("com.sun.management.ThreadMXBean");
        assumeTrue(api.isInstance(bean), "per-thread allocation counter not available");
        Method allocated = api.getMethod("getCurrentThreadAllocatedBytes");
        double[] x = blob(2000, 8, 8);
        ExtendedIsolationForest f = ExtendedIsolationForest.train(x, 2000, 8, OPTIONS);
        double sink = 0;
        for (int i = 0; i < 20_000; i++) { // let the JIT compile score()
            sink += f.score(x, (i % 2000) * 8);
        }
        long before = (Long) allocated.invoke(bean);
        for (int i = 0; i < 2000; i++) {
            sink += f.score(x, i * 8);
        }
        long after = (Long) allocated.invoke(bean);
        assertTrue(sink > 0);
        // The counter's own boxing costs a few dozen bytes; 2000 scores allocating would cost far more.
        assertTrue(after - before < 1024, (after - before) + " bytes allocated scoring 2000 points");
    }
}
