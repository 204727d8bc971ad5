package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The two-level timer queue polls exactly what a single priority queue would, in the same deadline order, across
 * window boundaries, wheel rounds, deadlines beyond the wheel, jumps in packet time and filtering.
 */
class TimerQueueTest {

    private static final long SECOND = 1_000_000_000L;

    private record Entry(Conn conn, long key) {
    }

    /** Random deadlines from now to 20 minutes ahead, time moving in steps up to {@code maxStep}, with a filter. */
    @Test
    void pollsInDeadlineOrderLikeAPriorityQueue() {
        for (long maxStep : new long[] {SECOND / 1000, SECOND / 3, 7 * SECOND, 2 * 3600 * SECOND}) {
            Random random = new Random(maxStep);
            TimerQueue queue = new TimerQueue();
            PriorityQueue<Entry> reference = new PriorityQueue<>((a, b) -> Long.compare(a.key, b.key));
            long now = 1_700_000_000L * SECOND;
            for (int step = 0; step < 20_000; step++) {
                for (int i = random.nextInt(4); i > 0; i--) {
                    long key = now + (random.nextInt(10) == 0 ? random.nextLong(20 * 60 * SECOND)
                            : random.nextLong(6 * SECOND));
                    Entry e = new Entry(new Conn(null), key);
                    queue.add(e.conn, key);
                    reference.add(e);
                }
                now += random.nextLong(maxStep);
                pollBoth(queue, reference, now, step, "step " + step + " of maxStep " + maxStep);
            }
        }
    }

    /**
     * Polls everything due at {@code now} from both and compares; every 5,000 steps keeps every other entry by key
     * parity in both.
     */
    private static void pollBoth(TimerQueue queue, PriorityQueue<Entry> reference, long now, int step, String what) {
        List<Long> expected = new ArrayList<>();
        while (!reference.isEmpty() && reference.peek().key <= now) {
            expected.add(reference.poll().key);
        }
        List<Long> polled = new ArrayList<>();
        while (queue.pollDue(now) != null) {
            polled.add(queue.polledKey());
        }
        assertEquals(expected, polled, what);
        assertEquals(reference.size(), queue.size());
        if (step % 5000 == 4999) {
            queue.retain((c, key) -> (key & 1) == 0);
            reference.removeIf(e -> (e.key & 1) != 0);
            assertEquals(reference.size(), queue.size());
        }
    }

    /**
     * Cancelled entries never surface; the others still come in deadline order, also across gaps longer than the
     * wheel and housekeeping. A cancel succeeds while the entry waits on the wheel and fails once its window has
     * reached the heap, after it was polled or refiled, or for another key.
     */
    @Test
    void cancelledEntriesNeverSurfaceAndTheOthersKeepTheirOrder() {
        Random random = new Random(42);
        TimerQueue queue = new TimerQueue();
        PriorityQueue<Entry> reference = new PriorityQueue<>((a, b) -> Long.compare(a.key, b.key));
        List<Entry> added = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        long now = 1_700_000_000L * SECOND;
        int cancelled = 0, refused = 0;
        for (int step = 0; step < 20_000; step++) {
            for (int i = random.nextInt(4); i > 0; i--) {
                long key = now + (random.nextInt(50) == 0 ? random.nextLong(30 * 60 * SECOND)
                        : random.nextLong(12 * SECOND));
                Entry e = new Entry(new Conn(null), key);
                slots.add(queue.add(e.conn, key));
                added.add(e);
                reference.add(e);
            }
            if (!added.isEmpty() && random.nextInt(3) == 0) {
                // Mostly recent entries (still queued), sometimes any (mostly polled already).
                int i = random.nextInt(4) == 0 ? random.nextInt(added.size())
                        : Math.max(0, added.size() - 1 - random.nextInt(40));
                Entry e = added.get(i);
                boolean wrongKey = random.nextInt(10) == 0;
                boolean done = queue.cancel(e.conn, wrongKey ? e.key + 1 : e.key, slots.get(i));
                if (done) {
                    assertTrue(reference.remove(e), "cancelled an entry that was no longer queued");
                    assertFalse(wrongKey);
                    assertFalse(queue.cancel(e.conn, e.key, slots.get(i)), "cancelled twice");
                    cancelled++;
                } else {
                    refused++;
                }
            }
            // Now and then a gap longer than the wheel, which refiles every waiting entry (cancelled ones dropped).
            now += step % 2500 == 2499 ? 20 * 60 * SECOND : random.nextLong(SECOND / 2);
            pollBoth(queue, reference, now, step, "step " + step);
        }
        assertTrue(cancelled > 1000 && refused > 1000, cancelled + " cancelled, " + refused + " refused");
    }

    @Test
    void entriesBeyondTheWheelWaitForTheirRound() {
        TimerQueue queue = new TimerQueue();
        long t0 = 1000 * SECOND;
        Conn soon = new Conn(null), hourLater = new Conn(null), dayLater = new Conn(null);
        queue.add(soon, t0 + SECOND);
        queue.add(dayLater, t0 + 86_400 * SECOND);
        queue.add(hourLater, t0 + 3600 * SECOND);
        assertNull(queue.pollDue(t0));
        assertSame(soon, queue.pollDue(t0 + 2 * SECOND));
        for (long t = t0 + 2 * SECOND; t < t0 + 3600 * SECOND; t += 10 * SECOND) {
            assertNull(queue.pollDue(t));
        }
        assertSame(hourLater, queue.pollDue(t0 + 3600 * SECOND));
        assertNull(queue.pollDue(t0 + 86_399 * SECOND));
        assertSame(dayLater, queue.pollDue(t0 + 86_400 * SECOND));
        assertEquals(0, queue.size());
    }

    @Test
    void anEarlierDeadlineAfterALaterOneIsPolledFirst() {
        TimerQueue queue = new TimerQueue();
        Conn late = new Conn(null), early = new Conn(null);
        queue.add(late, 500 * SECOND);
        queue.add(early, 100 * SECOND);
        assertSame(early, queue.pollDue(600 * SECOND));
        assertEquals(100 * SECOND, queue.polledKey());
        assertSame(late, queue.pollDue(600 * SECOND));
        queue.clear();
        assertEquals(0, queue.size());
        assertNull(queue.pollDue(Long.MAX_VALUE));
    }
}
