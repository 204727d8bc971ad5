package org.weir.ui.internal;

import java.nio.file.Path;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;

import jakarta.inject.Named;

/** File › Open Capture…: asks for a pcap or pcapng file and analyses it. */
public final class OpenCaptureHandler {

    @Execute
    public void execute(@Named("activeShell") Shell shell, CaptureController controller) {
        FileDialog dialog = new FileDialog(shell, SWT.OPEN);
        dialog.setText("Open Capture");
        dialog.setFilterNames(new String[] {"Captures (*.pcap, *.pcapng, *.cap)", "All files"});
        dialog.setFilterExtensions(new String[] {"*.pcap;*.pcapng;*.cap;*.PCAP;*.PCAPNG", "*"});
        String file = dialog.open();
        if (file != null) {
            controller.open(Path.of(file));
        }
    }
}
