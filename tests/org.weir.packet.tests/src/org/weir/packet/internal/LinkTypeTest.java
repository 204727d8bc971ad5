package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.packet.internal.Wrap.BACKBONE;
import static org.weir.packet.internal.Wrap.I_TAG;
import static org.weir.packet.internal.Wrap.VN_TAG;
import static org.weir.packet.internal.Wrap.mac;
import static org.weir.packet.internal.Wrap.u16;
import static org.weir.testsupport.Bytes.bytes;
import static org.weir.testsupport.Bytes.concat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.weir.core.DecoderOptions;
import org.weir.core.LinkTypes;
import org.weir.packet.PcapWriter;
import org.weir.packet.internal.Captures.Frame;
import org.weir.testsupport.Corpus;

/**
 * Link types the corpus lacks (its captures are Ethernet and raw IP): the IP packets of corpus Ethernet frames,
 * re-framed in each link type and written with PcapWriter, must decode exactly as the originals did (which
 * {@link DecoderTsharkTest} holds against tshark).
 */
class LinkTypeTest {

    private static final String SOURCE = "zeek/core.tcp.rxmit-history/traces/wikipedia.pcap";

    @TempDir
    Path tmp;

    record Case(String name, int linkType, Function<Frame, byte[]> frame, boolean keepsSrcMac) {
    }

