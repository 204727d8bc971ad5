package org.weir.filter.internal;

import org.weir.core.Enrichment;
import org.weir.core.Session;

/**
 * A field of the filter language: a name, the kind of its values and how to read them from a session.
 */
final class Field {

    /** What a field's values are; it decides which operators apply and how a value is read. */
    enum Kind {
        /** Whole numbers: ports, counts, byte counts. */
        NUMBER("number"),
        /** An interval in seconds ({@code 1.5}) or with a unit ({@code 300ms}, {@code 2min}); nanoseconds inside. */
        SECONDS("seconds"),
        /** A point in time: seconds since 1970 as Zeek writes {@code ts}, or an ISO date and time (UTC by default). */
        TIME("time"),
        /** An IP address, compared with an address or a network in CIDR notation. */
        ADDRESS("address"),
        /** Text. */
        TEXT("text"),
        /** Several texts (Zeek's sets, such as {@code service}); a relation holds when one element satisfies it. */
        TEXT_SET("set of text"),
        /** Zeek's {@code bool}: T or F. */
        BOOL("T/F");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        boolean isNumeric() {
            return this == NUMBER || this == SECONDS || this == TIME;
        }

        boolean isText() {
            return this == TEXT || this == TEXT_SET;
        }
    }

    /** Hands each value of a session to the comparison, until one passes; false when none does or none is set. */
    @FunctionalInterface
    interface Values {
        boolean any(Session s, Comparison c);
    }

    final String name;
    final Kind kind;
    /** Whether text values compare regardless of case (names and codes); history and uids do not. */
    final boolean ignoreCase;
    final String description;
    /** The part of the enrichment its values come from, or null for the session's own values. */
    final Enrichment enrichment;
    private final Values values;

    Field(String name, Kind kind, boolean ignoreCase, String description, Enrichment enrichment, Values values) {
        this.name = name;
        this.kind = kind;
        this.ignoreCase = ignoreCase;
        this.description = description;
        this.enrichment = enrichment;
        this.values = values;
    }

    boolean any(Session s, Comparison c) {
        return values.any(s, c);
    }

    /** Whether the session has a value for it (conn.log would not write Zeek's unset {@code -}). */
    boolean isSet(Session s) {
        return values.any(s, Comparison.ANY);
    }
}
