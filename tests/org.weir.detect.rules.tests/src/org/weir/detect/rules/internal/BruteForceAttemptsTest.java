package org.weir.detect.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** A source's ring of attempts against a queue of records, through growth, wrap-around and unpackable uids. */
class BruteForceAttemptsTest {

    private record Attempt(long start, long respHi, long respLo, long respBytes, String uid) {
    }

    @Test
    void matchesAQueueOfAttempts() {
        Random r = new Random(13);
        BruteForceDetector.Attempts ring = new BruteForceDetector.Attempts();
        ArrayDeque<Attempt> queue = new ArrayDeque<>();
        long t = 0;
        for (int i = 0; i < 50_000; i++) {
            t += r.nextInt(10);
            String uid = switch (r.nextInt(10)) {
                case 0 -> null;
                case 1 -> "odd-" + i;
                default -> "C" + Long.toString(r.nextLong() >>> 1, 36);
            };
            Attempt a = new Attempt(t, r.nextLong(), r.nextLong(), r.nextInt(20_000), uid);
            ring.add(a.start(), a.respHi(), a.respLo(), a.respBytes(), a.uid());
            queue.addLast(a);
            long cut = t - (i % 1000 < 500 ? 30 : 3000); // windows that shrink and grow the ring
            ring.dropStartedBefore(cut);
            while (!queue.isEmpty() && queue.peekFirst().start() < cut) {
                queue.pollFirst();
            }
            assertEquals(queue.size(), ring.size());
            if (i % 101 == 0) {
                List<Attempt> actual = new ArrayList<>();
                for (int n = 0; n < ring.size(); n++) {
                    actual.add(new Attempt(ring.start(n), ring.respHi(n), ring.respLo(n), ring.respBytes(n),
                            ring.uid(n)));
                }
                assertEquals(List.copyOf(queue), actual);
            }
        }
    }
}
