package org.weir.detect.eif;

import java.io.IOException;

/** A labelled CSV file cannot be used; the message names the file, the line and, where there is one, the column. */
public final class CsvFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final int column;
    private final String columnName;

    /**
     * @param file the file as the user named it
     * @param line 1-based line number (the header is line 1)
     * @param column 1-based column number, or 0 when the problem is not in one column
     * @param columnName the column's header, or null
     * @param problem what is wrong
     */
    public CsvFormatException(String file, long line, int column, String columnName, String problem) {
        super(file + ", line " + line + (column > 0 ? ", column " + column
                + (columnName != null ? " (" + columnName + ")" : "") : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
        this.columnName = columnName;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    /** 1-based, or 0 when the problem is not in one column. */
    public int column() {
        return column;
    }

    public String columnName() {
        return columnName;
    }
}
