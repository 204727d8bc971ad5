package org.weir.ui.internal;

import java.nio.file.Path;
import java.util.Arrays;

import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.dnd.TransferData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * Capture files dropped onto the main window are opened, as Wireshark opens them: one file alone, several merged by
 * time; every frame, checksums verified (as File › Open Recent opens a capture). The drop target is the window's
 * shell, which takes the drops over every part of it that has no drop target of its own. Text fields have one: the
 * toolkit inserts what is dropped, and a file manager offers its files as text too, so a capture dropped onto the
 * Sessions view's filter became its path there. Every text field of the window, made before or after, gets a target
 * of this class as well: files open, as anywhere else in the window, and text is inserted. UI thread.
 */
final class CaptureDrop extends DropTargetAdapter {

    private static final int OPERATIONS = DND.DROP_COPY | DND.DROP_MOVE | DND.DROP_LINK | DND.DROP_DEFAULT;

    private final CaptureController controller;
    /** The field that text dropped here goes into; null for the window and read-only fields. */
    private final Text field;

    private CaptureDrop(CaptureController controller, Text field) {
        this.controller = controller;
        this.field = field;
    }

    static void install(Shell window, CaptureController controller) {
        DropTarget target = new DropTarget(window, OPERATIONS);
        target.setTransfer(FileTransfer.getInstance());
        target.addDropListener(new CaptureDrop(controller, null));

        installOnFields(window, controller);
        // Views and editors made later (a part opened, a view contributed by another bundle) announce each new widget
        // with a skin event, which is how the workbench's styling reaches them too.
        Display display = window.getDisplay();
        Listener created = e -> {
            if (e.widget instanceof Text text && !text.isDisposed() && text.getShell() == window) {
                installOnField(text, controller);
            }
        };
        display.addListener(SWT.Skin, created);
        window.addListener(SWT.Dispose, e -> display.removeListener(SWT.Skin, created));
    }

    private static void installOnFields(Control control, CaptureController controller) {
        if (control instanceof Text text) {
            installOnField(text, controller);
        } else if (control instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                installOnFields(child, controller);
            }
        }
    }

    private static void installOnField(Text text, CaptureController controller) {
        if (text.getData(DND.DROP_TARGET_KEY) != null) {
            return; // a field with drops of its own keeps them
        }
        // A read-only field takes no text; files dropped onto it open as anywhere else.
        boolean editable = (text.getStyle() & SWT.READ_ONLY) == 0;
        DropTarget target = new DropTarget(text, OPERATIONS);
        target.setTransfer(editable ? new Transfer[] {FileTransfer.getInstance(), TextTransfer.getInstance()}
                : new Transfer[] {FileTransfer.getInstance()});
        target.addDropListener(new CaptureDrop(controller, editable ? text : null));
    }

    @Override
    public void dragEnter(DropTargetEvent event) {
        // Files rather than their names as text, when both are offered.
        TransferData files = offered(event, FileTransfer.getInstance());
        TransferData text = field == null ? null : offered(event, TextTransfer.getInstance());
        if (files == null && text == null) {
            event.detail = DND.DROP_NONE;
            return;
        }
        event.currentDataType = files != null ? files : text;
        // What is dropped is read, not moved: a file manager's default move becomes a copy, and text dragged from
        // elsewhere is not cut from where it came.
        event.detail = (event.operations & DND.DROP_COPY) != 0 ? DND.DROP_COPY
                : (event.operations & DND.DROP_LINK) != 0 && files != null ? DND.DROP_LINK : DND.DROP_NONE;
    }

    @Override
    public void dragOperationChanged(DropTargetEvent event) {
        dragEnter(event);
    }

    @Override
    public void drop(DropTargetEvent event) {
        if (event.data instanceof String[] files && files.length > 0) {
            controller.open(Arrays.stream(files).map(Path::of).toList(), null, false);
        } else if (event.data instanceof String dropped && field != null && !field.isDisposed()) {
            field.insert(dropped);
            field.setFocus();
        }
    }

    private static TransferData offered(DropTargetEvent event, Transfer transfer) {
        for (TransferData type : event.dataTypes) {
            if (transfer.isSupportedType(type)) {
                return type;
            }
        }
        return null;
    }
}
