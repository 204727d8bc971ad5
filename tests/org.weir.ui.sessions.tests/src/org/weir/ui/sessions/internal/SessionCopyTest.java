package org.weir.ui.sessions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.testsupport.TestSession;

/** The text Ctrl+C puts on the clipboard: the cells as shown, tab-separated, a line per row. */
class SessionCopyTest {

    private static final int[] COLUMNS = {SessionColumn.UID.ordinal(), SessionColumn.RESP_P.ordinal(),
            SessionColumn.SERVICE.ordinal()};

    private static Session session(String uid, String service) {
        return new TestSession("10.0.0.1", 40000, "192.0.2.1", 80, Transport.TCP).uid(uid)
                .at(1_300_475_167_000_000_000L, 1_000).service(service);
    }

    private static SessionsDataProvider.CellText cells() {
        return new SessionsDataProvider().cellText();
    }

    @Test
    void rowsInTheirOrderWithTheColumnsInTheOrderShownAndOptionallyTheirTitles() {
        Session[] rows = {session("Cb", "http"), session("Ca", null)};
        assertEquals("Cb\t80\thttp\nCa\t80\t-\n",
                SessionCopy.text(rows, COLUMNS, false, cells(), new NullProgressMonitor()));
        assertEquals("uid\tid.resp_p\tservice\nCb\t80\thttp\nCa\t80\t-\n",
                SessionCopy.text(rows, COLUMNS, true, cells(), new NullProgressMonitor()));
    }

    @Test
    void aTabOrLineBreakInAValueIsEscapedAsZeekWritesIt() {
        Session[] rows = {session("Cc", "a\tb\nc\rd")};
        assertEquals("Cc\t80\ta\\x09b\\x0ac\\x0dd\n",
                SessionCopy.text(rows, COLUMNS, false, cells(), new NullProgressMonitor()));
    }

    @Test
    void aCancelledCopyStops() {
        Session[] rows = new Session[20_000];
        java.util.Arrays.fill(rows, session("Cd", "dns"));
        NullProgressMonitor monitor = new NullProgressMonitor();
        monitor.setCanceled(true);
        assertThrows(OperationCanceledException.class, () -> SessionCopy.text(rows, COLUMNS, false, cells(),
                monitor));
    }
}
