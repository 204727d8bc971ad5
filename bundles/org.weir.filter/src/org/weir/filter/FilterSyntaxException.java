package org.weir.filter;

/**
 * A filter expression that cannot be compiled: what is wrong ({@link #reason()}) and where ({@link #start()},
 * {@link #end()}: the characters of the expression at fault, so that an editor can mark them).
 */
public final class FilterSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int start;
    private final int end;

    public FilterSyntaxException(String reason, int start, int end) {
        super(reason + " (at character " + (start + 1) + ")");
        this.reason = reason;
        this.start = start;
        this.end = Math.max(start, end);
    }

    /** What is wrong, in a sentence without the position. */
    public String reason() {
        return reason;
    }

    /** Index of the first character at fault (the expression's length when something is missing at its end). */
    public int start() {
        return start;
    }

    /** Index after the last character at fault; {@link #start()} when something is missing there. */
    public int end() {
        return end;
    }
}
