package org.weir.ui.sessions.internal;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.MessageBox;
import org.eclipse.swt.widgets.Shell;
import org.weir.core.CaptureAnalyzer;
import org.weir.ui.Folders;

/**
 * Where the export dialogs start (the folder written to last in this run, else the first shown capture's, as
 * Wireshark offers the folder used last), and the files they must not write: the captures themselves. UI thread.
 */
final class ExportTarget {

    private static Path lastFolder;

    private ExportTarget() {
    }

    /**
     * A save dialog that asks before replacing a file and starts in the {@link #suggestedFolder suggested folder}.
     *
     * @param types each type's name, then its pattern
     */
    static FileDialog dialog(Shell shell, String title, String fileName, List<Path> captures, String... types) {
        FileDialog dialog = new FileDialog(shell, SWT.SAVE);
        dialog.setText(title);
        String[] names = new String[types.length / 2], patterns = new String[types.length / 2];
        for (int i = 0; i < names.length; i++) {
            names[i] = types[2 * i];
            patterns[i] = types[2 * i + 1];
        }
        dialog.setFilterNames(names);
        dialog.setFilterExtensions(patterns);
        dialog.setFileName(fileName);
        dialog.setOverwrite(true);
        dialog.setFilterPath(suggestedFolder(captures));
        return dialog;
    }

    /** The folder to start in, or null for the file chooser's own choice. */
    static String suggestedFolder(List<Path> captures) {
        Path folder = lastFolder != null ? Folders.of(lastFolder.toString()) : null;
        if (folder == null && !captures.isEmpty()) {
            folder = Folders.of(captures.get(0).toString());
        }
        return folder == null ? null : folder.toString();
    }

    /**
     * Whether the file chosen may be written: not when it is a capture shown, which is said in a message box (as
     * Wireshark will not save over the file it reads). Its folder is where the next export starts.
     */
    static boolean accept(Shell shell, String title, String file, List<Path> captures) {
        Path target = Path.of(file);
        lastFolder = target.toAbsolutePath().getParent();
        if (CaptureAnalyzer.captureAt(target, captures) == null) {
            return true;
        }
        MessageBox box = new MessageBox(shell, SWT.ICON_ERROR | SWT.OK);
        box.setText(title);
        box.setMessage(file + " is a capture shown: writing it would destroy what the sessions come from. Choose"
                + " another file.");
        box.open();
        return false;
    }
}
