package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.weir.core.DecoderOptions;
import org.weir.core.TunnelType;
import org.weir.packet.internal.Captures.Tsv;

/**
 * Per-packet agreement with tshark (refs/…/tshark-packets.tsv): MACs, VLAN, addresses, ports, TCP flags and
 * sequence numbers, UDP length, ICMP type and code, IP length. Frames the decoder drops on Zeek's rules (bad IPv4
 * checksum, truncated IP) are not compared; tshark still dissects those.
 */
class DecoderTsharkTest {

    @TestFactory
    List<DynamicTest> decodesLikeTshark() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : Captures.under(".")) {
            Tsv tsv = Captures.tshark(file);
            if (tsv == null) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(Captures.relative(file), () -> compare(file, tsv)));
        }
        return tests;
    }

    private static void compare(Path file, Tsv tsv) throws IOException {
        // Checksums ignored so that every IP packet tshark dissects is delivered and compared.
        List<List<Layer>> frames = Layer.decodeAll(file, DecoderOptions.defaults().withIgnoreChecksums(true));
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < frames.size() && i < tsv.rows().size(); i++) {
            List<Layer> layers = frames.get(i);
            if (layers.isEmpty()) {
                continue;
            }
            String[] row = tsv.rows().get(i);
            Layer outer = layers.get(0);
            Layer inner = layers.get(layers.size() - 1);
            if (inner.tunnelType() == TunnelType.TEREDO.ordinal() && tsv.get(row, "ipv6.src").isEmpty()) {
                // tshark decodes Teredo on port 3544 only; Zeek (and Suricata) also recognise it by content.
                inner = outer;
            }
            String where = "frame " + (i + 1) + ": ";
            String ethSrc = first(tsv.get(row, "eth.src"));
            if (!ethSrc.isEmpty() && outer.depth() == 0) {
                check(problems, where + "eth.src", ethSrc, Layer.mac(outer.srcMac()));
                check(problems, where + "eth.dst", first(tsv.get(row, "eth.dst")), Layer.mac(outer.dstMac()));
            }
            String vlan = first(tsv.get(row, "vlan.id"));
            if (outer.depth() == 0) {
                check(problems, where + "vlan", vlan, outer.vlan() < 0 ? "" : String.valueOf(outer.vlan()));
            }
            if (outer.ipVersion() == 0) {
                check(problems, where + "ip.src", first(tsv.get(row, "ip.src")) + first(tsv.get(row, "ipv6.src")),
                        "");
                compared++;
                continue;
            }
            // Outer addresses: those of the first delivered layer, or of the tunnel around it (GRE, IP-in-IP).
            String outerSrc = outer.depth() == 0 ? outer.src() : outer.tunnelSrc();
            String outerDst = outer.depth() == 0 ? outer.dst() : outer.tunnelDst();
            boolean outerV4 = outer.depth() == 0 ? outer.ipVersion() == 4 : outerSrc.indexOf(':') < 0;
            check(problems, where + "outer src", first(tsv.get(row, outerV4 ? "ip.src" : "ipv6.src")), outerSrc);
            check(problems, where + "outer dst", first(tsv.get(row, outerV4 ? "ip.dst" : "ipv6.dst")), outerDst);
            if (outer.depth() == 0 && outer.ipVersion() == 4 && !outer.reassembled()) {
                check(problems, where + "ip.len", first(tsv.get(row, "ip.len")),
                        String.valueOf(outer.ipTotalLength()));
                check(problems, where + "ip.ttl", first(tsv.get(row, "ip.ttl")), String.valueOf(outer.ttl()));
            }
            if (inner.depth() > 0 && inner.ipVersion() == 6 && outerV4) {
                // IPv6 inside IPv4 (Teredo, 6in4): tshark's ipv6 fields are the inner ones.
                check(problems, where + "inner ipv6.src", last(tsv.get(row, "ipv6.src")), inner.src());
                check(problems, where + "inner ipv6.dst", last(tsv.get(row, "ipv6.dst")), inner.dst());
            }
            boolean icmpInside = !tsv.get(row, "icmp.type").isEmpty() || !tsv.get(row, "icmpv6.type").isEmpty();
            if (inner.transportTruncated()) {
                compared++;
                continue;
            }
            switch (inner.protocol()) {
                case 6 -> {
                    if (icmpInside) {
                        break;
                    }
                    check(problems, where + "tcp.srcport", last(tsv.get(row, "tcp.srcport")),
                            String.valueOf(inner.srcPort()));
                    check(problems, where + "tcp.dstport", last(tsv.get(row, "tcp.dstport")),
                            String.valueOf(inner.dstPort()));
                    String flags = last(tsv.get(row, "tcp.flags"));
                    check(problems, where + "tcp.flags", flags.isEmpty() ? "" : String.valueOf(
                            Integer.parseInt(flags.substring(2), 16) & 0xFF), String.valueOf(inner.tcpFlags()));
                    check(problems, where + "tcp.seq", last(tsv.get(row, "tcp.seq_raw")),
                            String.valueOf(inner.tcpSeq()));
                    check(problems, where + "tcp.ack", last(tsv.get(row, "tcp.ack_raw")),
                            String.valueOf(inner.tcpAck()));
                    if (inner.tcpHeaderLength() >= 20 && inner.tcpHeaderLength() <= inner.l4CapturedLength()) {
                        check(problems, where + "tcp.len", last(tsv.get(row, "tcp.len")),
                                String.valueOf(inner.payloadLength()));
                    }
                }
                case 17 -> {
                    if (icmpInside) {
                        break;
                    }
                    check(problems, where + "udp.srcport", last(tsv.get(row, "udp.srcport")),
                            String.valueOf(inner.srcPort()));
                    check(problems, where + "udp.dstport", last(tsv.get(row, "udp.dstport")),
                            String.valueOf(inner.dstPort()));
                    String ulen = last(tsv.get(row, "udp.length"));
                    if (!ulen.isEmpty() && Integer.parseInt(ulen) >= 8) {
                        check(problems, where + "udp.length", ulen, String.valueOf(inner.payloadLength() + 8));
                    }
                }
                case 1 -> {
                    check(problems, where + "icmp.type", first(tsv.get(row, "icmp.type")),
                            String.valueOf(inner.srcPort()));
                    check(problems, where + "icmp.code", first(tsv.get(row, "icmp.code")),
                            String.valueOf(inner.dstPort()));
                }
                case 58 -> {
                    check(problems, where + "icmpv6.type", first(tsv.get(row, "icmpv6.type")),
                            String.valueOf(inner.srcPort()));
                    check(problems, where + "icmpv6.code", first(tsv.get(row, "icmpv6.code")),
                            String.valueOf(inner.dstPort()));
                }
                default -> {
                    String p = inner.ipVersion() == 4 ? last(tsv.get(row, "ip.proto"))
                            : last(tsv.get(row, "ipv6.nxt"));
                    if (inner.depth() == 0 && !p.isEmpty() && inner.ipVersion() == 4) {
                        check(problems, where + "ip.proto", p, String.valueOf(inner.protocol()));
                    }
                }
            }
            compared++;
        }
        assertTrue(problems.isEmpty(), Captures.relative(file) + ": " + problems.size() + " disagreements, e.g. "
                + problems.subList(0, Math.min(10, problems.size())));
        assertTrue(compared > 0 || frames.isEmpty() || frames.stream().allMatch(List::isEmpty),
                "nothing compared in " + Captures.relative(file));
    }

    private static void check(List<String> problems, String what, String tshark, String ours) {
        if (!tshark.equals(ours)) {
            problems.add(what + " tshark '" + tshark + "' decoder '" + ours + "'");
        }
    }

    private static String first(String multi) {
        int c = multi.indexOf(',');
        return c < 0 ? multi : multi.substring(0, c);
    }

    private static String last(String multi) {
        int c = multi.lastIndexOf(',');
        return c < 0 ? multi : multi.substring(c + 1);
    }
}
