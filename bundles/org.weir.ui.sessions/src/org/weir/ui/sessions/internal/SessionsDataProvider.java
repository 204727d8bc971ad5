package org.weir.ui.sessions.internal;

import java.time.ZoneId;

import org.eclipse.nebula.widgets.nattable.data.IRowDataProvider;
import org.weir.core.Session;

/**
 * Array-backed data for the virtual table: NatTable asks only for the visible cells, which are formatted on demand,
 * so a million rows cost one array of references. The array is replaced, never changed, on the UI thread.
 */
final class SessionsDataProvider implements IRowDataProvider<Session> {

    private Session[] rows = new Session[0];
    /** Every session of the capture (one snapshot of it), of which {@link #rows} may be a filtered part. */
    private Session[] all = rows;
    /** Each row's index in {@link #all}; null when the rows are {@link #all} itself. */
    private int[] allIndexes;
    private TimeDisplay time = TimeDisplay.ZEEK;
    /**
     * The earliest start of all sessions (shown or filtered out, as Wireshark's relative times count from the
     * capture's first packet), the origin of {@link TimeDisplay#RELATIVE}; found when that display first asks for it
     * (a pass over a million rows that the other displays need not pay at each snapshot or sort).
     */
    private long firstStart;
    private boolean firstStartKnown;

    /**
     * Shows {@code rows}: sessions of {@code all} (those a filter passes), in some order, each at index
     * {@code allIndexes[row]} of {@code all} (null when the rows are {@code all} itself).
     */
    void setRows(Session[] rows, Session[] all, int[] allIndexes) {
        this.rows = rows;
        this.all = all;
        this.allIndexes = allIndexes;
        this.firstStartKnown = false;
    }

    private long firstStart() {
        if (!firstStartKnown) {
            long first = Long.MAX_VALUE;
            for (Session s : all) {
                first = Math.min(first, s.startNanos());
            }
            firstStart = all.length == 0 ? 0 : first;
            firstStartKnown = true;
        }
        return firstStart;
    }

    TimeDisplay timeDisplay() {
        return time;
    }

    void setTimeDisplay(TimeDisplay time) {
        this.time = time;
    }

    Session[] rows() {
        return rows;
    }

    /** The index in {@link #all()} of the row's session. */
    int allIndex(int row) {
        int[] indexes = allIndexes;
        return indexes == null ? row : indexes[row];
    }

    /** The capture's sessions the rows were chosen from: the same array until a newer snapshot arrives. */
    Session[] all() {
        return all;
    }

    /** A cell's text as the table shows it. */
    @FunctionalInterface
    interface CellText {
        String of(int columnIndex, Session session);
    }

    /**
     * The cells' text as the table shows it now, fixed: safe to use off the UI thread (copying rows) while the view
     * goes on changing its time display.
     */
    CellText cellText() {
        TimeDisplay t = time;
        long origin = t == TimeDisplay.RELATIVE ? firstStart() : 0;
        ZoneId zone = ZoneId.systemDefault();
        return (column, s) -> text(column, s, t, origin, zone);
    }

    private static String text(int column, Session s, TimeDisplay time, long origin, ZoneId zone) {
        return column == SessionColumn.TS.ordinal() ? time.format(s.startNanos(), origin, zone)
                : SessionColumn.ALL[column].format(s);
    }

    @Override
    public Object getDataValue(int columnIndex, int rowIndex) {
        Session[] r = rows;
        if (rowIndex < 0 || rowIndex >= r.length || columnIndex < 0 || columnIndex >= SessionColumn.ALL.length) {
            return "";
        }
        long origin = columnIndex == SessionColumn.TS.ordinal() && time == TimeDisplay.RELATIVE ? firstStart() : 0;
        return text(columnIndex, r[rowIndex], time, origin, ZoneId.systemDefault());
    }

    @Override
    public void setDataValue(int columnIndex, int rowIndex, Object newValue) {
        // Sessions are read-only.
    }

    @Override
    public int getColumnCount() {
        return SessionColumn.ALL.length;
    }

    @Override
    public int getRowCount() {
        return rows.length;
    }

    @Override
    public Session getRowObject(int rowIndex) {
        return rows[rowIndex];
    }

    /** Where a session (the same one, or another snapshot of it: the same uid) is now; -1 when not shown. */
    @Override
    public int indexOfRowObject(Session session) {
        Session[] r = rows;
        String uid = session.uid();
        for (int i = 0; i < r.length; i++) {
            if (r[i] == session || uid.equals(r[i].uid())) {
                return i;
            }
        }
        return -1;
    }
}
