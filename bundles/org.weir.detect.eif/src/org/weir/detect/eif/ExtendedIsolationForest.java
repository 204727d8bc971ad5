package org.weir.detect.eif;

import java.util.Arrays;

/**
 * The Extended Isolation Forest of Hariri, Carrasco Kind and Brunner (IEEE TKDE 33(4), 2021), which contains the
 * standard Isolation Forest of Liu, Ting and Zhou as extension level 0.
 *
 * <p>Each tree is grown on a subsample of ψ rows drawn without replacement. A node splits its rows by a random
 * hyperplane: the normal vector has N(0,1) components of which {@code dimensions − extensionLevel − 1}, chosen at
 * random, are zero; the hyperplane passes through a point drawn uniformly in the bounding box of the node's rows.
 * A row goes left when {@code (x − p)·n < 0}. Growth stops at depth ⌈log2 ψ⌉ or when a node holds at most one row.
 * The path length of a point is its depth at the leaf plus {@link #c(int) c(size)} for a leaf that held more than
 * one row; the score is {@code 2^(−E[h]/c(ψ))}, near 1 for anomalies and below 0.5 for ordinary points. These are
 * the reference implementation's choices, including its c(n), which uses H(i) ≈ ln i + γ for every n ≥ 2.
 *
 * <p>The forest is immutable and safe to share between threads once built. Nodes live in flat arrays (one set for
 * the whole forest), and scoring a point allocates nothing. A seed determines the forest completely.
 */
public final class ExtendedIsolationForest {

    /** Extension level meaning "dimensions − 1", the fully extended forest. */
    public static final int FULL_EXTENSION = -1;

    private static final double EULER_GAMMA = 0.5772156649;

    /**
     * How to grow a forest.
     *
     * @param trees number of trees (≥ 1)
     * @param sampleSize rows per tree, ψ (≥ 2; capped at the number of training rows)
     * @param extensionLevel 0 (axis-parallel cuts, the standard Isolation Forest) to dimensions − 1, or
     *     {@link #FULL_EXTENSION}
     * @param seed determines the forest
     * @param heightLimit maximum depth, or 0 for ⌈log2 ψ⌉
     */
    public record Options(int trees, int sampleSize, int extensionLevel, long seed, int heightLimit) {

        public Options {
            if (trees < 1) {
                throw new IllegalArgumentException("trees must be at least 1, not " + trees);
            }
            if (sampleSize < 2) {
                throw new IllegalArgumentException("sample size must be at least 2, not " + sampleSize);
            }
            if (extensionLevel < FULL_EXTENSION) {
                throw new IllegalArgumentException("extension level must be 0 or more (or -1 for full), not "
                        + extensionLevel);
            }
            if (heightLimit < 0) {
                throw new IllegalArgumentException("height limit must be 0 (automatic) or more, not " + heightLimit);
            }
        }

        /** 100 trees of 256 rows, full extension, seed 0: the settings of the paper's benchmarks. */
        public static Options defaults() {
            return new Options(100, 256, FULL_EXTENSION, 0, 0);
        }

        public Options withTrees(int n) {
            return new Options(n, sampleSize, extensionLevel, seed, heightLimit);
        }

        public Options withSampleSize(int n) {
            return new Options(trees, n, extensionLevel, seed, heightLimit);
        }

        public Options withExtensionLevel(int level) {
            return new Options(trees, sampleSize, level, seed, heightLimit);
        }

        public Options withSeed(long s) {
            return new Options(trees, sampleSize, extensionLevel, s, heightLimit);
        }

        public Options withHeightLimit(int limit) {
            return new Options(trees, sampleSize, extensionLevel, seed, limit);
        }
    }

    private final int dims;
    private final int trees;
    private final int psi;
    private final int extension;
    private final int heightLimit;
    private final double cPsi;
    /** Non-zero normal components per split: extension + 1. */
    private final int k;
    /** k == dims: normals are stored densely, without a component index. */
    private final boolean dense;

