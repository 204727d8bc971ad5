package org.weir.ui.internal;

import org.eclipse.nebula.widgets.nattable.NatTable;
import org.eclipse.nebula.widgets.nattable.grid.layer.GridLayer;
import org.eclipse.nebula.widgets.nattable.layer.ILayer;
import org.eclipse.nebula.widgets.nattable.viewport.ViewportLayer;
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
        for (Shell shell : display.getShells()) {
            Control c = find(shell, "sessionsTable");
            if (c instanceof NatTable t) {
                return t;
            }
        }
        throw new AssertionError("no Sessions table on screen");
    }

    static Label label(Display display, String id) {
        for (Shell shell : display.getShells()) {
            Control c = find(shell, id);
            if (c instanceof Label l) {
                return l;
            }
        }
        throw new AssertionError("no status line label '" + id + "' on screen");
    }

    static Text text(Display display, String id) {
        for (Shell shell : display.getShells()) {
            Control c = find(shell, id);
            if (c instanceof Text t) {
                return t;
            }
        }
        throw new AssertionError("no text field '" + id + "' on screen");
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
