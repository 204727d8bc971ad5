package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.ui.internal.OnScreen.body;
import static org.weir.ui.internal.OnScreen.button;
import static org.weir.ui.internal.OnScreen.find;
import static org.weir.ui.internal.OnScreen.label;
import static org.weir.ui.internal.OnScreen.rowCount;
import static org.weir.ui.internal.OnScreen.table;
import static org.weir.ui.internal.OnScreen.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.eclipse.core.commands.ParameterizedCommand;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.e4.core.commands.ECommandService;
import org.eclipse.e4.core.commands.EHandlerService;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.menu.MMenuItem;
import org.eclipse.e4.ui.model.application.ui.MUIElement;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.nebula.widgets.nattable.NatTable;
import org.eclipse.nebula.widgets.nattable.grid.layer.GridLayer;
import org.eclipse.nebula.widgets.nattable.layer.DataLayer;
import org.eclipse.nebula.widgets.nattable.layer.ILayer;
import org.eclipse.nebula.widgets.nattable.reorder.command.ColumnReorderCommand;
import org.eclipse.nebula.widgets.nattable.resize.command.ColumnResizeCommand;
import org.eclipse.nebula.widgets.nattable.selection.SelectionLayer;
import org.eclipse.nebula.widgets.nattable.selection.command.MoveSelectionCommand;
import org.eclipse.nebula.widgets.nattable.selection.command.SelectAllCommand;
import org.eclipse.nebula.widgets.nattable.sort.command.SortColumnCommand;
import org.eclipse.nebula.widgets.nattable.viewport.command.ShowColumnInViewportCommand;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DragSource;
import org.eclipse.swt.dnd.DragSourceAdapter;
import org.eclipse.swt.dnd.DragSourceEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.ProgressMonitor;
import org.weir.core.Session;
import org.weir.core.Transport;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.ZeekLog;
import org.weir.ui.CaptureModel;

/**
 * Opens a real capture in the real workbench (capture named on the command line) and checks what a person sees: the
 * Sessions view (a contribution of another bundle, through a model fragment) lists every session the analyzer
 * delivers, the status line shows that count, clicking a column sorts by it. Saves a screenshot.
 */
class WorkbenchTest {

    private static final String CAPTURE = "zeek/core.tcp.rxmit-history/traces/wikipedia.pcap";
    /** Captured on the sending host: every UDP checksum is one the network card was to fill in. */
    private static final String OFFLOADED = "attacks/dns-tunnel/dns2tcp-netrack-2018-03-23.pcap";
    /** id.orig_p: always numeric (orig_bytes is unset without a duration) and inside the viewport. */
    private static final int ORIG_PORT_COLUMN = 3;
    /** proto: a short value, so most of the cell is background. */
    private static final int PROTO_COLUMN = 6;

