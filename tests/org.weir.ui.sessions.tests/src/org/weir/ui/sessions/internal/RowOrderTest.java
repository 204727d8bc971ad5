package org.weir.ui.sessions.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.filter.SessionFilter;
import org.weir.testsupport.TestSession;

/** The view's rows as indexes into the snapshot: filtered, then sorted stably by a column. */
class RowOrderTest {

    /** Sessions with few distinct ports and byte counts, so that sorts meet many equal keys. */
    private static Session[] snapshot(int n, long seed) {
        Random random = new Random(seed);
        Session[] all = new Session[n];
        for (int i = 0; i < n; i++) {
            all[i] = new TestSession("10.0.0." + (1 + random.nextInt(200)), 1024 + random.nextInt(40), "192.0.2.1",
                    random.nextBoolean() ? 53 : 443, Transport.UDP).uid("C" + i)
                    .at(1_300_000_000_000_000_000L + i * 1_000L, 1_000).bytes(random.nextInt(5), 0);
        }
        return all;
    }

    @Test
    void sortsTheIndexesAsASortOfTheSessionsWouldStableForEveryColumnAndDirection() {
        Session[] all = snapshot(5_000, 7);
        for (SessionColumn column : new SessionColumn[] {SessionColumn.ORIG_P, SessionColumn.ORIG_BYTES,
                SessionColumn.ORIG_H, SessionColumn.UID, SessionColumn.RESP_P}) {
            for (Comparator<Session> order : Arrays.asList(column.comparator, column.comparator.reversed())) {
                Session[] expected = all.clone();
                Arrays.sort(expected, order); // stable (TimSort)
                int[] indexes = RowOrder.identity(all.length);
                RowOrder.sort(indexes, all, order);
                assertArrayEquals(expected, RowOrder.sessions(all, indexes), column.title);
            }
        }
    }

    @Test
    void sortingSortedIndexesAgainChangesNothing() {
        Session[] all = snapshot(1_000, 8);
        int[] indexes = RowOrder.identity(all.length);
        RowOrder.sort(indexes, all, SessionColumn.ORIG_P.comparator);
        int[] again = indexes.clone();
        RowOrder.sort(again, all, SessionColumn.ORIG_P.comparator);
        assertArrayEquals(indexes, again);
    }

    @Test
    void filteredKeepsTheIndexesOfThePassingSessionsInSnapshotOrder() throws Exception {
        Session[] all = snapshot(2_000, 9);
        int[] https = RowOrder.filtered(all, SessionFilter.compile("id.resp_p == 443"), () -> false);
        int[] expected = java.util.stream.IntStream.range(0, all.length).filter(i -> all[i].respPort() == 443)
                .toArray();
        assertArrayEquals(expected, https);
        assertNull(RowOrder.filtered(all, SessionFilter.compile("udp"), () -> true), "a newer refresh stops it");
        assertEquals(0, RowOrder.filtered(all, SessionFilter.compile("tcp"), () -> false).length);
    }
}
