package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.weir.testsupport.Bytes.concat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.CaptureFormat;
import org.weir.core.CaptureFormatException;
import org.weir.core.CaptureReader;
import org.weir.core.DecoderOptions;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.packet.internal.Captures.Frame;
import org.weir.testsupport.Corpus;

/**
 * The decoder must never throw, whatever the bytes: corpus frames with flipped bytes, cut short, given the wrong
 * link type or a wire length that does not fit, and wrapped in UDP/GRE tunnel headers with random contents. Every
 * offset a delivered layer announces must lie inside its buffer.
 */
class MutationTest {

    private static final int[] LINK_TYPES = {1, 101, 228, 229, 0, 108, 113, 276, 9, 50, 51, 104, 105, 127, 12, 14};
    private static final int[] TUNNEL_PORTS = {4789, 6081, 2152, 2123, 5072, 3544, 1234};

    @Test
    void mutatedFramesNeverBreakTheDecoder() throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (Path f : Captures.under(".")) {
            try (CaptureReader r = Captures.open(f)) {
                frames.addAll(Captures.frames(r));
            } catch (CaptureFormatException e) {
                // a malformed corpus file: its readable frames are enough
            }
        }
        assertTrue(frames.size() > 10_000, "frames: " + frames.size());
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> run(frames, 400_000, 11));
    }

    private static void run(List<Frame> frames, int iterations, long seed) {
        Random rnd = new Random(seed);
        Decoder decoder = new Decoder(DecoderOptions.defaults());
        Decoder ignoring = new Decoder(DecoderOptions.defaults().withIgnoreChecksums(true));
        PacketView v = new PacketView();
        PacketHandler inBounds = p -> {
            check(p, p.frameOffset, p.capturedLength);
            if (p.ipVersion != 0) {
                check(p, p.ipOffset, 1);
                check(p, p.l4Offset, p.l4CapturedLength);
                check(p, p.payloadOffset, p.payloadCapturedLength);
            }
        };
        for (int i = 0; i < iterations; i++) {
            Frame frame = frames.get(rnd.nextInt(frames.size()));
            byte[] f = frame.bytes().clone();
            if (rnd.nextInt(3) == 0 && frame.linkType() == 1 && f.length > 34) {
                f = tunnelled(f, rnd);
            }
            for (int m = rnd.nextInt(6); m > 0 && f.length > 0; m--) {
                f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
            }
            int len = rnd.nextInt(4) == 0 ? rnd.nextInt(f.length + 1) : f.length;
            byte[] buf = new byte[len + rnd.nextInt(3)];
            System.arraycopy(f, 0, buf, buf.length - len, len);
            v.data = buf;
            v.frameOffset = buf.length - len;
            v.capturedLength = len;
            v.wireLength = rnd.nextInt(8) == 0 ? rnd.nextInt(70_000) : Math.max(len, frame.wireLength());
            v.linkType = rnd.nextInt(5) == 0 ? LINK_TYPES[rnd.nextInt(LINK_TYPES.length)] : frame.linkType();
            v.timestampNanos = i * 1000L;
            try {
                (i % 2 == 0 ? decoder : ignoring).decode(v, inBounds);
            } catch (RuntimeException | AssertionError e) {
                fail("link type " + v.linkType + ", frame " + HexFormat.of().formatHex(buf, v.frameOffset, buf.length),
                        e);
            }
            assertEquals(buf, v.data, "the view is left on the frame");
        }
    }

    /** Capture files with bytes flipped anywhere (headers, lengths, block types): read fully or a format error. */
    @Test
    void mutatedFilesReadOrFailWithAFormatError(@TempDir Path tmp) throws IOException {
        List<Path> sources = List.of(Corpus.resolve("malformed/wikipedia.pcapng"),
                Corpus.resolve("zeek/core.tcp.flip-without-syn/traces/tcp/http-on-irc-port-missing-syn.pcapng"),
                Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"),
                Corpus.resolve("malformed/wikipedia-nsec.pcap"));
        Random rnd = new Random(5);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < 400; i++) {
                Path source = sources.get(i % sources.size());
                byte[] b = Files.readAllBytes(source);
                for (int m = 1 + rnd.nextInt(8); m > 0; m--) {
                    // Mostly near the start, where the file and record headers are.
                    int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(b.length, 256)) : rnd.nextInt(b.length);
                    b[at] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : 0xFF);
                }
                Path f = tmp.resolve("m" + i + "-" + source.getFileName());
                Files.write(f, b);
                CaptureFormat format = Captures.format(source);
                try (CaptureReader r = format.open(f)) {
                    PacketView v = new PacketView();
                    Decoder d = new Decoder(DecoderOptions.defaults());
                    while (r.next(v)) {
                        d.decode(v, p -> {
                        });
                    }
                } catch (CaptureFormatException e) {
                    assertEquals(f.toString(), e.source());
                    assertTrue(e.offset() >= 0 && e.offset() <= b.length, e.getMessage());
                }
            }
        });
    }

    private static void check(PacketView p, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > p.data.length) {
            throw new AssertionError("layer range " + offset + "+" + length + " outside " + p.data.length);
        }
    }

    /** Outer Ethernet + IPv4 + UDP (to a tunnel port) or GRE, random tunnel header bytes, then the frame's IP. */
    private static byte[] tunnelled(byte[] f, Random rnd) {
        byte[] header = new byte[rnd.nextInt(24)];
        rnd.nextBytes(header);
        if (header.length > 0 && rnd.nextBoolean()) {
            header[0] = (byte) (rnd.nextBoolean() ? 0x08 : 0x30);
        }
        byte[] inner = Arrays.copyOfRange(f, 14, f.length);
        byte[] payload = concat(header, inner);
        byte[] l4 = rnd.nextInt(4) == 0 ? payload
                : Wrap.udp(rnd.nextInt(65536), TUNNEL_PORTS[rnd.nextInt(TUNNEL_PORTS.length)], payload);
        int proto = l4 == payload ? 47 : 17;
        return Wrap.ethernet(1, 2, 0x0800, Wrap.ipv4(Wrap.v4("10.0.0.1"), Wrap.v4("10.0.0.2"), proto, l4));
    }
}
