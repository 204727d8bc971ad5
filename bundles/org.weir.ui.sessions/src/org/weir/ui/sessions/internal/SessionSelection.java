package org.weir.ui.sessions.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.nebula.widgets.nattable.coordinate.Range;
import org.eclipse.nebula.widgets.nattable.layer.event.IStructuralChangeEvent;
import org.eclipse.nebula.widgets.nattable.selection.IRowSelectionModel;
import org.eclipse.nebula.widgets.nattable.selection.SelectionLayer;
import org.eclipse.swt.graphics.Rectangle;
import org.weir.core.Session;

/**
 * The Sessions view's selection: rows selected as sessions, so that a selected session stays selected wherever a sort,
 * a display filter or a newer snapshot of the same capture puts it (a session the filter hides stays selected and shows
 * so again when the filter lets it through).
 *
 * <p>The selected sessions are bits over the capture's snapshot ({@link SessionsDataProvider#all()}), by index; each
 * row knows the index of its session ({@link SessionsDataProvider#allIndex(int)}, which the sorting and filtering job
 * computes), so no question or change costs more than a pass over the row numbers, at a million rows a few
 * milliseconds. (NatTable's row model keeps a map by row id and asks the data for each selected row's position: a
 * select-all, a Shift+click over half a million rows or a Ctrl+click out of a select-all each held the UI thread one to
 * four seconds.) A newer snapshot of the same capture brings its own indexes, to which the view carries the selection
 * over ({@link #carryOver}); another capture starts with none.
 *
 * <p>Row positions of the selection layer are the data's row indexes: no layer below it hides or moves rows.
 */
final class SessionSelection implements IRowSelectionModel<Session> {

    private final SelectionLayer layer;
    private final SessionsDataProvider data;
    private boolean multiple = true;
    /** The snapshot whose sessions {@link #selected} numbers. */
    private Session[] of = new Session[0];
    private BitSet selected = new BitSet();
    /** Counts the changes, so that the shown part below is computed once per change of selection or rows. */
    private long changes;

    // The selected rows on screen, ascending and merged: computed for the rows and selection of one moment.
    private Session[] shownFor;
    private long shownAt = -1;
    private List<Range> shown = List.of();
    private int shownCount;

    SessionSelection(SelectionLayer layer, SessionsDataProvider data) {
        this.layer = layer;
        this.data = data;
    }

    /** The snapshot the selection numbers: the view carries it over when its rows come from another one. */
    Session[] snapshot() {
        return of;
    }

    /**
     * Carries the selection over to a newer snapshot of the same capture: {@code fromToNext[i]} is the index in
     * {@code next} of the session at index {@code i} of {@code from}, or -1 when it has none. When that map is
     * missing or not for {@link #snapshot()} (a selection made while it was computed for an empty one), the sessions
     * are matched by uid here.
     */
    void carryOver(Session[] from, Session[] next, int[] fromToNext) {
        if (next == of) {
            return;
        }
        BitSet moved = new BitSet(next.length);
        if (!selected.isEmpty()) {
            int[] map = from == of && fromToNext != null ? fromToNext : indexesByUid(of, selected, next);
            for (int i = selected.nextSetBit(0); i >= 0 && i < map.length; i = selected.nextSetBit(i + 1)) {
                if (map[i] >= 0) {
                    moved.set(map[i]);
                }
            }
        }
        of = next;
        selected = moved;
        changes++;
    }

    /**
     * Where each session of {@code from} is in {@code to}, by uid: -1 for none. Only the sessions in {@code which}
     * are looked for (null: all).
     */
    static int[] indexesByUid(Session[] from, BitSet which, Session[] to) {
        Map<String, Integer> wanted = new HashMap<>();
        for (int i = which == null ? 0 : which.nextSetBit(0); i >= 0 && i < from.length;
                i = which == null ? i + 1 : which.nextSetBit(i + 1)) {
            wanted.put(from[i].uid(), i);
        }
        int[] map = new int[from.length];
        Arrays.fill(map, -1);
        for (int j = 0; j < to.length && !wanted.isEmpty(); j++) {
            Integer i = wanted.remove(to[j].uid());
            if (i != null) {
                map[i] = j;
            }
        }
        return map;
    }

    private int rowCount() {
        return data.getRowCount();
    }

    private boolean current() {
        return data.all() == of;
    }

    /** The selected rows on screen, ascending and merged, as of now. */
    private List<Range> shown() {
        Session[] rows = data.rows();
        if (rows != shownFor || shownAt != changes) {
            List<Range> ranges = new ArrayList<>();
            int count = 0;
            if (current() && !selected.isEmpty()) {
                int start = -1;
                for (int row = 0; row < rows.length; row++) {
                    boolean on = selected.get(data.allIndex(row));
                    if (on && start < 0) {
                        start = row;
                    } else if (!on && start >= 0) {
                        ranges.add(new Range(start, row));
                        count += row - start;
                        start = -1;
                    }
                }
                if (start >= 0) {
                    ranges.add(new Range(start, rows.length));
                    count += rows.length - start;
                }
            }
            shown = ranges;
            shownCount = count;
            shownFor = rows;
            shownAt = changes;
        }
        return shown;
    }

    // ---- changes ------------------------------------------------------------------------------------------------

