package org.weir.filter.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.weir.filter.FilterSyntaxException;
import org.weir.filter.internal.Token.Type;

/**
 * Splits a filter expression into tokens. Wireshark's spellings are accepted: {@code &&}/{@code and},
 * {@code ||}/{@code or}, {@code !}/{@code not}, {@code ==}/{@code eq}, {@code !=}/{@code ne}, {@code <}/{@code lt},
 * {@code <=}/{@code le}, {@code >}/{@code gt}, {@code >=}/{@code ge}, {@code ~}/{@code matches}, {@code contains},
 * {@code in}. A word is anything else up to a space or one of {@code ( ) { } , ! = < > ~ " & |}: a field name, a
 * number, an address or network ({@code 10.0.0.0/8}, {@code fe80::1}), a range ({@code 1024..65535}).
 */
final class Lexer {

    private static final String WORD_ENDS = "(){},!=<>~\"&|";
    private static final Map<String, String> WORD_OPERATORS = Map.of("eq", "==", "ne", "!=", "lt", "<", "le", "<=",
            "gt", ">", "ge", ">=", "matches", "matches", "contains", "contains", "in", "in");

    private Lexer() {
    }

    static List<Token> tokens(String expression) throws FilterSyntaxException {
        List<Token> out = new ArrayList<>();
        String s = expression;
        int i = 0;
        while (true) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i == s.length()) {
                out.add(new Token(Type.END, "", i, i));
                return out;
            }
            char c = s.charAt(i);
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            int start = i;
            switch (c) {
                case '(' -> out.add(new Token(Type.OPEN_PAREN, "(", start, ++i));
                case ')' -> out.add(new Token(Type.CLOSE_PAREN, ")", start, ++i));
                case '{' -> out.add(new Token(Type.OPEN_BRACE, "{", start, ++i));
                case '}' -> out.add(new Token(Type.CLOSE_BRACE, "}", start, ++i));
                case ',' -> out.add(new Token(Type.COMMA, ",", start, ++i));
                case '~' -> out.add(new Token(Type.OPERATOR, "matches", start, ++i));
                case '&', '|' -> {
                    if (next != c) {
                        throw new FilterSyntaxException("'" + c + "' alone is not an operator: use '" + c + c + "'",
                                start, start + 1);
                    }
                    i += 2;
                    out.add(new Token(c == '&' ? Type.AND : Type.OR, c == '&' ? "&&" : "||", start, i));
                }
                case '!' -> {
                    if (next == '=') {
                        i += 2;
                        out.add(new Token(Type.OPERATOR, "!=", start, i));
                    } else {
                        out.add(new Token(Type.NOT, "!", start, ++i));
                    }
                }
                case '=' -> {
                    i += next == '=' ? 2 : 1;
                    out.add(new Token(Type.OPERATOR, "==", start, i));
                }
                case '<', '>' -> {
                    i += next == '=' ? 2 : 1;
                    out.add(new Token(Type.OPERATOR, s.substring(start, i), start, i));
                }
                case '"' -> i = string(s, start, out);
                default -> {
                    while (i < s.length() && !Character.isWhitespace(s.charAt(i))
                            && WORD_ENDS.indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                    out.add(word(s.substring(start, i), start, i));
                }
            }
        }
    }

    private static Token word(String text, int start, int end) {
        String lower = text.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "and" -> new Token(Type.AND, "&&", start, end);
            case "or" -> new Token(Type.OR, "||", start, end);
            case "not" -> new Token(Type.NOT, "!", start, end);
            default -> WORD_OPERATORS.containsKey(lower)
                    ? new Token(Type.OPERATOR, WORD_OPERATORS.get(lower), start, end)
                    : new Token(Type.WORD, text, start, end);
        };
    }

    /**
     * A double-quoted string with backslash escapes ({@code \"}, {@code \\}, {@code \t}, {@code \n}, {@code \r}); any
     * other backslash stays, so that a regular expression's {@code \d} or {@code \.} reads as written.
     */
    private static int string(String s, int start, List<Token> out) throws FilterSyntaxException {
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                out.add(new Token(Type.STRING, value.toString(), start, i));
                return i;
            }
            if (c == '\\' && i < s.length()) {
                char e = s.charAt(i++);
                value.append(switch (e) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case '"', '\\' -> e;
                    default -> {
                        value.append('\\');
                        yield e;
                    }
                });
            } else {
                value.append(c);
            }
        }
        throw new FilterSyntaxException("the string has no closing quote", start, s.length());
    }
}
