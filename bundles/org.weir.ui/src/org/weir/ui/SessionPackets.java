package org.weir.ui;

import java.nio.file.Path;
import java.util.Collection;

import java.util.function.Consumer;

import org.eclipse.core.runtime.jobs.Job;
import org.weir.core.CaptureAnalyzer;
import org.weir.core.FollowedStream;
import org.weir.core.Session;

/**
 * Writes the packets of sessions of the capture shown to a capture file, as Wireshark's Export Specified Packets
 * does: the capture is read again with the options it was analysed with, and each frame that went to one of the
 * sessions is written; and reads a session's data, as Wireshark's Follow Stream does. Found in the e4 application
 * context ({@code @Inject SessionPackets}).
 */
public interface SessionPackets {

    /**
     * Starts a user job (shown with its progress and a Cancel button) that writes the packets of {@code sessions}
     * into {@code file}: pcapng when its name ends in {@code .pcapng}, else pcap. Problems are reported in a message
     * box; a file that could not be finished is removed. UI thread.
     *
     * @return the job, scheduled; null when no capture is shown
     */
    Job export(Collection<Session> sessions, Path file);

    /** Whether the capture shown can be read again for its packets: it is a file, and its analysis has ended. */
    boolean canExport();

    /**
     * Starts a user job that reads the data {@code session} carried ({@link CaptureAnalyzer#followStream}: the
     * captures read again with the options of their analysis, until the session closes) and hands it to
     * {@code shown} on the job's thread; not when cancelled or when the session was not found, which is reported in
     * a message box, as a damaged capture is (the data before the damage is handed over). UI thread.
     *
     * @param maxBytes the bytes of data to keep at most (the first ones)
     * @return the job, scheduled; null when no capture is shown
     */
    Job follow(Session session, long maxBytes, Consumer<FollowedStream> shown);
}
