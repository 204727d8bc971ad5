package org.weir.core;

/**
 * What an export of chosen sessions' packets wrote ({@link CaptureAnalyzer#exportPackets}).
 *
 * @param frames frames written
 * @param sessions how many of the sessions asked for had frames in the captures
 * @param cancelled the monitor asked to stop; the file was removed
 * @param error the first input problem met (the frames before it were written), or null
 */
public record PacketExportResult(long frames, long sessions, boolean cancelled, CaptureFormatException error) {
}
