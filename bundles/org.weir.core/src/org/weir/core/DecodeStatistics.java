package org.weir.core;

import java.util.Map;

/** What a decoder saw that did not become a transport layer ("weirds" in Zeek's terms), counted by reason. */
public interface DecodeStatistics {

    long framesDecoded();

    /** Reason → count, e.g. {@code truncated_IP} or {@code unknown_link_type}. A copy. */
    Map<String, Long> anomalies();
}
