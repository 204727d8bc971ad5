package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The idle order behaves as an insertion-ordered map from session to relink time, filled to its capacity with slots
 * reused: head, tail and stamps after random appends, moves and removals.
 */
class IdleOrderTest {

    @Test
    void keepsTheOrderOfAnInsertionOrderedMap() {
        Random random = new Random(1);
        int capacity = 50;
        IdleOrder order = new IdleOrder(capacity);
        LinkedHashMap<Conn, Long> reference = new LinkedHashMap<>();
        List<Conn> members = new ArrayList<>();
        for (long time = 1; time < 20_000; time++) {
            int op = random.nextInt(3);
            if (members.size() < capacity && (op == 0 || members.isEmpty())) {
                Conn c = new Conn(null);
                order.append(c, time);
                reference.put(c, time);
                members.add(c);
            } else if (op == 1) {
                Conn c = members.get(random.nextInt(members.size()));
                order.moveToTail(c, time);
                reference.remove(c);
                reference.put(c, time);
            } else {
                Conn c = members.remove(random.nextInt(members.size()));
                order.remove(c);
                reference.remove(c);
            }
            if (!members.isEmpty()) {
                Conn head = reference.keySet().iterator().next();
                assertSame(head, order.head(), "at " + time);
                assertEquals(reference.get(head), order.headStamp());
                Conn tail = reference.sequencedKeySet().getLast();
                assertTrue(order.isTail(tail));
                for (Conn c : members) {
                    assertEquals(reference.get(c), order.stamp(c));
                }
            }
        }
    }
}
