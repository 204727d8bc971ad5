package org.weir.session.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.weir.core.CaptureReader;
import org.weir.core.DecoderOptions;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.testsupport.Captures;
import org.weir.testsupport.Services;

/** Feeds a capture, opened as the pipeline opens it, through the packet bundle's decoder into a handler. */
final class Traces {

    private Traces() {
    }

    static void feed(Path trace, boolean ignoreChecksums, PacketHandler handler) throws IOException {
        PacketDecoder decoder = Services.get(PacketDecoderFactory.class)
                .create(DecoderOptions.defaults().withIgnoreChecksums(ignoreChecksums));
        PacketView view = new PacketView();
        try (CaptureReader reader = Captures.open(trace)) {
            while (reader.next(view)) {
                decoder.decode(view, handler);
            }
        }
    }
}
