package org.weir.packet.internal;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;
import org.weir.core.CaptureFormat;
import org.weir.core.CaptureReader;

/** The pcapng file format. */
@Component(service = CaptureFormat.class)
public final class PcapngFormat implements CaptureFormat {

    @Override
    public String name() {
        return "pcapng";
    }

    @Override
    public boolean recognises(byte[] head, int length) {
        return length >= 4 && Bytes.i32(head, 0, true) == PcapngReader.SHB;
    }

    @Override
    public CaptureReader open(Path file) throws IOException {
        return PcapngReader.open(file);
    }

    @Override
    public CaptureReader open(ReadableByteChannel stream, String name) throws IOException {
        return PcapngReader.open(stream, name);
    }
}
