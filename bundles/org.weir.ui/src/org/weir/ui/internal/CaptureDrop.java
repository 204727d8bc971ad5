package org.weir.ui.internal;

import java.nio.file.Path;
import java.util.Arrays;

import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.widgets.Shell;

/**
 * Capture files dropped onto the main window are opened, as Wireshark opens them: one file alone, several merged by
 * time; every frame, checksums verified (as File › Open Recent opens a capture). The drop target is the window's
 * shell, which takes the drops over every part of it that has no drop target of its own. UI thread.
 */
final class CaptureDrop extends DropTargetAdapter {

    private final CaptureController controller;

    private CaptureDrop(CaptureController controller) {
        this.controller = controller;
    }

    static void install(Shell window, CaptureController controller) {
        DropTarget target = new DropTarget(window, DND.DROP_COPY | DND.DROP_MOVE | DND.DROP_LINK | DND.DROP_DEFAULT);
        target.setTransfer(FileTransfer.getInstance());
        target.addDropListener(new CaptureDrop(controller));
    }

    @Override
    public void dragEnter(DropTargetEvent event) {
        // The files are read, not moved: a file manager's default move becomes a copy.
        event.detail = (event.operations & DND.DROP_COPY) != 0 ? DND.DROP_COPY
                : (event.operations & DND.DROP_LINK) != 0 ? DND.DROP_LINK : DND.DROP_NONE;
    }

    @Override
    public void dragOperationChanged(DropTargetEvent event) {
        dragEnter(event);
    }

    @Override
    public void drop(DropTargetEvent event) {
        if (event.data instanceof String[] files && files.length > 0) {
            controller.open(Arrays.stream(files).map(Path::of).toList(), null, false);
        }
    }
}
