package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.weir.core.CaptureReader;
import org.weir.core.DecoderOptions;
import org.weir.core.PacketHandler;
import org.weir.core.PacketView;
import org.weir.packet.internal.Captures.Frame;
import org.weir.testsupport.Corpus;

/** The packet path allocates nothing per frame: reading, decoding, tunnels and reassembly in steady state. */
class AllocationTest {

    private static final String[] CAPTURES = {"zeek/core.tcp.rxmit-history/traces/wikipedia.pcap",
        "zeek/core.ipv6-frag/traces/ipv6-fragmented-dns.pcap", "suricata-verify/decode-teredo-01/input.pcap",
        "zeek/core.skip_analyzer/traces/tunnels/gre-sample.pcap", "zeek/core.vlan-mpls/traces/mixed-vlan-mpls.pcap",
        "zeek/core.pppoe/traces/pppoe.pcap", "malformed/wikipedia.pcapng",
        "suricata-verify/defrag/bug-6887-defrag-ipv6-tcp/frag-ip-tcp.pcap"};

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    @Test
    void decodingAllocatesNothingPerFrame() throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (String c : CAPTURES) {
            frames.addAll(Captures.frames(Corpus.resolve(c)));
        }
        Decoder decoder = new Decoder(DecoderOptions.defaults());
        long[] sink = new long[1];
        PacketHandler handler = p -> sink[0] += p.ipTotalLength + p.srcPort;
        PacketView v = new PacketView();
        for (int pass = 0; pass < 30; pass++) { // warm up (JIT, reassembly slots)
            decodeAll(decoder, frames, v, handler, pass);
        }
        long before = allocated();
        int passes = 50;
        for (int pass = 0; pass < passes; pass++) {
            decodeAll(decoder, frames, v, handler, 100 + pass);
        }
        long bytes = allocated() - before;
        long decoded = (long) passes * frames.size();
        assertTrue(bytes < 64 * 1024, bytes + " bytes allocated for " + decoded + " frames");
        assertTrue(sink[0] > 0);
    }

    private static void decodeAll(Decoder decoder, List<Frame> frames, PacketView v, PacketHandler h, int pass) {
        long base = pass * 1_000_000_000_000L;
        for (Frame f : frames) {
            v.data = f.bytes();
            v.frameOffset = 0;
            v.capturedLength = f.capturedLength();
            v.wireLength = f.wireLength();
            v.linkType = f.linkType();
            v.timestampNanos = base + f.timestampNanos() % 1_000_000_000_000L;
            decoder.decode(v, h);
        }
    }

    @Test
    void readingAllocatesNothingPerFrame() throws IOException {
        for (String c : new String[] {"attacks/dns-tunnel/dns2tcp-netrack-2018-03-23.pcap",
                "malformed/wikipedia.pcapng"}) {
            for (int warm = 0; warm < 20; warm++) {
                read(c);
            }
            long[] result = read(c);
            assertTrue(result[1] < 4096, c + ": " + result[1] + " bytes allocated reading " + result[0] + " frames");
        }
    }

    /** Frames read and bytes allocated between opening and closing (the buffer itself is allocated at open). */
    private static long[] read(String capture) throws IOException {
        try (CaptureReader r = Captures.open(Corpus.resolve(capture))) {
            PacketView v = new PacketView();
            long n = 0;
            long before = allocated();
            while (r.next(v)) {
                n++;
            }
            return new long[] {n, allocated() - before};
        }
    }
}
