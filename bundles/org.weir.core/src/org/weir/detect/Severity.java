package org.weir.detect;

/** How urgent an alert is. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
