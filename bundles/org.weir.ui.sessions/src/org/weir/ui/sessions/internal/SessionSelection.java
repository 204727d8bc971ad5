package org.weir.ui.sessions.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.nebula.widgets.nattable.coordinate.Range;
import org.eclipse.nebula.widgets.nattable.layer.event.IStructuralChangeEvent;
import org.eclipse.nebula.widgets.nattable.selection.RowSelectionModel;
import org.eclipse.nebula.widgets.nattable.selection.SelectionLayer;
import org.eclipse.swt.graphics.Rectangle;
import org.weir.core.Session;
import org.weir.filter.SessionFilter;

/**
 * The Sessions view's selection: rows selected as sessions, by uid, so that a selected session stays selected
 * wherever a sort, a display filter or a newer snapshot of the same capture puts it (a session the filter hides stays
 * selected and shows so again when the filter lets it through). A refresh of the table therefore leaves the selection
 * as it is instead of looking every selected session up again (a second and a half with a million selected); the view
 * clears the selection when the rows are replaced by those of another capture ({@link #clearSelection()}).
 *
 * <p>Selecting every row (Ctrl+A) selects the rows of that moment as a whole instead of entering each of their
 * sessions into the map by uid, which held the UI thread 0.65–0.9 s at a million rows: a sort keeps the same
 * sessions, so they all stay selected, and when they were the whole snapshot, so is every row any filter shows. The map
 * is built from those rows only when the selection changes otherwise (a row added or taken away), another filter
 * shows other rows of a filtered select-all, or a newer snapshot brings more rows, which are not selected.
 */
final class SessionSelection extends RowSelectionModel<Session> {

    private final SessionsDataProvider rows;
    /** While every session of this array is selected (and only those): the array; null otherwise. */
    private Session[] all;
    /** The snapshot and filter the rows of {@link #all} were shown from. */
    private Session[] allFrom;
    private SessionFilter allFilter;

    SessionSelection(SelectionLayer layer, SessionsDataProvider rows) {
        super(layer, rows, Session::uid);
        this.rows = rows;
    }

    @Override
    public void handleLayerEvent(IStructuralChangeEvent event) {
        // Nothing to prune: see the class comment.
    }

    /**
     * Whether every row on screen is selected: the rows of the select-all, perhaps reordered, or any rows of the same
     * snapshot when the select-all took all of it.
     */
    private boolean allShown() {
        Session[] a = all;
        if (a == null) {
            return false;
        }
        boolean sameSnapshot = rows.all() == allFrom;
        if (sameSnapshot && (a.length == allFrom.length || rows.filter() == allFilter)) {
            return true;
        }
        expand(); // more rows (a newer snapshot) or other rows (another filter): only the selected ones stay so
        return false;
    }

    /** Leaves the select-all state: its sessions go into the map, as a selection of single rows would. */
    private void expand() {
        Session[] a = all;
        all = null;
        if (a != null) {
            selectionsLock.writeLock().lock();
            try {
                for (Session s : a) {
                    selectedRows.put(s.uid(), s);
                }
            } finally {
                selectionsLock.writeLock().unlock();
            }
        }
    }

    private int rowCount() {
        return selectionLayer.getRowCount();
    }

    // ---- changes ------------------------------------------------------------------------------------------------

    @Override
    public void addSelection(Rectangle range) {
        int count = rowCount();
        if (isMultipleSelectionAllowed() && count > 0 && range.y <= 0 && range.y + range.height >= count) {
            super.clearSelection();
            all = rows.rows();
            allFrom = rows.all();
            allFilter = rows.filter();
            return;
        }
        if (allShown()) {
            return; // every row is selected already
        }
        super.addSelection(range);
    }

    @Override
    public void addSelection(int columnPosition, int rowPosition) {
        if (allShown()) {
            return;
        }
        super.addSelection(columnPosition, rowPosition);
    }

    @Override
    public void clearSelection() {
        all = null;
        super.clearSelection();
    }

    @Override
    public void clearSelection(int columnPosition, int rowPosition) {
        expand();
        super.clearSelection(columnPosition, rowPosition);
    }

    @Override
    public void clearSelection(Rectangle removedSelection) {
        expand();
        super.clearSelection(removedSelection);
    }

    @Override
    public void clearSelection(Session rowObject) {
        expand();
        super.clearSelection(rowObject);
    }

    // ---- questions, answered for the select-all state without the map ----------------------------------------------

    @Override
    public boolean isEmpty() {
        return allShown() ? rowCount() == 0 : super.isEmpty();
    }

    // A selected session that the filter hides has no row: NatTable's model answers position -1 for it, which the
    // answers about positions leave out.

    @Override
    public List<Rectangle> getSelections() {
        return allShown() ? List.of(new Rectangle(0, 0, selectionLayer.getColumnCount(), rowCount()))
                : super.getSelections().stream().filter(r -> r.y >= 0).toList();
    }

    @Override
    public boolean isCellPositionSelected(int columnPosition, int rowPosition) {
        return allShown() ? rowPosition >= 0 && rowPosition < rowCount()
                : super.isCellPositionSelected(columnPosition, rowPosition);
    }

    @Override
    public boolean isColumnPositionSelected(int columnPosition) {
        return allShown() ? rowCount() > 0 : super.isColumnPositionSelected(columnPosition);
    }

    @Override
    public boolean isColumnPositionFullySelected(int columnPosition, int fullySelectedColumnRowCount) {
        return allShown() ? rowCount() > 0 && rowCount() == fullySelectedColumnRowCount
                : super.isColumnPositionFullySelected(columnPosition, fullySelectedColumnRowCount);
    }

    @Override
    public int[] getFullySelectedColumnPositions(int fullySelectedColumnRowCount) {
        if (allShown()) {
            return isColumnPositionFullySelected(0, fullySelectedColumnRowCount) ? getSelectedColumnPositions()
                    : new int[0];
        }
        return super.getFullySelectedColumnPositions(fullySelectedColumnRowCount);
    }

    /** The selected sessions, those a filter hides included. */
    @Override
    public List<Session> getSelectedRowObjects() {
        return allShown() ? Arrays.asList(rows.rows()) : super.getSelectedRowObjects();
    }

    @Override
    public int getSelectedRowCount() {
        return allShown() ? rowCount() : getSelectedRowPositions().stream().mapToInt(Range::size).sum();
    }

    @Override
    public Set<Range> getSelectedRowPositions() {
        if (allShown()) {
            return Set.of(new Range(0, rowCount()));
        }
        Set<Range> positions = new HashSet<>(super.getSelectedRowPositions());
        positions.removeIf(r -> r.start < 0);
        return positions;
    }

    @Override
    public boolean isRowPositionSelected(int rowPosition) {
        return allShown() ? rowPosition >= 0 && rowPosition < rowCount() : super.isRowPositionSelected(rowPosition);
    }

    @Override
    public int[] getFullySelectedRowPositions(int rowWidth) {
        if (allShown()) {
            int[] positions = new int[rowCount()];
            Arrays.setAll(positions, i -> i);
            return positions;
        }
        return Arrays.stream(super.getFullySelectedRowPositions(rowWidth)).filter(p -> p >= 0).toArray();
    }

    @Override
    public boolean isRowPositionFullySelected(int rowPosition, int rowWidth) {
        return isRowPositionSelected(rowPosition);
    }
}
