package org.weir.ui.sessions.internal;

import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.weir.core.Session;

/**
 * The text that copying rows of the Sessions view puts on the clipboard: one line per session, its cells as the table
 * shows them, separated by tabs, in the order of the columns on screen, so that it pastes into a spreadsheet as the
 * table looks; optionally the column titles first. A tab or line break inside a value is written as Zeek writes it
 * ({@code \x09}), so that every line stays one row. Built off the UI thread, with progress: a million rows are about
 * 150 MB of text.
 */
final class SessionCopy {

    /** Rows formatted between looks at the monitor. */
    private static final int STEP = 8192;

    private SessionCopy() {
    }

    /**
     * The rows as text.
     *
     * @param columns the column indexes ({@link SessionColumn#ordinal()}) in the order shown
     * @throws OperationCanceledException when the monitor was cancelled
     */
    static String text(Session[] rows, int[] columns, boolean titles, SessionsDataProvider.CellText cells,
            IProgressMonitor monitor) {
        monitor.beginTask(taskName(rows.length), rows.length);
        try {
            // About five characters a cell, as the benchmark capture's rows have: few copies of the buffer.
            StringBuilder out = new StringBuilder((int) Math.min(1 << 28, (rows.length + 1L) * columns.length * 5));
            if (titles) {
                for (int c = 0; c < columns.length; c++) {
                    cell(out, c, SessionColumn.ALL[columns[c]].title);
                }
                out.append('\n');
            }
            for (int i = 0; i < rows.length; i++) {
                for (int c = 0; c < columns.length; c++) {
                    cell(out, c, cells.of(columns[c], rows[i]));
                }
                out.append('\n');
                if (i % STEP == STEP - 1) {
                    if (monitor.isCanceled()) {
                        throw new OperationCanceledException();
                    }
                    monitor.worked(STEP);
                }
            }
            return out.toString();
        } finally {
            monitor.done();
        }
    }

    /** "Copying 1,000,000 sessions": the job's name. */
    static String taskName(int rows) {
        return String.format(Locale.ROOT, "Copying %,d %s", rows, rows == 1 ? "session" : "sessions");
    }

    private static void cell(StringBuilder out, int position, String value) {
        if (position > 0) {
            out.append('\t');
        }
        escaped(out, value);
    }

    /** Appends the value with tabs and line breaks as {@code \xHH}. */
    private static void escaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\t' || ch == '\n' || ch == '\r') {
                out.append("\\x").append(Character.forDigit(ch >> 4, 16)).append(Character.forDigit(ch & 0xF, 16));
            } else {
                out.append(ch);
            }
        }
    }
}
