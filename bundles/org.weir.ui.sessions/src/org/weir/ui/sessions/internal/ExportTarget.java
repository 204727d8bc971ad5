package org.weir.ui.sessions.internal;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.MessageBox;
import org.eclipse.swt.widgets.Shell;
import org.weir.core.CaptureAnalyzer;
import org.weir.ui.Folders;

/**
 * Where the export dialogs start (the folder written to last in this run, else the shown capture's, as Wireshark
 * offers the folder used last), and the one file they must not write: the capture itself. UI thread.
 */
final class ExportTarget {

    private static Path lastFolder;

    private ExportTarget() {
    }

    /** The folder to start in, or null for the file chooser's own choice. */
    static String suggestedFolder(Path capture) {
        Path folder = lastFolder != null ? Folders.of(lastFolder.toString()) : null;
        if (folder == null && capture != null) {
            folder = Folders.of(capture.toString());
        }
        return folder == null ? null : folder.toString();
    }

    /**
     * Whether the file chosen may be written: not when it is the capture shown, which is said in a message box (as
     * Wireshark will not save over the file it reads). Its folder is where the next export starts.
     */
    static boolean accept(Shell shell, String title, String file, Path capture) {
        Path target = Path.of(file);
        lastFolder = target.toAbsolutePath().getParent();
        if (capture == null || CaptureAnalyzer.captureAt(target, List.of(capture)) == null) {
            return true;
        }
        MessageBox box = new MessageBox(shell, SWT.ICON_ERROR | SWT.OK);
        box.setText(title);
        box.setMessage(file + " is the capture shown: writing it would destroy what the sessions come from. Choose"
                + " another file.");
        box.open();
        return false;
    }
}
