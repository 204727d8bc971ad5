package org.weir.ui.internal;

import java.nio.file.Path;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;

import jakarta.inject.Named;

/**
 * File › Open Recent › a capture: analyses it again, every frame, as Wireshark's Open Recent opens a file without the
 * read filter; a capture that has gone since is reported as any capture that cannot be read.
 */
public final class OpenRecentCaptureHandler {

    /** The command, and its parameter: the capture's path. */
    static final String COMMAND = "org.weir.ui.command.openRecent";
    static final String FILE = "org.weir.ui.command.openRecent.file";

    @CanExecute
    public boolean canExecute(@Optional @Named(FILE) String file) {
        return file != null && !file.isEmpty();
    }

    @Execute
    public void execute(CaptureController controller, @Named(FILE) String file) {
        controller.open(Path.of(file));
    }
}