    @Test
    void capturePassedOnTheCommandLineIsShownInTheSessionsView() throws Exception {
        Path capture = Corpus.resolve(CAPTURE);
        long expected = sessionsDeliveredByTheAnalyzer(capture, null).size();
        assertTrue(expected > 0, "the analyzer delivered no session for " + capture);

        // The Sessions view's choices and the recent captures outlive a run: start from none, whatever an earlier run
        // of this test chose.
        sessionsViewSettings().clear();
        // ... but for the columns as arranged in an earlier run: ip_proto before tunnel_parents, history wider (width
        // 0: the usual one; columns left out follow in their usual order).
        sessionsViewSettings().put("columnLayout", "ts:0,uid:0,id.orig_h:0,id.orig_p:0,id.resp_h:0,id.resp_p:0,"
                + "proto:0,service:0,duration:0,orig_bytes:0,resp_bytes:0,conn_state:0,local_orig:0,local_resp:0,"
                + "missed_bytes:0,history:333,orig_pkts:0,orig_ip_bytes:0,resp_pkts:0,resp_ip_bytes:0,ip_proto:0");
        sessionsViewSettings().flush();
        InstanceScope.INSTANCE.getNode(RecentCaptures.NODE).remove(RecentCaptures.KEY);
        InstanceScope.INSTANCE.getNode(RecentCaptures.NODE).flush();
        // -Y as Wireshark's: a display filter applied from the start (here one that every session passes, so that
        // what follows sees them all).
        try (RunningWorkbench wb = RunningWorkbench.start("-capture", capture.toString(), "-Y", "ts")) {
            IWorkbench workbench = wb.workbench(Duration.ofSeconds(60));
            MApplication app = workbench.getApplication();

            // The Sessions view is not in Application.e4xmi: it comes from org.weir.ui.sessions' model fragment.
            MUIElement part = wb.ui(() -> app.getContext().get(EModelService.class).find("org.weir.ui.sessions.part",
                    app));
            assertNotNull(part, "the Sessions view fragment was not merged into the application model");
            // Help › About Weir carries the data attributions; its command must have a handler.
            List<String> handled = wb.ui(() -> app.getHandlers().stream()
                    .map(h -> h.getCommand() == null ? "" : h.getCommand().getElementId()).toList());
            assertTrue(handled.contains("org.weir.ui.command.about"), "handled commands: " + handled);
            assertEquals(CaptureModel.MAIN_PART_STACK, wb.ui(() -> part.getParent().getElementId()));

            CaptureModel model = wb.ui(() -> app.getContext().get(CaptureModel.class));
            waitFor(Duration.ofSeconds(120), "the analysis to finish",
                    () -> model.snapshot().state() != CaptureModel.State.ANALYSING
                            && model.snapshot().state() != CaptureModel.State.EMPTY);
            assertEquals(CaptureModel.State.DONE, model.snapshot().state(), model.snapshot().message());
            assertEquals(expected, model.snapshot().sessionCount(), "sessions held by the workbench");

            // What is on screen: the table's rows and the status line's count, once the UI has caught up.
            waitFor(Duration.ofSeconds(30), "the table to show " + expected + " rows",
                    () -> wb.ui(() -> rowCount(table(wb.display()))) == expected);
            assertEquals("ts", wb.ui(() -> text(wb.display(), "sessionsFilter").getText()));
            waitFor(Duration.ofSeconds(30), "the -Y filter's count beside it",
                    () -> wb.ui(() -> label(wb.display(), "sessionsFilterStatus").getText())
                            .equals("Showing " + expected + " of " + expected + " sessions"));
            assertEquals("wikipedia.pcap \u2014 Weir", wb.ui(() -> table(wb.display()).getShell().getText()),
                    "the window's title names the capture");
            String countText = wb.ui(() -> label(wb.display(), "sessionCount").getText());
            assertEquals(expected, Long.parseLong(countText.replaceAll("[^0-9]", "")), "status line: " + countText);
            List<String> arranged = shownTitles(wb);
            assertEquals(arranged.indexOf("tunnel_parents") - 1, arranged.indexOf("ip_proto"), arranged.toString());
            assertEquals(333, (int) wb.ui(() -> body(table(wb.display())).getColumnWidthByPosition(arranged
                    .indexOf("history"))), "the width kept from the earlier run");
            // The tool tip over a column header says what the column means; over a history or conn_state cell it spells
            // out Zeek's codes.
            for (String title : List.of("history", "conn_state")) {
                int bodyPosition = shownTitles(wb).indexOf(title);
                List<String> hover = wb.ui(() -> {
                    NatTable t = table(wb.display());
                    t.doCommand(new ShowColumnInViewportCommand(bodyPosition));
                    t.redraw();
                    t.update();
                    int x = 0; // the grid's row 0 is the column headers
                    while (!title.equals(String.valueOf(t.getDataValueByPosition(t.getColumnPositionByX(x), 0)))) {
                        x += 5;
                    }
                    Event move = new Event();
                    move.x = x + 5;
                    move.y = t.getStartYOfRowPosition(0) + 5; // the header: what the column means
                    t.notifyListeners(SWT.MouseMove, move);
                    String headerTip = String.valueOf(t.getToolTipText());
                    move.y = t.getStartYOfRowPosition(1) + 5; // the first row
                    t.notifyListeners(SWT.MouseMove, move);
                    return List.of(String.valueOf(t.getDataValueByPosition(t.getColumnPositionByX(move.x), 1)),
                            String.valueOf(t.getToolTipText()), headerTip);
                });
                String cell = hover.get(0), tip = hover.get(1);
                assertTrue(hover.get(2).startsWith(title + ": "), hover.get(2));
                if (title.equals("history")) {
                    assertTrue(tip.startsWith("history, in the order first seen") && tip.split("\n").length
                            == cell.length() + 1 && tip.contains("\n" + cell.charAt(0) + "  "), cell + ": " + tip);
                } else {
                    assertTrue(tip.startsWith(cell + ": "), cell + ": " + tip);
                }
            }
            wb.ui(() -> table(wb.display()).doCommand(new ShowColumnInViewportCommand(0))); // back to the left
            String firstUid = wb.ui(() -> String.valueOf(body(table(wb.display())).getDataValueByPosition(1, 0)));
            assertTrue(firstUid.matches("C[0-9A-Za-z]{6,}"), "uid column shows " + firstUid);

            // A selected row is a session: it stays selected where sorting moves it.
            String selectedUid = wb.ui(() -> {
                SelectionLayer selection = (SelectionLayer) body(table(wb.display()));
                selection.selectRow(0, 0, false, false);
                return String.valueOf(selection.getDataValueByPosition(1, 0));
            });

            // Clicking a header sorts (off the UI thread); the column then reads in ascending order.
            wb.ui(() -> {
                NatTable t = table(wb.display());
                return t.doCommand(new SortColumnCommand(t, ORIG_PORT_COLUMN + 1, false));
            });
            waitFor(Duration.ofSeconds(30), "id.orig_p to be sorted ascending",
                    () -> isAscending(columnValues(wb, ORIG_PORT_COLUMN)));
            List<Long> sorted = columnValues(wb, ORIG_PORT_COLUMN);
            assertTrue(sorted.get(0) < sorted.get(sorted.size() - 1), "id.orig_p all equal: " + sorted);
            assertEquals(expected, sorted.size());
            List<String> stillSelected = selectedUids(wb);
            assertEquals(List.of(selectedUid), stillSelected, "the selection follows its session through the sort");

            Path png = screenshot(wb, "workbench-" + capture.getFileName() + ".png");
            // The table must really have been painted (text and grid lines), not only laid out.
            double ink = inkInTable(wb, png);
            assertTrue(ink > 0.02, "the Sessions table looks unpainted in " + png + " (dark pixels: " + ink + ")");
            // The selected row is drawn in the platform's list-selection colour, the others are not.
            RGB selectionColour = wb.ui(() -> wb.display().getSystemColor(SWT.COLOR_LIST_SELECTION).getRGB());
            int selectedRow = wb.ui(() -> ((SelectionLayer) body(table(wb.display())))
                    .getFullySelectedRowPositions()[0]);
            int otherRow = selectedRow == 0 ? 1 : 0;
            double inSelected = shareOfColour(wb, png, selectedRow, selectionColour);
            double inOther = shareOfColour(wb, png, otherRow, selectionColour);
            assertTrue(inSelected > 0.5 && inOther < 0.05, "pixels in the selection colour " + selectionColour
                    + ": " + inSelected + " of selected row " + selectedRow + ", " + inOther + " of row " + otherRow);

            // A right click on the column headers opens their menu; its choice of UTC dates shows in the ts column
            // and is kept with the part.
            String epoch = wb.ui(() -> String.valueOf(body(table(wb.display())).getDataValueByPosition(0, 0)));
            assertTrue(epoch.matches("1300475\\d{3}\\.\\d{6}"), "ts as Zeek logs it: " + epoch);
            boolean menuShown = wb.ui(() -> {
                NatTable t = table(wb.display());
                Event click = new Event();
                click.button = 3;
                click.x = 200;
                click.y = 5; // in the column header row
                t.notifyListeners(SWT.MouseDown, click);
                Menu menu = (Menu) t.getData("org.weir.ui.sessions.headerMenu");
                boolean visible = menu.isVisible();
                menu.setVisible(false);
                return visible;
            });
            assertTrue(menuShown, "a right click on the column headers opens their menu");
            wb.ui(() -> {
                Menu menu = (Menu) table(wb.display()).getData("org.weir.ui.sessions.headerMenu");
                for (MenuItem item : menu.getItems()) {
                    if (item.getText().startsWith("Date and time, UTC")) {
                        item.setSelection(true);
                        item.notifyListeners(SWT.Selection, new Event());
                    }
                }
                return null;
            });
            String utc = wb.ui(() -> String.valueOf(body(table(wb.display())).getDataValueByPosition(0, 0)));
            assertTrue(utc.matches("2011-03-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}"), "ts as a UTC date: " + utc);
            assertEquals(java.time.Instant.ofEpochSecond(Long.parseLong(epoch.substring(0, 10))).toString()
                    .replace('T', ' ').replace("Z", ""), utc.substring(0, 19), "the same time");
            assertEquals("UTC", sessionsViewSettings().get("timeDisplay", null), "kept for the next run");

            // Beyond Zeek's columns: the enrichment's geo and names groups at first, others from the same menu.
            List<String> titles = shownTitles(wb);
            assertTrue(titles.containsAll(List.of("resp_location.country_code", "resp_as.organization", "resp_domain"))
                    && !titles.contains("criticality"), titles.toString());
            long named = model.snapshot().sessions().stream().filter(s -> s.respInfo().domain() != null).count();
            assertTrue(named > 0, "the capture's DNS answers name some responders");
            assertEquals(named, columnCells(wb, "resp_domain").stream().filter(v -> !v.equals("-")).count(),
                    "resp_domain cells with a name");
            wb.ui(() -> {
                Menu menu = (Menu) table(wb.display()).getData("org.weir.ui.sessions.headerMenu");
                for (MenuItem item : menu.getItems()) {
                    if (item.getText().startsWith("intel") || item.getText().startsWith("geo")) {
                        item.setSelection(item.getText().startsWith("intel"));
                        item.notifyListeners(SWT.Selection, new Event());
                    }
                }
                return null;
            });
            titles = shownTitles(wb);
            assertTrue(titles.containsAll(List.of("criticality", "verdict", "resp_domain"))
                    && !titles.contains("resp_location.country_code"), titles.toString());
            assertEquals("names,intel", sessionsViewSettings().get("columnGroups", null));

            // Ctrl+A selects every row, and a sort keeps them all selected; Ctrl+click then takes one away.
            wb.ui(() -> table(wb.display()).doCommand(new SelectAllCommand()));
            assertEquals(expected, (int) wb.ui(() -> ((SelectionLayer) body(table(wb.display())))
                    .getFullySelectedRowPositions().length), "select all");
            wb.ui(() -> {
                NatTable t = table(wb.display());
                return t.doCommand(new SortColumnCommand(t, ORIG_PORT_COLUMN + 1, false)); // now descending
            });
            waitFor(Duration.ofSeconds(30), "id.orig_p to be sorted descending",
                    () -> isAscending(columnValues(wb, ORIG_PORT_COLUMN).reversed()));
            assertEquals(expected, (int) wb.ui(() -> ((SelectionLayer) body(table(wb.display())))
                    .getFullySelectedRowPositions().length), "every row stays selected through a sort");
            String deselected = wb.ui(() -> {
                SelectionLayer selection = (SelectionLayer) body(table(wb.display()));
                selection.selectRow(0, 0, false, true);
                return String.valueOf(selection.getDataValueByPosition(1, 0));
            });
            List<String> afterCtrlClick = selectedUids(wb);
            assertEquals(expected - 1, afterCtrlClick.size(), "Ctrl+click takes one row out of the selection");
            assertTrue(!afterCtrlClick.contains(deselected), deselected + " is still selected");

            // Ctrl+C copies the selected rows as the table shows them, tab-separated, in its order; Ctrl+Shift+C
            // with the column titles first.
            checkCopy(wb, afterCtrlClick, false);
            checkCopy(wb, afterCtrlClick, true);
            // Long work of any bundle (a user job) shows in the status line and stops with its Cancel button.
            checkUserJobProgress(wb);

            // A newer snapshot of the same capture, as the analysis publishes while it runs (here the same sessions in
            // the reverse order): the selected sessions stay selected.
            CaptureModel.Snapshot now = model.snapshot();
            List<Session> reversed = new ArrayList<>(now.sessions());
            java.util.Collections.reverse(reversed);
            model.publish(new CaptureModel.Snapshot(now.state(), now.captures(), now.options(), reversed, now.result(),
                    now.message()));
            waitFor(Duration.ofSeconds(30), "the newer snapshot to be shown", () -> wb.ui(() -> {
                ILayer body = body(table(wb.display()));
                // Sorted by id.orig_p descending, stably: of two rows with the same port, the later session first.
                for (int row = 1; row < body.getRowCount(); row++) {
                    if (body.getDataValueByPosition(ORIG_PORT_COLUMN, row - 1)
                            .equals(body.getDataValueByPosition(ORIG_PORT_COLUMN, row))) {
                        return String.valueOf(body.getDataValueByPosition(0, row - 1))
                                .compareTo(String.valueOf(body.getDataValueByPosition(0, row))) > 0;
                    }
                }
                throw new AssertionError("no two sessions from the same port");
            }));
            assertEquals(new java.util.TreeSet<>(afterCtrlClick), new java.util.TreeSet<>(selectedUids(wb)),
                    "the selection carried over to the newer snapshot");

            // The display filter bar: checked as it is typed, applied on Enter; the table shows what passes.
            checkDisplayFilter(wb, app, model, expected);

            // File › Open Capture… asks for the file and a capture filter; only the frames it accepts are analysed.
            CaptureController controller = wb.ui(() -> app.getContext().get(CaptureController.class));
            long udpSessions = sessionsDeliveredByTheAnalyzer(capture, "udp").size();
            assertTrue(udpSessions > 0 && udpSessions < expected, "udp sessions: " + udpSessions);
            OpenCaptureDialog open = openCapture(wb, controller, capture, " udp ", false);
            assertEquals(capture, open.capture());
            assertEquals("udp", open.filter());
            controller.open(List.of(open.capture()), open.filter(), open.ignoreChecksums());
            waitFor(Duration.ofSeconds(60), "the filtered analysis to finish",
                    () -> model.snapshot().state() == CaptureModel.State.DONE
                            && model.snapshot().sessionCount() == udpSessions);
            assertTrue(model.snapshot().message().startsWith("capture filter 'udp': "), model.snapshot().message());
            assertEquals("udp", controller.lastFilter(), "the next Open Capture… offers the filter again");
            assertEquals(0, (int) wb.ui(() -> ((SelectionLayer) body(table(wb.display())))
                    .getFullySelectedRowPositions().length), "a new analysis starts without a selection");
            waitFor(Duration.ofSeconds(30), "the table to show " + udpSessions + " rows",
                    () -> wb.ui(() -> rowCount(table(wb.display()))) == udpSessions);

            // A capture taken on the sending host, whose checksums its network card was to fill in: Zeek's warning
            // in the status line; ticking Ignore checksums counts the packets it left out.
            Path offloaded = Corpus.resolve(OFFLOADED);
            controller.open(List.of(offloaded), "", false);
            waitFor(Duration.ofSeconds(60), "the offloaded capture's analysis to finish",
                    () -> model.snapshot().state() == CaptureModel.State.DONE
                            && List.of(offloaded).equals(model.snapshot().captures()));
            assertTrue(model.snapshot().message().contains("checksum offloading"), model.snapshot().message());
            assertEquals(0, model.snapshot().sessions().stream().mapToLong(s -> s.origPackets() + s.respPackets())
                    .sum(), "every packet has a bad checksum");
            OpenCaptureDialog ignoring = openCapture(wb, controller, offloaded, "", true);
            assertTrue(ignoring.ignoreChecksums());
            controller.open(List.of(ignoring.capture()), ignoring.filter(), ignoring.ignoreChecksums());
            waitFor(Duration.ofSeconds(60), "the analysis with checksums ignored to count the packets",
                    () -> model.snapshot().state() == CaptureModel.State.DONE && model.snapshot().sessions().stream()
                            .mapToLong(s -> s.origPackets() + s.respPackets()).sum() > 0);
            assertFalse(model.snapshot().message().contains("checksum offloading"), model.snapshot().message());
            assertTrue(controller.lastIgnoreChecksums(), "the next Open Capture… offers the choice again");

            // A filter libpcap cannot compile: its words in a dialog, no stack trace.
            controller.open(List.of(capture), "tcp port", false);
            waitFor(Duration.ofSeconds(60), "the refused filter to be reported",
                    () -> model.snapshot().state() == CaptureModel.State.FAILED);
            assertTrue(model.snapshot().message().contains("capture filter 'tcp port'")
                    && model.snapshot().message().contains("syntax error"), model.snapshot().message());
            Shell refused = waitForDialog(wb, Duration.ofSeconds(30));
            assertTrue(wb.ui(() -> allText(refused)).contains("syntax error"), wb.ui(() -> allText(refused)));
            wb.ui(() -> {
                refused.close();
                return null;
            });

            // A capture that cannot be read: a plain message in a dialog and in the status line, no stack trace.
            Path missing = capture.resolveSibling("no-such-capture.pcap");
            controller.open(missing);
            // The refused filter left the state FAILED too: wait for this capture's failure.
            waitFor(Duration.ofSeconds(60), "the failure to be reported",
                    () -> model.snapshot().state() == CaptureModel.State.FAILED
                            && model.snapshot().message().contains("no-such-capture.pcap"));
            String failure = model.snapshot().message();
            assertTrue(failure.contains("no-such-capture.pcap") && failure.contains("no such file"), failure);
            // The status line may have to cut a long message: its tool tip has all of it.
            waitFor(Duration.ofSeconds(30), "the status line's tool tip to carry the message",
                    () -> String.valueOf(wb.ui(() -> label(wb.display(), "message").getToolTipText()))
                            .endsWith("\n" + failure));
            Shell dialog = waitForDialog(wb, Duration.ofSeconds(30));
            String shown = wb.ui(() -> allText(dialog));
            assertTrue(shown.contains("no such file"), "dialog says: " + shown);
            assertTrue(!shown.contains("Exception") && !shown.contains("\tat "), "dialog says: " + shown);
            wb.ui(() -> {
                dialog.close();
                return null;
            });
            assertEquals("", wb.ui(() -> label(wb.display(), "sessionCount").getText()));

            // Columns dragged into another order or width are kept for the next run; the headers' menu undoes that.
            wb.ui(() -> {
                ILayer body = body(table(wb.display()));
                body.doCommand(new ColumnReorderCommand(body, 1, 0)); // uid first
                body.doCommand(new ColumnResizeCommand(body, 0, 222));
                return null;
            });
            assertTrue(sessionsViewSettings().get("columnLayout", "").startsWith("uid:222,ts:"),
                    sessionsViewSettings().get("columnLayout", null));
            pick(wb, "org.weir.ui.sessions.headerMenu", "Default Column Order");
            assertEquals(List.of("ts", "uid"), shownTitles(wb).subList(0, 2), "the usual order again");
            assertEquals(null, sessionsViewSettings().get("columnLayout", null), "nothing kept");

            // File › Open Recent lists the captures opened, newest first (not the one that was not there), and opens
            // the one picked.
            List<String> recent = wb.ui(() -> {
                List<String> labels = new ArrayList<>();
                for (MenuItem item : recentMenu(wb).getItems()) {
                    labels.add(item.getText());
                }
                return labels;
            });
            assertEquals(List.of("&1  " + capture.toAbsolutePath().normalize(),
                    "&2  " + offloaded.toAbsolutePath().normalize()), recent);
            wb.ui(() -> {
                recentMenu(wb).getItem(1).notifyListeners(SWT.Selection, new Event());
                return null;
            });
            waitFor(Duration.ofSeconds(60), "the recent capture's analysis", () -> model.snapshot().state()
                    == CaptureModel.State.DONE && List.of(offloaded.toAbsolutePath().normalize())
                            .equals(model.snapshot().captures()));
            assertEquals(List.of(offloaded.toAbsolutePath().normalize(), capture.toAbsolutePath().normalize()),
                    controller.recentCaptures(), "the capture opened comes first");

            // File › Merge Capture… (the file as the command's parameter, as its dialog hands it over): the capture
            // shown and the one added are analysed together, merged by time, and both named in the title.
            List<Path> both = List.of(offloaded.toAbsolutePath().normalize(), capture.toAbsolutePath().normalize());
            long merged = sessionsDeliveredByTheAnalyzer(both, null).size();
            assertEquals(1, (int) wb.ui(() -> app.getContext().get(EModelService.class).findElements(app,
                    "org.weir.ui.menuitem.mergeCapture", MMenuItem.class, null, EModelService.IN_MAIN_MENU).size()));
            assertTrue(wb.ui(() -> {
                ParameterizedCommand merge = app.getContext().get(ECommandService.class).createCommand(
                        MergeCaptureHandler.COMMAND, Map.of(MergeCaptureHandler.FILE, capture.toString()));
                EHandlerService handlers = app.getContext().get(EHandlerService.class);
                return handlers.canExecute(merge) && handlers.executeHandler(merge) == null;
            }), "Merge Capture… runs once an analysis has ended");
            waitFor(Duration.ofSeconds(60), "the merged analysis to finish", () -> model.snapshot().state()
                    == CaptureModel.State.DONE && both.equals(model.snapshot().captures()));
            assertEquals(merged, model.snapshot().sessionCount(), "the sessions of both captures");
            waitFor(Duration.ofSeconds(30), "the window's title to name both", () -> wb.ui(() -> table(wb.display())
                    .getShell().getText()).equals(offloaded.getFileName() + " + wikipedia.pcap \u2014 Weir"));
            assertFalse(wb.ui(() -> controller.merge(List.of(capture))), "a capture shown is not added twice");

            // A capture file dragged from a file manager and dropped onto the window is opened: the drag comes from a
            // shell of the test's own that offers the file as a file manager does, moved by the X server's pointer.
            Path dropped = capture.toAbsolutePath().normalize();
            drag(wb, display -> table(display), Map.of(FileTransfer.getInstance(), new String[] {dropped.toString()}));
            waitFor(Duration.ofSeconds(60), "the dropped capture's analysis", () -> model.snapshot().state()
                    == CaptureModel.State.DONE && List.of(dropped).equals(model.snapshot().captures()));
            assertEquals(expected, model.snapshot().sessionCount());

            // A click on row 2 and a Shift+click on row 5 select rows 2 to 5; Down then selects row 6 alone, the one
            // after the row clicked last, as Wireshark's list moves from its focused row (NatTable's own rule moves
            // from the extension's anchor: row 3).
            waitFor(Duration.ofSeconds(30), "the table to show the dropped capture's " + expected + " rows",
                    () -> wb.ui(() -> rowCount(table(wb.display()))) == expected);
            List<Integer> moved = wb.ui(() -> {
                NatTable t = table(wb.display());
                SelectionLayer rows = (SelectionLayer) body(t);
                rows.selectRow(0, 2, false, false);
                rows.selectRow(0, 5, true, false);
                List<Integer> extended = Arrays.stream(rows.getFullySelectedRowPositions()).boxed().toList();
                t.doCommand(new MoveSelectionCommand(SelectionLayer.MoveDirectionEnum.DOWN, false, false));
                List<Integer> after = Arrays.stream(rows.getFullySelectedRowPositions()).boxed().toList();
                return extended.equals(List.of(2, 3, 4, 5)) ? after : List.of(-1);
            });
            assertEquals(List.of(6), moved, "Down after a Shift+click");

            checkFollowStream(wb, app, sessionsDeliveredByTheAnalyzer(capture, null));

            // A file manager offers its files as text too, which a text field would take: dropped onto the filter,
            // the capture opens and the filter stays as it was. Text alone dropped there is inserted.
            Path onFilter = offloaded.toAbsolutePath().normalize();
            drag(wb, display -> text(display, "sessionsFilter"), Map.of(FileTransfer.getInstance(), new String[] {
                    onFilter.toString()}, TextTransfer.getInstance(), onFilter.toUri().toString()));
            waitFor(Duration.ofSeconds(60), "the capture dropped onto the filter to be analysed", () -> model
                    .snapshot().state() == CaptureModel.State.DONE && List.of(onFilter).equals(model.snapshot()
                    .captures()));
            assertEquals("", wb.ui(() -> text(wb.display(), "sessionsFilter").getText()), "the filter dropped on");
            drag(wb, display -> text(display, "sessionsFilter"), Map.of(TextTransfer.getInstance(), "tcp"));
            waitFor(Duration.ofSeconds(10), "the text dropped onto the filter",
                    () -> wb.ui(() -> text(wb.display(), "sessionsFilter").getText()).equals("tcp"));
            assertEquals(List.of(onFilter), model.snapshot().captures(), "text opens nothing");
        }
    }

