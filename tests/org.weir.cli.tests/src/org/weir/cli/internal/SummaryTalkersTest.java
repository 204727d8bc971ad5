package org.weir.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SummaryTalkersTest {

    private record Address(long hi, long lo) {
    }

    /** The top talkers against a model: totals per address, sorted by bytes, then by address (unsigned). */
    @Test
    void topTalkersAreTheAddressesWithMostBytesInOrder() {
        Random random = new Random(7);
        for (int addresses : new int[] {0, 1, 3, 5, 6, 700, 5000}) {
            Summary.Talkers talkers = new Summary.Talkers();
            Map<Address, long[]> model = new HashMap<>();
            for (int k = 0; k < addresses * 3; k++) {
                int a = random.nextInt(Math.max(1, addresses));
                // Few distinct byte counts, so ties are common; addresses with the top bit set test unsigned order.
                Address address = new Address(a % 3 == 0 ? -1L - a : a, a * 31L);
                long bytes = 100L * random.nextInt(4);
                talkers.add(address.hi(), address.lo(), bytes);
                model.computeIfAbsent(address, x -> new long[2])[0] += bytes;
                model.get(address)[1]++;
            }
            if (addresses == 0) {
                model.clear();
                talkers = new Summary.Talkers();
            }
            List<Address> expected = new ArrayList<>(model.keySet());
            expected.sort(Comparator.comparingLong((Address x) -> -model.get(x)[0])
                    .thenComparing(Address::hi, Long::compareUnsigned).thenComparing(Address::lo, Long::compareUnsigned));
            for (int n : new int[] {0, 1, 5}) {
                int[] top = talkers.top(n);
                assertEquals(Math.min(n, expected.size()), top.length, addresses + " addresses, top " + n);
                long[][] got = new long[top.length][];
                long[][] want = new long[top.length][];
                for (int i = 0; i < top.length; i++) {
                    got[i] = new long[] {talkers.hi(top[i]), talkers.lo(top[i]), talkers.bytes(top[i]),
                            talkers.count(top[i])};
                    Address x = expected.get(i);
                    want[i] = new long[] {x.hi(), x.lo(), model.get(x)[0], model.get(x)[1]};
                }
                assertArrayEquals(want, got, addresses + " addresses, top " + n);
            }
            assertEquals(model.size(), talkers.size());
        }
    }
}
