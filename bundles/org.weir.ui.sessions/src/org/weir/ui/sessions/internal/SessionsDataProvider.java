package org.weir.ui.sessions.internal;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.nebula.widgets.nattable.data.IRowDataProvider;
import org.weir.core.Session;
import org.weir.filter.SessionFilter;

/**
 * Array-backed data for the virtual table: NatTable asks only for the visible cells, which are formatted on demand,
 * so a million rows cost one array of references. The array is replaced, never changed, on the UI thread.
 */
final class SessionsDataProvider implements IRowDataProvider<Session> {

    /** Lookups of one row array answered by scanning it before an index by uid is built for the rest. */
    private static final int SCANS_BEFORE_INDEX = 8;

    private Session[] rows = new Session[0];
    /** Every session of the capture (one snapshot of it), of which {@link #rows} may be a filtered part. */
    private Session[] all = rows;
    /** The filter that chose {@link #rows} from {@link #all}. */
    private SessionFilter filter = SessionFilter.ALL;
    private Map<String, Integer> rowByUid;
    private int scans;
    private TimeDisplay time = TimeDisplay.ZEEK;
    /**
     * The earliest start of all sessions (shown or filtered out, as Wireshark's relative times count from the
     * capture's first packet), the origin of {@link TimeDisplay#RELATIVE}; found when that display first asks for it
     * (a pass over a million rows that the other displays need not pay at each snapshot or sort).
     */
    private long firstStart;
    private boolean firstStartKnown;

    /** Shows every session of the capture. */
    void setRows(Session[] rows) {
        setRows(rows, rows, SessionFilter.ALL);
    }

    /** Shows {@code rows}: the sessions of {@code all} that {@code filter} passes, in some order. */
    void setRows(Session[] rows, Session[] all, SessionFilter filter) {
        this.rows = rows;
        this.all = all;
        this.filter = filter;
        this.rowByUid = null;
        this.scans = 0;
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

    /** The capture's sessions the rows were chosen from: the same array until a newer snapshot arrives. */
    Session[] all() {
        return all;
    }

    SessionFilter filter() {
        return filter;
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

    /**
     * Where a session (the same one, or another snapshot of it: the same uid) is now. The selection asks this for
     * each selected row whenever the rows change; a few selected rows are found by scanning, many by an index built
     * once for the row array.
     */
    @Override
    public int indexOfRowObject(Session session) {
        Session[] r = rows;
        String uid = session.uid();
        if (rowByUid == null && scans++ < SCANS_BEFORE_INDEX) {
            for (int i = 0; i < r.length; i++) {
                if (r[i] == session || uid.equals(r[i].uid())) {
                    return i;
                }
            }
            return -1;
        }
        if (rowByUid == null) {
            rowByUid = new HashMap<>(r.length * 4 / 3 + 1);
            for (int i = 0; i < r.length; i++) {
                rowByUid.put(r[i].uid(), i);
            }
        }
        return rowByUid.getOrDefault(uid, -1);
    }
}
