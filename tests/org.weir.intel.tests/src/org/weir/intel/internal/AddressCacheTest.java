package org.weir.intel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.weir.intel.GeoInfo;

/** The four-way cache against a model of it: every answer is the address's own, or a miss the model predicts. */
class AddressCacheTest {

    private static GeoInfo info(long hi, long lo) {
        return new GeoInfo("C" + (lo % 100), null, "city " + hi + "/" + lo, 0, 0, (int) (lo & 0xFFFF), null);
    }

    @Test
    void answersAsAFourWayCacheThatKeepsTheLatestFourAddressesOfEachSet() {
        Random random = new Random(3);
        AddressCache<GeoInfo> cache = new AddressCache<>(64);
        assertEquals(64, cache.capacity());
        long[][] addresses = new long[400][];
        Map<String, GeoInfo> put = new HashMap<>();
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = new long[] {random.nextInt(4), random.nextLong()};
        }
        int hits = 0, lookups = 0;
        for (int step = 0; step < 20_000; step++) {
            long[] a = addresses[random.nextInt(random.nextInt(4) == 0 ? addresses.length : 40)];
            GeoInfo got = cache.get(a[0], a[1]);
            lookups++;
            if (got != null) {
                hits++;
                assertSame(put.get(a[0] + "/" + a[1]), got, "a hit is the address's own entry");
            } else {
                GeoInfo fresh = info(a[0], a[1]);
                cache.put(a[0], a[1], fresh);
                put.put(a[0] + "/" + a[1], fresh);
                assertSame(fresh, cache.get(a[0], a[1]), "what was just put is found");
            }
        }
        // 40 hot addresses in 16 sets of four: a direct-mapped table of 64 slots would keep missing some of them.
        assertTrue(hits > lookups / 2, hits + " hits of " + lookups);
    }

    @Test
    void aFifthAddressOfASetDropsTheOldestAndKeepsTheOtherFour() {
        // Five addresses that land in one set: found by behaviour (the index is private). A candidate shares the
        // first address's set when putting the candidate four times pushes the first one out.
        Random random = new Random(5);
        List<long[]> sameSet = new ArrayList<>();
        long[] first = {0, random.nextLong()};
        sameSet.add(first);
        while (sameSet.size() < 5) {
            long[] c = {0, random.nextLong()};
            AddressCache<GeoInfo> push = new AddressCache<>(16);
            push.put(first[0], first[1], info(first[0], first[1]));
            for (int i = 0; i < 4; i++) {
                push.put(c[0], c[1], info(c[0], c[1]));
            }
            if (push.get(first[0], first[1]) == null) {
                sameSet.add(c);
            }
        }
        AddressCache<GeoInfo> set = new AddressCache<>(16);
        for (long[] a : sameSet.subList(0, 4)) {
            set.put(a[0], a[1], info(a[0], a[1]));
        }
        for (long[] a : sameSet.subList(0, 4)) {
            assertTrue(set.get(a[0], a[1]) != null, "four addresses share a set");
        }
        long[] fifth = sameSet.get(4);
        set.put(fifth[0], fifth[1], info(fifth[0], fifth[1]));
        assertEquals(null, set.get(first[0], first[1]), "the oldest of five is dropped");
        for (long[] a : sameSet.subList(1, 5)) {
            assertTrue(set.get(a[0], a[1]) != null, "the latest four stay");
        }
        // A queue model agrees over a long mixed sequence on this one set.
        ArrayDeque<long[]> model = new ArrayDeque<>();
        AddressCache<GeoInfo> replay = new AddressCache<>(16);
        Random order = new Random(9);
        for (int i = 0; i < 2000; i++) {
            long[] x = sameSet.get(order.nextInt(5));
            boolean expected = model.stream().anyMatch(m -> m[1] == x[1]);
            assertEquals(expected, replay.get(x[0], x[1]) != null, "step " + i);
            if (!expected) {
                replay.put(x[0], x[1], info(x[0], x[1]));
                model.addFirst(x);
                if (model.size() > 4) {
                    model.removeLast();
                }
            }
        }
    }
}
