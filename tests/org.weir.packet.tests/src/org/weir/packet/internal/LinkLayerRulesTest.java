package org.weir.packet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.weir.packet.internal.Wrap.BACKBONE;
import static org.weir.packet.internal.Wrap.I_TAG;
import static org.weir.packet.internal.Wrap.VN_TAG;
import static org.weir.packet.internal.Wrap.mac;
import static org.weir.packet.internal.Wrap.u16;
import static org.weir.testsupport.Bytes.bytes;
import static org.weir.testsupport.Bytes.concat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.weir.core.DecoderOptions;
import org.weir.core.LinkTypes;
import org.weir.core.PacketView;

/**
 * Link layers as Zeek's packet analyzers and their registrations take them: provider backbone frames (802.1ah),
 * VN-Tags, tags behind tags, MPLS, LLC/SNAP, Linux cooked frames, PPP, and malformed netfilter log messages; what
 * is decoded, which tags and addresses the packet keeps, and what is refused. {@link LinkTypeTest} re-frames a
 * whole corpus capture in the ones that carry IP.
 */
class LinkLayerRulesTest {

    private static final long CUSTOMER_DST = 0x0200_0000_0C01L, CUSTOMER_SRC = 0x0200_0000_0C02L;
    /** An IPv4 UDP datagram 10.0.0.1:1111 -> 10.0.0.2:2222 with a zero (unverified) UDP checksum. */
    private static final byte[] IP = Wrap.ipv4(0x0A00_0001, 0x0A00_0002, 17,
            concat(u16(1111), u16(2222), u16(12), u16(0), bytes(1, 2, 3, 4)));

    private final Decoder decoder = new Decoder(DecoderOptions.defaults());

    @Test
    void backboneFrameYieldsTheCustomersFrameWithItsAddressesAndTags() {
        byte[] frame = concat(BACKBONE, u16(0x88A8), u16(7), u16(0x88E7), I_TAG, mac(CUSTOMER_DST), mac(CUSTOMER_SRC),
                u16(0x8100), u16(42), u16(0x0800), IP);
        List<Layer> layers = decode(frame);
        assertEquals(1, layers.size());
        Layer l = layers.get(0);
        assertEquals(4, l.ipVersion());
        assertEquals(2222, l.dstPort());
        assertEquals(7, l.vlan(), "the backbone's S-tag");
        assertEquals(42, l.innerVlan(), "the customer's C-tag");
        assertEquals(CUSTOMER_SRC, l.srcMac());
        assertEquals(CUSTOMER_DST, l.dstMac());
    }

    @Test
    void vnTagIsFollowedOnlyIntoAVlanTag() {
        Layer tagged = decode(concat(mac(CUSTOMER_DST), mac(CUSTOMER_SRC), u16(0x8926), VN_TAG, u16(0x8100), u16(42),
                u16(0x0800), IP)).get(0);
        assertEquals(4, tagged.ipVersion());
        assertEquals(42, tagged.vlan());

        // Zeek registers only VLAN types after a VN-Tag: IPv4 right behind one is not analysed.
        long before = decoder.count("unknown_protocol");
        Layer bare = decode(concat(mac(CUSTOMER_DST), mac(CUSTOMER_SRC), u16(0x8926), VN_TAG, u16(0x0800), IP)).get(0);
        assertEquals(0, bare.ipVersion());
        assertEquals(before + 1, decoder.count("unknown_protocol"));

        // A VN-Tag behind a VLAN tag (Zeek registers that too since 2025).
        Layer sandwich = decode(concat(mac(CUSTOMER_DST), mac(CUSTOMER_SRC), u16(0x8100), u16(7), u16(0x8926), VN_TAG,
                u16(0x8100), u16(42), u16(0x0800), IP)).get(0);
        assertEquals(4, sandwich.ipVersion());
        assertEquals(7, sandwich.vlan());
        assertEquals(42, sandwich.innerVlan());
    }

    @Test
    void cutHeadersAreCountedAndNotDecoded() {
        // Zeek wants more than the 18 bytes of I-TAG and customer header, and more than the 6 of a VN-Tag.
        byte[] pbb = concat(BACKBONE, u16(0x88E7), I_TAG, mac(CUSTOMER_DST), mac(CUSTOMER_SRC), u16(0x0800));
        assertEquals(0, decode(pbb).get(0).ipVersion());
        assertEquals(1, decoder.count("truncated_PBB_header"));
        assertEquals(0, decode(concat(BACKBONE, u16(0x8926), VN_TAG, u16(0x8100))).get(0).ipVersion());
        assertEquals(1, decoder.count("truncated_vntag_header"));
    }

    @Test
    void nestedBackboneFramesAreBounded() {
        byte[] inner = concat(mac(CUSTOMER_DST), mac(CUSTOMER_SRC), u16(0x0800), IP);
        byte[] three = inner, seventeen = inner;
        for (int i = 0; i < 3; i++) {
            three = concat(BACKBONE, u16(0x88E7), I_TAG, three);
        }
        for (int i = 0; i < 17; i++) {
            seventeen = concat(BACKBONE, u16(0x88E7), I_TAG, seventeen);
        }
        assertEquals(4, decode(three).get(0).ipVersion());
        assertEquals(0, decode(seventeen).get(0).ipVersion());
        assertEquals(1, decoder.count("exceeded_link_layers"));
    }

