package org.weir.filter.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.weir.core.Enrichment;
import org.weir.core.IpAddress;
import org.weir.core.Session;
import org.weir.core.Spelling;
import org.weir.core.Subnet;
import org.weir.filter.FilterSyntaxException;
import org.weir.filter.internal.Field.Kind;
import org.weir.filter.internal.Token.Type;

/**
 * Recursive descent over the tokens of one expression:
 *
 * <pre>
 * filter   = or END
 * or       = and { ("||" | "or") and }
 * and      = unary { ("&&" | "and") unary }
 * unary    = ("!" | "not") unary | primary
 * primary  = "(" or ")" | field [ operator value | "in" "{" value { [","] value } "}" ]
 * value    = word | string       (in a set, a word low..high is a range of numbers, times or addresses)
 * </pre>
 *
 * A field alone tests that it is set ({@code service}), or true for T/F fields ({@code local_orig}); {@code tcp},
 * {@code udp} and {@code icmp} alone test {@code proto}. As in Wireshark, a relation with a field that has no value is
 * false whatever the operator, {@code a != x} is true when {@code a} is set and none of its values equals {@code x},
 * and {@code !(a == x)} is true when it is not set as well.
 */
final class Parser {

    private static final Pattern SECONDS = Pattern.compile(
            "(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(ns|us|ms|s|sec|secs|min|mins|h|hr|hrs|d|day|days)?",
            Pattern.CASE_INSENSITIVE);
    private static final Map<String, Long> UNIT_NANOS = Map.ofEntries(Map.entry("ns", 1L), Map.entry("us", 1_000L),
            Map.entry("ms", 1_000_000L), Map.entry("s", 1_000_000_000L), Map.entry("sec", 1_000_000_000L),
            Map.entry("secs", 1_000_000_000L), Map.entry("min", 60_000_000_000L), Map.entry("mins", 60_000_000_000L),
            Map.entry("h", 3_600_000_000_000L), Map.entry("hr", 3_600_000_000_000L),
            Map.entry("hrs", 3_600_000_000_000L), Map.entry("d", 86_400_000_000_000L),
            Map.entry("day", 86_400_000_000_000L), Map.entry("days", 86_400_000_000_000L));
    /** Wireshark's names for what a session has as {@code addr} and {@code port}. */
    private static final Map<String, String> WIRESHARK_NAMES = Map.of("ip.addr", "addr", "ipv6.addr", "addr",
            "ip.src", "id.orig_h", "ip.dst", "id.resp_h", "host", "addr", "tcp.port", "port", "udp.port", "port",
            "ip.proto", "ip_proto", "frame.time", "ts");

    private final Fields fields;
    private final List<Token> tokens;
    /** The enrichment parts of the fields named so far. */
    private final Set<Enrichment> reads = EnumSet.noneOf(Enrichment.class);
    private int next;

    private Parser(Fields fields, List<Token> tokens) {
        this.fields = fields;
        this.tokens = tokens;
    }

    static Compiled parse(Fields fields, String expression) throws FilterSyntaxException {
        Parser p = new Parser(fields, Lexer.tokens(expression));
        Predicate<Session> filter = p.or();
        Token end = p.peek();
        if (!end.is(Type.END)) {
            throw error(end.is(Type.CLOSE_PAREN) ? "')' without a '(' before it"
                    : "expected '&&', '||' or the end of the filter, found " + end.shown(), end);
        }
        return new Compiled(filter, Set.copyOf(p.reads));
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (!t.is(Type.END)) {
            next++;
        }
        return t;
    }

    private Predicate<Session> or() throws FilterSyntaxException {
        Predicate<Session> left = and();
        while (peek().is(Type.OR)) {
            take();
            Predicate<Session> a = left, b = and();
            left = s -> a.test(s) || b.test(s);
        }
        return left;
    }

    private Predicate<Session> and() throws FilterSyntaxException {
        Predicate<Session> left = unary();
        while (peek().is(Type.AND)) {
            take();
            Predicate<Session> a = left, b = unary();
            left = s -> a.test(s) && b.test(s);
        }
        return left;
    }

    private Predicate<Session> unary() throws FilterSyntaxException {
        if (peek().is(Type.NOT)) {
            take();
            Predicate<Session> operand = unary();
            return s -> !operand.test(s);
        }
        return primary();
    }

