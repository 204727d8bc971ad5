package org.weir.engine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Zeek's warning about checksum offloading ({@code find-checksum-offloading.zeek}): a capture taken on a host whose
 * network card computes the checksums has wrong ones in every packet that host sent, and those packets are left out
 * of the sessions (as Zeek leaves them out unless run with {@code -C}). Zeek warns when more than 5 % of the packets
 * have a bad IP, TCP or UDP checksum; so does an analysis, naming the protocols and how many frames.
 */
final class ChecksumOffloading {

    /** Zeek's threshold: the share of all packets with bad checksums of one protocol. */
    static final double THRESHOLD = 0.05;

    private static final String[][] KINDS = {{"bad_IP_checksum", "IP"}, {"bad_TCP_checksum", "TCP"},
            {"bad_UDP_checksum", "UDP"}};

    private ChecksumOffloading() {
    }

    /**
     * The warning for an analysis of {@code frames} frames with these decoder anomalies (by reason), or null when
     * checksums were not verified or too few were bad.
     */
    static String warning(Map<String, Long> anomalies, long frames, boolean checksumsIgnored) {
        if (checksumsIgnored || frames == 0) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        boolean above = false;
        for (String[] kind : KINDS) {
            long bad = anomalies.getOrDefault(kind[0], 0L);
            if (bad > 0) {
                names.add(kind[1]);
                counts.add(String.format(Locale.ROOT, "%,d", bad));
                above |= bad > THRESHOLD * frames;
            }
        }
        if (!above) {
            return null;
        }
        return String.format(Locale.ROOT, "invalid %s checksums (%s of %,d frames), most likely from checksum "
                + "offloading on the capturing host; as Zeek does, those packets are left out of the sessions. "
                + "Ignore checksums (-C) to count them.", and(names), and(counts), frames);
    }

    /** "a", "a and b", "a, b and c". */
    private static String and(List<String> items) {
        int last = items.size() - 1;
        return last == 0 ? items.get(0) : String.join(", ", items.subList(0, last)) + " and " + items.get(last);
    }
}
