package org.weir.ui.internal;

import java.nio.file.Path;

import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.weir.ui.CaptureModel;
import org.weir.ui.CaptureModel.Snapshot;

/** The main window's title names the open capture first, as Wireshark's does: "wikipedia.pcap — Weir". */
final class WindowTitle implements CaptureModel.Listener {

    static final String APPLICATION = "Weir";

    private final MWindow window;

    WindowTitle(MWindow window) {
        this.window = window;
    }

    static String of(Path capture) {
        return capture == null ? APPLICATION : capture.getFileName() + " \u2014 " + APPLICATION;
    }

    @Override
    public void captureChanged(Snapshot snapshot) {
        String title = of(snapshot.capture());
        if (!title.equals(window.getLabel())) {
            window.setLabel(title);
        }
    }
}
