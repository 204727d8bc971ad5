package org.weir.detect.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The table against a map, through growth and retain, including the all-zero key; rows in insertion order. */
class KeyTableTest {

    @Test
    void behavesLikeAMapThroughGrowthAndRetain() {
        KeyTable t = new KeyTable(3, 1 << 20);
        Map<String, long[]> ref = new HashMap<>();
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            long a = i == 4 ? 0 : r.nextInt(3000), b = i == 4 ? 0 : r.nextInt(3);
            int s = t.put(a, b);
            assertTrue(t.used(s));
            assertEquals(a, t.key1(s));
            assertEquals(b, t.key2(s));
            t.add(s, 1, i);
            t.set(s, 2, a ^ b);
            t.object(s, a + "/" + b);
            long[] v = ref.computeIfAbsent(a + "/" + b, k -> new long[3]);
            v[1] += i;
            v[2] = a ^ b;
        }
        assertEquals(ref.size(), t.size());
        t.retain((tab, s) -> tab.get(s, 1) % 2 == 0);
        ref.values().removeIf(v -> v[1] % 2 != 0);
        assertEquals(ref.size(), t.size());
        int seen = 0;
        for (int s = 0; s < t.capacity(); s++) {
            if (t.used(s)) {
                seen++;
                long[] v = ref.get(t.key1(s) + "/" + t.key2(s));
                assertEquals(v[1], t.get(s, 1));
                assertEquals(v[2], t.get(s, 2));
                assertEquals(t.key1(s) + "/" + t.key2(s), t.object(s));
                assertEquals(s, t.get(t.key1(s), t.key2(s)));
            }
        }
        assertEquals(ref.size(), seen);
        t.clear();
        assertEquals(0, t.size());
        assertEquals(-1, t.get(0L, 0L));
        assertEquals(-1, t.get(1L, 1L));
    }

    @Test
    void repeatedRetainsKeepEveryOtherEntryFindable() {
        KeyTable t = new KeyTable(1, 1 << 20);
        Map<Long, Long> ref = new HashMap<>();
        Random r = new Random(11);
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 500; i++) {
                long k = r.nextInt(4000);
                t.add(t.put(k, k & 1), 0, 1);
                ref.merge(k, 1L, Long::sum);
            }
            long limit = r.nextInt(4);
            t.retain((tab, s) -> tab.get(s, 0) > limit);
            ref.values().removeIf(v -> v <= limit);
            assertEquals(ref.size(), t.size());
            for (Map.Entry<Long, Long> e : ref.entrySet()) {
                int s = t.get((long) e.getKey(), e.getKey() & 1);
                assertTrue(s >= 0);
                assertEquals((long) e.getValue(), t.get(s, 0));
            }
        }
        t.retain((tab, s) -> false);
        assertEquals(0, t.size());
        assertTrue(t.capacity() <= 65);
    }

    @Test
    void refusesKeysBeyondItsBound() {
        KeyTable t = new KeyTable(1, 2);
        assertTrue(t.put(0, 0) >= 0);
        assertTrue(t.put(1, 0) >= 0);
        assertEquals(-1, t.put(2, 0));
        assertFalse(t.get(2L, 0L) >= 0);
        assertTrue(t.put(1, 0) >= 0);
        assertEquals(-1, t.put(3, 0));
        assertEquals(2, t.refused(), "refused new keys are counted; a known key is found, not refused");
        assertEquals(2, t.maxSize());
        KeyTable four = new KeyTable(4, 0, 1);
        four.put(1, 2, 3, 4);
        assertEquals(-1, four.put(5, 6, 7, 8));
        assertEquals(1, four.refused());
    }

    @Test
    void rowsStayInInsertionOrderThroughRetain() {
        KeyTable t = new KeyTable(1, 1 << 20);
        for (long k = 0; k < 10_000; k++) {
            int s = t.put(k * 7919, -k);
            assertEquals(k, s);
            t.set(s, 0, k);
        }
        t.retain((tab, s) -> tab.get(s, 0) % 3 == 0);
        assertEquals(3334, t.size());
        for (int s = 0; s < t.capacity(); s++) {
            assertEquals(3L * s, t.get(s, 0));
            assertEquals(s, t.get(3L * s * 7919, -3L * s));
        }
        assertEquals(-1, t.get(7919L, -1L));
        int s = t.put(1, 2);
        assertEquals(3334, s);
        assertEquals(0, t.get(s, 0), "a new row starts with zero fields");
    }
}
