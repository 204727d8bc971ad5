package org.weir.detect.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The packed window counters against plain (current, previous) counts, and their saturation. */
class WindowsTest {

    private static final long WINDOW = 1000;

    @Test
    void packedCountersMatchPlainWindowCounts() {
        KeyTable t = new KeyTable(3, 16); // start, then two counters
        int s = t.put(1, 1);
        long start = 0;
        long[] cur = new long[2], prev = new long[2];
        Random r = new Random(3);
        long now = 1;
        for (int i = 0; i < 20_000; i++) {
            now += r.nextInt(r.nextBoolean() ? 50 : 1500);
            // reference roll: the same fixed windows, counts kept apart
            if (start == 0) {
                start = now;
            } else if (now - start >= WINDOW) {
                boolean keep = now - start < 2 * WINDOW;
                for (int c = 0; c < 2; c++) {
                    prev[c] = keep ? cur[c] : 0;
                    cur[c] = 0;
                }
                start = keep ? start + WINDOW : now;
            }
            Windows.roll(t, s, 0, 2, now, WINDOW);
            int c = r.nextInt(2);
            long delta = r.nextInt(300);
            cur[c] += delta;
            Windows.add(t, s, 0, c, delta);
            assertEquals(start, t.get(s, 0));
            for (int k = 0; k < 2; k++) {
                double overlap = Math.max(0, 1.0 - (double) (now - start) / WINDOW);
                assertEquals(prev[k] * overlap + cur[k], Windows.estimate(t, s, 0, k, now, WINDOW));
            }
        }
    }

    @Test
    void aFullCounterSaturatesWithoutTouchingThePreviousWindow() {
        KeyTable t = new KeyTable(2, 16);
        int s = t.put(1, 1);
        Windows.roll(t, s, 0, 1, 10, WINDOW);
        Windows.add(t, s, 0, 0, 7);
        Windows.roll(t, s, 0, 1, 10 + WINDOW, WINDOW); // 7 becomes the previous window
        Windows.add(t, s, 0, 0, Windows.MAX_COUNT - 1);
        Windows.add(t, s, 0, 0, 5);
        assertEquals(Windows.MAX_COUNT, t.get(s, 1) & Windows.MAX_COUNT);
        assertEquals(7, t.get(s, 1) >>> 32);
        assertEquals(7.0 + Windows.MAX_COUNT, Windows.estimate(t, s, 0, 0, 10 + WINDOW, WINDOW));
    }
}
