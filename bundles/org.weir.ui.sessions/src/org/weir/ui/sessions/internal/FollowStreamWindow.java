package org.weir.ui.sessions.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.MessageBox;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.weir.core.FollowedStream;
import org.weir.core.IpAddress;
import org.weir.core.Session;
import org.weir.core.StreamText;

/**
 * Follow Stream's window, as Wireshark's: the session's data, the originator's in red on pink and the responder's in
 * blue on light blue, gaps marked; which sides to show (both, or one of them) and how (ASCII, hex dump, raw hex);
 * Find; Filter Out This Stream hides the session from the Sessions view; Save As… writes what is shown (Raw: the
 * bytes themselves). A window of its own, not modal: several can be open beside the Sessions view.
 */
final class FollowStreamWindow {

    /** Widget data values (key {@link SessionsPart#WIDGET_ID}), for UI tests. */
    static final String TEXT_ID = "followText", SIDES_ID = "followSides", FORM_ID = "followForm",
            FIND_ID = "followFind", FILTER_OUT_ID = "followFilterOut";

    /** Wireshark's colours for the client's and the server's data. */
    static final RGB ORIG_FOREGROUND = new RGB(0x7F, 0x00, 0x00), ORIG_BACKGROUND = new RGB(0xFB, 0xED, 0xED),
            RESP_FOREGROUND = new RGB(0x00, 0x00, 0x7F), RESP_BACKGROUND = new RGB(0xED, 0xED, 0xFB);

    /** The filter bar's red for a text that is not there. */
    private static final RGB NOT_FOUND = new RGB(0xFF, 0xAF, 0xAF);

    private static final StreamText[] FORMS = {StreamText.ASCII, StreamText.HEX, StreamText.RAW};
    private static final String[] FORM_NAMES = {"ASCII", "Hex Dump", "Raw"};

    private final FollowedStream stream;
    private final Shell shell;
    private final StyledText text;
    private final Combo sides;
    private final Combo form;
    private final Text search;

    /** @param filterOut hides the session from the Sessions view (Filter Out This Stream) */
    FollowStreamWindow(Shell parent, FollowedStream stream, Runnable filterOut) {
        this.stream = stream;
        Session s = stream.session();
        String orig = IpAddress.endpoint(s.origHi(), s.origLo(), s.origPort()),
                resp = IpAddress.endpoint(s.respHi(), s.respLo(), s.respPort());
        shell = new Shell(parent, SWT.SHELL_TRIM);
        shell.setText("Follow " + s.transport().zeekName().toUpperCase(Locale.ROOT) + " Stream (uid == \"" + s.uid()
                + "\") \u2014 " + orig + " \u2192 " + resp);
        shell.setLayout(new GridLayout(1, false));

        text = new StyledText(shell, SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL | SWT.BORDER);
        // A fixed-width font of the size of the window's text: columns of a hex dump line up.
        Font mono = new Font(shell.getDisplay(), "Monospace", shell.getFont().getFontData()[0].getHeight(),
                SWT.NORMAL);
        shell.addListener(SWT.Dispose, e -> mono.dispose());
        text.setFont(mono);
        text.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        text.setData(SessionsPart.WIDGET_ID, TEXT_ID);

        Composite find = new Composite(shell, SWT.NONE);
        find.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        find.setLayout(new GridLayout(3, false));
        new Label(find, SWT.NONE).setText("Find:");
        search = new Text(find, SWT.SINGLE | SWT.BORDER | SWT.SEARCH);
        search.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        search.setData(SessionsPart.WIDGET_ID, FIND_ID);
        Button next = new Button(find, SWT.PUSH);
        next.setText("Find Next");
        search.addListener(SWT.DefaultSelection, e -> findNext());
        next.addListener(SWT.Selection, e -> findNext());

        Label summary = new Label(shell, SWT.WRAP);
        summary.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        summary.setText(summary(s));

        Composite bar = new Composite(shell, SWT.NONE);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        bar.setLayout(new GridLayout(7, false));
        sides = new Combo(bar, SWT.READ_ONLY);
        sides.setItems(String.format(Locale.ROOT, "Entire conversation (%,d bytes)", stream.origBytes()
                + stream.respBytes()), String.format(Locale.ROOT, "%s \u2192 %s (%,d bytes)", orig, resp,
                        stream.origBytes()), String.format(Locale.ROOT, "%s \u2192 %s (%,d bytes)", resp, orig,
                                stream.respBytes()));
        sides.select(0);
        sides.setData(SessionsPart.WIDGET_ID, SIDES_ID);
        new Label(bar, SWT.NONE).setText("Show data as");
        form = new Combo(bar, SWT.READ_ONLY);
        form.setItems(FORM_NAMES);
        form.select(0);
        form.setData(SessionsPart.WIDGET_ID, FORM_ID);
        Label filler = new Label(bar, SWT.NONE);
        filler.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Button hide = new Button(bar, SWT.PUSH);
        hide.setText("Filter Out This Stream");
        hide.setData(SessionsPart.WIDGET_ID, FILTER_OUT_ID);
        hide.addListener(SWT.Selection, e -> {
            filterOut.run();
            shell.close();
        });
        Button save = new Button(bar, SWT.PUSH);
        save.setText("Save As\u2026");
        Button close = new Button(bar, SWT.PUSH);
        close.setText("Close");

        sides.addListener(SWT.Selection, e -> show());
        form.addListener(SWT.Selection, e -> show());
        save.addListener(SWT.Selection, e -> save());
        close.addListener(SWT.Selection, e -> shell.close());
        // Escape closes the window, as a dialog's; no default button, so that Enter in Find only finds.
        Listener escape = e -> {
            if (e.detail == SWT.TRAVERSE_ESCAPE) {
                e.doit = false;
                shell.close();
            }
        };
        for (Control c : new Control[] {text, search, next, sides, form, hide, save, close}) {
            c.addListener(SWT.Traverse, escape);
        }
        show();
        // Wide enough for the row of choices and buttons (the sides' names are two endpoints each), within the screen.
        int width = Math.max(900, bar.computeSize(SWT.DEFAULT, SWT.DEFAULT).x + 20);
        shell.setSize(Math.min(width, shell.getDisplay().getClientArea().width), 650);
    }

