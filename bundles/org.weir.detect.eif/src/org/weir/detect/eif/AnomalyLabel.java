package org.weir.detect.eif;

import java.util.Locale;

/** What the anomaly model makes of a session, by where its score falls against the thresholds. */
public enum AnomalyLabel {
    NORMAL, SUSPICIOUS, ABNORMAL;

    /** {@code normal}, {@code suspicious} or {@code abnormal}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The session criticality tag, EDAMAME style: {@code anomaly:suspicious}. */
    public String tag() {
        return "anomaly:" + label();
    }
}
