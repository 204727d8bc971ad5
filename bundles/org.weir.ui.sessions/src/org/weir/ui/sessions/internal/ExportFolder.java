package org.weir.ui.sessions.internal;

import java.nio.file.Path;

import org.weir.ui.Folders;

/**
 * The folder the export dialogs start in: the one written to last in this run, else the shown capture's, as Wireshark
 * offers the folder used last. UI thread.
 */
final class ExportFolder {

    private static Path last;

    private ExportFolder() {
    }

    /** Where to start, or null for the file chooser's own choice. */
    static String suggested(Path capture) {
        Path folder = last != null ? Folders.of(last.toString()) : null;
        if (folder == null && capture != null) {
            folder = Folders.of(capture.toString());
        }
        return folder == null ? null : folder.toString();
    }

    /** The file chosen: its folder is where the next export starts. */
    static void remember(String file) {
        last = Path.of(file).toAbsolutePath().getParent();
    }
}