    /**
     * Drags what a little shell of its own offers (a label, in the given forms, as file managers offer files) to the
     * middle of a control of the workbench, by pointer events the X server performs (Display.post), as a person's drag
     * would.
     */
    private static void drag(RunningWorkbench wb, Function<Display, Control> onto, Map<Transfer, Object> offered)
            throws Exception {
        CompletableFuture<Void> released = new CompletableFuture<>();
        Shell source = wb.ui(() -> {
            Display display = wb.display();
            Control target = onto.apply(display);
            Rectangle area = target.getBounds();
            Point to = target.toDisplay(area.width / 2, area.height / 2);
            Shell shell = new Shell(display);
            shell.setLayout(new FillLayout());
            Label label = new Label(shell, SWT.BORDER);
            label.setText("drag me");
            Point corner = target.toDisplay(10, 10);
            shell.setBounds(corner.x, corner.y, 180, 60);
            DragSource drag = new DragSource(label, DND.DROP_COPY | DND.DROP_MOVE);
            drag.setTransfer(offered.keySet().toArray(Transfer[]::new));
            drag.addDragListener(new DragSourceAdapter() {
                @Override
                public void dragSetData(DragSourceEvent event) {
                    offered.forEach((transfer, data) -> {
                        if (transfer.isSupportedType(event.dataType)) {
                            event.data = data;
                        }
                    });
                }
            });
            shell.open();
            Point from = label.toDisplay(40, 20);
            List<int[]> steps = new ArrayList<>(); // type, x, y, button
            steps.add(new int[] {SWT.MouseMove, from.x, from.y, 0});
            steps.add(new int[] {SWT.MouseDown, from.x, from.y, 1});
            for (int i = 1; i <= 30; i++) {
                steps.add(new int[] {SWT.MouseMove, from.x + (to.x - from.x) * i / 30, from.y + (to.y - from.y) * i
                        / 30, 0});
            }
            steps.add(new int[] {SWT.MouseMove, to.x + 1, to.y, 0});
            steps.add(new int[] {SWT.MouseUp, to.x + 1, to.y, 1});
            Runnable[] step = new Runnable[1];
            int[] at = {0};
            step[0] = () -> {
                if (at[0] == steps.size()) {
                    released.complete(null);
                    return;
                }
                int[] s = steps.get(at[0]++);
                Event e = new Event();
                e.type = s[0];
                e.x = s[1];
                e.y = s[2];
                e.button = s[3];
                display.post(e);
                display.timerExec(40, step[0]); // room for the toolkit's drag protocol between moves
            };
            display.timerExec(500, step[0]);
            return shell;
        });
        try {
            released.get(30, TimeUnit.SECONDS);
        } finally {
            wb.ui(() -> {
                source.dispose();
                return null;
            });
        }
    }

