package org.weir.ui.sessions.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.eclipse.nebula.widgets.nattable.coordinate.Range;
import org.eclipse.nebula.widgets.nattable.layer.DataLayer;
import org.eclipse.nebula.widgets.nattable.selection.SelectionLayer;
import org.eclipse.swt.graphics.Rectangle;
import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.testsupport.TestSession;

/** The selection keeps its sessions through sorts, filters and newer snapshots, answering by row position. */
class SessionSelectionTest {

    private final SessionsDataProvider data = new SessionsDataProvider();
    private final SelectionLayer layer = new SelectionLayer(new DataLayer(data), false);
    private final SessionSelection selection = new SessionSelection(layer, data);

    private static Session[] snapshot(int... numbers) {
        Session[] sessions = new Session[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            sessions[i] = new TestSession("10.0.0.1", 40000 + numbers[i], "192.0.2.1", 80, Transport.TCP)
                    .uid("C" + numbers[i]);
        }
        return sessions;
    }

    /** Shows these rows of the snapshot, as the view does: the selection first carried over to it. */
    private void show(Session[] all, int[] indexes, int[] oldToNew) {
        selection.carryOver(selection.snapshot(), all, oldToNew);
        data.setRows(indexes == null ? all : RowOrder.sessions(all, indexes), all, indexes);
    }

    private List<String> selectedUids() {
        return selection.getSelectedRowObjects().stream().map(Session::uid).toList();
    }

    @Test
    void selectedSessionsStayWhereSortsAndFiltersPutThem() {
        Session[] all = snapshot(0, 1, 2, 3, 4, 5);
        show(all, null, null);
        selection.addSelection(new Rectangle(0, 1, 3, 2)); // C1 and C2
        assertEquals(Set.of(new Range(1, 3)), selection.getSelectedRowPositions());

        show(all, new int[] {5, 4, 3, 2, 1, 0}, null); // sorted the other way
        assertEquals(Set.of(new Range(3, 5)), selection.getSelectedRowPositions(), "C2 at row 3, C1 at row 4");
        assertArrayEquals(new int[] {3, 4}, selection.getFullySelectedRowPositions(0));
        assertTrue(selection.isRowPositionSelected(3) && !selection.isRowPositionSelected(2));
        assertEquals(2, selection.getSelectedRowCount());

        show(all, new int[] {1, 3}, null); // a filter that hides C2
        assertEquals(Set.of(new Range(0, 1)), selection.getSelectedRowPositions());
        assertEquals(1, selection.getSelectedRowCount(), "rows on screen");
        assertEquals(List.of("C1", "C2"), selectedUids(), "the hidden session stays selected");

        selection.clearSelection(0, 0); // Ctrl+click takes C1 out
        show(all, null, null);
        assertEquals(List.of("C2"), selectedUids());
        assertEquals(Set.of(new Range(2, 3)), selection.getSelectedRowPositions());
    }

    @Test
    void aSelectAllIsEveryRowOnScreenAndAColumnIsFullySelected() {
        Session[] all = snapshot(0, 1, 2, 3);
        show(all, new int[] {3, 1, 2, 0}, null);
        selection.addSelection(new Rectangle(0, 0, 3, 4));
        assertEquals(Set.of(new Range(0, 4)), selection.getSelectedRowPositions(), "merged into one range");
        assertTrue(selection.isColumnPositionFullySelected(0, 4));
        assertEquals(data.getColumnCount(), selection.getSelectedColumnPositions().length, "every column");
        selection.clearSelection(new Rectangle(0, 1, 3, 2));
        assertEquals(Set.of(new Range(0, 1), new Range(3, 4)), selection.getSelectedRowPositions());
        assertFalse(selection.isColumnPositionFullySelected(0, 4));
        selection.clearSelection();
        assertTrue(selection.isEmpty());
        assertEquals(0, selection.getSelectedColumnPositions().length);
    }

    @Test
    void aNewerSnapshotOfTheCaptureKeepsTheSelectedSessionsByUid() {
        Session[] older = snapshot(0, 1, 2, 3);
        show(older, null, null);
        selection.addSelection(0, 1);
        selection.addSelection(0, 3);
        Session[] newer = snapshot(9, 3, 0, 2, 1); // other objects, other order, one more session
        show(newer, null, SessionSelection.indexesByUid(older, null, newer));
        assertEquals(List.of("C3", "C1"), selectedUids());
        assertEquals(Set.of(new Range(1, 2), new Range(4, 5)), selection.getSelectedRowPositions());

        // Without the map (a selection made while it was computed for none), the selection finds them itself.
        Session[] newest = snapshot(1, 3, 9);
        show(newest, null, null);
        assertEquals(List.of("C1", "C3"), selectedUids());
    }
}
