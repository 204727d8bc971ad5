package org.weir.core;

import java.io.IOException;
import java.nio.file.Path;

/** DS service for one capture file format (pcap, pcapng, ...). The engine picks the one that recognises a file. */
public interface CaptureFormat {

    /** Short name, e.g. {@code pcap}. */
    String name();

    /** True when the first bytes of a file (at least 4, when the file has them) are this format's magic. */
    boolean recognises(byte[] head, int length);

    CaptureReader open(Path file) throws IOException;
}
