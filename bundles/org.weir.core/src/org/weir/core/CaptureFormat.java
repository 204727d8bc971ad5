package org.weir.core;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

/** DS service for one capture file format (pcap, pcapng, ...). The engine picks the one that recognises a file. */
public interface CaptureFormat {

    /** Short name, e.g. {@code pcap}. */
    String name();

    /** True when the first bytes of a file (at least 4, when the file has them) are this format's magic. */
    boolean recognises(byte[] head, int length);

    CaptureReader open(Path file) throws IOException;

    /**
     * Reads a capture from a stream (standard input, a pipe), in order and to its end; its first bytes are the
     * format's magic, as for a file.
     *
     * @param name what errors and progress call the stream
     * @throws IOException when the format cannot be read from a stream (the default), or the stream fails
     */
    default CaptureReader open(ReadableByteChannel stream, String name) throws IOException {
        throw new IOException(name + ": " + name() + " captures cannot be read from a stream");
    }
}
