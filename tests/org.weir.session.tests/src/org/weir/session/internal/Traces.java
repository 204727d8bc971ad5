package org.weir.session.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.weir.core.CaptureReader;
import org.weir.core.DecoderOptions;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.testsupport.Captures;
import org.weir.testsupport.Corpus;
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

    /** Every capture of the shared corpus (its malformed ones too), in a stable order. */
    static List<Path> corpusCaptures() throws IOException {
        try (Stream<Path> s = Files.walk(Corpus.root())) {
            return s.filter(Files::isRegularFile).filter(Traces::isCapture).sorted().toList();
        }
    }

    private static boolean isCapture(Path p) {
        try {
            return Captures.isCapture(p);
        } catch (IOException e) {
            return false;
        }
    }
}
