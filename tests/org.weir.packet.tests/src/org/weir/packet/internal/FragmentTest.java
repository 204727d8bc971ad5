package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.weir.core.DecoderOptions;
import org.weir.core.LinkTypes;
import org.weir.core.PacketView;
import org.weir.testsupport.Corpus;

/** IPv4 and IPv6 reassembly: against Zeek's and Suricata's results, and on corpus packets cut into fragments. */
class FragmentTest {

    /** Zeek's new_packet output for its IPv6 fragment case: one line per packet delivered to a connection. */
    @Test
    void ipv6FragmentedDnsIsDeliveredLikeZeek() throws IOException {
        Path dir = Corpus.resolve("zeek/core.ipv6-frag");
        Pattern line = Pattern.compile("len=(\\d+), nxt=(\\d+), hlim=(\\d+), src=(\\S+), dst=(\\S+), exts=\\[\\]\\], "
                + "udp = \\[sport=(\\d+)/udp, dport=(\\d+)/udp, ulen=(\\d+)\\]");
        List<String> expected = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("baseline/output"))) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                expected.add(String.join(" ", m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6),
                        m.group(7), m.group(8)));
            }
        }
        assertEquals(5, expected.size());
        List<String> actual = new ArrayList<>();
        Layer big = null;
        for (List<Layer> layers : Layer.decodeAll(dir.resolve("traces/ipv6-fragmented-dns.pcap"),
                DecoderOptions.defaults())) {
            for (Layer l : layers) {
                actual.add(String.join(" ", String.valueOf(l.ipTotalLength() - 40), String.valueOf(l.protocol()),
                        String.valueOf(l.ttl()), l.src(), l.dst(), String.valueOf(l.srcPort()),
                        String.valueOf(l.dstPort()), String.valueOf(l.payloadLength() + 8)));
                if (l.reassembled()) {
                    big = l;
                }
            }
        }
        assertEquals(expected, actual);
        assertTrue(big != null && big.payloadLength() == 3230 && big.payloadCapturedLength() == 3230);
        assertTrue(new String(big.payload(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("txtpadding_3230"),
                "the DNS name in the reassembled answer (dns.log)");
    }

    /** Suricata's defrag cases print the reassembled packet: the decoder's reassembly buffer must hold the same. */
    @Test
    void reassembledBytesMatchSuricata() throws IOException {
        Pattern packet = Pattern.compile("packet: \"([A-Za-z0-9+/=]+)\"");
        int checked = 0;
        for (String name : new String[] {"bug-6887-defrag-eth-vlan-ipv4-tcp-syn", "bug-6887-defrag-ipv4-tcp-syn",
                "bug-6887-defrag-ipv6-tcp"}) {
            Path dir = Corpus.resolve("suricata-verify/defrag/" + name);
            Matcher m = packet.matcher(Files.readString(dir.resolve("test.yaml")));
            assertTrue(m.find(), name);
            byte[] expected = Base64.getDecoder().decode(m.group(1));
            Path pcap;
            try (var s = Files.list(dir)) {
                pcap = s.filter(p -> p.toString().endsWith(".pcap")).findFirst().orElseThrow();
            }
            List<Layer> delivered = Layer.decodeAll(pcap, DecoderOptions.defaults()).stream()
                    .flatMap(List::stream).toList();
            assertEquals(1, delivered.size(), name + ": one datagram from its fragments");
            Layer l = delivered.get(0);
            assertTrue(l.reassembled());
            assertEquals(6, l.protocol());
            // Suricata prints the whole frame for Ethernet captures; the IP datagram is its tail.
            byte[] tail = Arrays.copyOfRange(expected, expected.length - l.datagram().length, expected.length);
            assertArrayEquals(tail, l.datagram(), name);
            assertEquals(expected.length - l.datagram().length == 0 ? 0 : 18, expected.length - l.datagram().length);
            checked++;
        }
        assertEquals(3, checked);
    }

    /** Corpus packets cut into fragments, shuffled, with duplicates and overlaps: each comes back whole, once. */
    @Test
    void corpusPacketsSurviveFragmentation() throws IOException {
        Random random = new Random(7);
        int datagrams = 0;
        for (String name : new String[] {"zeek/core.tcp.rxmit-history/traces/wikipedia.pcap",
                "zeek/core.ipv6-frag/traces/ipv6-fragmented-dns.pcap", "zeek/core.pppoe/traces/pppoe.pcap"}) {
            for (List<Layer> layers : Layer.decodeAll(Corpus.resolve(name),
                    DecoderOptions.defaults().withIgnoreChecksums(true))) {
                for (Layer original : layers) {
                    if (original.depth() != 0 || original.reassembled() || original.ipVersion() == 0
                            || original.datagram().length != original.ipTotalLength()
                            || original.ipTotalLength() < original.ipHeaderLength() + 24
                            || (original.ipVersion() == 6 && original.ipHeaderLength() != 40)) {
                        continue;
                    }
                    byte[] ip = original.datagram();
                    int chunk = 8 * (1 + random.nextInt(Math.max(1, (ip.length - original.ipHeaderLength()) / 16)));
                    List<byte[]> frags = original.ipVersion() == 4 ? ipv4Fragments(ip, chunk)
                            : ipv6Fragments(ip, chunk, random.nextInt());
                    if (frags.size() < 2) {
                        continue;
                    }
                    List<byte[]> sent = new ArrayList<>(frags);
                    Collections.shuffle(sent, random);
                    // A duplicate of one fragment, arriving before the last fragment (which completes the datagram).
                    byte[] dup = sent.get(random.nextInt(sent.size() - 1));
                    sent.add(random.nextInt(sent.size()), dup.clone());
                    Decoder decoder = new Decoder(DecoderOptions.defaults());
                    List<Layer> out = new ArrayList<>();
                    long t = 1_000_000_000L;
                    for (byte[] f : sent) {
                        feed(decoder, f, original.ipVersion(), t++, out);
                    }
                    assertEquals(1, out.size(), name + " frame " + original.frame());
                    Layer r = out.get(0);
                    assertTrue(r.reassembled());
                    assertEquals(original.ipTotalLength(), r.ipTotalLength());
                    assertEquals(original.srcPort(), r.srcPort());
                    assertEquals(original.dstPort(), r.dstPort());
                    assertEquals(original.payloadLength(), r.payloadLength());
                    assertArrayEquals(original.payload(), r.payload());
                    byte[] expected = ip.clone();
                    byte[] got = r.datagram().clone();
                    if (original.ipVersion() == 4) {
                        // Rebuilt header: checksum recomputed, fragment bits cleared.
                        expected[10] = expected[11] = got[10] = got[11] = 0;
                        expected[6] &= 0x40;
                        expected[7] = 0;
                    }
                    assertArrayEquals(expected, got, name + " frame " + original.frame());
                    assertEquals(0, decoder.fragmentsHeld());
                    datagrams++;
                }
            }
        }
        assertTrue(datagrams > 50, "datagrams fragmented: " + datagrams);
    }

    /** When incomplete datagrams exceed the memory bound the oldest are dropped, counted, and memory stays bounded. */
    @Test
    void memoryBoundDropsTheOldest() throws IOException {
        byte[] ip = firstIpv4(Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"), 600);
        int bound = 4000;
        Decoder decoder = new Decoder(new DecoderOptions(false, bound, 60_000_000_000L));
        List<Layer> out = new ArrayList<>();
        List<List<byte[]>> all = new ArrayList<>();
        for (int id = 0; id < 40; id++) {
            byte[] copy = ip.clone();
            copy[4] = (byte) (id >>> 8);
            copy[5] = (byte) id;
            all.add(ipv4Fragments(copy, 256));
        }
        long t = 0;
        for (List<byte[]> frags : all) {
            feed(decoder, frags.get(0), 4, t++, out); // only first fragments: nothing completes
            assertTrue(decoder.fragmentsHeld() <= bound, "held " + decoder.fragmentsHeld());
        }
        assertEquals(0, out.size());
        assertTrue(decoder.count("fragment_dropped_memory_bound") > 0);
        // The newest datagram was kept and completes; the oldest was dropped and cannot.
        for (byte[] f : all.get(39).subList(1, all.get(39).size())) {
            feed(decoder, f, 4, t++, out);
        }
        assertEquals(1, out.size());
        for (byte[] f : all.get(0).subList(1, all.get(0).size())) {
            feed(decoder, f, 4, t++, out);
        }
        assertEquals(1, out.size());
    }

    @Test
    void incompleteDatagramsTimeOut() throws IOException {
        byte[] ip = firstIpv4(Corpus.resolve("zeek/core.tcp.rxmit-history/traces/wikipedia.pcap"), 600);
        long timeout = 5_000_000_000L;
        Decoder decoder = new Decoder(new DecoderOptions(false, 1 << 20, timeout));
        List<byte[]> frags = ipv4Fragments(ip, 256);
        List<Layer> out = new ArrayList<>();
        feed(decoder, frags.get(0), 4, 0, out);
        for (byte[] f : frags.subList(1, frags.size())) {
            feed(decoder, f, 4, timeout + 1, out);
        }
        assertEquals(0, out.size());
        assertEquals(1, decoder.count("fragment_timeout"));
        // Within the timeout the same fragments complete.
        for (byte[] f : frags) {
            feed(decoder, f, 4, timeout + 2, out);
        }
        assertEquals(1, out.size());
    }

    private static byte[] firstIpv4(Path capture, int minLength) throws IOException {
        for (List<Layer> layers : Layer.decodeAll(capture, DecoderOptions.defaults().withIgnoreChecksums(true))) {
            for (Layer l : layers) {
                if (l.ipVersion() == 4 && l.datagram().length == l.ipTotalLength() && l.ipTotalLength() >= minLength) {
                    return l.datagram();
                }
            }
        }
        throw new AssertionError("no IPv4 packet of " + minLength + " bytes in " + capture);
    }

    private static void feed(Decoder decoder, byte[] ip, int version, long time, List<Layer> out) {
        PacketView v = new PacketView();
        v.data = ip;
        v.frameOffset = 0;
        v.capturedLength = v.wireLength = ip.length;
        v.linkType = version == 4 ? LinkTypes.IPV4 : LinkTypes.IPV6;
        v.timestampNanos = time;
        decoder.decode(v, p -> out.add(Layer.of(p)));
    }

    /** Cuts an IPv4 packet into fragments of {@code chunk} payload bytes (a multiple of 8), with valid checksums. */
    static List<byte[]> ipv4Fragments(byte[] ip, int chunk) {
        int hl = (ip[0] & 0x0F) * 4;
        int payload = ip.length - hl;
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < payload; off += chunk) {
            int n = Math.min(chunk, payload - off);
            byte[] f = new byte[hl + n];
            System.arraycopy(ip, 0, f, 0, hl);
            System.arraycopy(ip, hl + off, f, hl, n);
            f[2] = (byte) ((hl + n) >>> 8);
            f[3] = (byte) (hl + n);
            int field = (off / 8) | (off + n < payload ? 0x2000 : 0) | ((ip[6] & 0x40) << 8);
            f[6] = (byte) (field >>> 8);
            f[7] = (byte) field;
            f[10] = f[11] = 0;
            int sum = 0;
            for (int i = 0; i < hl; i += 2) {
                sum += ((f[i] & 0xFF) << 8) | (f[i + 1] & 0xFF);
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            sum = ~sum & 0xFFFF;
            f[10] = (byte) (sum >>> 8);
            f[11] = (byte) sum;
            out.add(f);
        }
        return out;
    }

    /** Cuts an IPv6 packet without extension headers into fragments (RFC 8200 layout). */
    static List<byte[]> ipv6Fragments(byte[] ip, int chunk, int id) {
        int payload = ip.length - 40;
        int next = ip[6] & 0xFF;
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < payload; off += chunk) {
            int n = Math.min(chunk, payload - off);
            byte[] f = new byte[48 + n];
            System.arraycopy(ip, 0, f, 0, 40);
            f[4] = (byte) ((8 + n) >>> 8);
            f[5] = (byte) (8 + n);
            f[6] = 44;
            f[40] = (byte) next;
            int field = off | (off + n < payload ? 1 : 0);
            f[42] = (byte) (field >>> 8);
            f[43] = (byte) field;
            f[44] = (byte) (id >>> 24);
            f[45] = (byte) (id >>> 16);
            f[46] = (byte) (id >>> 8);
            f[47] = (byte) id;
            System.arraycopy(ip, 40 + off, f, 48, n);
            out.add(f);
        }
        return out;
    }
}
