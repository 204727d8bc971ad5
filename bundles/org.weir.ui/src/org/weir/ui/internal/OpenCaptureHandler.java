package org.weir.ui.internal;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.e4.core.di.annotations.Execute;
import org.weir.ui.Folders;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;

import jakarta.inject.Named;

/** File › Open Capture…: asks for a pcap or pcapng file, a capture filter and the checksums' part, and analyses it. */
public final class OpenCaptureHandler {

    @Execute
    public void execute(@Named("activeShell") Shell shell, CaptureController controller) {
        OpenCaptureDialog dialog = new OpenCaptureDialog(shell, controller.lastFilter(),
                controller.lastIgnoreChecksums());
        List<Path> recent = controller.recentCaptures();
        dialog.browseFrom(recent.isEmpty() ? null : Folders.of(recent.get(0).toString()));
        if (dialog.open() == Window.OK) {
            controller.open(List.of(dialog.capture()), dialog.filter(), dialog.ignoreChecksums());
        }
    }
}