    private final int[] roots;
    /**
     * Per node, two ints: the left child (the right one follows it), and the split's ordinal. A leaf links to
     * itself through split 0, a plane no point crosses, so that batch scoring can step every row a fixed number
     * of times without a branch.
     */
    private final int[] links;
    /** Per split, k + 1 doubles: p·n, then the k normal components. */
    private final double[] splits;
    /** Per split: the k dimensions the components belong to (null when dense). */
    private final int[] component;
    /** Per node: the path length credited at a leaf, depth + c(size). */
    private final double[] leafPath;

    private ExtendedIsolationForest(Builder b) {
        dims = b.dims;
        trees = b.roots.length;
        psi = b.psi;
        extension = b.k - 1;
        heightLimit = b.limit;
        cPsi = c(psi);
        k = b.k;
        dense = b.dense;
        roots = b.roots;
        links = Arrays.copyOf(b.links, 2 * b.nodes);
        leafPath = Arrays.copyOf(b.leafPath, b.nodes);
        splits = Arrays.copyOf(b.splits, b.splitCount * (k + 1));
        component = dense ? null : Arrays.copyOf(b.component, b.splitCount * k);
    }

    /**
     * Grows a forest on {@code rows} rows of {@code dims} values each, stored row after row in {@code data}.
     *
     * @throws IllegalArgumentException if the data or options do not fit (fewer than 2 rows, an extension level
     *     of {@code dims} or more, a value that is NaN or infinite)
     */
    public static ExtendedIsolationForest train(double[] data, int rows, int dims, Options options) {
        if (dims < 1) {
            throw new IllegalArgumentException("need at least one dimension");
        }
        if (rows < 2) {
            throw new IllegalArgumentException("need at least 2 rows to train, not " + rows);
        }
        if ((long) rows * dims > data.length) {
            throw new IllegalArgumentException(rows + " rows of " + dims + " values need " + (long) rows * dims
                    + " values; the array has " + data.length);
        }
        int ext = options.extensionLevel() == FULL_EXTENSION ? dims - 1 : options.extensionLevel();
        if (ext > dims - 1) {
            throw new IllegalArgumentException("data has " + dims + " dimensions: extension level must be at most "
                    + (dims - 1) + ", not " + ext);
        }
        for (int i = 0; i < rows * dims; i++) {
            if (!Double.isFinite(data[i])) {
                throw new IllegalArgumentException("value " + data[i] + " in row " + i / dims + ", column " + i % dims
                        + " is not finite");
            }
        }
        return new Builder(data, rows, dims, ext, options).build();
    }

