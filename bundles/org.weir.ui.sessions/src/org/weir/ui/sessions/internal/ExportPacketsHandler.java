package org.weir.ui.sessions.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;
import org.weir.ui.SessionPackets;

import jakarta.inject.Named;

/**
 * File › Export Packets of Selected Sessions…: writes the packets of the selected sessions shown to a pcap or pcapng
 * file ({@link SessionPackets}), as Wireshark's Export Specified Packets writes the packets of a conversation. The
 * command's {@value #FILE} parameter names the file without asking (scripts, tests).
 */
public final class ExportPacketsHandler {

    /** The command's optional parameter: the file to write. */
    public static final String FILE = "org.weir.ui.sessions.exportPackets.file";
    private static final String TITLE = "Export Packets of Selected Sessions";

    @CanExecute
    public boolean canExecute(MApplication app, EModelService models, @Optional SessionPackets packets) {
        SessionsPart view = view(app, models);
        return packets != null && view != null && view.hasSelectedRows() && packets.canExport();
    }

    @Execute
    public void execute(@Named("activeShell") Shell shell, MApplication app, EModelService models,
            SessionPackets packets, @Optional @Named(FILE) String file) {
        SessionsPart view = view(app, models);
        if (view == null) {
            return;
        }
        String target = file;
        if (target == null) {
            FileDialog dialog = ExportTarget.dialog(shell, TITLE, "selected.pcap", view.captures(), "pcap (*.pcap)",
                    "*.pcap", "pcapng: frames of several link types (*.pcapng)", "*.pcapng");
            target = dialog.open();
            if (target == null) {
                return;
            }
            target = withExtension(target, dialog.getFilterIndex() == 1 ? ".pcapng" : ".pcap");
        }
        if (ExportTarget.accept(shell, TITLE, target, view.captures())) {
            packets.export(List.of(view.selectedSessions()), Path.of(target));
        }
    }

    /** The name as given when it ends in a capture's extension; else with the chosen type's. */
    static String withExtension(String name, String extension) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".pcap") || lower.endsWith(".pcapng") ? name : name + extension;
    }

    private static SessionsPart view(MApplication app, EModelService models) {
        MUIElement element = models.find(ExportSessionsHandler.PART_ID, app);
        return element instanceof MPart part && part.getObject() instanceof SessionsPart view ? view : null;
    }
}
