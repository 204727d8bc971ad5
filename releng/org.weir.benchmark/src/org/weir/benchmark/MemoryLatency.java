package org.weir.benchmark;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The machine's memory latency, which sets the session table's per-flow cost: a new flow's lookup, a timer that
 * surfaces and a removal each reach sessions and slots that have left the caches (docs/PERFORMANCE.md, "Machine").
 * Over a region far larger than the caches it times a load that depends on the one before (a walk along one random
 * cycle through all cache lines) and independent loads of random lines (how far the core overlaps misses), so that
 * figures taken on different machines can be compared.
 *
 * <p>{@code java -cp <benchmark jar> org.weir.benchmark.MemoryLatency [REGION_MB]}, with the JVM options of the
 * in-process stages (huge pages matter: a miss on 4 KiB pages also walks the page table).
 */
public final class MemoryLatency {

    private static final int INTS_PER_LINE = 16;

    private MemoryLatency() {
    }

    public static void main(String[] args) {
        int regionMb = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int lines = regionMb << 14; // 64-byte lines per MiB: 2^20 / 2^6
        int[] next = new int[lines * INTS_PER_LINE];
        SplittableRandom random = new SplittableRandom(1);
        // Sattolo's shuffle gives one cycle through every line, so the walk never settles into a cached loop.
        int[] cycle = new int[lines];
        for (int i = 0; i < lines; i++) {
            cycle[i] = i;
        }
        for (int i = lines - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int t = cycle[i];
            cycle[i] = cycle[j];
            cycle[j] = t;
        }
        for (int i = 0; i < lines; i++) {
            next[cycle[i] * INTS_PER_LINE] = cycle[(i + 1) % lines] * INTS_PER_LINE;
        }
        int steps = Math.min(lines, 4 << 20);
        int[] targets = new int[steps];
        for (int i = 0; i < steps; i++) {
            targets[i] = random.nextInt(lines) * INTS_PER_LINE;
        }

        double dependent = Double.MAX_VALUE, independent = Double.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < 3; round++) { // the first round compiles; the best of the rest is reported
            long t0 = System.nanoTime();
            int p = 0;
            for (int i = 0; i < steps; i++) {
                p = next[p];
            }
            long t1 = System.nanoTime();
            long sum = 0;
            for (int i = 0; i < steps; i++) {
                sum += next[targets[i]];
            }
            long t2 = System.nanoTime();
            sink += p + sum;
            if (round > 0) {
                dependent = Math.min(dependent, (t1 - t0) / (double) steps);
                independent = Math.min(independent, (t2 - t1) / (double) steps);
            }
        }
        System.out.printf(Locale.ROOT, "RESULT stage=memory region_mb=%d dependent_ns=%.1f independent_ns=%.1f%n",
                regionMb, dependent, independent);
        if (sink == 42) {
            System.out.println(); // keeps the loads from being optimised away
        }
    }
}
