package org.weir.triage;

import org.weir.detect.Alert;

/**
 * An alert with its triage status.
 *
 * @param alert the alert, unchanged
 * @param status its status now
 * @param dismissal the dismissal that matched, or null
 */
public record TriagedAlert(Alert alert, Status status, Dismissal dismissal) {
}
