package org.weir.ui.sessions.internal;

import org.eclipse.nebula.widgets.nattable.data.IDataProvider;
import org.weir.core.Session;

/**
 * Array-backed data for the virtual table: NatTable asks only for the visible cells, which are formatted on demand,
 * so a million rows cost one array of references. The array is replaced, never changed, on the UI thread.
 */
final class SessionsDataProvider implements IDataProvider {

    private Session[] rows = new Session[0];

    void setRows(Session[] rows) {
        this.rows = rows;
    }

    Session[] rows() {
        return rows;
    }

    @Override
    public Object getDataValue(int columnIndex, int rowIndex) {
        Session[] r = rows;
        if (rowIndex < 0 || rowIndex >= r.length || columnIndex < 0 || columnIndex >= SessionColumn.ALL.length) {
            return "";
        }
        return SessionColumn.ALL[columnIndex].format(r[rowIndex]);
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
}
