package org.weir.ui;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.weir.core.AnalysisOptions;
import org.weir.core.AnalysisResult;
import org.weir.core.Session;

/**
 * The workbench's shared state: the capture being shown and its sessions. One instance lives in the e4 application
 * context ({@code @Inject CaptureModel}); the workbench publishes into it, views listen. Listeners are called on the
 * UI thread. Published snapshots are immutable: the session list never changes after publication, and its sessions
 * are final ({@link Session#isClosed() closed}) or {@link Session#snapshot() snapshots}.
 */
public final class CaptureModel {

    /** Element id of the part stack that view fragments add their parts to. */
    public static final String MAIN_PART_STACK = "org.weir.ui.partstack.main";

    /** What the workbench is doing with the current capture. */
    public enum State {
        /** No capture opened yet. */
        EMPTY,
        /** Analysis running: the sessions are those seen so far. */
        ANALYSING,
        /** Analysis finished; when the input was damaged {@link Snapshot#message()} says where. */
        DONE,
        /**
         * Analysis stopped before the end, by the user or because the heap was nearly full: the sessions are those
         * seen until then, and {@link Snapshot#message()} says which.
         */
        CANCELLED,
        /** The capture could not be analysed; {@link Snapshot#message()} says why. */
        FAILED
    }

    /**
     * One published state.
     *
     * @param state what is happening
     * @param captures the capture files, several merged by time as the analysis merges them; empty when none
     * @param options what the captures were analysed with (its capture filter, checksums), which anything that
     *     reads it again for the same sessions repeats; null when there is no capture
     * @param sessions the sessions, immutable
     * @param result the analysis result once finished, else null
     * @param message a human-readable note (error, damage, cancellation), or empty
     */
    public record Snapshot(State state, List<Path> captures, AnalysisOptions options, List<Session> sessions,
            AnalysisResult result, String message) {

        public static final Snapshot EMPTY = new Snapshot(State.EMPTY, List.of(), null, List.of(), null, "");

        public Snapshot {
            Objects.requireNonNull(state, "state");
            captures = captures == null ? List.of() : List.copyOf(captures);
            sessions = sessions == null ? List.of() : Collections.unmodifiableList(sessions);
            message = message == null ? "" : message;
        }

        public int sessionCount() {
            return sessions.size();
        }

        /** What the window and the status line call the captures ({@link CaptureModel#name}). */
        public String name() {
            return CaptureModel.name(captures);
        }
    }

    /**
     * The name of captures shown together: the file's name, "a.pcap + b.pcap" for two, "a.pcap + 2 more" for more;
     * empty for none.
     */
    public static String name(List<Path> captures) {
        return switch (captures.size()) {
            case 0 -> "";
            case 1 -> String.valueOf(captures.get(0).getFileName());
            case 2 -> captures.get(0).getFileName() + " + " + captures.get(1).getFileName();
            default -> captures.get(0).getFileName() + " + " + (captures.size() - 1) + " more";
        };
    }

    /**
     * Progress of the running analysis.
     *
     * @param task what is being done
     * @param done units done
     * @param total units in all, or -1 when unknown
     * @param running false once the analysis ended
     */
    public record Progress(String task, long done, long total, boolean running) {

        public static final Progress IDLE = new Progress("", 0, -1, false);

        /** Fraction done in [0, 1], or -1 when unknown. */
        public double fraction() {
            return total > 0 ? Math.min(1.0, (double) done / total) : -1;
        }
    }

    /** Receives changes on the UI thread. */
    public interface Listener {

        void captureChanged(Snapshot snapshot);

        default void progressChanged(Progress progress) {
        }
    }

    private final Executor uiExecutor;
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean progressPending = new AtomicBoolean();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile Progress progress = Progress.IDLE;
    private volatile String displayFilter = "";

    /** @param uiExecutor runs listener notifications on the UI thread (asynchronously) */
    public CaptureModel(Executor uiExecutor) {
        this.uiExecutor = Objects.requireNonNull(uiExecutor, "uiExecutor");
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public Progress progress() {
        return progress;
    }

    /**
     * The display filter the workbench was started with ({@code -Y EXPR}, as Wireshark's), for views that filter
     * sessions to apply when they are made; empty for none. Set before the views are.
     */
    public String displayFilter() {
        return displayFilter;
    }

    public void setDisplayFilter(String expression) {
        displayFilter = expression == null ? "" : expression.strip();
    }

    public void addListener(Listener listener) {
        listeners.addIfAbsent(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Replaces the current state; listeners hear of it on the UI thread. Any thread. */
    public void publish(Snapshot next) {
        snapshot = Objects.requireNonNull(next, "snapshot");
        uiExecutor.execute(() -> {
            for (Listener l : listeners) {
                l.captureChanged(next);
            }
        });
    }

    /** Reports progress; notifications are coalesced so a fast producer never floods the UI thread. Any thread. */
    public void publishProgress(Progress next) {
        progress = Objects.requireNonNull(next, "progress");
        if (progressPending.compareAndSet(false, true)) {
            uiExecutor.execute(() -> {
                progressPending.set(false);
                Progress current = progress;
                for (Listener l : listeners) {
                    l.progressChanged(current);
                }
            });
        }
    }
}
