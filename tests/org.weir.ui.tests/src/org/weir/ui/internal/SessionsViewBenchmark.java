package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.weir.ui.internal.OnScreen.body;
import static org.weir.ui.internal.OnScreen.label;
import static org.weir.ui.internal.OnScreen.rowCount;
import static org.weir.ui.internal.OnScreen.table;
import static org.weir.ui.internal.OnScreen.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.core.commands.ParameterizedCommand;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.commands.ECommandService;
import org.eclipse.e4.core.commands.EHandlerService;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.nebula.widgets.nattable.NatTable;
import org.eclipse.nebula.widgets.nattable.layer.ILayer;
import org.eclipse.nebula.widgets.nattable.selection.SelectionLayer;
import org.eclipse.nebula.widgets.nattable.selection.command.SelectAllCommand;
import org.eclipse.nebula.widgets.nattable.sort.command.SortColumnCommand;
import org.eclipse.nebula.widgets.nattable.viewport.command.ShowRowInViewportCommand;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.weir.ui.CaptureModel;

/**
 * A harness, not a test: how responsive the real workbench stays with a large capture (the "a million rows").
 * It opens the capture named by the system property {@code weir.uiBenchmark} and prints, for the analysis, the
 * table's first showing of every row, sorting by several columns and scrolling to the last row: how long each took,
 * and how long the UI thread kept events waiting meanwhile (a probe thread asks it to run an empty task 20 ms after
 * each answer and times the next answer from when it was due, so that collections are counted). Run it as docs/PERFORMANCE.md
 * says ("Workbench"); without the property it does not run.
 */
@EnabledIfSystemProperty(named = "weir.uiBenchmark", matches = ".+")
class SessionsViewBenchmark {

    /** Columns sorted in turn: a port, a byte count (unset for many), an address, the uid (text). */
    private static final int[] SORT_COLUMNS = {3, 9, 2, 1};
    /** Display filters applied in turn (the last sort in force): numbers and text, a regular expression, networks. */
    private static final String[] FILTERS = {"tcp && conn_state == SF",
        "history matches \"^S[^h]\" || orig_bytes > 100000", "addr == 10.0.0.0/8 && port in {53 443 8000..8999}"};

