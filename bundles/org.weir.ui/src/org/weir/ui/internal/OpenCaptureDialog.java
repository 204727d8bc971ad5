package org.weir.ui.internal;

import java.nio.file.Path;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.weir.ui.Folders;

/**
 * File › Open Capture…: the capture file, the capture filter to read it with, as Wireshark's open dialog asks for a
 * read filter, and whether to ignore checksums (Zeek's {@code -C}: a capture taken on a host that offloads checksums
 * to its network card has wrong ones in every packet it sent). Both start as they were for the last capture.
 */
final class OpenCaptureDialog extends Dialog {

    private final String initialFilter;
    private final boolean initialIgnoreChecksums;
    private Text file;
    private Text filter;
    private Button ignoreChecksums;
    private Path capture;
    private String chosenFilter = "";
    private boolean chosenIgnoreChecksums;
    private Path browseFrom;

    OpenCaptureDialog(Shell parent, String initialFilter, boolean initialIgnoreChecksums) {
        super(parent);
        this.initialFilter = initialFilter == null ? "" : initialFilter;
        this.initialIgnoreChecksums = initialIgnoreChecksums;
    }

    /**
     * The folder Browse… starts in when the file field names none (as Wireshark, the folder of the capture opened
     * last); null for the file chooser's own.
     */
    void browseFrom(Path folder) {
        browseFrom = folder;
    }

    /** The capture chosen, or null before OK. */
    Path capture() {
        return capture;
    }

    /** The filter expression chosen, empty for every frame. */
    String filter() {
        return chosenFilter;
    }

    /** Whether packets with invalid checksums are to be counted. */
    boolean ignoreChecksums() {
        return chosenIgnoreChecksums;
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Open Capture");
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        Composite fields = new Composite(area, SWT.NONE);
        fields.setLayout(new GridLayout(3, false));
        fields.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));

        new Label(fields, SWT.NONE).setText("Capture file:");
        file = new Text(fields, SWT.BORDER | SWT.SINGLE);
        file.setData(StatusLine.WIDGET_ID, "captureFile");
        GridData fileData = new GridData(SWT.FILL, SWT.CENTER, true, false);
        fileData.widthHint = 420;
        file.setLayoutData(fileData);
        file.addModifyListener(e -> updateOk());
        Button browse = new Button(fields, SWT.PUSH);
        browse.setText("Browse\u2026");
        browse.addListener(SWT.Selection, e -> browse());

        new Label(fields, SWT.NONE).setText("Capture filter:");
        filter = new Text(fields, SWT.BORDER | SWT.SINGLE);
        filter.setData(StatusLine.WIDGET_ID, "captureFilter");
        filter.setMessage("every frame");
        filter.setText(initialFilter);
        filter.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        new Label(fields, SWT.NONE);
        Label hint = new Label(fields, SWT.WRAP);
        hint.setText("tcpdump's syntax (pcap-filter), e.g. tcp port 443 or udp; only the frames it accepts are "
                + "analysed.");
        GridData hintData = new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1);
        hintData.widthHint = 420;
        hint.setLayoutData(hintData);

        new Label(fields, SWT.NONE);
        ignoreChecksums = new Button(fields, SWT.CHECK);
        ignoreChecksums.setData(StatusLine.WIDGET_ID, "ignoreChecksums");
        ignoreChecksums.setText("Ignore checksums (as zeek -C)");
        ignoreChecksums.setToolTipText("Count packets whose IP, TCP or UDP checksum is wrong, as in a capture taken on "
                + "a host that offloads checksums to its network card. Unticked, they are left out of the sessions, as "
                + "Zeek does.");
        ignoreChecksums.setSelection(initialIgnoreChecksums);
        ignoreChecksums.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        super.createButtonsForButtonBar(parent);
        getButton(IDialogConstants.OK_ID).setText("Open");
        updateOk();
    }

    private void browse() {
        Path from = Folders.of(file.getText());
        FileDialog dialog = captureFileDialog(getShell(), "Open Capture", SWT.OPEN, from != null ? from : browseFrom);
        String chosen = dialog.open();
        if (chosen != null) {
            file.setText(chosen);
        }
    }

    /** A file dialog for capture files (compressed too), starting in {@code folder} when it is not null. */
    static FileDialog captureFileDialog(Shell shell, String title, int style, Path folder) {
        FileDialog dialog = new FileDialog(shell, style);
        dialog.setText(title);
        dialog.setFilterNames(
                new String[] {"Captures (*.pcap, *.pcapng, *.cap, compressed too: gzip, zstd, lz4)", "All files"});
        dialog.setFilterExtensions(new String[] {"*.pcap;*.pcapng;*.cap;*.PCAP;*.PCAPNG;*.gz;*.zst;*.lz4", "*"});
        if (folder != null) {
            dialog.setFilterPath(folder.toString());
        }
        return dialog;
    }

    private void updateOk() {
        Button ok = getButton(IDialogConstants.OK_ID);
        if (ok != null && file != null) {
            ok.setEnabled(!file.getText().isBlank());
        }
    }

    @Override
    protected void okPressed() {
        capture = Path.of(file.getText().strip());
        chosenFilter = filter.getText().strip();
        chosenIgnoreChecksums = ignoreChecksums.getSelection();
        super.okPressed();
    }
}