    private Predicate<Session> primary() throws FilterSyntaxException {
        Token t = take();
        if (t.is(Type.OPEN_PAREN)) {
            Predicate<Session> inner = or();
            Token close = take();
            if (!close.is(Type.CLOSE_PAREN)) {
                throw error("expected ')' to close the '(' at character " + (t.start() + 1) + ", found "
                        + close.shown(), close);
            }
            return inner;
        }
        if (!t.is(Type.WORD)) {
            throw error("expected a field name, found " + t.shown(), t);
        }
        Field field = fields.get(t.text());
        if (field == null) {
            String transport = t.text().toLowerCase(Locale.ROOT);
            if (!peek().is(Type.OPERATOR) && (transport.equals("tcp") || transport.equals("udp")
                    || transport.equals("icmp"))) {
                Field proto = fields.get("proto");
                Comparison is = Comparison.textIn(new String[] {transport}, true);
                return s -> proto.any(s, is);
            }
            throw error(unknownField(t.text()), t);
        }
        if (field.enrichment != null) {
            reads.add(field.enrichment);
        }
        if (!peek().is(Type.OPERATOR)) {
            if (field.kind == Kind.BOOL) {
                Comparison isTrue = Comparison.boolEquals(true);
                return s -> field.any(s, isTrue);
            }
            return field::isSet;
        }
        Token operator = take();
        Comparison c = operator.text().equals("in") ? set(field, operator) : value(field, operator);
        if (operator.text().equals("!=")) {
            return s -> field.isSet(s) && !field.any(s, c);
        }
        return s -> field.any(s, c);
    }

    /** The value after a binary operator, as a comparison for the field's kind. */
    private Comparison value(Field field, Token operator) throws FilterSyntaxException {
        String op = operator.text();
        Kind kind = field.kind;
        boolean ordering = op.equals("<") || op.equals("<=") || op.equals(">") || op.equals(">=");
        boolean textual = op.equals("contains") || op.equals("matches");
        if (ordering && !kind.isNumeric() || textual && !kind.isText()) {
            throw error("'" + op + "' does not apply to " + field.name + " (" + kind.label + "): use "
                    + operators(kind), operator);
        }
        Token v = take();
        if (!v.is(Type.WORD) && !v.is(Type.STRING)) {
            throw error("expected a value after '" + op + "', found " + v.shown(), v);
        }
        return switch (kind) {
            case NUMBER, SECONDS, TIME -> Comparison.relation(op, number(field, v.text(), v));
            case ADDRESS -> Comparison.addressIn(new Subnet[] {network(v.text(), v)});
            case BOOL -> Comparison.boolEquals(bool(v));
            case TEXT, TEXT_SET -> switch (op) {
                case "contains" -> Comparison.textContains(v.text(), field.ignoreCase);
                case "matches" -> Comparison.textMatches(regex(field, v));
                default -> Comparison.textIn(new String[] {v.text()}, field.ignoreCase);
            };
        };
    }

    /** {@code in {a b c}}: values (and for numbers, ranges {@code low..high}) separated by spaces or commas. */
    private Comparison set(Field field, Token operator) throws FilterSyntaxException {
        if (field.kind == Kind.BOOL) {
            throw error("'in' does not apply to " + field.name + " (" + field.kind.label + "): use "
                    + operators(field.kind), operator);
        }
        Token open = take();
        if (!open.is(Type.OPEN_BRACE)) {
            throw error("expected '{' after 'in', found " + open.shown(), open);
        }
        List<Token> values = new ArrayList<>();
        while (true) {
            Token t = take();
            if (t.is(Type.CLOSE_BRACE)) {
                break;
            }
            if (t.is(Type.COMMA) && !values.isEmpty()) {
                continue;
            }
            if (!t.is(Type.WORD) && !t.is(Type.STRING)) {
                throw error(t.is(Type.END) ? "the set has no closing '}'" : "expected a value or '}', found "
                        + t.shown(), t);
            }
            values.add(t);
        }
        if (values.isEmpty()) {
            throw error("an empty set matches nothing", open);
        }
        int n = values.size();
        switch (field.kind) {
            case NUMBER, SECONDS, TIME -> {
                long[] low = new long[n], high = new long[n];
                for (int i = 0; i < n; i++) {
                    Token t = values.get(i);
                    int dots = t.is(Type.WORD) ? t.text().indexOf("..") : -1;
                    low[i] = number(field, dots < 0 ? t.text() : t.text().substring(0, dots), t);
                    high[i] = dots < 0 ? low[i] : number(field, t.text().substring(dots + 2), t);
                    if (high[i] < low[i]) {
                        throw error("the range " + t.text() + " is empty (its end is below its start)", t);
                    }
                }
                return Comparison.numberIn(low, high);
            }
            case ADDRESS -> {
                List<Subnet> networks = new ArrayList<>();
                List<long[]> ranges = new ArrayList<>();
                for (Token t : values) {
                    int dots = t.is(Type.WORD) ? t.text().indexOf("..") : -1;
                    if (dots < 0) {
                        networks.add(network(t.text(), t));
                        continue;
                    }
                    long[] low = address(t.text().substring(0, dots), t);
                    long[] high = address(t.text().substring(dots + 2), t);
                    if (IpAddress.isV4(low[0], low[1]) != IpAddress.isV4(high[0], high[1])) {
                        throw error("the range " + t.text() + " mixes IPv4 and IPv6", t);
                    }
                    if (Comparison.compare(high[0], high[1], low[0], low[1]) < 0) {
                        throw error("the range " + t.text() + " is empty (its end is below its start)", t);
                    }
                    ranges.add(new long[] {low[0], low[1], high[0], high[1]});
                }
                return Comparison.addressIn(networks.toArray(Subnet[]::new), ranges.toArray(long[][]::new));
            }
            default -> {
                String[] texts = values.stream().map(Token::text).toArray(String[]::new);
                return Comparison.textIn(texts, field.ignoreCase);
            }
        }
    }

