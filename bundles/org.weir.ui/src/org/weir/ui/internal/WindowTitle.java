package org.weir.ui.internal;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.weir.ui.CaptureModel;
import org.weir.ui.CaptureModel.Snapshot;

/**
 * The main window's title names the open capture first, as Wireshark's does: "wikipedia.pcap — Weir" (several merged:
 * "in.pcap + out.pcap — Weir").
 */
final class WindowTitle implements CaptureModel.Listener {

    static final String APPLICATION = "Weir";

    private final MWindow window;

    WindowTitle(MWindow window) {
        this.window = window;
    }

    static String of(List<Path> captures) {
        return captures.isEmpty() ? APPLICATION : CaptureModel.name(captures) + " \u2014 " + APPLICATION;
    }

    @Override
    public void captureChanged(Snapshot snapshot) {
        String title = of(snapshot.captures());
        if (!title.equals(window.getLabel())) {
            window.setLabel(title);
        }
    }
}