    @Test
    void largeCapture() throws Exception {
        Path capture = Path.of(System.getProperty("weir.uiBenchmark"));
        System.out.printf(Locale.ROOT, "%nSessions view with %s (max heap %d MB)%n", capture,
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "%-34s %10s %14s %14s %8s%n", "phase", "took s", "UI wait max ms",
                "UI wait p99 ms", "probes");
        long start = System.nanoTime();
        try (RunningWorkbench wb = RunningWorkbench.start("-capture", capture.toString())) {
            MApplication app = wb.workbench(Duration.ofSeconds(60)).getApplication();
            CaptureModel model = wb.ui(() -> app.getContext().get(CaptureModel.class));
            Display display = wb.display();
            try (UiLatencyProbe probe = new UiLatencyProbe(display)) {
                System.out.printf(Locale.ROOT, "probe began at %s, %.2f s after the start%n", Instant.now(),
                        (System.nanoTime() - start) / 1e9);
                waitFor(Duration.ofMinutes(10), () -> model.snapshot().state() == CaptureModel.State.DONE);
                long sessions = model.snapshot().sessionCount();
                report("start-up and analysis", start, probe);

                long t = System.nanoTime();
                waitFor(Duration.ofMinutes(2), () -> wb.ui(() -> rowCount(table(display))) == sessions);
                report("table shows " + sessions + " rows", t, probe);

                for (int column : SORT_COLUMNS) {
                    t = System.nanoTime();
                    wb.ui(() -> {
                        NatTable table = table(display);
                        return table.doCommand(new SortColumnCommand(table, column + 1, false));
                    });
                    waitFor(Duration.ofMinutes(2), () -> noSortRunning() && sampleAscending(wb, column));
                    // The grid's first row is the column header, its first column the row header.
                    report("sort by " + wb.ui(() -> table(display).getDataValueByPosition(column + 1, 0)), t, probe);
                }

                // Every row selected (Ctrl+A), then sorted again: the selection follows its sessions.
                t = System.nanoTime();
                wb.ui(() -> table(display).doCommand(new SelectAllCommand()));
                report("select all rows", t, probe);
                t = System.nanoTime();
                wb.ui(() -> {
                    NatTable table = table(display);
                    return table.doCommand(new SortColumnCommand(table, SORT_COLUMNS[0] + 1, false));
                });
                waitFor(Duration.ofMinutes(2), () -> noSortRunning() && sampleAscending(wb, SORT_COLUMNS[0]));
                report("sort with every row selected", t, probe);

                t = System.nanoTime();
                wb.ui(() -> table(display).doCommand(new ShowRowInViewportCommand((int) sessions - 1)));
                wb.ui(() -> {
                    table(display).redraw();
                    table(display).update();
                    return null;
                });
                report("scroll to the last row", t, probe);
                assertEquals(sessions, (long) wb.ui(() -> rowCount(table(display))));
                // After the figures: looking every selected session up is the selection model's cost, not a phase's.
                assertEquals(sessions, (long) wb.ui(() -> ((SelectionLayer) body(table(display)))
                        .getFullySelectedRowPositions().length), "every row is still selected after the sort");

                for (int i = 0; i < FILTERS.length; i++) {
                    String filter = FILTERS[i];
                    t = System.nanoTime();
                    wb.ui(() -> {
                        Text text = text(display, "sessionsFilter");
                        text.setText(filter);
                        text.notifyListeners(SWT.DefaultSelection, new Event());
                        return null;
                    });
                    waitFor(Duration.ofMinutes(2), () -> wb.ui(() -> label(display, "sessionsFilterStatus").getText())
                            .startsWith("Showing"));
                    report("filter " + (i + 1) + " (" + wb.ui(() -> rowCount(table(display))) + " rows)", t, probe);
                }
                t = System.nanoTime();
                wb.ui(() -> {
                    Event escape = new Event();
                    escape.keyCode = SWT.ESC;
                    text(display, "sessionsFilter").notifyListeners(SWT.KeyDown, escape);
                    return null;
                });
                waitFor(Duration.ofMinutes(2), () -> wb.ui(() -> rowCount(table(display))) == sessions);
                report("clear the filter (Escape)", t, probe);

                // File › Export Sessions… of every row, as a conn.log with the groups shown (a user job).
                Path exported = Files.createTempFile("weir-export", ".log");
                Files.delete(exported);
                t = System.nanoTime();
                wb.ui(() -> {
                    ParameterizedCommand export = app.getContext().get(ECommandService.class).createCommand(
                            "org.weir.ui.sessions.command.export", Map.of("org.weir.ui.sessions.export.file",
                                    exported.toString()));
                    return app.getContext().get(EHandlerService.class).executeHandler(export);
                });
                waitFor(Duration.ofMinutes(5), () -> Files.exists(exported) && Files.size(exported) > 0
                        && noJobRunning("Exporting"));
                report("export " + sessions + " rows (" + (Files.size(exported) >> 20) + " MB)", t, probe);
                Files.delete(exported);

                // Ctrl+C with every row selected: the rows as text, on the clipboard (a user job).
                wb.ui(() -> {
                    Clipboard clipboard = new Clipboard(display);
                    clipboard.setContents(new Object[] {"-"}, new Transfer[] {TextTransfer.getInstance()});
                    clipboard.dispose();
                    return null;
                });
                t = System.nanoTime();
                wb.ui(() -> {
                    Event key = new Event();
                    key.keyCode = 'c';
                    key.character = 3;
                    key.stateMask = SWT.MOD1;
                    table(display).notifyListeners(SWT.KeyDown, key);
                    return null;
                });
                waitFor(Duration.ofMinutes(5), () -> noJobRunning("Copying"));
                wb.ui(() -> null); // after the job's hand-over of the text to the clipboard
                report("copy " + sessions + " rows (Ctrl+C)", t, probe);
                t = System.nanoTime();
                String copied = wb.ui(() -> {
                    Clipboard clipboard = new Clipboard(display);
                    try {
                        return String.valueOf(clipboard.getContents(TextTransfer.getInstance()));
                    } finally {
                        clipboard.dispose();
                    }
                });
                report("paste it here (the harness's check)", t, probe);
                assertEquals(sessions, copied.chars().filter(c -> c == '\n').count(), "lines copied");
                System.out.printf(Locale.ROOT, "  copied: %d MB of text%n", copied.length() >> 20);
                copied = null; // not part of the heap figure below

                // Export Packets of Selected Sessions… with every row selected: the capture read again (a user job).
                Path packets = Files.createTempFile("weir-benchmark", ".pcap");
                Files.delete(packets);
                t = System.nanoTime();
                wb.ui(() -> app.getContext().get(EHandlerService.class).executeHandler(app.getContext()
                        .get(ECommandService.class).createCommand("org.weir.ui.sessions.command.exportPackets",
                                Map.of("org.weir.ui.sessions.exportPackets.file", packets.toString()))));
                waitFor(Duration.ofMinutes(5), () -> Files.exists(packets) && noJobRunning("Exporting the packets"));
                report("export the packets of " + sessions + " sessions (" + (Files.size(packets) >> 20) + " MB)", t,
                        probe);
                Files.delete(packets);

                // Selections that are not all rows: one row taken out of the select-all, then half the rows.
                t = System.nanoTime();
                wb.ui(() -> {
                    ((SelectionLayer) body(table(display))).selectRow(0, 0, false, true); // Ctrl+click
                    return null;
                });
                report("Ctrl+click a row out of all", t, probe);
                t = System.nanoTime();
                wb.ui(() -> {
                    SelectionLayer selection = (SelectionLayer) body(table(display));
                    selection.selectRow(0, 0, false, false); // click
                    selection.selectRow(0, (int) sessions / 2, true, false); // Shift+click
                    return null;
                });
                report("Shift+click half the rows", t, probe);
                t = System.nanoTime();
                wb.ui(() -> {
                    NatTable table = table(display);
                    return table.doCommand(new SortColumnCommand(table, SORT_COLUMNS[1] + 1, false));
                });
                waitFor(Duration.ofMinutes(2), () -> noSortRunning() && sampleAscending(wb, SORT_COLUMNS[1]));
                report("sort with half the rows selected", t, probe);
                assertEquals(sessions / 2 + 1, (long) wb.ui(() -> ((SelectionLayer) body(table(display)))
                        .getSelectedRowCount()), "half the rows stay selected through the sort");
                for (int i = 0; i < FILTERS.length; i++) {
                    System.out.printf(Locale.ROOT, "  filter %d: %s%n", i + 1, FILTERS[i]);
                }

                System.gc();
                System.out.printf(Locale.ROOT, "heap in use with the capture open: %d MB%n",
                        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            }
        }
    }

    private static void report(String phase, long since, UiLatencyProbe probe) throws InterruptedException {
        double took = (System.nanoTime() - since) / 1e9;
        long[] waits = probe.drain();
        String longest = probe.drainLong();
        long max = waits.length == 0 ? 0 : waits[waits.length - 1];
        long p99 = waits.length == 0 ? 0 : waits[(int) Math.min(waits.length - 1, Math.ceil(waits.length * 0.99) - 1)];
        System.out.printf(Locale.ROOT, "%-34s %10.2f %14.1f %14.1f %8d%n", phase, took, max / 1e6, p99 / 1e6,
                waits.length);
        if (!longest.isEmpty()) {
            System.out.printf(Locale.ROOT, "  waits over %d ms (s since the probe began: ms): %s%n",
                    UiLatencyProbe.LONG_NANOS / 1_000_000, longest);
        }
    }

    private static boolean noSortRunning() {
        return noJobRunning("Sorting sessions");
    }

    private static boolean noJobRunning(String namePrefix) {
        for (Job job : Job.getJobManager().find(null)) {
            if (job.getName().startsWith(namePrefix)) {
                return false;
            }
        }
        return true;
    }

    /** 1,001 rows spread over the table read in ascending order of the column (numbers, or text). */
    private static boolean sampleAscending(RunningWorkbench wb, int column) throws Exception {
        return wb.ui(() -> {
            ILayer body = body(table(wb.display()));
            int n = body.getRowCount();
            Comparable<Object> previous = null;
            for (int i = 0; i <= 1000; i++) {
                Comparable<Object> value = key(body.getDataValueByPosition(column, (int) ((long) (n - 1) * i / 1000)));
                if (previous != null && value != null && previous.compareTo(value) > 0) {
                    return false;
                }
                previous = value != null ? value : previous;
            }
            return true;
        });
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> key(Object cell) {
        String text = String.valueOf(cell);
        if (text.equals("-") || text.isEmpty()) {
            return null;
        }
        try {
            return (Comparable<Object>) (Object) Double.valueOf(text);
        } catch (NumberFormatException e) {
            return null; // addresses and uids: their order is the view's comparator's, not the text's
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitFor(Duration timeout, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + timeout);
    }

    /**
     * Asks the UI thread to run an empty task 20 ms after each answer and keeps how long each answer took from when
     * it was due, by when it was due: a wait belongs to the phase in which it began.
     */
    private static final class UiLatencyProbe implements AutoCloseable {
        /** Waits at least this long are also listed with when they began, to set beside a recording's events. */
        static final long LONG_NANOS = 50_000_000;
        private static final long ASK_EVERY_NANOS = 20_000_000;
        private final long began = System.nanoTime();
        private final StringBuilder longWaits = new StringBuilder();
        private final Thread thread;
        private long[] asked = new long[1024];
        private long[] waits = new long[1024];
        private int count;
        private volatile long lastAnswered;
        private volatile boolean running = true;

        UiLatencyProbe(Display display) {
            thread = new Thread(() -> {
                long due = System.nanoTime();
                while (running && !display.isDisposed()) {
                    display.syncExec(() -> {
                    });
                    long answered = System.nanoTime();
                    // Timed from when the probe meant to ask, not from when it got to: a pause of the whole process
                    // (a collection) that began while the probe slept held an event due then as well, and timing
                    // from the late ask would leave that out.
                    record(due, answered - due);
                    due = answered + ASK_EVERY_NANOS;
                    long sleep = due - System.nanoTime();
                    if (sleep > 0) {
                        LockSupport.parkNanos(sleep);
                    }
                    if (Thread.interrupted()) {
                        return;
                    }
                }
            }, "ui-latency-probe");
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void record(long at, long nanos) {
            if (count == waits.length) {
                waits = Arrays.copyOf(waits, count * 2);
                asked = Arrays.copyOf(asked, count * 2);
            }
            asked[count] = at;
            waits[count++] = nanos;
            lastAnswered = at;
            if (nanos >= LONG_NANOS) {
                longWaits.append(String.format(Locale.ROOT, "%s%.2f: %.0f", longWaits.isEmpty() ? "" : ", ",
                        (at - began) / 1e9, nanos / 1e6));
            }
        }

        /** The long waits listed since the last call (see {@link #LONG_NANOS}); call after {@link #drain}. */
        synchronized String drainLong() {
            String listed = longWaits.toString();
            longWaits.setLength(0);
            return listed;
        }

        /** The waits asked for until now, sorted; first waits for the one under way to be answered. */
        long[] drain() throws InterruptedException {
            long now = System.nanoTime();
            while (lastAnswered < now && thread.isAlive()) {
                Thread.sleep(5);
            }
            synchronized (this) {
                int n = 0;
                while (n < count && asked[n] <= now) {
                    n++;
                }
                long[] drained = Arrays.copyOf(waits, n);
                System.arraycopy(waits, n, waits, 0, count - n);
                System.arraycopy(asked, n, asked, 0, count - n);
                count -= n;
                Arrays.sort(drained);
                return drained;
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
