package org.weir.ui.internal;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.e4.ui.di.AboutToShow;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.commands.MCommand;
import org.eclipse.e4.ui.model.application.commands.MParameter;
import org.eclipse.e4.ui.model.application.ui.menu.MHandledMenuItem;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuElement;
import org.eclipse.e4.ui.workbench.modeling.EModelService;

/**
 * File › Open Recent: an item for each capture opened lately, newest first, numbered as Wireshark numbers them; each
 * runs the Open Recent command with its file ({@link OpenRecentCaptureHandler}). Built each time the menu opens.
 */
public final class RecentCapturesMenu {

    @AboutToShow
    public void aboutToShow(List<MMenuElement> items, CaptureController controller, MApplication app,
            EModelService models) {
        MCommand command = app.getCommands().stream()
                .filter(c -> OpenRecentCaptureHandler.COMMAND.equals(c.getElementId())).findFirst().orElse(null);
        if (command == null) {
            return;
        }
        List<Path> recent = controller.recentCaptures();
        if (recent.isEmpty()) {
            items.add(item(models, command, "No Recent Captures", "")); // disabled: no file to open
        }
        for (int i = 0; i < recent.size(); i++) {
            String path = recent.get(i).toString();
            String number = i < 9 ? "&" + (i + 1) : String.valueOf(i + 1);
            items.add(item(models, command, number + "  " + path.replace("&", "&&"), path));
        }
    }

    private static MHandledMenuItem item(EModelService models, MCommand command, String label, String file) {
        MHandledMenuItem item = models.createModelElement(MHandledMenuItem.class);
        item.setElementId("org.weir.ui.menuitem.openRecent." + file.hashCode());
        item.setLabel(label);
        item.setTooltip(file.isEmpty() ? null : file);
        item.setCommand(command);
        MParameter parameter = models.createModelElement(MParameter.class);
        parameter.setName(OpenRecentCaptureHandler.FILE);
        parameter.setValue(file);
        item.getParameters().add(parameter);
        return item;
    }
}
