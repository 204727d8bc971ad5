package org.weir.detect.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The window's events and distinct values against a queue and a map, with out-of-order times and churn. */
class WindowValuesTest {

    @Test
    void matchesAQueueAndAMapOfCounts() {
        for (int round = 0; round < 20; round++) {
            Random r = new Random(round);
            WindowValues w = new WindowValues();
            ArrayDeque<long[]> queue = new ArrayDeque<>();
            Map<List<Long>, Integer> counts = new HashMap<>();
            int values = 1 + r.nextInt(round < 10 ? 8 : 3000);
            long window = 1 + r.nextInt(500), newest = Long.MIN_VALUE, t = 0;
            for (int i = 0; i < 20_000; i++) {
                t += r.nextInt(5);
                long time = t - r.nextInt(r.nextInt(10) == 0 ? 2000 : 20); // sessions close out of start order
                long a = r.nextInt(values), b = r.nextInt(3) == 0 ? a * 31 : 7;
                newest = Math.max(newest, time);
                w.add(time, a, b, newest - window);
                queue.addLast(new long[] {time, a, b});
                counts.merge(List.of(a, b), 1, Integer::sum);
                while (!queue.isEmpty() && queue.peekFirst()[0] < newest - window) {
                    long[] e = queue.pollFirst();
                    counts.computeIfPresent(List.of(e[1], e[2]), (k, n) -> n == 1 ? null : n - 1);
                }
                assertEquals(queue.size(), w.size());
                assertEquals(counts.size(), w.distinct());
                if (i % 97 == 0) {
                    long[] firsts = w.firstOfValues();
                    long[] expected = counts.keySet().stream().mapToLong(k -> k.get(0)).toArray();
                    Arrays.sort(firsts);
                    Arrays.sort(expected);
                    assertEquals(Arrays.toString(expected), Arrays.toString(firsts));
                }
            }
        }
    }
}
