package org.weir.filter;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.weir.core.Enrichment;
import org.weir.core.LocalNetworks;
import org.weir.core.Session;
import org.weir.filter.internal.Compiled;
import org.weir.filter.internal.Compiler;

/**
 * A compiled display filter: which sessions to show. The language is Wireshark's display filter language over
 * conn.log's fields instead of packets' ({@link #fields()}):
 *
 * <pre>
 * id.resp_p == 443 &amp;&amp; !service              port 443 without a confirmed protocol
 * addr == 10.0.0.0/8 and conn_state in {S0 REJ}   attempts from or to 10/8 that got no answer or a reset
 * history matches "^S[^h]" or orig_bytes &gt; 1000000
 * ts &gt;= "2011-03-18 19:06" and duration &gt; 5min
 * </pre>
 *
 * Operators {@code == != < <= > >= contains matches in} (and {@code eq ne lt le gt ge ~}), connectives
 * {@code && || !} (and {@code and or not}), parentheses. A value is a word or a double-quoted string; {@code in}
 * takes a set in braces, with ranges of numbers, times or addresses ({@code {1..1023 8080}}). Addresses compare
 * with an address or a network. Text compares regardless of case, except {@code uid}, {@code history},
 * {@code tunnel_parents} and {@code community_id}. A relation with a field that is unset (Zeek's {@code -}) is
 * false, so {@code service != "dns"} holds only for sessions that have a service, and {@code !(service == "dns")}
 * for the others too, as in Wireshark. Immutable and safe to use from any thread.
 */
public final class SessionFilter implements Predicate<Session> {

    /** The empty filter: every session. */
    public static final SessionFilter ALL = new SessionFilter("", s -> true, Set.of());

    private final String expression;
    private final Predicate<Session> test;
    private final Set<Enrichment> reads;

    private SessionFilter(String expression, Predicate<Session> test, Set<Enrichment> reads) {
        this.expression = expression;
        this.test = test;
        this.reads = reads;
    }

    /**
     * Compiles an expression whose {@code local_orig} and {@code local_resp} count the private address space as
     * local, as {@code weir analyze} and the Sessions view do. A blank expression is {@link #ALL}.
     *
     * @throws FilterSyntaxException what is wrong, and where
     */
    public static SessionFilter compile(String expression) throws FilterSyntaxException {
        return build(expression, null);
    }

    /**
     * Compiles an expression; {@code local} decides {@code local_orig} and {@code local_resp}. A blank expression is
     * {@link #ALL}.
     *
     * @throws FilterSyntaxException what is wrong, and where
     */
    public static SessionFilter compile(String expression, LocalNetworks local) throws FilterSyntaxException {
        return build(expression, Objects.requireNonNull(local, "local"));
    }

    private static SessionFilter build(String expression, LocalNetworks local) throws FilterSyntaxException {
        Objects.requireNonNull(expression, "expression");
        if (expression.isBlank()) {
            return ALL;
        }
        Compiled compiled = Compiler.compile(expression, local);
        return new SessionFilter(expression.strip(), compiled.test(), compiled.reads());
    }

    /** The fields expressions can name, conn.log's order first, then the shortcuts for either end. */
    public static List<FilterField> fields() {
        return Compiler.fields();
    }

    @Override
    public boolean test(Session session) {
        return test.test(session);
    }

    /**
     * The parts of the enrichment its fields read ({@code country} reads locations): an analysis whose sessions it
     * filters must compute them, or those fields have no value.
     */
    public Set<Enrichment> reads() {
        return reads;
    }

    /** The expression as compiled (without surrounding space); empty for {@link #ALL}. */
    public String expression() {
        return expression;
    }

    /** Whether this is the empty filter, which every session passes. */
    public boolean isAll() {
        return this == ALL;
    }

    @Override
    public String toString() {
        return expression.isEmpty() ? "(every session)" : expression;
    }
}