    void open() {
        shell.open();
    }

    /** The chunks of the sides chosen, in the form chosen, coloured by side. */
    private void show() {
        int chosen = sides.getSelectionIndex();
        StreamText as = FORMS[form.getSelectionIndex()];
        StringBuilder all = new StringBuilder();
        List<StyleRange> ranges = new ArrayList<>();
        Color origFg = new Color(ORIG_FOREGROUND), origBg = new Color(ORIG_BACKGROUND),
                respFg = new Color(RESP_FOREGROUND), respBg = new Color(RESP_BACKGROUND);
        List<String> pieces = as.pieces(stream);
        for (int i = 0; i < pieces.size(); i++) {
            FollowedStream.Chunk c = stream.chunks().get(i);
            int side = c.fromOriginator() ? 0 : 1;
            String piece = pieces.get(i);
            if (chosen != 0 && chosen != side + 1) {
                continue;
            }
            if (!piece.endsWith("\n") && as != StreamText.ASCII) {
                piece += "\n";
            }
            ranges.add(new StyleRange(all.length(), piece.length(), side == 0 ? origFg : respFg,
                    side == 0 ? origBg : respBg, c.isGap() ? SWT.ITALIC : SWT.NORMAL));
            all.append(piece);
        }
        if (stream.omittedBytes() > 0) {
            all.append(String.format(Locale.ROOT, "\n[%,d bytes more not shown]\n", stream.omittedBytes()));
        }
        text.setText(all.toString());
        text.setStyleRanges(ranges.toArray(new StyleRange[0]));
    }

    private String summary(Session s) {
        long packets = s.origPackets() + s.respPackets();
        long gaps = stream.chunks().stream().filter(FollowedStream.Chunk::isGap).mapToLong(
                FollowedStream.Chunk::missingBytes).sum();
        return String.format(Locale.ROOT, "%,d packets, %,d bytes of data%s. The originator's data is red, the"
                + " responder's blue.", packets, stream.origBytes() + stream.respBytes(), gaps == 0 ? ""
                        : String.format(Locale.ROOT, "; %,d bytes missing in the capture", gaps));
    }

    /**
     * Selects the next occurrence of the text searched for after the selection, from the top again past the end (as
     * Wireshark's Find); the field turns red when there is none.
     */
    private void findNext() {
        String wanted = search.getText();
        if (wanted.isEmpty()) {
            return;
        }
        String shown = text.getText();
        int at = shown.indexOf(wanted, text.getSelection().y);
        if (at < 0) {
            at = shown.indexOf(wanted);
        }
        search.setBackground(at < 0 ? new Color(NOT_FOUND) : null);
        if (at >= 0) {
            text.setSelection(at, at + wanted.length());
            text.showSelection();
        }
    }

    /** Writes the text shown. */
    private void save() {
        // Raw is saved as the bytes themselves, as Wireshark does: one side alone is what it sent (a file a download
        // carried, headers and all).
        boolean raw = FORMS[form.getSelectionIndex()] == StreamText.RAW;
        int chosen = sides.getSelectionIndex();
        FileDialog dialog = new FileDialog(shell, SWT.SAVE);
        dialog.setText("Save Stream Content As");
        dialog.setFileName(stream.session().uid() + (raw ? ".bin" : ".txt"));
        dialog.setOverwrite(true);
        String target = dialog.open();
        if (target == null) {
            return;
        }
        try {
            if (raw) {
                Files.write(Path.of(target), stream.data(chosen != 2, chosen != 1));
            } else {
                Files.writeString(Path.of(target), text.getText(), StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            MessageBox box = new MessageBox(shell, SWT.ICON_ERROR | SWT.OK);
            box.setText("Save Stream Content As");
            box.setMessage("Cannot write " + target + ": " + e.getMessage());
            box.open();
        }
    }
}
