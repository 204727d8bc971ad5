package org.weir.filter.internal;

import java.util.Set;
import java.util.function.Predicate;

import org.weir.core.Enrichment;
import org.weir.core.Session;

/**
 * A compiled expression.
 *
 * @param test whether a session passes
 * @param reads the parts of the enrichment its fields read
 */
public record Compiled(Predicate<Session> test, Set<Enrichment> reads) {
}