    @Override
    public boolean isMultipleSelectionAllowed() {
        return multiple;
    }

    @Override
    public void setMultipleSelectionAllowed(boolean multipleSelectionAllowed) {
        multiple = multipleSelectionAllowed;
    }

    @Override
    public void addSelection(int columnPosition, int rowPosition) {
        if (!multiple) {
            selected.clear();
        }
        set(rowPosition, rowPosition + 1, true);
    }

    @Override
    public void addSelection(Rectangle range) {
        if (!multiple) {
            selected.clear();
            range.height = 1;
        }
        set(range.y, range.y + range.height, true);
    }

    @Override
    public void clearSelection() {
        selected.clear();
        changes++;
    }

    @Override
    public void clearSelection(int columnPosition, int rowPosition) {
        set(rowPosition, rowPosition + 1, false);
    }

    @Override
    public void clearSelection(Rectangle removedSelection) {
        set(removedSelection.y, removedSelection.y + removedSelection.height, false);
    }

    @Override
    public void clearSelection(Session session) {
        int row = data.indexOfRowObject(session);
        set(row, row + 1, false);
    }

    /** Selects or deselects the rows from {@code from} to {@code to} (exclusive) that exist. */
    private void set(int from, int to, boolean on) {
        if (!current()) {
            carryOver(of, data.all(), null);
        }
        int start = Math.max(0, from);
        int end = Math.min(to, rowCount());
        if (start >= end) {
            return;
        }
        if (data.rows() == data.all()) {
            selected.set(start, end, on); // rows in snapshot order: row index = session index
        } else {
            for (int row = start; row < end; row++) {
                selected.set(data.allIndex(row), on);
            }
        }
        changes++;
    }

    @Override
    public void handleLayerEvent(IStructuralChangeEvent event) {
        // Rows are never deleted within a snapshot; a newer one is carried over by the view.
    }

    @Override
    public Class<IStructuralChangeEvent> getLayerEventClass() {
        return IStructuralChangeEvent.class;
    }

    // ---- questions ------------------------------------------------------------------------------------------------

    /** Whether any session is selected, shown or hidden by the filter. */
    @Override
    public boolean isEmpty() {
        return selected.isEmpty();
    }

    @Override
    public List<Rectangle> getSelections() {
        int width = layer.getColumnCount();
        List<Rectangle> rectangles = new ArrayList<>();
        for (Range r : shown()) {
            rectangles.add(new Rectangle(0, r.start, width, r.size()));
        }
        return rectangles;
    }

    @Override
    public boolean isCellPositionSelected(int columnPosition, int rowPosition) {
        return isRowPositionSelected(rowPosition);
    }

    @Override
    public int[] getSelectedColumnPositions() {
        if (shown().isEmpty()) {
            return new int[0];
        }
        int[] columns = new int[layer.getColumnCount()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = i;
        }
        return columns;
    }

    @Override
    public boolean isColumnPositionSelected(int columnPosition) {
        return !shown().isEmpty();
    }

    @Override
    public int[] getFullySelectedColumnPositions(int fullySelectedColumnRowCount) {
        return isColumnPositionFullySelected(0, fullySelectedColumnRowCount) ? getSelectedColumnPositions()
                : new int[0];
    }

    @Override
    public boolean isColumnPositionFullySelected(int columnPosition, int fullySelectedColumnRowCount) {
        shown();
        return shownCount > 0 && shownCount == fullySelectedColumnRowCount;
    }

    /** The selected sessions, those the filter hides included, in snapshot order. */
    @Override
    public List<Session> getSelectedRowObjects() {
        List<Session> sessions = new ArrayList<>(selected.cardinality());
        for (int i = selected.nextSetBit(0); i >= 0 && i < of.length; i = selected.nextSetBit(i + 1)) {
            sessions.add(of[i]);
        }
        return sessions;
    }

    /** The selected rows on screen. */
    @Override
    public int getSelectedRowCount() {
        shown();
        return shownCount;
    }

    @Override
    public Set<Range> getSelectedRowPositions() {
        Set<Range> positions = new HashSet<>();
        for (Range r : shown()) {
            positions.add(new Range(r.start, r.end)); // Range is mutable: the caller gets copies
        }
        return positions;
    }

    /** The selected sessions on screen, in the view's order. */
    Session[] shownSessions() {
        Session[] rows = data.rows();
        List<Range> ranges = shown();
        Session[] sessions = new Session[shownCount];
        int n = 0;
        for (Range r : ranges) {
            System.arraycopy(rows, r.start, sessions, n, r.size());
            n += r.size();
        }
        return sessions;
    }

    @Override
    public boolean isRowPositionSelected(int rowPosition) {
        return rowPosition >= 0 && rowPosition < rowCount() && current()
                && selected.get(data.allIndex(rowPosition));
    }

    @Override
    public int[] getFullySelectedRowPositions(int rowWidth) {
        List<Range> ranges = shown();
        int[] positions = new int[shownCount];
        int n = 0;
        for (Range r : ranges) {
            for (int row = r.start; row < r.end; row++) {
                positions[n++] = row;
            }
        }
        return positions;
    }

    @Override
    public boolean isRowPositionFullySelected(int rowPosition, int rowWidth) {
        return isRowPositionSelected(rowPosition);
    }
}