    /** File › Open Recent's menu, filled as when it opens. UI thread. */
    private static Menu recentMenu(RunningWorkbench wb) {
        Menu bar = table(wb.display()).getShell().getMenuBar();
        for (MenuItem top : bar.getItems()) {
            if (top.getText().replace("&", "").equals("File")) {
                top.getMenu().notifyListeners(SWT.Show, new Event()); // JFace fills a menu as it opens
                for (MenuItem item : top.getMenu().getItems()) {
                    if (item.getText().replace("&", "").startsWith("Open Recent")) {
                        Menu recent = item.getMenu();
                        recent.notifyListeners(SWT.Show, new Event());
                        return recent;
                    }
                }
            }
        }
        throw new IllegalStateException("no File › Open Recent");
    }

    /**
     * Types filters into the Sessions view's filter bar as a person would (the text, then Enter), and checks the rows
     * against conditions evaluated here on the workbench's sessions: a valid filter, a mistake (red, the reason beside
     * it, the rows unchanged, the characters at fault selected), a cell's "Apply as Filter", and Escape to clear.
     */
    private static void checkDisplayFilter(RunningWorkbench wb, MApplication app, CaptureModel model, long all)
            throws Exception {
        List<org.weir.core.Session> sessions = model.snapshot().sessions();
        List<String> dnsUids = sessions.stream()
                .filter(s -> s.transport() == Transport.UDP && s.service().equals("dns")).map(s -> s.uid()).toList();
        long dns = dnsUids.size();
        assertTrue(dns > 0 && dns < all, "dns over udp: " + dns + " of " + all);
        List<String> selected = selectedUids(wb);
        typeFilter(wb, "udp && service == dns");
        waitFor(Duration.ofSeconds(30), "the filtered table to show " + dns + " rows",
                () -> wb.ui(() -> rowCount(table(wb.display()))) == dns);
        waitFor(Duration.ofSeconds(30), "the filter's count beside it",
                () -> wb.ui(() -> label(wb.display(), "sessionsFilterStatus").getText())
                        .equals("Showing " + dns + " of " + all + " sessions"));
        for (int row = 0; row < dns; row++) {
            int r = row;
            assertEquals("udp dns", wb.ui(() -> {
                ILayer body = body(table(wb.display()));
                return body.getDataValueByPosition(PROTO_COLUMN, r) + " " + body.getDataValueByPosition(7, r);
            }), "row " + row);
        }
        // Selected sessions stay selected where the filter shows them (and when it hides them, for later).
        assertEquals(new java.util.TreeSet<>(selected.stream().filter(dnsUids::contains).toList()),
                new java.util.TreeSet<>(selectedUids(wb)), "the selection through the filter");
        // File › Export Sessions… writes what is shown (the command's file parameter stands for the file dialog).
        assertEquals(1, (int) wb.ui(() -> app.getContext().get(EModelService.class).findElements(app,
                "org.weir.ui.sessions.menuitem.export", MMenuItem.class, null, EModelService.IN_MAIN_MENU).size()),
                "File › Export Sessions… from the view's fragment");
        Path exported = Files.createTempFile("weir-export", ".log");
        Files.delete(exported);
        wb.ui(() -> {
            ParameterizedCommand export = app.getContext().get(ECommandService.class).createCommand(
                    "org.weir.ui.sessions.command.export", Map.of("org.weir.ui.sessions.export.file",
                            exported.toString()));
            return app.getContext().get(EHandlerService.class).executeHandler(export);
        });
        waitFor(Duration.ofSeconds(30), "the export to finish", () -> Files.exists(exported)
                && Files.readString(exported).contains("\n#close\t"));
        List<String> exportedUids = ZeekLog.read(exported).records().stream().map(r -> r.get("uid")).toList();
        assertEquals(columnCells(wb, "uid"), exportedUids, "the rows shown, in their order");
        Files.delete(exported);
        // File › Export Selected Sessions…: the selected ones of them.
        List<String> selectedShown = selectedUids(wb);
        assertTrue(!selectedShown.isEmpty() && selectedShown.size() < dns, "selected rows shown: " + selectedShown);
        wb.ui(() -> {
            ParameterizedCommand export = app.getContext().get(ECommandService.class).createCommand(
                    "org.weir.ui.sessions.command.export", Map.of("org.weir.ui.sessions.export.file",
                            exported.toString(), "org.weir.ui.sessions.export.selected", "true"));
            return app.getContext().get(EHandlerService.class).executeHandler(export);
        });
        waitFor(Duration.ofSeconds(30), "the export of the selection to finish", () -> Files.exists(exported)
                && Files.readString(exported).contains("\n#close\t"));
        assertEquals(selectedShown, ZeekLog.read(exported).records().stream().map(r -> r.get("uid")).toList(),
                "the selected rows shown, in their order");
        Files.delete(exported);
        // File › Export Packets of Selected Sessions…: their packets, which analysed again make those sessions.
        Path packets = Files.createTempFile("weir-export", ".pcap");
        Files.delete(packets);
        wb.ui(() -> app.getContext().get(EHandlerService.class).executeHandler(app.getContext()
                .get(ECommandService.class).createCommand("org.weir.ui.sessions.command.exportPackets",
                        Map.of("org.weir.ui.sessions.exportPackets.file", packets.toString()))));
        waitFor(Duration.ofSeconds(30), "the packets to be written", () -> Files.exists(packets)
                && Arrays.stream(Job.getJobManager().find(null))
                        .noneMatch(j -> j.getName().startsWith("Exporting the packets")));
        List<Session> chosen = sessions.stream().filter(s -> selectedShown.contains(s.uid())).toList();
        assertEquals(sessionLines(chosen), sessionLines(sessionsDeliveredByTheAnalyzer(packets, null)));
        // The status line says what was done.
        long packetCount = chosen.stream().mapToLong(s -> s.origPackets() + s.respPackets()).sum();
        waitFor(Duration.ofSeconds(30), "the status line to say what was written", () -> wb.ui(() -> label(
                wb.display(), "task").getText().equals("Wrote " + packetCount + " packets of " + chosen.size()
                        + " sessions to " + packets.getFileName())));
        Files.delete(packets);

        RGB green = wb.ui(() -> text(wb.display(), "sessionsFilter").getBackground().getRGB());
        assertEquals(new RGB(0xAF, 0xFF, 0xAF), green, "a filter that compiles is green");

        // A mistake: red, the reason beside it, the rows as they were, the unknown name selected.
        typeFilter(wb, "id.resp == 53");
        assertEquals(new RGB(0xFF, 0xAF, 0xAF), wb.ui(() -> text(wb.display(), "sessionsFilter").getBackground()
                .getRGB()), "a filter that does not compile is red");
        String reason = wb.ui(() -> label(wb.display(), "sessionsFilterStatus").getText());
        assertTrue(reason.contains("unknown field 'id.resp'") && reason.contains("did you mean"), reason);
        assertEquals(new Point(0, 7), wb.ui(() -> text(wb.display(), "sessionsFilter")
                .getSelection()), "the characters at fault are selected");
        assertEquals(dns, (long) wb.ui(() -> rowCount(table(wb.display()))), "the rows keep the applied filter");

        // A right click on a cell offers its value as a filter, as Wireshark's Apply as Filter does.
        typeFilter(wb, "");
        waitFor(Duration.ofSeconds(30), "every row again", () -> wb.ui(() -> rowCount(table(wb.display()))) == all);
        assertEquals(new java.util.TreeSet<>(selected), new java.util.TreeSet<>(selectedUids(wb)),
                "the sessions the filter hid are selected again");
        String origin = wb.ui(() -> String.valueOf(body(table(wb.display())).getDataValueByPosition(2, 0)));
        String clickedUid = wb.ui(() -> {
            SelectionLayer selection = (SelectionLayer) body(table(wb.display()));
            selection.clear();
            return String.valueOf(selection.getDataValueByPosition(1, 0));
        });
        long fromOrigin = sessions.stream().filter(s -> s.origAddress().equals(origin)).count();
        assertTrue(fromOrigin > 0 && fromOrigin < all, origin + ": " + fromOrigin);
        List<String> offered = wb.ui(() -> {
            NatTable t = table(wb.display());
            int position = 0;
            while (t.getColumnIndexByPosition(position) != 2) { // id.orig_h
                position++;
            }
            Event click = new Event();
            click.button = 3;
            click.x = t.getStartXOfColumnPosition(position) + 5;
            click.y = t.getStartYOfRowPosition(1) + 5; // the first row below the column headers
            t.notifyListeners(SWT.MouseDown, click);
            Menu menu = (Menu) t.getData("org.weir.ui.sessions.cellMenu");
            boolean visible = menu.isVisible();
            menu.setVisible(false);
            List<String> filters = new ArrayList<>();
            for (MenuItem item : menu.getItems()) {
                if (item.getData() instanceof String f) {
                    filters.add(f);
                }
            }
            return visible ? filters : List.of();
        });
        assertEquals(List.of("id.orig_h == " + origin, "!(id.orig_h == " + origin + ")"), offered);
        assertEquals(List.of(clickedUid), selectedUids(wb), "the right click selects the row it was on");
        assertTrue(wb.ui(() -> {
            for (MenuItem item : ((Menu) table(wb.display()).getData("org.weir.ui.sessions.cellMenu")).getItems()) {
                if (item.getText().startsWith("Export Packets of Selected Sessions")) {
                    return item.isEnabled();
                }
            }
            return false;
        }), "the cell menu offers the export of the selected session's packets");
        // The same menu copies the cell's value.
        pick(wb, "org.weir.ui.sessions.cellMenu", "Copy Value");
        assertEquals(origin, clipboardText(wb), "Copy Value");
        wb.ui(() -> {
            Menu menu = (Menu) table(wb.display()).getData("org.weir.ui.sessions.cellMenu");
            menu.getItem(1).notifyListeners(SWT.Selection, new Event());
            return null;
        });
        waitFor(Duration.ofSeconds(30), "the sessions from " + origin,
                () -> wb.ui(() -> rowCount(table(wb.display()))) == fromOrigin);
        assertEquals("id.orig_h == " + origin, wb.ui(() -> text(wb.display(), "sessionsFilter").getText()));

        // With a filter applied, the menu also combines the value with it, by "and" and by "or"; Prepare as Filter
        // puts a choice in the bar without applying it.
        String current = "id.orig_h == " + origin;
        List<String> combined = wb.ui(() -> {
            NatTable t = table(wb.display());
            int position = 0;
            while (t.getColumnIndexByPosition(position) != ORIG_PORT_COLUMN) { // id.orig_p
                position++;
            }
            Event click = new Event();
            click.button = 3;
            click.x = t.getStartXOfColumnPosition(position) + 5;
            click.y = t.getStartYOfRowPosition(1) + 5;
            t.notifyListeners(SWT.MouseDown, click);
            Menu menu = (Menu) t.getData("org.weir.ui.sessions.cellMenu");
            menu.setVisible(false);
            List<String> filters = new ArrayList<>();
            for (MenuItem item : menu.getItems()) {
                if (item.getData() instanceof String f) {
                    filters.add(f);
                }
                if (item.getText().equals("Prepare as Filter")) {
                    MenuItem last = item.getMenu().getItem(item.getMenu().getItemCount() - 1);
                    last.notifyListeners(SWT.Selection, new Event());
                }
            }
            return filters;
        });
        String port = combined.get(0).substring("id.orig_p == ".length());
        assertEquals(List.of("id.orig_p == " + port, "!(id.orig_p == " + port + ")",
                "(" + current + ") && id.orig_p == " + port, "(" + current + ") && !(id.orig_p == " + port + ")",
                "(" + current + ") || id.orig_p == " + port, "(" + current + ") || !(id.orig_p == " + port + ")"),
                combined);
        assertEquals(combined.get(5), wb.ui(() -> text(wb.display(), "sessionsFilter").getText()), "prepared");
        assertEquals(fromOrigin, (long) wb.ui(() -> rowCount(table(wb.display()))), "and not applied");
        wb.ui(() -> {
            text(wb.display(), "sessionsFilter").setText(current); // as it was
            return null;
        });

        // Up recalls the filter applied before (the mistake was never applied, so it is not kept).
        assertEquals("udp && service == dns", wb.ui(() -> {
            Text filter = text(wb.display(), "sessionsFilter");
            Event up = new Event();
            up.keyCode = SWT.ARROW_UP;
            filter.notifyListeners(SWT.KeyDown, up);
            return filter.getText();
        }));

        // The arrow beside the bar lists the filters applied before, newest first; picking one applies it.
        List<String> recent = wb.ui(() -> {
            Button arrow = button(wb.display(), "sessionsFilterRecent");
            arrow.notifyListeners(SWT.Selection, new Event());
            Menu menu = (Menu) arrow.getData("org.weir.ui.sessions.recentFilters");
            boolean visible = menu.isVisible();
            menu.setVisible(false);
            List<String> filters = new ArrayList<>();
            for (MenuItem item : menu.getItems()) {
                filters.add((String) item.getData());
            }
            return visible ? filters : List.of();
        });
        assertEquals(List.of("id.orig_h == " + origin, "udp && service == dns"), recent.subList(0,
                Math.min(2, recent.size())), "the menu opens with the filters applied, newest first: " + recent);
        wb.ui(() -> {
            Menu menu = (Menu) button(wb.display(), "sessionsFilterRecent")
                    .getData("org.weir.ui.sessions.recentFilters");
            menu.getItem(1).notifyListeners(SWT.Selection, new Event());
            return null;
        });
        waitFor(Duration.ofSeconds(30), "the DNS sessions again", () -> wb.ui(() -> rowCount(table(wb.display())))
                == dns);
        assertEquals("udp && service == dns", wb.ui(() -> text(wb.display(), "sessionsFilter").getText()));

        // Escape clears the filter: every session again.
        wb.ui(() -> {
            Text filter = text(wb.display(), "sessionsFilter");
            Event escape = new Event();
            escape.keyCode = SWT.ESC;
            filter.notifyListeners(SWT.KeyDown, escape);
            return null;
        });
        waitFor(Duration.ofSeconds(30), "every row after Escape",
                () -> wb.ui(() -> rowCount(table(wb.display()))) == all);
        assertEquals("", wb.ui(() -> label(wb.display(), "sessionsFilterStatus").getText()));
    }

