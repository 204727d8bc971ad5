package org.weir.detect;

import java.util.List;
import java.util.Map;

/**
 * A finding of a detector.
 *
 * @param detector id of the detector that raised it
 * @param type what was found, e.g. {@code vertical_port_scan}
 * @param severity how urgent
 * @param timeNanos capture time of the finding
 * @param source the acting address (text), or empty
 * @param target the address or service acted on (text), or empty
 * @param summary one human sentence
 * @param evidence the numbers that triggered it, in a stable order (values are Numbers or Strings)
 * @param sessionUids the sessions involved (may be a bounded sample)
 */
public record Alert(String detector, String type, Severity severity, long timeNanos, String source, String target,
        String summary, Map<String, Object> evidence, List<String> sessionUids) {
}
