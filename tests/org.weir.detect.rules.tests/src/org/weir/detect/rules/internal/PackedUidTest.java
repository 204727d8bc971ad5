package org.weir.detect.rules.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Packed uids unpack to the same string; what cannot be packed says so. */
class PackedUidTest {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @Test
    void randomBase62UidsSurviveARoundTrip() {
        Random r = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(PackedUid.MAX_LENGTH);
            for (int k = 0; k < n; k++) {
                sb.append(BASE62.charAt(r.nextInt(62)));
            }
            String uid = sb.toString();
            long high = PackedUid.high(uid);
            assertNotEquals(PackedUid.UNPACKED, high, uid);
            assertEquals(uid, PackedUid.unpack(high, PackedUid.low(uid)));
        }
        assertEquals("CzzzzzzzzzzzzzzzzzzZ", PackedUid.unpack(PackedUid.high("CzzzzzzzzzzzzzzzzzzZ"),
                PackedUid.low("CzzzzzzzzzzzzzzzzzzZ")));
    }

    @Test
    void whatDoesNotPackIsRefused() {
        for (String uid : new String[] {null, "", "C-1", "Cä", "C" + "1".repeat(PackedUid.MAX_LENGTH)}) {
            assertEquals(PackedUid.UNPACKED, PackedUid.high(uid), uid);
        }
    }
}
