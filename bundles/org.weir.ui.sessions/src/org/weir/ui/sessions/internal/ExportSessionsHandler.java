package org.weir.ui.sessions.internal;

import java.nio.file.Path;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Shell;

import jakarta.inject.Named;

/**
 * File › Export Sessions…: writes the sessions the Sessions view shows (its filter applied, in its order) as a Zeek
 * conn.log or JSON lines; File › Export Selected Sessions… (the command's {@value #SELECTED} parameter) only those
 * of them that are selected, as Wireshark's Export Specified Packets offers. The command's {@value #FILE} parameter
 * names the file without asking (scripts, tests).
 */
public final class ExportSessionsHandler {

    /** The command's optional parameter: the file to write. */
    public static final String FILE = "org.weir.ui.sessions.export.file";
    /** The command's optional parameter: {@code true} for the selected rows only. */
    public static final String SELECTED = "org.weir.ui.sessions.export.selected";
    static final String PART_ID = "org.weir.ui.sessions.part";

    @CanExecute
    public boolean canExecute(MApplication app, EModelService models, @Optional @Named(SELECTED) String selected) {
        SessionsPart view = view(app, models);
        return view != null && (Boolean.parseBoolean(selected) ? view.hasSelectedRows() : view.rows().length > 0);
    }

    @Execute
    public void execute(@Named("activeShell") Shell shell, MApplication app, EModelService models,
            @Optional @Named(FILE) String file, @Optional @Named(SELECTED) String selected) {
        SessionsPart view = view(app, models);
        if (view == null) {
            return;
        }
        boolean selectedOnly = Boolean.parseBoolean(selected);
        String title = selectedOnly ? "Export Selected Sessions" : "Export Sessions (" + view.rows().length + " shown)";
        String target = file;
        if (target == null) {
            FileDialog dialog = ExportTarget.dialog(shell, title, "conn.log", view.captures(),
                    "Zeek conn.log (*.log)", "*.log", "JSON lines (*.json)", "*.json", "All files", "*");
            target = dialog.open();
            if (target == null) {
                return;
            }
        }
        if (ExportTarget.accept(shell, title, target, view.captures())) {
            view.export(Path.of(target), selectedOnly);
        }
    }

    private static SessionsPart view(MApplication app, EModelService models) {
        MUIElement element = models.find(PART_ID, app);
        return element instanceof MPart part && part.getObject() instanceof SessionsPart view ? view : null;
    }
}
