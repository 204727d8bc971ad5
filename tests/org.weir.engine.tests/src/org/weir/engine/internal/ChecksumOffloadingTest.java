package org.weir.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Zeek's checksum-offloading warning: more than 5 % of the frames with bad checksums of one protocol. */
class ChecksumOffloadingTest {

    @Test
    void warnsAboveZeeksShareNamingTheProtocolsWithBadChecksums() {
        assertEquals("invalid TCP checksums (152 of 377 frames), most likely from checksum offloading on the "
                + "capturing host; as Zeek does, those packets are left out of the sessions. Ignore checksums (-C) "
                + "to count them.", ChecksumOffloading.warning(Map.of("bad_TCP_checksum", 152L), 377, false));
        assertTrue(ChecksumOffloading.warning(
                Map.of("bad_IP_checksum", 266L, "bad_TCP_checksum", 10L, "ip_hdr_len_zero", 1L), 525, false)
                .startsWith("invalid IP and TCP checksums (266 and 10 of 525 frames), "));
        assertTrue(ChecksumOffloading.warning(Map.of("bad_UDP_checksum", 9_070L, "bad_TCP_checksum", 1L,
                "bad_IP_checksum", 2L), 9_070, false)
                .startsWith("invalid IP, TCP and UDP checksums (2, 1 and 9,070 of 9,070 frames), "));
    }

    @Test
    void staysQuietAtOrBelowTheShareWhenCheckingIsOffOrNothingWasRead() {
        assertNull(ChecksumOffloading.warning(Map.of("bad_TCP_checksum", 5L), 100, false), "5 % is not above");
        assertNull(ChecksumOffloading.warning(Map.of("bad_TCP_checksum", 3L, "bad_UDP_checksum", 3L), 100, false),
                "each protocol's share counts on its own, as in Zeek's script");
        assertNull(ChecksumOffloading.warning(Map.of("bad_ICMP_checksum", 50L), 100, false), "Zeek counts no ICMP");
        assertNull(ChecksumOffloading.warning(Map.of("bad_TCP_checksum", 90L), 100, true), "checksums ignored");
        assertNull(ChecksumOffloading.warning(Map.of(), 0, false));
    }
}
