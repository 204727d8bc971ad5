package org.weir.ui.internal;

import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.stream.Collectors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.weir.ui.CaptureModel;
import org.weir.ui.CaptureModel.Progress;
import org.weir.ui.CaptureModel.Snapshot;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * The status line in the bottom trim: the capture and its state, the progress of the analysis or else of the user job
 * started last (an export, a copy: {@link JobProgress}) with a Cancel button for it, and the session count.
 */
public final class StatusLine implements CaptureModel.Listener {

    /** Widget data key naming the status line's parts, for UI tests and accessibility tools. */
    public static final String WIDGET_ID = "org.weir.ui.widget";

    /** How often the line looks at a running user job's progress. */
    private static final int TASK_POLL_MS = 200;

    private CaptureModel model;
    private Label message;
    private Label task;
    private JobProgress jobs;
    /** One instance, so that SWT reschedules it rather than adding another timer. */
    private final Runnable poll = this::showProgress;
    private ProgressBar progressBar;
    private Button cancel;
    private Label count;
    private CaptureController controller;

    @PostConstruct
    void create(Composite parent, CaptureModel model, CaptureController controller) {
        this.model = model;
        this.controller = controller;
        Composite bar = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(5, false);
        layout.marginHeight = 2;
        layout.marginWidth = 6;
        bar.setLayout(layout);

        message = new Label(bar, SWT.NONE);
        message.setData(WIDGET_ID, "message");
        GridData messageData = new GridData(SWT.FILL, SWT.CENTER, true, false);
        messageData.widthHint = 640;
        message.setLayoutData(messageData);

        task = new Label(bar, SWT.RIGHT);
        task.setData(WIDGET_ID, "task");
        task.setLayoutData(new GridData(SWT.RIGHT, SWT.CENTER, false, false));

        progressBar = new ProgressBar(bar, SWT.HORIZONTAL | SWT.SMOOTH);
        progressBar.setData(WIDGET_ID, "progress");
        progressBar.setMaximum(1000);
        GridData progressData = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
        progressData.widthHint = 160;
        progressBar.setLayoutData(progressData);

        cancel = new Button(bar, SWT.PUSH);
        cancel.setData(WIDGET_ID, "cancel");
        cancel.setText("Cancel");
        cancel.addListener(SWT.Selection, e -> {
            JobProgress.Task t = jobs.current();
            if (model.progress().running()) {
                this.controller.cancel();
            } else if (t != null) {
                t.job.cancel();
            }
        });

        count = new Label(bar, SWT.RIGHT);
        count.setData(WIDGET_ID, "sessionCount");
        GridData countData = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
        countData.widthHint = 160;
        count.setLayoutData(countData);

        Display display = bar.getDisplay();
        jobs = new JobProgress(() -> {
            if (!display.isDisposed()) {
                display.asyncExec(this::showProgress);
            }
        });
        jobs.install();
        model.addListener(this);
        captureChanged(model.snapshot());
        progressChanged(model.progress());
    }

    @PreDestroy
    void dispose() {
        if (model != null) {
            model.removeListener(this);
        }
        if (jobs != null) {
            jobs.uninstall();
        }
    }

    @Override
    public void captureChanged(Snapshot snapshot) {
        if (count == null || count.isDisposed()) {
            return;
        }
        Snapshot s = model.snapshot();
        message.setText(messageText(s, model.progress()));
        message.setToolTipText(toolTip(s));
        String n = NumberFormat.getIntegerInstance(Locale.ROOT).format(s.sessionCount());
        count.setText(switch (s.state()) {
            case EMPTY, FAILED -> "";
            case ANALYSING -> s.sessionCount() == 0 ? "" : n + " sessions so far";
            default -> n + " sessions";
        });
        count.requestLayout();
    }

    /** The captures' paths, one a line, and the whole message, which the line may have to cut. */
    private static String toolTip(Snapshot s) {
        if (s.captures().isEmpty()) {
            return null;
        }
        String paths = s.captures().stream().map(Path::toString).collect(Collectors.joining("\n"));
        return s.message().isEmpty() ? paths : paths + "\n" + s.message();
    }

    private static String messageText(Snapshot s, Progress p) {
        String name = s.name();
        return switch (s.state()) {
            case EMPTY -> "No capture open. File \u203a Open Capture\u2026";
            case ANALYSING -> "Analysing " + name + "\u2026"
                    + (p.running() && p.fraction() >= 0 ? " " + Math.round(p.fraction() * 100) + "%" : "");
            case DONE -> s.message().isEmpty() ? name : name + " \u2014 " + s.message();
            case CANCELLED, FAILED -> s.message();
        };
    }

    @Override
    public void progressChanged(Progress progress) {
        showProgress();
    }

    /**
     * Shows the analysis's progress while it runs, else that of the user job started last, which it then looks at
     * again every {@value #TASK_POLL_MS} ms until none runs, then for a while what the last one did. UI thread.
     */
    private void showProgress() {
        if (progressBar == null || progressBar.isDisposed()) {
            return;
        }
        Progress p = model.progress();
        JobProgress.Task t = p.running() ? null : jobs.current();
        boolean running = p.running() || t != null;
        progressBar.setVisible(running);
        cancel.setVisible(running);
        double fraction = p.running() ? p.fraction() : t != null ? t.fraction() : 0;
        progressBar.setSelection(fraction < 0 ? 0 : (int) Math.round(fraction * 1000));
        cancel.setToolTipText(t == null ? "Stop the analysis and show the sessions seen so far" : "Stop " + t.name());
        String result = t == null && !p.running() ? jobs.recentResult() : null;
        String taskText = t != null ? t.name() + "\u2026" : result != null ? result : "";
        if (!taskText.equals(task.getText())) {
            task.setText(taskText);
            task.requestLayout();
        }
        if (model.snapshot().state() == CaptureModel.State.ANALYSING) {
            message.setText(messageText(model.snapshot(), p));
        }
        if (t != null) {
            task.getDisplay().timerExec(TASK_POLL_MS, poll);
        } else if (result != null) {
            task.getDisplay().timerExec(JobProgress.RESULT_SHOWN_MS, poll); // then it is cleared
        }
    }
}
