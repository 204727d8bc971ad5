package org.weir.ui.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.weir.ui.CaptureModel;

import jakarta.inject.Named;

/**
 * File › Merge Capture…: adds capture files to those shown and analyses them together, merged by time, with the
 * capture filter and checksums of the analysis shown, as Wireshark's File › Merge merges chronologically (the
 * captures of a tap's other direction, the next files of a ring buffer). The dialog takes several files and starts
 * in the folder of the captures shown; the command's parameter names a file instead (scripts, tests).
 */
public final class MergeCaptureHandler {

    /** The command, and its optional parameter: a capture's path. */
    static final String COMMAND = "org.weir.ui.command.mergeCapture";
    static final String FILE = "org.weir.ui.command.mergeCapture.file";

    @CanExecute
    public boolean canExecute(CaptureController controller) {
        return controller.canMerge();
    }

    @Execute
    public void execute(@Named("activeShell") Shell shell, CaptureController controller, CaptureModel model,
            @Optional @Named(FILE) String file) {
        if (file != null) {
            controller.merge(List.of(Path.of(file)));
            return;
        }
        List<Path> shown = model.snapshot().captures();
        FileDialog dialog = OpenCaptureDialog.captureFileDialog(shell, "Merge Capture", SWT.OPEN | SWT.MULTI,
                shown.isEmpty() ? null : shown.get(0).getParent());
        if (dialog.open() != null) {
            controller.merge(Arrays.stream(dialog.getFileNames()).map(n -> Path.of(dialog.getFilterPath(), n))
                    .toList());
        }
    }
}
