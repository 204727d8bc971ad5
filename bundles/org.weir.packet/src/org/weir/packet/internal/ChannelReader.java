package org.weir.packet.internal;

import java.io.IOException;

import org.weir.core.CaptureReader;

/**
 * What the capture file readers share: the input they read frames from in place ({@link ChannelInput}, a file or a
 * stream) and the name progress calls it; where they are in it, its size, and giving up waiting or closing it.
 */
abstract class ChannelReader implements CaptureReader {

    final ChannelInput in;
    /** The file name, for progress; errors name the path as given ({@link ChannelInput#source}). */
    private final String name;

    ChannelReader(ChannelInput in, String name) {
        this.in = in;
        this.name = name;
    }

    @Override
    public final long position() {
        return in.position();
    }

    @Override
    public final long size() {
        return in.size();
    }

    @Override
    public final void abandon() {
        in.abandon();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void close() throws IOException {
        in.close();
    }
}
