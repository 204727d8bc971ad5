package org.weir.ui.sessions.internal;

import org.eclipse.nebula.widgets.nattable.data.IRowDataProvider;
import org.eclipse.nebula.widgets.nattable.layer.event.IStructuralChangeEvent;
import org.eclipse.nebula.widgets.nattable.selection.RowSelectionModel;
import org.eclipse.nebula.widgets.nattable.selection.SelectionLayer;
import org.weir.core.Session;

/**
 * The Sessions view's selection: rows selected as sessions, by uid, so that a selected session stays selected
 * wherever a sort or a newer snapshot of the same capture puts it. Within one capture, rows are only ever reordered
 * or added, never removed, so a refresh of the table leaves the selection as it is instead of looking every selected
 * session up again (a second and a half with a million selected); the view clears the selection when the rows are
 * replaced by those of another capture ({@link #clearSelection()}).
 */
final class SessionSelection extends RowSelectionModel<Session> {

    SessionSelection(SelectionLayer layer, IRowDataProvider<Session> rows) {
        super(layer, rows, Session::uid);
    }

    @Override
    public void handleLayerEvent(IStructuralChangeEvent event) {
        // Nothing to prune: see the class comment.
    }
}