    @TestFactory
    List<DynamicTest> everyLinkTypeDecodesLikeEthernet() {
        List<Case> cases = List.of(
                new Case("LINUX_SLL", LinkTypes.LINUX_SLL,
                        f -> concat(bytes(0, 0, 0, 1, 0, 6), mac(src(f)), bytes(0, 0), u16(type(f)), ip(f)), true),
                new Case("LINUX_SLL2", LinkTypes.LINUX_SLL2,
                        f -> concat(u16(type(f)), bytes(0, 0, 0, 0, 0, 2, 0, 1, 0, 6), mac(src(f)), bytes(0, 0), ip(f)),
                        true),
                new Case("NULL little-endian", LinkTypes.NULL, f -> concat(bytes(af(f), 0, 0, 0), ip(f)), false),
                new Case("NULL big-endian", LinkTypes.NULL, f -> concat(bytes(0, 0, 0, af(f)), ip(f)), false),
                new Case("NULL AF_INET6 28", LinkTypes.NULL, f -> concat(bytes(v6(f) ? 28 : 2, 0, 0, 0), ip(f)), false),
                new Case("NULL AF_INET6 30", LinkTypes.NULL, f -> concat(bytes(v6(f) ? 30 : 2, 0, 0, 0), ip(f)), false),
                new Case("LOOP", LinkTypes.LOOP, f -> concat(bytes(0, 0, 0, af(f)), ip(f)), false),
                new Case("RAW", LinkTypes.RAW, LinkTypeTest::ip, false),
                new Case("DLT_RAW 12", 12, LinkTypeTest::ip, false),
                new Case("DLT_RAW 14", 14, LinkTypeTest::ip, false),
                // Zeek's root analyzer hands link types it does not register to IP, its default analyzer.
                new Case("unregistered (USER0, 147)", 147, LinkTypeTest::ip, false),
                new Case("PPP", LinkTypes.PPP, f -> concat(bytes(0xFF, 0x03), u16(ppp(f)), ip(f)), false),
                new Case("PPP without HDLC framing", LinkTypes.PPP, f -> concat(u16(ppp(f)), ip(f)), false),
                new Case("PPP_HDLC", LinkTypes.PPP_HDLC, f -> concat(bytes(0xFF, 0x03), u16(ppp(f)), ip(f)), false),
                new Case("C_HDLC", LinkTypes.C_HDLC, f -> concat(bytes(0x0F, 0x00), u16(type(f)), ip(f)), false),
                new Case("PPPoE (PPP_ETHER)", LinkTypes.PPP_ETHER,
                        f -> concat(bytes(0x11, 0, 0x12, 0x34), u16(2 + ip(f).length), u16(ppp(f)), ip(f)), false),
                new Case("Ethernet 802.3 LLC/SNAP", LinkTypes.ETHERNET,
                        f -> concat(mac(dst(f)), mac(src(f)), u16(8 + ip(f).length),
                                bytes(0xAA, 0xAA, 0x03, 0, 0, 0), u16(type(f)), ip(f)), true),
                new Case("PBB (802.1ah) customer frame", LinkTypes.ETHERNET,
                        f -> concat(BACKBONE, u16(0x88E7), I_TAG, mac(dst(f)), mac(src(f)), u16(type(f)), ip(f)), true),
                new Case("PBB behind an S-tag, customer C-tag", LinkTypes.ETHERNET,
                        f -> concat(BACKBONE, u16(0x88A8), u16(7), u16(0x88E7), I_TAG, mac(dst(f)), mac(src(f)),
                                u16(0x8100), u16(42), u16(type(f)), ip(f)), true),
                new Case("VN-Tag, 802.1Q", LinkTypes.ETHERNET,
                        f -> concat(mac(dst(f)), mac(src(f)), u16(0x8926), VN_TAG, u16(0x8100), u16(42), u16(type(f)),
                                ip(f)), true),
                new Case("802.1Q, VN-Tag, 802.1Q", LinkTypes.ETHERNET,
                        f -> concat(mac(dst(f)), mac(src(f)), u16(0x8100), u16(7), u16(0x8926), VN_TAG, u16(0x8100),
                                u16(42), u16(type(f)), ip(f)), true),
                new Case("NFLOG", LinkTypes.NFLOG, LinkTypeTest::nflog, false),
                new Case("FDDI", LinkTypes.FDDI,
                        f -> concat(bytes(0x50), mac(dst(f)), mac(src(f)), bytes(0xAA, 0xAA, 0x03, 0, 0, 0),
                                u16(type(f)), ip(f)), false),
                new Case("IEEE 802.11 data to DS", LinkTypes.IEEE802_11, f -> wifi(f), true),
                new Case("radiotap + 802.11", LinkTypes.IEEE802_11_RADIOTAP,
                        f -> concat(bytes(0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0), wifi(f)), true));
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c)));
        }
        return tests;
    }

    private void check(Case c) throws IOException {
        Path source = Corpus.resolve(SOURCE);
        List<Frame> frames = Captures.frames(source);
        List<List<Layer>> originals = Layer.decodeAll(source, DecoderOptions.defaults().withIgnoreChecksums(true));
        Path out = tmp.resolve("lt-" + c.linkType() + ".pcap");
        List<Integer> kept = new ArrayList<>();
        try (PcapWriter w = PcapWriter.create(out, c.linkType(), 262144, false)) {
            for (int i = 0; i < frames.size(); i++) {
                Frame f = frames.get(i);
                if (type(f) != 0x0800 && type(f) != 0x86DD) {
                    continue;
                }
                byte[] b = c.frame().apply(f);
                w.write(f.timestampNanos(), b, 0, b.length, b.length);
                kept.add(i);
            }
        }
        List<List<Layer>> decoded = Layer.decodeAll(out, DecoderOptions.defaults().withIgnoreChecksums(true));
        assertEquals(kept.size(), decoded.size());
        assertTrue(kept.size() > 100, "IP frames: " + kept.size());
        for (int k = 0; k < kept.size(); k++) {
            List<Layer> want = originals.get(kept.get(k));
            List<Layer> got = decoded.get(k);
            assertEquals(want.size(), got.size(), "layers of frame " + (kept.get(k) + 1));
            for (int j = 0; j < want.size(); j++) {
                Layer a = want.get(j), b = got.get(j);
                String where = c.name() + " frame " + (kept.get(k) + 1);
                assertEquals(a.ipVersion(), b.ipVersion(), where);
                assertEquals(a.src(), b.src(), where);
                assertEquals(a.dst(), b.dst(), where);
                assertEquals(a.protocol(), b.protocol(), where);
                assertEquals(a.srcPort(), b.srcPort(), where);
                assertEquals(a.dstPort(), b.dstPort(), where);
                assertEquals(a.tcpFlags(), b.tcpFlags(), where);
                assertEquals(a.tcpSeq(), b.tcpSeq(), where);
                assertEquals(a.tcpAck(), b.tcpAck(), where);
                assertEquals(a.ipTotalLength(), b.ipTotalLength(), where);
                assertEquals(a.payloadLength(), b.payloadLength(), where);
                assertArrayEquals(a.payload(), b.payload(), where);
                assertEquals(a.etherType(), b.etherType(), where);
                if (c.keepsSrcMac()) {
                    assertEquals(a.srcMac(), b.srcMac(), where);
                }
            }
        }
    }

    /**
     * A netfilter log message: family, version 0, resource id; a packet header value, a prefix whose length (7) leaves
     * out its padding, then the payload value. Lengths and types little-endian, as written on x86 Linux.
     */
    private static byte[] nflog(Frame f) {
        byte[] ip = ip(f);
        int payload = 4 + ip.length;
        return concat(bytes(v6(f) ? 10 : 2, 0, 0, 0), bytes(8, 0, 1, 0), u16(type(f)), bytes(3, 0),
                bytes(7, 0, 10, 0, 'a', 'b', 0, 0), bytes(payload & 0xFF, payload >>> 8, 9, 0), ip);
    }

    private static byte[] wifi(Frame f) {
        // Data frame to the distribution system: addr1 = BSSID, addr2 = source, addr3 = destination.
        return concat(bytes(0x08, 0x01, 0, 0), mac(0x0200_0000_0001L), mac(src(f)), mac(dst(f)), bytes(0, 0),
                bytes(0xAA, 0xAA, 0x03, 0, 0, 0), u16(type(f)), ip(f));
    }

    private static int type(Frame f) {
        byte[] b = f.bytes();
        return b.length < 14 ? -1 : ((b[12] & 0xFF) << 8) | (b[13] & 0xFF);
    }

    private static boolean v6(Frame f) {
        return type(f) == 0x86DD;
    }

    private static int af(Frame f) {
        return v6(f) ? 24 : 2;
    }

    private static int ppp(Frame f) {
        return v6(f) ? 0x0057 : 0x0021;
    }

    private static long dst(Frame f) {
        return macAt(f.bytes(), 0);
    }

    private static long src(Frame f) {
        return macAt(f.bytes(), 6);
    }

    private static long macAt(byte[] b, int p) {
        long m = 0;
        for (int i = 0; i < 6; i++) {
            m = (m << 8) | (b[p + i] & 0xFF);
        }
        return m;
    }

    private static byte[] ip(Frame f) {
        return java.util.Arrays.copyOfRange(f.bytes(), 14, f.bytes().length);
    }
}