    /** The titles of the columns shown (in view or scrolled away), left to right, by body position. */
    /**
     * Presses Ctrl+C (with Shift: the titles too) in the table and checks the clipboard: a line per selected row (the
     * uids as selected), each row's cells as shown, tab-separated.
     */
    private static void checkCopy(RunningWorkbench wb, List<String> selectedUids, boolean titles) throws Exception {
        wb.ui(() -> {
            Clipboard clipboard = new Clipboard(wb.display());
            clipboard.setContents(new Object[] {"before the copy"}, new Transfer[] {TextTransfer.getInstance()});
            clipboard.dispose();
            Event key = new Event();
            key.keyCode = 'c';
            key.character = 3;
            key.stateMask = SWT.MOD1 | (titles ? SWT.SHIFT : 0);
            table(wb.display()).notifyListeners(SWT.KeyDown, key);
            return null;
        });
        String[] copied = new String[1];
        waitFor(Duration.ofSeconds(30), "the copy to reach the clipboard", () -> {
            copied[0] = clipboardText(wb);
            return !copied[0].equals("before the copy");
        });
        List<String> lines = new ArrayList<>(List.of(copied[0].split("\n", -1)));
        assertEquals("", lines.remove(lines.size() - 1), "the text ends with a line break");
        List<String> shownTitles = shownTitles(wb);
        if (titles) {
            assertEquals(String.join("\t", shownTitles), lines.remove(0), "the titles' line");
        }
        assertEquals(selectedUids.size(), lines.size(), "copied lines");
        int uidColumn = shownTitles.indexOf("uid");
        assertEquals(selectedUids, lines.stream().map(l -> l.split("\t", -1)[uidColumn]).toList(),
                "the selected rows, in the table's order");
        List<String> firstRow = wb.ui(() -> {
            ILayer body = body(table(wb.display()));
            int row = 0;
            while (!((SelectionLayer) body).isRowPositionSelected(row)) {
                row++;
            }
            List<String> cells = new ArrayList<>();
            for (int column = 0; column < body.getColumnCount(); column++) {
                cells.add(String.valueOf(body.getDataValueByPosition(column, row)));
            }
            return cells;
        });
        assertEquals(String.join("\t", firstRow), lines.get(0), "the first selected row's cells as shown");
    }

