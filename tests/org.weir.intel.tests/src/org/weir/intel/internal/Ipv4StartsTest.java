package org.weir.intel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The /16-indexed floor search answers as a scan of all starts does, across prefixes, edges and the sign bit. */
class Ipv4StartsTest {

    @Test
    void floorIsTheLastRangeStartingAtOrBeforeTheAddress() {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 5, 1000, 50_000}) {
            int[] starts = new int[size];
            for (int i = 0; i < size; i++) {
                // Dense in a few /16s, sparse elsewhere, both halves of the unsigned range.
                starts[i] = random.nextBoolean() ? 0x0A00_0000 | random.nextInt(1 << 18) : random.nextInt();
            }
            long[] unsigned = Arrays.stream(starts).mapToLong(Integer::toUnsignedLong).sorted().toArray();
            for (int i = 0; i < size; i++) {
                starts[i] = (int) unsigned[i];
            }
            Ipv4Starts index = new Ipv4Starts(starts);
            for (int q = 0; q < 20_000; q++) {
                int address = q % 4 == 0 && size > 0 ? starts[random.nextInt(size)] + random.nextInt(3) - 1
                        : random.nextInt();
                int expected = -1;
                for (int i = 0; i < size && Integer.compareUnsigned(starts[i], address) <= 0; i++) {
                    expected = i;
                }
                assertEquals(expected, index.floor(address),
                        "address " + Integer.toUnsignedString(address) + ", " + size + " starts");
            }
        }
        assertEquals(-1, new Ipv4Starts(new int[] {0x0A00_0001}).floor(0x0A00_0000));
        assertEquals(0, new Ipv4Starts(new int[] {0}).floor(-1));
    }
}
