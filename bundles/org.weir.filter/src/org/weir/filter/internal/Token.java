package org.weir.filter.internal;

/**
 * One token of a filter expression.
 *
 * @param type what it is
 * @param text the operator in its canonical spelling ({@code ==}, {@code contains}, ...), a string's value without
 *     quotes and escapes, a word as written
 * @param start index of its first character in the expression
 * @param end index after its last character
 */
record Token(Type type, String text, int start, int end) {

    enum Type {
        OPEN_PAREN, CLOSE_PAREN, OPEN_BRACE, CLOSE_BRACE, COMMA, AND, OR, NOT, OPERATOR, STRING, WORD, END
    }

    boolean is(Type t) {
        return type == t;
    }

    /** How an error message names it. */
    String shown() {
        return switch (type) {
            case END -> "the end of the filter";
            case STRING -> "\"" + text + "\"";
            default -> "'" + text + "'";
        };
    }
}