    /** A number in the field's unit: a count, or microseconds for times and intervals (as Zeek prints them). */
    private static long number(Field field, String text, Token at) throws FilterSyntaxException {
        return switch (field.kind) {
            case SECONDS -> micros(text, at, field);
            case TIME -> time(text, at);
            default -> {
                try {
                    yield text.regionMatches(true, 0, "0x", 0, 2) ? Long.parseLong(text.substring(2), 16)
                            : Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw error("'" + text + "' is not a whole number, which " + field.name + " needs", at);
                }
            }
        };
    }

    /** Seconds with an optional unit ({@code 1.5}, {@code 300ms}, {@code 2min}), in microseconds. */
    private static long micros(String text, Token at, Field field) throws FilterSyntaxException {
        Matcher m = SECONDS.matcher(text.trim());
        if (!m.matches()) {
            throw error("'" + text + "' is not an interval for " + field.name
                    + ": seconds (1.5) or a number with a unit (ns us ms s min h d)", at);
        }
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(UNIT_NANOS.get(unit)));
        try {
            return nanos.divide(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw error("'" + text + "' is too long an interval", at);
        }
    }

    /**
     * A time in microseconds since 1970: seconds as Zeek writes {@code ts} ({@code 1300475167.096535}), or an ISO
     * date ({@code 2011-03-18}), date and time ({@code 2011-03-18T19:06:07.5}; a space may stand for the T) in UTC,
     * or with a zone ({@code Z}, {@code +01:00}).
     */
    private static long time(String text, Token at) throws FilterSyntaxException {
        String t = text.trim();
        if (!t.isEmpty() && (Character.isDigit(t.charAt(0)) || t.charAt(0) == '.') && t.indexOf('-') < 0) {
            try {
                return new BigDecimal(t).movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw error("'" + text + "' is not a time: seconds since 1970 or an ISO date and time", at);
            }
        }
        String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
        try {
            java.time.Instant instant;
            if (iso.length() <= 10) {
                instant = LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant();
            } else if (iso.endsWith("Z") || iso.matches(".*T.*[+-]\\d\\d:?\\d\\d$")) {
                instant = OffsetDateTime.parse(iso).toInstant();
            } else {
                instant = LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            }
            return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
        } catch (DateTimeParseException e) {
            throw error("'" + text + "' is not a time: seconds since 1970 (1300475167.5) or an ISO date and time"
                    + " (2011-03-18T19:06:07Z; UTC when no zone is given)", at);
        }
    }

    /** One address (no prefix), as the high and low 64 bits. */
    private static long[] address(String text, Token at) throws FilterSyntaxException {
        long[] a = new long[2];
        try {
            IpAddress.parse(text, a);
            return a;
        } catch (IllegalArgumentException e) {
            throw error("'" + text + "' is not an IP address", at);
        }
    }

    private static Subnet network(String text, Token at) throws FilterSyntaxException {
        try {
            return Subnet.parse(text);
        } catch (IllegalArgumentException e) {
            throw error("'" + text + "' is not an IP address or network (10.0.0.1, 10.0.0.0/8, fe80::/10)", at);
        }
    }

    private static boolean bool(Token v) throws FilterSyntaxException {
        return switch (v.text().toLowerCase(Locale.ROOT)) {
            case "t", "true", "1", "yes" -> true;
            case "f", "false", "0", "no" -> false;
            default -> throw error("'" + v.text() + "' is not T or F", v);
        };
    }

    private static Pattern regex(Field field, Token v) throws FilterSyntaxException {
        try {
            return Pattern.compile(v.text(), field.ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        } catch (PatternSyntaxException e) {
            throw error("not a regular expression: " + e.getDescription() + " near character " + (e.getIndex() + 1)
                    + " of \"" + v.text() + "\"", v);
        }
    }

    private static String operators(Kind kind) {
        return switch (kind) {
            case NUMBER, SECONDS, TIME -> "==, !=, <, <=, >, >= or in";
            case ADDRESS -> "== or != (an address or a network) or in";
            case TEXT, TEXT_SET -> "==, !=, contains, matches or in";
            case BOOL -> "== or !=, or the field alone";
        };
    }

    private String unknownField(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (WIRESHARK_NAMES.containsKey(lower)) {
            return "unknown field '" + name + "': sessions have " + WIRESHARK_NAMES.get(lower)
                    + " (conn.log's fields, not packets')";
        }
        String suggestion = Spelling.suggestion(name, fields.all().stream().map(f -> f.name).toList());
        if (!suggestion.isEmpty()) {
            return "unknown field '" + name + "'" + suggestion;
        }
        return "unknown field '" + name + "' (fields are conn.log's: ts, uid, id.orig_h, id.resp_p, proto, service,"
                + " conn_state, history, orig_bytes, ...; addr and port ask either end)";
    }

    private static FilterSyntaxException error(String reason, Token at) {
        return new FilterSyntaxException(reason, at.start(), at.end());
    }
}
