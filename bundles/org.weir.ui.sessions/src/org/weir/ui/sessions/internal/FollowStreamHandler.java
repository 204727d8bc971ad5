package org.weir.ui.sessions.internal;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.ui.SessionPackets;

/**
 * Follow Stream… (Ctrl+Alt+Shift+T, as Wireshark's Follow TCP Stream): reads the data of the one TCP or UDP session
 * selected ({@link SessionPackets#follow}) and shows it in a {@link FollowStreamWindow}.
 */
public final class FollowStreamHandler {

    /**
     * The data the window shows at most: enough to read, while its hex dump (about 4.5 characters a byte, each
     * character two bytes) stays a few dozen megabytes; {@code weir follow} prints more.
     */
    static final long MAX_BYTES = 4L << 20;

    @CanExecute
    public boolean canExecute(MApplication app, EModelService models, @Optional SessionPackets packets) {
        SessionsPart view = view(app, models);
        return packets != null && view != null && followable(view.selectedSession()) && packets.canExport();
    }

    @Execute
    public void execute(MApplication app, EModelService models, SessionPackets packets) {
        SessionsPart view = view(app, models);
        Session session = view == null ? null : view.selectedSession();
        if (!followable(session)) {
            return;
        }
        // The window's parent is the workbench's window, not whichever shell was active (a dialog gone by then).
        Shell window = view.shell();
        Display display = window.getDisplay();
        packets.follow(session, MAX_BYTES, stream -> display.asyncExec(() -> {
            if (!window.isDisposed()) {
                new FollowStreamWindow(window, stream, () -> {
                    if (!window.isDisposed()) {
                        view.filterOut(session.uid());
                    }
                }).open();
            }
        }));
    }

    static boolean followable(Session session) {
        return session != null && (session.transport() == Transport.TCP || session.transport() == Transport.UDP);
    }

    private static SessionsPart view(MApplication app, EModelService models) {
        MUIElement element = models.find(ExportSessionsHandler.PART_ID, app);
        return element instanceof MPart part && part.getObject() instanceof SessionsPart view ? view : null;
    }
}