    @Test
    void nflogWithoutAPayloadOrWithABadValueLengthIsCountedAndNotDecoded() {
        // Zeek's nflog-bad-tlv-len case: a value shorter than its own type and length.
        assertEquals(0, decode(concat(bytes(2, 0, 0, 0), bytes(2, 0, 1, 0), bytes(8, 0, 9, 0), IP), LinkTypes.NFLOG)
                .get(0).ipVersion());
        assertEquals(1, decoder.count("nflog_bad_tlv_len"));
        assertEquals(0, decode(concat(bytes(2, 0, 0, 0), bytes(8, 0, 1, 0), bytes(8, 0, 3, 0)), LinkTypes.NFLOG)
                .get(0).ipVersion());
        assertEquals(1, decoder.count("nflog_no_pcap_payload"));
        assertEquals(0, decode(concat(bytes(2, 1, 0, 0), bytes(16, 0, 9, 0), IP), LinkTypes.NFLOG).get(0).ipVersion());
        assertEquals(1, decoder.count("unknown_nflog_version"));
        // Only AF_INET and AF_INET6 go on to IP.
        assertEquals(0, decode(concat(bytes(7, 0, 0, 0), bytes(16, 0, 9, 0), IP), LinkTypes.NFLOG).get(0).ipVersion());
        assertEquals(4, decode(concat(bytes(2, 0, 0, 0), bytes(16, 0, 9, 0), IP), LinkTypes.NFLOG).get(0).ipVersion());
    }

    @Test
    void snapIsFollowedAsZeeksSnapAnalyzerFollowsIt() {
        // 802.3 frames: destination, source, length, then LLC. A numbered control field makes the LLC header 4 bytes.
        byte[] numbered = concat(bytes(0xAA, 0xAA, 0x00, 0x00), bytes(0, 0, 0), u16(0x0800), IP);
        assertEquals(4, decode(concat(mac(CUSTOMER_DST), mac(CUSTOMER_SRC), u16(numbered.length), numbered)).get(0)
                .ipVersion());
        // A vendor's organisation code: its protocol numbers are not EtherTypes.
        byte[] vendor = concat(bytes(0xAA, 0xAA, 0x03), bytes(0x00, 0x00, 0x0C), u16(0x0800), IP);
        assertEquals(0, decode(concat(mac(CUSTOMER_DST), mac(CUSTOMER_SRC), u16(vendor.length), vendor)).get(0)
                .ipVersion());
        // Zeek registers only IP and ARP after SNAP: a VLAN tag there is not followed.
        byte[] tagged = concat(bytes(0xAA, 0xAA, 0x03, 0, 0, 0), u16(0x8100), u16(42), u16(0x0800), IP);
        assertEquals(0, decode(concat(mac(CUSTOMER_DST), mac(CUSTOMER_SRC), u16(tagged.length), tagged)).get(0)
                .ipVersion());
    }

    @Test
    void tagsAndLabelsFollowZeeksRegistrations() {
        byte[] eth = concat(mac(CUSTOMER_DST), mac(CUSTOMER_SRC));
        // Q-in-Q as 802.1ad then 802.1Q: decoded, both tags kept.
        Layer qinq = decode(concat(eth, u16(0x88A8), u16(7), u16(0x8100), u16(42), u16(0x0800), IP)).get(0);
        assertEquals(4, qinq.ipVersion());
        assertEquals(42, qinq.innerVlan());
        // Behind a tag Zeek registers only 802.1Q for another tag.
        assertEquals(0, decode(concat(eth, u16(0x8100), u16(7), u16(0x88A8), u16(42), u16(0x0800), IP)).get(0)
                .ipVersion());
        // MPLS: the unicast type only (bottom-of-stack label 16).
        byte[] label = bytes(0x00, 0x01, 0x01, 0x40);
        assertEquals(4, decode(concat(eth, u16(0x8847), label, IP)).get(0).ipVersion());
        assertEquals(0, decode(concat(eth, u16(0x8848), label, IP)).get(0).ipVersion());
    }

    @Test
    void pppAsZeeksAnalyzersReadIt() {
        // No protocol field compression: a 1-byte protocol (0x21) is read as the 2-byte 0x2145, not IP.
        assertEquals(0, decode(concat(bytes(0x21), IP), LinkTypes.PPP).get(0).ipVersion());
        assertEquals(4, decode(concat(bytes(0xFF, 0x03), u16(0x0021), IP), LinkTypes.PPP).get(0).ipVersion());
        // PPP serial: always four bytes, the protocol in the last two, whatever the first two are.
        assertEquals(4, decode(concat(bytes(0x0F, 0x00), u16(0x0021), IP), LinkTypes.PPP_HDLC).get(0).ipVersion());
    }

    @Test
    void linuxCookedFramesCarryOnlyIpAsZeekRegistersIt() {
        byte[] header = concat(bytes(0, 0, 0, 1, 0, 6), mac(CUSTOMER_SRC), bytes(0, 0));
        assertEquals(4, decode(concat(header, u16(0x0800), IP), LinkTypes.LINUX_SLL).get(0).ipVersion());
        // A VLAN tag the kernel left in the frame: Zeek's SLL analyzer registers IP and ARP only.
        assertEquals(0, decode(concat(header, u16(0x8100), u16(42), u16(0x0800), IP), LinkTypes.LINUX_SLL).get(0)
                .ipVersion());
    }

    private List<Layer> decode(byte[] frame) {
        return decode(frame, LinkTypes.ETHERNET);
    }

    private List<Layer> decode(byte[] frame, int linkType) {
        PacketView v = new PacketView();
        v.data = frame;
        v.frameOffset = 0;
        v.capturedLength = v.wireLength = frame.length;
        v.linkType = linkType;
        v.timestampNanos = 1_000_000_000L;
        List<Layer> out = new ArrayList<>();
        decoder.decode(v, p -> out.add(Layer.of(p)));
        return out;
    }
}
