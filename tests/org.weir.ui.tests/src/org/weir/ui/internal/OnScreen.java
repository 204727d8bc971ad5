package org.weir.ui.internal;

import org.eclipse.nebula.widgets.nattable.NatTable;
import org.eclipse.nebula.widgets.nattable.grid.layer.GridLayer;
import org.eclipse.nebula.widgets.nattable.layer.ILayer;
import org.eclipse.nebula.widgets.nattable.viewport.ViewportLayer;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/** Finds the workbench's widgets by the names they carry ({@link StatusLine#WIDGET_ID}). UI thread only. */
final class OnScreen {

    private OnScreen() {
    }

    static NatTable table(Display display) {
        return widget(display, "sessionsTable", NatTable.class);
    }

    static Label label(Display display, String id) {
        return widget(display, id, Label.class);
    }

    static Text text(Display display, String id) {
        return widget(display, id, Text.class);
    }

    static Button button(Display display, String id) {
        return widget(display, id, Button.class);
    }

    /** The widget of this type that carries this name in any shell; fails when there is none. */
    static <T extends Control> T widget(Display display, String id, Class<T> type) {
        for (Shell shell : display.getShells()) {
            Control c = find(shell, id);
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " '" + id + "' on screen");
    }

    static Control find(Control control, String id) {
        if (id.equals(control.getData(StatusLine.WIDGET_ID))) {
            return control;
        }
        if (control instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                Control found = find(child, id);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The body below the viewport: every row, not only the visible ones. */
    static ILayer body(NatTable table) {
        ILayer bodyLayer = ((GridLayer) table.getLayer()).getBodyLayer();
        return ((ViewportLayer) bodyLayer).getScrollableLayer();
    }

    static long rowCount(NatTable table) {
        return body(table).getRowCount();
    }
}
