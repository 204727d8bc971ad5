package org.weir.intel;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A feed, database or policy file that cannot be used: unreadable, malformed, or failing its signature check.
 * The message always names the file and, where the format has them, the line and column (1-based; 0 when not
 * applicable).
 */
public class FeedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final int column;
    private final String detail;

    public FeedException(Path file, int line, int column, String detail, Throwable cause) {
        super(format(file, line, column, detail), cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public FeedException(Path file, int line, int column, String detail) {
        this(file, line, column, detail, null);
    }

    public FeedException(Path file, String detail, Throwable cause) {
        this(file, 0, 0, detail, cause);
    }

    public FeedException(Path file, String detail) {
        this(file, 0, 0, detail, null);
    }

    /**
     * The problem reading {@code file} as a feed: a {@code FeedException} as it is, malformed JSON with the parser's
     * line and column, any other I/O error as unreadable.
     */
    public static FeedException reading(Path file, IOException e) {
        if (e instanceof FeedException f) {
            return f;
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
            com.fasterxml.jackson.core.JsonLocation l = j.getLocation();
            return new FeedException(file, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(),
                    "malformed JSON: " + j.getOriginalMessage(), e);
        }
        return new FeedException(file, "cannot read: " + e.getMessage(), e);
    }

    private static String format(Path file, int line, int column, String detail) {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.append(": ").append(detail).toString();
    }

    /** The file at fault (may be null for in-memory input). */
    public Path file() {
        return file;
    }

    /** 1-based line, 0 when unknown or not line-oriented. */
    public int line() {
        return line;
    }

    /** 1-based column, 0 when unknown. */
    public int column() {
        return column;
    }

    /** The message without the file position. */
    public String detail() {
        return detail;
    }
}
