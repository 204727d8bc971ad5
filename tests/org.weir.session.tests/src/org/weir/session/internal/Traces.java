package org.weir.session.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.weir.core.CaptureFormat;
import org.weir.core.CaptureReader;
import org.weir.core.DecoderOptions;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.testsupport.Services;

/**
 * Feeds a capture through the real readers and decoder into a handler. Inside OSGi the readers and the decoder
 * are the DS services of {@code org.weir.packet}; on a plain class path (quick runs) they are instantiated
 * directly.
 */
final class Traces {

    private static List<CaptureFormat> formats;
    private static PacketDecoderFactory decoders;

    private Traces() {
    }

    static synchronized void feed(Path trace, boolean ignoreChecksums, PacketHandler handler) throws IOException {
        init();
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(trace)) {
            n = in.readNBytes(head, 0, head.length);
        }
        CaptureFormat format = null;
        for (CaptureFormat f : formats) {
            if (f.recognises(head, n)) {
                format = f;
            }
        }
        if (format == null) {
            throw new IOException("no capture format recognises " + trace);
        }
        PacketDecoder decoder = decoders.create(DecoderOptions.defaults().withIgnoreChecksums(ignoreChecksums));
        PacketView view = new PacketView();
        try (CaptureReader reader = format.open(trace)) {
            while (reader.next(view)) {
                decoder.decode(view, handler);
            }
        }
    }

    private static void init() {
        if (decoders != null) {
            return;
        }
        try {
            decoders = Services.get(PacketDecoderFactory.class);
            formats = Services.all(CaptureFormat.class, 2);
        } catch (AssertionError | LinkageError notInOsgi) {
            formats = new ArrayList<>();
            formats.add((CaptureFormat) instance("org.weir.packet.internal.PcapFormat"));
            formats.add((CaptureFormat) instance("org.weir.packet.internal.PcapngFormat"));
            decoders = (PacketDecoderFactory) instance("org.weir.packet.internal.DecoderFactory");
        }
    }

    private static Object instance(String className) {
        try {
            return Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("packet bundle classes not on the class path: " + className, e);
        }
    }
}