    /** Picks the item of one of the table's menus (under this data key) whose text starts so. */
    private static void pick(RunningWorkbench wb, String menuKey, String textStart) throws Exception {
        wb.ui(() -> {
            for (MenuItem item : ((Menu) table(wb.display()).getData(menuKey)).getItems()) {
                if (item.getText().startsWith(textStart)) {
                    item.notifyListeners(SWT.Selection, new Event());
                    return null;
                }
            }
            throw new IllegalStateException("no item '" + textStart + "' in " + menuKey);
        });
    }

    private static String clipboardText(RunningWorkbench wb) throws Exception {
        return wb.ui(() -> {
            Clipboard clipboard = new Clipboard(wb.display());
            try {
                return String.valueOf(clipboard.getContents(TextTransfer.getInstance()));
            } finally {
                clipboard.dispose();
            }
        });
    }

    /**
     * A user job that runs until it is cancelled: its name and progress show in the status line, whose Cancel button
     * stops it; then the line is clear again.
     */
    private static void checkUserJobProgress(RunningWorkbench wb) throws Exception {
        Job job = new Job("Waiting to be cancelled") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                monitor.beginTask("Waiting for the Cancel button", 4);
                monitor.worked(1);
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!monitor.isCanceled() && System.nanoTime() < until) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Status.CANCEL_STATUS;
                    }
                }
                return monitor.isCanceled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
            }
        };
        job.setUser(true);
        job.schedule();
        waitFor(Duration.ofSeconds(30), "the job's progress in the status line", () -> wb.ui(() -> {
            ProgressBar bar = OnScreen.widget(wb.display(), "progress", ProgressBar.class);
            return label(wb.display(), "task").getText().equals("Waiting for the Cancel button\u2026")
                    && bar.isVisible() && bar.getSelection() == 250 && button(wb.display(), "cancel").isVisible();
        }));
        wb.ui(() -> {
            button(wb.display(), "cancel").notifyListeners(SWT.Selection, new Event());
            return null;
        });
        assertTrue(job.join(30_000, null), "the job ended");
        assertEquals(IStatus.CANCEL, job.getResult().getSeverity(), "the Cancel button cancelled the job");
        waitFor(Duration.ofSeconds(30), "the status line to clear", () -> wb.ui(() -> label(wb.display(), "task")
                .getText().isEmpty() && !button(wb.display(), "cancel").isVisible()));

        // What a job that ended well says it did stays shown a while, until the next job; Eclipse's plain "ok" is
        // not shown (the line goes from "Did it" to the job's name to nothing).
        for (IStatus result : List.of(new Status(IStatus.OK, WorkbenchTest.class, "Did it"), Status.OK_STATUS)) {
            Job done = Job.create("Quick", monitor -> {
                try {
                    Thread.sleep(500); // long enough to be shown running: the line is never empty before it ends
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return result;
            });
            done.setUser(true);
            done.schedule();
            assertTrue(done.join(30_000, null), "the job ended");
            String expected = result == Status.OK_STATUS ? "" : "Did it";
            // Well within the ten seconds a result is shown, after which the line is empty anyway.
            waitFor(Duration.ofSeconds(5), "'" + expected + "' in the status line", () -> wb.ui(() -> label(
                    wb.display(), "task").getText().equals(expected)));
        }
    }

    private static List<String> shownTitles(RunningWorkbench wb) throws Exception {
        return wb.ui(() -> {
            ILayer header = ((GridLayer) table(wb.display()).getLayer()).getColumnHeaderLayer();
            while (!(header instanceof DataLayer)) {
                header = header.getUnderlyingLayerByPosition(0, 0); // sort header, header: down to the titles
            }
            ILayer body = body(table(wb.display()));
            List<String> titles = new ArrayList<>();
            for (int position = 0; position < body.getColumnCount(); position++) {
                titles.add(String.valueOf(header.getDataValueByPosition(body.getColumnIndexByPosition(position), 0)));
            }
            return titles;
        });
    }

    /** Every row's cell of the column with this title, as shown. */
    private static List<String> columnCells(RunningWorkbench wb, String title) throws Exception {
        int column = shownTitles(wb).indexOf(title);
        assertTrue(column >= 0, title + " is not shown");
        return wb.ui(() -> {
            ILayer body = body(table(wb.display()));
            List<String> cells = new ArrayList<>();
            for (int row = 0; row < body.getRowCount(); row++) {
                cells.add(String.valueOf(body.getDataValueByPosition(column, row)));
            }
            return cells;
        });
    }

    /** Puts an expression into the filter bar and presses Enter there. */
    private static void typeFilter(RunningWorkbench wb, String expression) throws Exception {
        wb.ui(() -> {
            Text filter = text(wb.display(), "sessionsFilter");
            filter.setFocus();
            filter.setText(expression);
            filter.notifyListeners(SWT.DefaultSelection, new Event());
            return null;
        });
    }

    /** The Sessions view's preferences (its bundle's instance scope). */
    private static IEclipsePreferences sessionsViewSettings() {
        return InstanceScope.INSTANCE.getNode("org.weir.ui.sessions");
    }

    private static List<Session> sessionsDeliveredByTheAnalyzer(Path capture, String filter) throws Exception {
        return sessionsDeliveredByTheAnalyzer(List.of(capture), filter);
    }

    private static List<Session> sessionsDeliveredByTheAnalyzer(List<Path> captures, String filter)
            throws Exception {
        BundleContext bc = FrameworkUtil.getBundle(WorkbenchTest.class).getBundleContext();
        ServiceTracker<CaptureAnalyzer, CaptureAnalyzer> tracker = new ServiceTracker<>(bc, CaptureAnalyzer.class,
                null);
        tracker.open();
        try {
            CaptureAnalyzer analyzer = tracker.waitForService(30_000);
            assertNotNull(analyzer, "no CaptureAnalyzer service within 30 s");
            List<Session> closed = new ArrayList<>();
            AnalysisResult result = analyzer.analyze(captures, AnalysisOptions.defaults().withCaptureFilter(filter),
                    batch -> closed.addAll(batch.closed()), ProgressMonitor.NONE);
            assertEquals(result.sessions(), closed.size(), "sessions in the result vs. closed sessions delivered");
            return closed;
        } finally {
            tracker.close();
        }
    }

    /** What two analyses of a session's packets agree on (all but the uid), a line per session, sorted. */
    private static List<String> sessionLines(List<Session> sessions) {
        return sessions.stream().map(s -> String.join(" ", s.origAddress(), Integer.toString(s.origPort()),
                s.respAddress(), Integer.toString(s.respPort()), s.transport().toString(), s.service(), s.history(),
                s.connState(), Long.toString(s.durationNanos()), Long.toString(s.origPackets()),
                Long.toString(s.respPackets()), Long.toString(s.origIpBytes()), Long.toString(s.respIpBytes())))
                .sorted().toList();
    }

    /** File › Open Capture… filled in and confirmed as a user does; the dialog holds the choices made. */
    private static OpenCaptureDialog openCapture(RunningWorkbench wb, CaptureController controller, Path file,
            String filter, boolean ignoreChecksums) throws Exception {
        return wb.ui(() -> {
            OpenCaptureDialog d = new OpenCaptureDialog(table(wb.display()).getShell(), controller.lastFilter(),
                    controller.lastIgnoreChecksums());
            d.setBlockOnOpen(false);
            d.open();
            ((Text) find(d.getShell(), "captureFile")).setText(file.toString());
            ((Text) find(d.getShell(), "captureFilter")).setText(filter);
            ((Button) find(d.getShell(), "ignoreChecksums")).setSelection(ignoreChecksums);
            d.getShell().getDefaultButton().notifyListeners(SWT.Selection, new Event());
            return d;
        });
    }

    /** The uids of the selected rows, in row order. */
    private static List<String> selectedUids(RunningWorkbench wb) throws Exception {
        return wb.ui(() -> {
            SelectionLayer selection = (SelectionLayer) body(table(wb.display()));
            List<String> uids = new ArrayList<>();
            for (int row : java.util.Arrays.stream(selection.getFullySelectedRowPositions()).sorted().toArray()) {
                uids.add(String.valueOf(selection.getDataValueByPosition(1, row)));
            }
            return uids;
        });
    }

    private static List<Long> columnValues(RunningWorkbench wb, int column) throws Exception {
        return wb.ui(() -> {
            ILayer body = body(table(wb.display()));
            List<Long> values = new ArrayList<>();
            for (int row = 0; row < body.getRowCount(); row++) {
                values.add(Long.parseLong(String.valueOf(body.getDataValueByPosition(column, row))));
            }
            return values;
        });
    }

    private static boolean isAscending(List<Long> values) {
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i - 1) > values.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static Path screenshot(RunningWorkbench wb, String name) throws Exception {
        Path dir = Path.of(System.getProperty("weir.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        // Let the window paint: redraw, then process the resulting paint events for a moment.
        wb.ui(() -> {
            Shell shell = table(wb.display()).getShell();
            shell.layout(true, true);
            shell.redraw();
            shell.update();
            return null;
        });
        long until = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < until) {
            wb.ui(() -> {
                Display display = wb.display();
                while (display.readAndDispatch()) {
                    // paint
                }
                return null;
            });
            Thread.sleep(50);
        }
        wb.ui(() -> {
            Display display = wb.display();
            Shell shell = table(display).getShell();
            Rectangle bounds = shell.getBounds();
            Image image = new Image(display, bounds.width, bounds.height);
            GC gc = new GC(display);
            try {
                gc.copyArea(image, bounds.x, bounds.y);
                ImageLoader loader = new ImageLoader();
                loader.data = new ImageData[] {image.getImageData()};
                loader.save(file.toString(), SWT.IMAGE_PNG);
            } finally {
                gc.dispose();
                image.dispose();
            }
            return null;
        });
        return file;
    }

    /** Fraction of dark pixels (text, grid lines) inside the table's area of the screenshot. */
    private static double inkInTable(RunningWorkbench wb, Path png) throws Exception {
        Rectangle area = wb.ui(() -> inScreenshot(table(wb.display()), table(wb.display()).getClientArea()));
        return share(png, area, rgb -> rgb.red + rgb.green + rgb.blue < 3 * 128);
    }

    /** Fraction of the pixels of a body row (its proto cell) in the screenshot that have the colour {@code rgb}. */
    private static double shareOfColour(RunningWorkbench wb, Path png, int rowPosition, RGB rgb) throws Exception {
        Rectangle cell = wb.ui(() -> {
            NatTable t = table(wb.display());
            // Grid positions: the column header and the row header come first.
            return inScreenshot(t, t.getCellByPosition(PROTO_COLUMN + 1, rowPosition + 1).getBounds());
        });
        // Inside the cell's grid lines.
        return share(png, new Rectangle(cell.x + 1, cell.y + 1, cell.width - 2, cell.height - 2), rgb::equals);
    }

    /** A rectangle of the table in the coordinates of a {@link #screenshot} of its shell. UI thread. */
    private static Rectangle inScreenshot(NatTable t, Rectangle inTable) {
        Rectangle onScreen = t.getDisplay().map(t, null, inTable);
        Rectangle shell = t.getShell().getBounds();
        return new Rectangle(onScreen.x - shell.x, onScreen.y - shell.y, onScreen.width, onScreen.height);
    }

    /** Fraction of the pixels of {@code area} in the image that pass {@code test}. */
    private static double share(Path png, Rectangle area, java.util.function.Predicate<RGB> test) {
        ImageData image = new ImageLoader().load(png.toString())[0];
        long passed = 0;
        long all = 0;
        for (int y = Math.max(0, area.y); y < Math.min(image.height, area.y + area.height); y++) {
            for (int x = Math.max(0, area.x); x < Math.min(image.width, area.x + area.width); x++) {
                if (test.test(image.palette.getRGB(image.getPixel(x, y)))) {
                    passed++;
                }
                all++;
            }
        }
        return all == 0 ? 0 : (double) passed / all;
    }

    /** The modal dialog the workbench opened over its window. */
    /**
     * Follow Stream… on the one row of an HTTP session selected: a window with the request in the originator's
     * colour, then the response in the responder's; as raw hex, each side's bytes are the session's.
     */
    private static void checkFollowStream(RunningWorkbench wb, MApplication app, List<Session> sessions)
            throws Exception {
        Session http = sessions.stream().filter(s -> "http".equals(s.service()) && s.respBytes() > 0
                && s.missedBytes() == 0).findFirst().orElseThrow();
        int uidColumn = shownTitles(wb).indexOf("uid");
        ParameterizedCommand follow = wb.ui(() -> app.getContext().get(ECommandService.class)
                .createCommand("org.weir.ui.sessions.command.followStream", null));
        EHandlerService handlers = wb.ui(() -> app.getContext().get(EHandlerService.class));
        assertFalse(wb.ui(() -> {
            SelectionLayer rows = (SelectionLayer) body(table(wb.display()));
            rows.selectRow(0, 1, false, false);
            rows.selectRow(0, 2, false, true);
            return handlers.canExecute(follow);
        }), "two rows selected: nothing to follow");
        assertTrue(wb.ui(() -> {
            SelectionLayer rows = (SelectionLayer) body(table(wb.display()));
            rows.clear();
            for (int row = 0; row < rows.getRowCount(); row++) {
                if (http.uid().equals(String.valueOf(rows.getDataValueByPosition(uidColumn, row)))) {
                    rows.selectRow(0, row, false, false);
                }
            }
            return handlers.canExecute(follow) && handlers.executeHandler(follow) == null;
        }), "Follow Stream on the row of " + http.uid());
        Shell window = waitForDialog(wb, Duration.ofSeconds(30));
        assertEquals("Follow TCP Stream (uid == \"" + http.uid() + "\") \u2014 " + http.origAddress() + ":"
                + http.origPort() + " \u2192 " + http.respAddress() + ":" + http.respPort(), wb.ui(window::getText));
        RGB origColour = new RGB(0x7F, 0x00, 0x00), respColour = new RGB(0x00, 0x00, 0x7F);
        List<Object> ascii = wb.ui(() -> {
            StyledText t = OnScreen.widget(wb.display(), "followText", StyledText.class);
            int response = t.getText().indexOf("\nHTTP/1.") + 1;
            return List.of(t.getText(), t.getStyleRangeAtOffset(0).foreground.getRGB(),
                    t.getStyleRangeAtOffset(response).foreground.getRGB());
        });
        assertTrue(((String) ascii.get(0)).startsWith("GET /"), (String) ascii.get(0));
        assertEquals(List.of(origColour, respColour), ascii.subList(1, 3), "the sides' colours");
        // Find: the response's status line, then from the top again; a text that is not there turns the field red.
        List<Object> found = wb.ui(() -> {
            Text find = OnScreen.widget(wb.display(), "followFind", Text.class);
            StyledText t = OnScreen.widget(wb.display(), "followText", StyledText.class);
            find.setText("\nHTTP/1.");
            find.notifyListeners(SWT.DefaultSelection, new Event());
            Point first = t.getSelection();
            find.notifyListeners(SWT.DefaultSelection, new Event());
            Point again = t.getSelection();
            find.setText("no such text");
            find.notifyListeners(SWT.DefaultSelection, new Event());
            return List.of(first, again, find.getBackground().getRGB());
        });
        int response = ((String) ascii.get(0)).indexOf("\nHTTP/1.");
        assertEquals(List.of(new Point(response, response + 8), new Point(response, response + 8),
                new RGB(0xFF, 0xAF, 0xAF)), found, "found, found again from the top, not found");
        // Enter typed on the keyboard into Find finds, and nothing else: the window has no default button to press.
        wb.ui(() -> {
            Text find = OnScreen.widget(wb.display(), "followFind", Text.class);
            find.setText("HTTP/1.");
            find.getShell().forceActive();
            find.forceFocus();
            return null;
        });
        waitFor(Duration.ofSeconds(10), "Find to have the keyboard", () -> wb.ui(() -> OnScreen.widget(wb.display(),
                "followFind", Text.class).isFocusControl()));
        wb.ui(() -> {
            for (int type : new int[] {SWT.KeyDown, SWT.KeyUp}) {
                Event key = new Event();
                key.type = type;
                key.character = SWT.CR;
                key.keyCode = SWT.CR;
                wb.display().post(key);
            }
            return null;
        });
        int requestLine = ((String) ascii.get(0)).indexOf("HTTP/1.");
        waitFor(Duration.ofSeconds(10), "Enter to find the request line's HTTP/1.", () -> wb.ui(() -> OnScreen
                .widget(wb.display(), "followText", StyledText.class).getSelection().x == requestLine));
        assertFalse(wb.ui(window::isDisposed), "Enter in Find leaves the window open");
        long[] hexDigits = wb.ui(() -> {
            Combo form = OnScreen.widget(wb.display(), "followForm", Combo.class);
            form.select(2); // Raw
            form.notifyListeners(SWT.Selection, new Event());
            StyledText t = OnScreen.widget(wb.display(), "followText", StyledText.class);
            long[] digits = new long[2];
            for (StyleRange r : t.getStyleRanges()) {
                String piece = t.getText(r.start, r.start + r.length - 1).strip();
                digits[r.foreground.getRGB().equals(origColour) ? 0 : 1] += piece.length();
            }
            return digits;
        });
        assertEquals(http.origBytes() * 2, hexDigits[0], "the originator's bytes as hex digits");
        assertEquals(http.respBytes() * 2, hexDigits[1], "the responder's bytes as hex digits");
        List<RGB> responderOnly = wb.ui(() -> {
            Combo sides = OnScreen.widget(wb.display(), "followSides", Combo.class);
            sides.select(2); // the responder's side alone
            sides.notifyListeners(SWT.Selection, new Event());
            StyledText t = OnScreen.widget(wb.display(), "followText", StyledText.class);
            return Arrays.stream(t.getStyleRanges()).map(r -> r.foreground.getRGB()).distinct().toList();
        });
        assertEquals(List.of(respColour), responderOnly, "one side shown");
        // Filter Out This Stream: the window closes, the view applies a filter without the session.
        String before = wb.ui(() -> text(wb.display(), "sessionsFilter").getText());
        long rows = wb.ui(() -> rowCount(table(wb.display())));
        wb.ui(() -> {
            OnScreen.button(wb.display(), "followFilterOut").notifyListeners(SWT.Selection, new Event());
            return null;
        });
        String out = "!(uid == \"" + http.uid() + "\")";
        assertEquals(before.isEmpty() ? out : "(" + before + ") && " + out, wb.ui(() -> text(wb.display(),
                "sessionsFilter").getText()));
        assertTrue(wb.ui(window::isDisposed), "the window closes");
        waitFor(Duration.ofSeconds(30), "one row less", () -> wb.ui(() -> rowCount(table(wb.display()))) == rows - 1);
        typeFilter(wb, before);
        waitFor(Duration.ofSeconds(30), "the rows as before", () -> wb.ui(() -> rowCount(table(wb.display())))
                == rows);
    }

    private static Shell waitForDialog(RunningWorkbench wb, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Shell dialog = wb.ui(() -> {
                Shell main = table(wb.display()).getShell();
                for (Shell shell : wb.display().getShells()) {
                    if (shell != main && shell.isVisible()) {
                        return shell;
                    }
                }
                return null;
            });
            if (dialog != null) {
                return dialog;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no dialog within " + timeout);
    }

    private static String allText(Control control) {
        StringBuilder sb = new StringBuilder();
        if (control instanceof Label l) {
            sb.append(l.getText()).append('\n');
        } else if (control instanceof Shell s) {
            sb.append(s.getText()).append('\n');
        }
        if (control instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                sb.append(allText(child));
            }
        }
        return sb.toString();
    }

    /** A condition a test waits for (may throw, as a look at the UI thread does). */
    interface Check {
        boolean holds() throws Exception;
    }

    /** Waits until the condition holds; fails, naming what it waited for, after the timeout. */
    static void waitFor(Duration timeout, String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }
}
