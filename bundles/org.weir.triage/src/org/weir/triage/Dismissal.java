package org.weir.triage;

import java.util.Locale;

/**
 * One dismissal rule: what it matches and why it was made.
 *
 * @param id stable identifier (used by undismiss and in the {@code dismissed:} tag)
 * @param kind what {@code value} names
 * @param value a session uid, a port ({@code 443} or {@code 443/tcp}) or a process name (case-insensitive)
 * @param reason why, as the analyst wrote it (may be empty)
 * @param createdMillis when, epoch milliseconds
 */
public record Dismissal(String id, Kind kind, String value, String reason, long createdMillis) {

    /** What a dismissal matches. */
    public enum Kind {
        /** One session, by uid; alerts whose sessions are all dismissed are dismissed too. */
        SESSION,
        /** A responder port, optionally with a transport ({@code 53/udp}); alerts naming that port. */
        PORT,
        /** A local process name (as process attribution reports it). */
        PROCESS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Dismissal {
        if (id == null || id.isBlank() || kind == null || value == null || value.isBlank()) {
            throw new IllegalArgumentException("a dismissal needs an id, a kind and a value");
        }
        reason = reason == null ? "" : reason;
        if (kind == Kind.PORT) {
            value = PortSpec.parse(value).toString(); // normalised, and validated
        }
    }

    /** Tag put on dismissed sessions. */
    public String tag() {
        return "dismissed:" + id;
    }
}
