package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.packet.internal.Wrap.ethernet;
import static org.weir.packet.internal.Wrap.ipv4;
import static org.weir.packet.internal.Wrap.ipv6;
import static org.weir.packet.internal.Wrap.u16;
import static org.weir.packet.internal.Wrap.u32;
import static org.weir.packet.internal.Wrap.udp;
import static org.weir.packet.internal.Wrap.v4;
import static org.weir.testsupport.Bytes.bytes;
import static org.weir.testsupport.Bytes.concat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.weir.core.DecoderOptions;
import org.weir.core.LinkTypes;
import org.weir.core.PacketView;
import org.weir.core.TunnelType;
import org.weir.testsupport.Corpus;

/**
 * Tunnels. Teredo and GRE come from corpus captures (checked against Suricata's and Zeek's expectations); the other
 * encapsulations wrap the IP packets of a corpus capture, which must come out of the tunnel exactly as they decode
 * bare, with the outer flow in the tunnel fields.
 */
class TunnelTest {

    private static final String SOURCE = "zeek/core.tcp.rxmit-history/traces/wikipedia.pcap";
    private static final String SOURCE_V6 = "suricata-verify/community-id-ipv6/input.pcap";
    private static final int OUTER_SRC = v4("192.0.2.1"), OUTER_DST = v4("198.51.100.2");
    private static final long MAC_A = 0x0200_0000_000AL, MAC_B = 0x0200_0000_000BL;
    private static final byte[] V6_A = bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    private static final byte[] V6_B = bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);

    /** Suricata's expectations for its Teredo case: a flow on a non-Teredo port is still decoded (by content). */
    @Test
    void teredoIsDecodedLikeSuricataAndZeek() throws IOException {
        List<Layer> all = Layer.decodeAll(Corpus.resolve("suricata-verify/decode-teredo-01/input.pcap"),
                DecoderOptions.defaults()).stream().flatMap(List::stream).toList();
        // test.yaml: an ICMPv6 echo request flow 2001:0:4137:9e50:8000:f12a:b9c8:2815 -> 2001:4860:0:2001::68, 1 pkt.
        List<Layer> echo = all.stream().filter(l -> l.protocol() == 58 && l.srcPort() == 128
                && l.src().equals("2001:0:4137:9e50:8000:f12a:b9c8:2815") && l.dst().equals("2001:4860:0:2001::68"))
                .toList();
        assertEquals(1, echo.size());
        assertEquals(TunnelType.TEREDO.ordinal(), echo.get(0).tunnelType());
        assertEquals(1, echo.get(0).depth());
        assertEquals(52, echo.get(0).ipTotalLength()); // its 52 bytes to server (and Zeek's orig_ip_bytes)
        // test.yaml: the UDP flow 192.168.2.16:3797 <-> 83.170.1.38:32900 has 12 + 13 packets.
        long outer = all.stream().filter(l -> l.depth() == 0 && l.protocol() == 17
                && (l.srcPort() == 32900 || l.dstPort() == 32900)).count();
        assertEquals(25, outer);
        // Every inner layer names that flow (or the 3544 one) as its carrier.
        for (Layer l : all) {
            if (l.depth() > 0) {
                assertTrue(l.tunnelSrcPort() == 3797 || l.tunnelDstPort() == 3797, l.toString());
                assertEquals(17, l.tunnelProtocol());
            }
        }
    }

    /** GRE: the inner connections of Zeek's GRE trace, with the outer IP pair in the tunnel fields. */
    @Test
    void greDeliversTheInnerPacketWithTheOuterPair() throws IOException {
        List<Layer> all = Layer.decodeAll(Corpus.resolve("zeek/core.skip_analyzer/traces/tunnels/gre-sample.pcap"),
                DecoderOptions.defaults().withIgnoreChecksums(true)).stream().flatMap(List::stream).toList();
        assertTrue(all.size() > 20);
        for (Layer l : all) {
            assertEquals(1, l.depth());
            assertEquals(TunnelType.GRE.ordinal(), l.tunnelType());
            assertEquals(47, l.tunnelProtocol());
            Set<String> pair = Set.of(l.tunnelSrc(), l.tunnelDst());
            assertEquals(Set.of("172.27.1.66", "66.59.109.137"), pair); // tshark's outer ip.src/ip.dst
        }
    }

    record Tunnel(String name, TunnelType type, boolean outerLayer, int tunnelProtocol, int innerVersion,
            Function<byte[], byte[]> wrap) {
    }

    /** Wraps inner IP packets; the frame is Ethernet + outer IPv4 (+ UDP) + tunnel header + inner packet. */
    @TestFactory
    List<DynamicTest> everyTunnelDeliversItsInnerPacket() {
        List<Tunnel> tunnels = List.of(
                new Tunnel("IPv4 in IPv4", TunnelType.IP_IN_IP, false, 4, 4, ip -> outer(4, ip)),
                new Tunnel("IPv6 in IPv4", TunnelType.IP_IN_IP, false, 41, 6, ip -> outer(41, ip)),
                new Tunnel("GRE IPv4", TunnelType.GRE, false, 47, 4, ip -> outer(47, concat(u16(0), u16(0x0800), ip))),
                new Tunnel("GRE IPv6 with key and sequence", TunnelType.GRE, false, 47, 6,
                        ip -> outer(47, concat(u16(0x3000), u16(0x86DD), u32(77), u32(1), ip))),
                new Tunnel("GRE with checksum", TunnelType.GRE, false, 47, 4,
                        ip -> outer(47, concat(u16(0x8000), u16(0x0800), u32(0), ip))),
                new Tunnel("GRE transparent Ethernet", TunnelType.GRE, false, 47, 4,
                        ip -> outer(47, concat(u16(0), u16(0x6558), ethernet(MAC_A, MAC_B, 0x0800, ip)))),
                new Tunnel("PPTP enhanced GRE", TunnelType.GRE, false, 47, 4,
                        ip -> outer(47, concat(u16(0x3081), u16(0x880B), u16(ip.length + 4), u16(9), u32(5), u32(4),
                                bytes(0xFF, 0x03, 0x00, 0x21), ip))),
                new Tunnel("GRE MPLS", TunnelType.GRE, false, 47, 4,
                        ip -> outer(47, concat(u16(0), u16(0x8847), bytes(0x00, 0x01, 0x01, 0x40), ip))),
                new Tunnel("GRE Aruba 802.11", TunnelType.GRE, false, 47, 4,
                        ip -> outer(47, concat(u16(0), u16(0x8200), wifiQos(false), snap(ip)))),
                new Tunnel("GRE Aruba 802.11 A-MSDU", TunnelType.GRE, false, 47, 6,
                        ip -> outer(47, concat(u16(0), u16(0x9000), wifiQos(true), subframe(ip, false)))),
                new Tunnel("GRE over UDP (4754)", TunnelType.GRE, true, 17, 4,
                        ip -> outer(17, udp(40005, 4754, concat(u16(0), u16(0x0800), ip)))),
                new Tunnel("VXLAN", TunnelType.VXLAN, true, 17, 4,
                        ip -> outer(17, udp(40000, 4789, concat(bytes(0x08, 0, 0, 0, 0, 0, 42, 0),
                                ethernet(MAC_A, MAC_B, 0x0800, ip))))),
                new Tunnel("Geneve Ethernet with an option", TunnelType.GENEVE, true, 17, 6,
                        ip -> outer(17, udp(40001, 6081, concat(bytes(0x01, 0, 0x65, 0x58, 0, 0, 7, 0),
                                bytes(0, 1, 2, 0), ethernet(MAC_A, MAC_B, 0x86DD, ip))))),
                new Tunnel("Geneve IPv4", TunnelType.GENEVE, true, 17, 4,
                        ip -> outer(17, udp(40001, 6081, concat(bytes(0, 0, 0x08, 0x00, 0, 0, 7, 0), ip)))),
                new Tunnel("GTPv1-U", TunnelType.GTPV1, true, 17, 4,
                        ip -> outer(17, udp(2152, 2152, concat(bytes(0x30, 0xFF), u16(ip.length), u32(0x1234), ip)))),
                new Tunnel("GTPv1-U with sequence number", TunnelType.GTPV1, true, 17, 6,
                        ip -> outer(17, udp(2152, 2152, concat(bytes(0x32, 0xFF), u16(ip.length + 4), u32(0x1234),
                                bytes(0, 1, 0, 0), ip)))),
                new Tunnel("AYIYA", TunnelType.AYIYA, true, 17, 6,
                        ip -> outer(17, udp(40002, 5072, concat(bytes(0x41, 0x52, 0x11, 41), u32(0),
                                V6_A, new byte[20], ip)))),
                new Tunnel("Teredo with origin indication", TunnelType.TEREDO, true, 17, 6,
                        ip -> outer(17, udp(40003, 3544, concat(bytes(0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), ip)))),
                new Tunnel("IPv6 in IPv6", TunnelType.IP_IN_IP, false, 41, 6,
                        ip -> ethernet(MAC_A, MAC_B, 0x86DD, ipv6(V6_A, V6_B, 41, ip))));
        List<DynamicTest> tests = new ArrayList<>();
        for (Tunnel t : tunnels) {
            tests.add(DynamicTest.dynamicTest(t.name(), () -> check(t)));
        }
        return tests;
    }

    /** An 802.11 QoS data frame's header, to the distribution system; with the A-MSDU bit if asked. */
    private static byte[] wifiQos(boolean amsdu) {
        return concat(bytes(0x88, 0x01, 0, 0), Wrap.mac(0x0200_0000_00A1L), Wrap.mac(MAC_A), Wrap.mac(MAC_B),
                bytes(0, 0), bytes(amsdu ? 0x80 : 0, 0));
    }

    /** LLC/SNAP and the EtherType of an IP packet, then the packet. */
    private static byte[] snap(byte[] ip) {
        return concat(bytes(0xAA, 0xAA, 0x03, 0, 0, 0), u16((ip[0] & 0xF0) == 0x60 ? 0x86DD : 0x0800), ip);
    }

    /** An A-MSDU subframe: destination, source, length, the LLC payload; padded to four bytes unless the last. */
    private static byte[] subframe(byte[] ip, boolean padded) {
        byte[] payload = snap(ip);
        byte[] sub = concat(Wrap.mac(MAC_B), Wrap.mac(MAC_A), u16(payload.length), payload);
        return padded && payload.length % 4 != 0 ? concat(sub, new byte[payload.length % 4]) : sub;
    }

    @Test
    void arubaAmsduDeliversEverySubframeInTheTunnel() throws IOException {
        List<List<Layer>> originals = Layer.decodeAll(Corpus.resolve(SOURCE),
                DecoderOptions.defaults().withIgnoreChecksums(true));
        List<Layer> two = new ArrayList<>();
        for (List<Layer> layers : originals) {
            Layer l = layers.get(0);
            if (layers.size() == 1 && l.ipVersion() == 4 && l.datagram().length == l.ipTotalLength()
                    && l.datagram().length % 4 != 0) {
                two.add(l);
                if (two.size() == 2) {
                    break;
                }
            }
        }
        byte[] frame = outer(47, concat(u16(0), u16(0x8210), wifiQos(true), subframe(two.get(0).datagram(), true),
                subframe(two.get(1).datagram(), false)));
        Decoder decoder = new Decoder(DecoderOptions.defaults().withIgnoreChecksums(true));
        List<Layer> got = decode(decoder, frame);
        assertEquals(2, got.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(1, got.get(i).depth());
            assertEquals(TunnelType.GRE.ordinal(), got.get(i).tunnelType());
            assertEquals(two.get(i).src(), got.get(i).src());
            assertEquals(two.get(i).dstPort(), got.get(i).dstPort());
            assertEquals(two.get(i).tcpSeq(), got.get(i).tcpSeq());
            assertEquals(two.get(i).payloadLength(), got.get(i).payloadLength());
        }
        // A subframe whose length runs past the frame ends the frame there, after the ones before it.
        byte[] cut = outer(47, concat(u16(0), u16(0x8210), wifiQos(true), subframe(two.get(0).datagram(), true),
                u16(0), u16(0), u16(0), u16(0), u16(0), u16(0), u16(500), bytes(0xAA, 0xAA)));
        assertEquals(1, decode(decoder, cut).size());
        assertEquals(1, decoder.count("truncated_802_11_amsdu_packet"));
    }

    private static byte[] outer(int proto, byte[] payload) {
        return ethernet(MAC_A, MAC_B, 0x0800, ipv4(OUTER_SRC, OUTER_DST, proto, payload));
    }

    private void check(Tunnel t) throws IOException {
        Path source = Corpus.resolve(t.innerVersion() == 4 ? SOURCE : SOURCE_V6);
        List<List<Layer>> originals = Layer.decodeAll(source, DecoderOptions.defaults().withIgnoreChecksums(true));
        Decoder decoder = new Decoder(DecoderOptions.defaults().withIgnoreChecksums(true));
        int checked = 0;
        for (List<Layer> layers : originals) {
            if (layers.size() != 1 || layers.get(0).ipVersion() != t.innerVersion()
                    || layers.get(0).datagram().length != layers.get(0).ipTotalLength()) {
                continue;
            }
            Layer want = layers.get(0);
            byte[] frame = t.wrap().apply(want.datagram());
            List<Layer> got = decode(decoder, frame);
            String where = t.name() + " frame " + want.frame();
            assertEquals(t.outerLayer() ? 2 : 1, got.size(), where);
            if (t.outerLayer()) {
                Layer o = got.get(0);
                assertEquals(0, o.depth(), where);
                assertEquals(17, o.protocol(), where);
                assertEquals("192.0.2.1", o.src(), where);
            }
            Layer in = got.get(got.size() - 1);
            assertEquals(1, in.depth(), where);
            assertEquals(t.type().ordinal(), in.tunnelType(), where);
            assertEquals(t.tunnelProtocol(), in.tunnelProtocol(), where);
            if (t.name().equals("IPv6 in IPv6")) {
                assertEquals("2001:db8::1", in.tunnelSrc(), where);
            } else {
                assertEquals("192.0.2.1", in.tunnelSrc(), where);
                assertEquals("198.51.100.2", in.tunnelDst(), where);
            }
            if (t.outerLayer() && t.type() != TunnelType.GRE) {
                assertEquals(got.get(0).srcPort(), in.tunnelSrcPort(), where);
                assertEquals(got.get(0).dstPort(), in.tunnelDstPort(), where);
            }
            assertEquals(want.src(), in.src(), where);
            assertEquals(want.dst(), in.dst(), where);
            assertEquals(want.protocol(), in.protocol(), where);
            assertEquals(want.srcPort(), in.srcPort(), where);
            assertEquals(want.dstPort(), in.dstPort(), where);
            assertEquals(want.tcpFlags(), in.tcpFlags(), where);
            assertEquals(want.tcpSeq(), in.tcpSeq(), where);
            assertEquals(want.ipTotalLength(), in.ipTotalLength(), where);
            assertEquals(want.payloadLength(), in.payloadLength(), where);
            assertArrayEquals(want.payload(), in.payload(), where);
            // The inner packet is a new packet: no VLAN of the outer frame.
            assertEquals(-1, in.vlan(), where);
            checked++;
        }
        assertTrue(checked > 10, t.name() + ": packets checked " + checked);
    }

    private static List<Layer> decode(Decoder decoder, byte[] frame) {
        PacketView v = new PacketView();
        v.data = frame;
        v.capturedLength = v.wireLength = frame.length;
        v.linkType = LinkTypes.ETHERNET;
        List<Layer> out = new ArrayList<>();
        decoder.decode(v, p -> out.add(Layer.of(p)));
        return out;
    }

    /** Zeek decodes at most two nested encapsulations; the third is counted, not decoded. */
    @Test
    void nestingBeyondZeeksDepthIsCounted() throws IOException {
        Layer any = Layer.decodeAll(Corpus.resolve(SOURCE), DecoderOptions.defaults()).stream()
                .flatMap(List::stream).filter(l -> l.ipVersion() == 4 && l.protocol() == 6
                        && l.datagram().length == l.ipTotalLength())
                .findFirst().orElseThrow();
        byte[] inner = any.datagram();
        byte[] nested = inner;
        for (int i = 0; i < Decoder.MAX_TUNNEL_DEPTH; i++) {
            nested = ipv4(OUTER_SRC, OUTER_DST, 4, nested);
        }
        assertEquals(4, Decoder.MAX_TUNNEL_DEPTH, "Zeek's default Tunnel::max_depth");
        byte[] deeper = ipv4(OUTER_SRC, OUTER_DST, 4, nested);
        Decoder decoder = new Decoder(DecoderOptions.defaults());
        List<Layer> ok = decode(decoder, ethernet(MAC_A, MAC_B, 0x0800, nested));
        assertEquals(1, ok.size());
        assertEquals(Decoder.MAX_TUNNEL_DEPTH, ok.get(0).depth());
        assertEquals(any.srcPort(), ok.get(0).srcPort());
        assertEquals(0, decode(decoder, ethernet(MAC_A, MAC_B, 0x0800, deeper)).size());
        assertEquals(1, decoder.count("exceeded_tunnel_max_depth"));
    }

    /** A tunnel whose inner packet does not fill its outer payload is Zeek's truncated/mismatched inner IP. */
    @Test
    void innerLengthMismatchesAreZeeksWeirds() throws IOException {
        Layer any = Layer.decodeAll(Corpus.resolve(SOURCE), DecoderOptions.defaults()).stream()
                .flatMap(List::stream).filter(l -> l.ipVersion() == 4 && l.datagram().length == l.ipTotalLength())
                .findFirst().orElseThrow();
        byte[] inner = any.datagram();
        Decoder decoder = new Decoder(DecoderOptions.defaults());
        byte[] shortInner = java.util.Arrays.copyOf(inner, inner.length - 1);
        assertEquals(0, decode(decoder, outer(4, shortInner)).size());
        assertEquals(1, decoder.count("truncated_inner_IP"));
        assertEquals(0, decode(decoder, outer(4, concat(inner, bytes(0)))).size());
        assertEquals(1, decoder.count("inner_IP_payload_length_mismatch"));
        Set<Integer> versions = new HashSet<>();
        for (Layer l : decode(decoder, outer(4, inner))) {
            versions.add(l.ipVersion());
        }
        assertEquals(Set.of(4), versions);
    }
}
