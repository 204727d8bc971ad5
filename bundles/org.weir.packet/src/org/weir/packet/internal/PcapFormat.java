package org.weir.packet.internal;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;
import org.weir.core.CaptureFormat;
import org.weir.core.CaptureReader;

/** The classic libpcap file format. */
@Component(service = CaptureFormat.class)
public final class PcapFormat implements CaptureFormat {

    @Override
    public String name() {
        return "pcap";
    }

    @Override
    public boolean recognises(byte[] head, int length) {
        if (length < 4) {
            return false;
        }
        for (boolean bigEndian : new boolean[] {true, false}) {
            int m = Bytes.i32(head, 0, bigEndian);
            if (m == PcapReader.MAGIC_USEC || m == PcapReader.MAGIC_NSEC || m == PcapReader.MAGIC_MODIFIED) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CaptureReader open(Path file) throws IOException {
        return PcapReader.open(file);
    }

    @Override
    public CaptureReader open(ReadableByteChannel stream, String name) throws IOException {
        return PcapReader.open(stream, name);
    }
}