    /** Grows a forest on rows of equal length. */
    public static ExtendedIsolationForest train(double[][] rows, Options options) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("need at least 2 rows to train, not 0");
        }
        int dims = rows[0].length;
        double[] flat = new double[rows.length * dims];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != dims) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + dims);
            }
            System.arraycopy(rows[i], 0, flat, i * dims, dims);
        }
        return train(flat, rows.length, dims, options);
    }

    /**
     * c(n), the average path length of an unsuccessful search in a binary search tree of n nodes, as the
     * reference computes it: {@code 2(ln(n−1) + γ) − 2(n−1)/n} for n ≥ 2, and 0 below.
     */
    public static double c(int n) {
        if (n < 2) {
            return 0;
        }
        return 2.0 * (Math.log(n - 1.0) + EULER_GAMMA) - 2.0 * (n - 1.0) / n;
    }

    /**
     * Anomaly score of a point of {@link #dimensions()} finite values, in (0, 1]; higher is more anomalous. Not
     * checked here (this is the hot path): a NaN goes right at every split.
     */
    public double score(double[] point) {
        return score(point, 0);
    }

    /** Anomaly score of the point stored at {@code data[offset .. offset + dimensions)}. Allocates nothing. */
    public double score(double[] data, int offset) {
        return scoreOf(meanPathLength(data, offset));
    }

    /** E[h]: the point's path length averaged over the trees (leaf corrections included). */
    public double meanPathLength(double[] data, int offset) {
        double sum = 0;
        for (int t = 0; t < trees; t++) {
            sum += pathLength(roots[t], data, offset);
        }
        return sum / trees;
    }

    /** The score for a mean path length: {@code 2^(−E[h]/c(ψ))}. */
    public double scoreOf(double meanPathLength) {
        return Math.pow(2.0, -meanPathLength / cPsi);
    }

    /**
     * Scores {@code rows} rows stored row after row in {@code data} into {@code out}; the same scores as
     * {@link #score(double[], int)} row by row, faster. Rows go through the trees in blocks: every row of a block
     * steps down one tree level by level, leaves looping onto themselves, so that the steps of different rows are
     * independent and carry no hard-to-predict branch.
     *
     * @throws IllegalArgumentException if a value is NaN or infinite, or the arrays are too small
     */
    public void scoreAll(double[] data, int rows, double[] out) {
        if ((long) rows * dims > data.length || out.length < rows) {
            throw new IllegalArgumentException("arrays too small for " + rows + " rows of " + dims + " values");
        }
        for (int i = 0; i < rows * dims; i++) {
            if (!Double.isFinite(data[i])) {
                throw new IllegalArgumentException("value " + data[i] + " in row " + i / dims + ", column " + i % dims
                        + " is not finite");
            }
        }
        final int block = 256;
        int[] node = new int[block];
        double[] sum = new double[block];
        for (int first = 0; first < rows; first += block) {
            int n = Math.min(block, rows - first);
            Arrays.fill(sum, 0, n, 0.0);
            for (int t = 0; t < trees; t++) {
                Arrays.fill(node, 0, n, roots[t]);
                for (int level = 0; level < heightLimit; level++) {
                    if (dense) {
                        stepDense(data, first, n, node);
                    } else {
                        stepSparse(data, first, n, node);
                    }
                }
                for (int i = 0; i < n; i++) {
                    sum[i] += leafPath[node[i]];
                }
            }
            for (int i = 0; i < n; i++) {
                out[first + i] = scoreOf(sum[i] / trees);
            }
        }
    }

    private void stepDense(double[] x, int first, int n, int[] node) {
        int[] links = this.links;
        double[] splits = this.splits;
        int k = this.k, stride = k + 1, dims = this.dims;
        int i = 0, off = first * dims;
        // Two rows per iteration: their sums are independent chains the CPU overlaps, while each row's sum keeps
        // the order used in training (same rounding, same side of every split).
        for (; i + 1 < n; i += 2, off += 2 * dims) {
            int a0 = node[i], a1 = node[i + 1];
            int b0 = links[2 * a0 + 1] * stride, b1 = links[2 * a1 + 1] * stride;
            double d0 = 0, d1 = 0;
            for (int j = 0; j < k; j++) {
                d0 += splits[b0 + 1 + j] * x[off + j];
                d1 += splits[b1 + 1 + j] * x[off + dims + j];
            }
            node[i] = links[2 * a0] + (d0 < splits[b0] ? 0 : 1);
            node[i + 1] = links[2 * a1] + (d1 < splits[b1] ? 0 : 1);
        }
        if (i < n) {
            int at = node[i];
            int base = links[2 * at + 1] * stride;
            double dot = 0;
            for (int j = 0; j < k; j++) {
                dot += splits[base + 1 + j] * x[off + j];
            }
            node[i] = links[2 * at] + (dot < splits[base] ? 0 : 1);
        }
    }

    private void stepSparse(double[] x, int first, int n, int[] node) {
        int[] links = this.links;
        double[] splits = this.splits;
        int[] component = this.component;
        int k = this.k, stride = k + 1, dims = this.dims;
        int i = 0, off = first * dims;
        for (; i + 1 < n; i += 2, off += 2 * dims) { // two rows at a time, as in stepDense
            int a0 = node[i], a1 = node[i + 1];
            int s0 = links[2 * a0 + 1], s1 = links[2 * a1 + 1];
            int b0 = s0 * stride, b1 = s1 * stride, c0 = s0 * k, c1 = s1 * k;
            double d0 = 0, d1 = 0;
            for (int j = 0; j < k; j++) {
                d0 += splits[b0 + 1 + j] * x[off + component[c0 + j]];
                d1 += splits[b1 + 1 + j] * x[off + dims + component[c1 + j]];
            }
            node[i] = links[2 * a0] + (d0 < splits[b0] ? 0 : 1);
            node[i + 1] = links[2 * a1] + (d1 < splits[b1] ? 0 : 1);
        }
        if (i < n) {
            int at = node[i];
            int split = links[2 * at + 1];
            int base = split * stride;
            int comp = split * k;
            double dot = 0;
            for (int j = 0; j < k; j++) {
                dot += splits[base + 1 + j] * x[off + component[comp + j]];
            }
            node[i] = links[2 * at] + (dot < splits[base] ? 0 : 1);
        }
    }

    private double pathLength(int node, double[] x, int off) {
        int[] links = this.links;
        double[] splits = this.splits;
        int k = this.k, stride = k + 1;
        while (true) {
            int left = links[2 * node];
            if (left == node) {
                return leafPath[node];
            }
            int split = links[2 * node + 1];
            int base = split * stride;
            double dot = 0;
            if (dense) {
                for (int j = 0; j < k; j++) {
                    dot += splits[base + 1 + j] * x[off + j];
                }
            } else {
                int[] component = this.component;
                int comp = split * k;
                for (int j = 0; j < k; j++) {
                    dot += splits[base + 1 + j] * x[off + component[comp + j]];
                }
            }
            node = dot < splits[base] ? left : left + 1;
        }
    }

    public int dimensions() {
        return dims;
    }

    public int trees() {
        return trees;
    }

    /** ψ as used: the requested sample size, capped at the number of training rows. */
    public int sampleSize() {
        return psi;
    }

    /** The extension level as used (full extension resolved to dimensions − 1). */
    public int extensionLevel() {
        return extension;
    }

    public int heightLimit() {
        return heightLimit;
    }

    /** Number of nodes (internal and leaves) over all trees. */
    public int nodeCount() {
        return leafPath.length;
    }

    /**
     * The normal vector of every split, dense (zeros included), in the order the splits were made: for tests and
     * diagnostics.
     */
    public double[][] splitNormals() {
        int count = splits.length / (k + 1) - 1;
        double[][] result = new double[count][dims];
        for (int s = 0; s < count; s++) {
            int split = s + 1; // split 0 is the leaves' plane
            for (int j = 0; j < k; j++) {
                result[s][dense ? j : component[split * k + j]] = splits[split * (k + 1) + 1 + j];
            }
        }
        return result;
    }

    /** Grows the trees into growable flat arrays; used once per forest. */
    private static final class Builder {

        final double[] data;
        final int rows, dims, k, psi, limit;
        final boolean dense;
        final Options options;
        final int[] roots;

        int nodes, splitCount;
        int[] links = new int[2048];
        double[] leafPath = new double[1024];
        double[] splits;
        int[] component;

        /** The current tree's sample, row after row, and the row order that splits partition. */
        final double[] sample;
        final int[] order;
        final int[] permutation;
        final int[] dimOrder;
        final int[] chosen;
        final double[] chosenNormal;
        SplitMix rng;

        Builder(double[] data, int rows, int dims, int extension, Options options) {
            this.data = data;
            this.rows = rows;
            this.dims = dims;
            this.options = options;
            k = extension + 1;
            dense = k == dims;
            psi = Math.min(options.sampleSize(), rows);
            limit = options.heightLimit() > 0 ? options.heightLimit()
                    : (int) Math.ceil(Math.log(psi) / Math.log(2));
            roots = new int[options.trees()];
            splits = new double[256 * (k + 1)];
            component = dense ? null : new int[256 * k];
            // Split 0: the plane 0·x < +∞ that every point passes on the left, for leaves looping onto themselves.
            splits[0] = Double.POSITIVE_INFINITY;
            splitCount = 1;
            sample = new double[psi * dims];
            order = new int[psi];
            permutation = new int[rows];
            for (int i = 0; i < rows; i++) {
                permutation[i] = i;
            }
            dimOrder = new int[dims];
            chosen = new int[k];
            chosenNormal = new double[k];
        }

        ExtendedIsolationForest build() {
            for (int t = 0; t < roots.length; t++) {
                // One stream per tree, as the reference seeds its engine with seed + tree index.
                rng = new SplitMix(SplitMix.derive(options.seed(), t));
                drawSample();
                int root = allocate(1);
                roots[t] = root;
                grow(root, 0, psi, 0);
            }
            return new ExtendedIsolationForest(this);
        }

        /** ψ distinct rows: a partial Fisher–Yates shuffle of the persistent permutation. */
        private void drawSample() {
            for (int i = 0; i < psi; i++) {
                int j = i + rng.nextInt(rows - i);
                int tmp = permutation[i];
                permutation[i] = permutation[j];
                permutation[j] = tmp;
                System.arraycopy(data, permutation[i] * dims, sample, i * dims, dims);
                order[i] = i;
            }
        }

        private int allocate(int count) {
            int first = nodes;
            nodes += count;
            if (nodes > leafPath.length) {
                int size = Math.max(nodes, leafPath.length * 2);
                links = Arrays.copyOf(links, 2 * size);
                leafPath = Arrays.copyOf(leafPath, size);
            }
            return first;
        }

        /** Fills node {@code node} for the sample rows {@code order[lo..hi)} at {@code depth}. */
        private void grow(int node, int lo, int hi, int depth) {
            int size = hi - lo;
            if (depth >= limit || size <= 1) {
                links[2 * node] = node;
                links[2 * node + 1] = 0;
                leafPath[node] = depth + c(size);
                return;
            }
            chooseComponents();
            double threshold = 0;
            for (int j = 0; j < k; j++) {
                int d = chosen[j];
                double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
                for (int i = lo; i < hi; i++) {
                    double v = sample[order[i] * dims + d];
                    if (v < min) {
                        min = v;
                    }
                    if (v > max) {
                        max = v;
                    }
                }
                double n = rng.nextGaussian();
                double p = min + rng.nextDouble() * (max - min);
                chosenNormal[j] = n;
                threshold += n * p;
            }
            int split = splitCount++;
            if ((split + 1) * (k + 1) > splits.length) {
                splits = Arrays.copyOf(splits, splits.length * 2);
                if (!dense) {
                    component = Arrays.copyOf(component, component.length * 2);
                }
            }
            splits[split * (k + 1)] = threshold;
            System.arraycopy(chosenNormal, 0, splits, split * (k + 1) + 1, k);
            if (!dense) {
                System.arraycopy(chosen, 0, component, split * k, k);
            }
            // Partition order[lo..hi) into x·n < p·n (left) and the rest, as scoring will decide.
            int mid = lo;
            for (int i = lo; i < hi; i++) {
                int r = order[i] * dims;
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += chosenNormal[j] * sample[r + chosen[j]];
                }
                if (s < threshold) {
                    int tmp = order[mid];
                    order[mid] = order[i];
                    order[i] = tmp;
                    mid++;
                }
            }
            // The scoring loop accumulates the dot product in the same order, so training and scoring agree on
            // which side every training row falls.
            int left = allocate(2);
            links[2 * node] = left;
            links[2 * node + 1] = split;
            leafPath[node] = Double.NaN;
            grow(left, lo, mid, depth + 1);
            grow(left + 1, mid, hi, depth + 1);
        }

        /** The k dimensions with non-zero normal components, in increasing order. */
        private void chooseComponents() {
            if (dense) {
                for (int j = 0; j < k; j++) {
                    chosen[j] = j;
                }
                return;
            }
            for (int i = 0; i < dims; i++) {
                dimOrder[i] = i;
            }
            for (int i = 0; i < k; i++) {
                int j = i + rng.nextInt(dims - i);
                int tmp = dimOrder[i];
                dimOrder[i] = dimOrder[j];
                dimOrder[j] = tmp;
            }
            System.arraycopy(dimOrder, 0, chosen, 0, k);
            Arrays.sort(chosen, 0, k);
        }
    }
}
