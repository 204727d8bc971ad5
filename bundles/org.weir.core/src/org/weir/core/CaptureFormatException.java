package org.weir.core;

import java.io.IOException;

/** A capture is malformed: says where (source and byte offset) and what. */
public class CaptureFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;

    public CaptureFormatException(String source, long offset, String problem) {
        super(source + ": at byte " + offset + ": " + problem);
        this.source = source;
        this.offset = offset;
    }

    public String source() {
        return source;
    }

    public long offset() {
        return offset;
    }
}
