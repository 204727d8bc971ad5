package org.weir.triage;

/** Where an alert or session stands in triage. */
public enum Status {
    /** Needs a look. */
    OPEN,
    /** Seen by an analyst, kept visible. */
    ACKNOWLEDGED,
    /** Matches an active dismissal: hidden by default, never deleted. */
    DISMISSED
}
