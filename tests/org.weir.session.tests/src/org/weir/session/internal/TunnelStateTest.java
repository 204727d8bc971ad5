package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.testsupport.Bytes.bytes;
import static org.weir.testsupport.Bytes.concat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.weir.core.DecoderOptions;
import org.weir.core.LinkTypes;
import org.weir.core.PacketDecoder;
import org.weir.core.PacketDecoderFactory;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionOptions;
import org.weir.testsupport.Services;

/**
 * What a tunnel does to the connections around it, through the real decoder and table: Zeek's tunnel analyzers stop
 * decapsulating a UDP connection after its first malformed payload, and mark it with X when the encapsulation is one
 * too deep; a connection whose encapsulation changes collects its tunnel parents, then an X.
 */
class TunnelStateTest {

    private static final long T0 = 1_700_000_000_000_000_000L, MS = 1_000_000L;
    private static final String CLIENT = "10.0.0.1", SERVER = "10.0.0.2";

    /** The tunnels whose analyzers Zeek disables on a connection after a violation, with their framing. */
    enum Refusing {
        VXLAN(4789, inner -> concat(bytes(0x08, 0, 0, 0, 0, 0, 42, 0), ethernet(inner)),
                bytes(0, 0, 0, 0, 0, 0, 42, 0)),
        GENEVE(6081, inner -> concat(bytes(0, 0, 0x65, 0x58, 0, 0, 7, 0), ethernet(inner)),
                bytes(0x3F, 0, 0x65, 0x58, 0, 0, 7, 0)), // 252 bytes of options announced, none there
        AYIYA(5072, inner -> concat(bytes(0x00, 0x00, 0x01, 4, 0, 0, 0, 0, 0x11), inner), bytes(0x00, 0x00, 0x01)),
        TEREDO(3544, inner -> inner, bytes(0x12, 0x34, 0, 0)); // neither an origin, an authentication nor IPv6

        final int port;
        final Function<byte[], byte[]> wrap;
        final byte[] malformed;

        Refusing(int port, Function<byte[], byte[]> wrap, byte[] malformed) {
            this.port = port;
            this.wrap = wrap;
            this.malformed = malformed;
        }

        /** A packet to carry: UDP in IPv6 for Teredo (which carries IPv6 only), in IPv4 for the others. */
        byte[] inner(int sport) {
            byte[] udp = udp(sport, 7000, bytes(1, 2, 3, 4));
            return this == TEREDO ? ipv6(0x20010db8, 1, 0x20010db8, 2, 17, udp) : ipv4("192.168.0.1", "192.168.0.2", 17,
                    udp);
        }
    }

    @ParameterizedTest
    @EnumSource(Refusing.class)
    void aMalformedPayloadEndsDecapsulationOnItsConnectionOnly(Refusing t) {
        List<byte[]> frames = List.of(
                carried(40000, t.port, t.wrap.apply(t.inner(1001))),
                carried(40000, t.port, t.malformed),
                carried(40000, t.port, t.wrap.apply(t.inner(1003))), // refused: the same connection
                carried(40001, t.port, t.wrap.apply(t.inner(1004)))); // another connection: decapsulated

        List<Session> sessions = run(frames);

        assertNotNull(find(sessions, 1001), "decapsulated before the violation");
        assertNull(find(sessions, 1003), "Zeek's analyzer refuses the connection after its violation");
        assertNotNull(find(sessions, 1004), "the violation is the connection's, not the analyzer's");
        assertEquals(3, outer(sessions, 40000).origPackets(), "the refused packets still count on the carrier");
    }

    @Test
    void aUdpPayloadGoesToTheTunnelOnItsConnectionsResponderPort() {
        // Zeek hands a UDP payload to the tunnel analyzer registered on the connection's responder port, however the
        // datagram's own ports read.
        byte[] vxlan = Refusing.VXLAN.wrap.apply(Refusing.VXLAN.inner(1001));
        byte[] geneve = Refusing.GENEVE.wrap.apply(Refusing.GENEVE.inner(1002));
        List<Session> sessions = run(List.of(
                // From a port below 1024 to Geneve's: the responder's port is 6081.
                frame(SERVER, CLIENT, 17, udp(0, 6081, geneve)),
                // A server on 53 answers first, to port 4789: no likely-server-port flip (the tunnel ports are
                // likely server ports too), so 4789 is the responder's and the payload is VXLAN.
                frame(SERVER, CLIENT, 17, udp(53, 4789, vxlan)),
                // The same ports on another client that spoke first: 53 is the responder's, so the answer is no
                // VXLAN.
                frame("10.0.0.3", SERVER, 17, udp(4789, 53, bytes(0x08, 0, 0, 0))),
                frame(SERVER, "10.0.0.3", 17, udp(53, 4789, Refusing.VXLAN.wrap.apply(Refusing.VXLAN.inner(1003))))));

        assertNotNull(find(sessions, 1002), "Geneve from port 0");
        assertNotNull(find(sessions, 1001), "VXLAN towards the responder's port 4789");
        assertNull(find(sessions, 1003), "a DNS answer to a client's port 4789 is no VXLAN");
    }

    @Test
    void gtpGoesOnDecapsulatingAfterAViolation() {
        Function<byte[], byte[]> gpdu = ip -> concat(bytes(0x30, 0xFF), u16(ip.length), bytes(0, 0, 0, 9), ip);
        List<byte[]> frames = List.of(
                carried(40000, 2152, gpdu.apply(ipv4("192.168.0.1", "192.168.0.2", 17, udp(1001, 7000, bytes(1))))),
                carried(40000, 2152, concat(bytes(0x50, 0xFF, 0, 0, 0, 0, 0, 9))), // version 2: a violation
                carried(40000, 2152, gpdu.apply(ipv4("192.168.0.1", "192.168.0.2", 17, udp(1003, 7000, bytes(1))))));

        List<Session> sessions = run(frames);

        assertNotNull(find(sessions, 1001));
        assertNotNull(find(sessions, 1003), "Zeek's GTP analyzer does not check for earlier violations");
    }

    @Test
    void oneEncapsulationTooManyMarksTheCarrierWithX() {
        // VXLAN in VXLAN: the carrier at each depth uses source port 40000 + depth. Four levels decode; a fifth
        // VXLAN header inside the fourth is past Zeek's Tunnel::max_depth.
        List<Session> four = run(List.of(nestedVxlan(4)));
        assertNotNull(find(four, 1001), "four encapsulations are decoded");
        for (int depth = 0; depth < 4; depth++) {
            assertEquals("D", outer(four, 40000 + depth).history());
        }

        List<Session> five = run(List.of(nestedVxlan(5)));
        assertNull(find(five, 1001));
        assertEquals("D", outer(five, 40003).history());
        assertEquals("DX", outer(five, 40004).history(), "the connection that carries the fifth encapsulation");
    }

    @Test
    void aConnectionThatChangesItsEncapsulationCollectsParentsThenAnX() {
        // Zeek's core.tunnels.count-default-tunnel-changes (tunnel-direct-bypass.pcap): one TCP connection, its
        // packets alternately bare and in GRE. Five changes raise tunnel_changed; the sixth marks the history.
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] segment = ipv4("10.20.0.1", "10.20.0.2", 6, tcp(44444, 80, 0x18, 1000 + i, bytes('x')));
            frames.add(i % 2 == 0 ? segment
                    : ipv4("192.0.2.1", "198.51.100.1", 47, concat(u16(0), u16(0x0800), segment)));
        }
        Session twenty = find(run(frames), 44444);
        assertEquals("DX", twenty.history());
        assertEquals(1, twenty.tunnelParents().size(), "one GRE tunnel, however often it comes back");

        Session six = find(run(frames.subList(0, 6)), 44444);
        assertEquals("D", six.history(), "five changes are within Tunnel::max_changes_per_connection");
        Session seven = find(run(frames.subList(0, 7)), 44444);
        assertEquals("DX", seven.history());
    }

    @Test
    void aChangeOfAnOuterLevelIsAChangeOfEncapsulation() {
        // VXLAN in VXLAN: the carrier of the innermost datagram stays (the inner VXLAN connection from port 41000),
        // but the outermost level alternates between two VXLAN connections. Zeek compares whole stacks, so both
        // inner connections change encapsulation with every frame: six changes, and the sixth marks them.
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            byte[] innermost = ipv4("192.168.0.1", "192.168.0.2", 17, udp(1001, 7000, bytes(1, 2, 3, 4)));
            byte[] inner = ipv4("10.1.0.1", "10.1.0.2", 17,
                    udp(41000, 4789, concat(bytes(0x08, 0, 0, 0, 0, 0, 42, 0), ethernet(innermost))));
            frames.add(carried(i % 2 == 0 ? 40000 : 40100, 4789,
                    concat(bytes(0x08, 0, 0, 0, 0, 0, 42, 0), ethernet(inner))));
        }
        List<Session> sessions = run(frames);
        assertEquals("DX", outer(sessions, 41000).history());
        assertEquals("DX", find(sessions, 1001).history());
        assertEquals(2, outer(sessions, 41000).tunnelParents().size(), "carried by both outer connections");
        assertEquals(1, find(sessions, 1001).tunnelParents().size(), "its innermost tunnel is always the same one");
        assertEquals("D", outer(sessions, 40000).history());
    }

    @Test
    void aConnectionThroughTwoTunnelsHasBothAsParents() {
        // Zeek's core.tunnels.teredo: an ICMPv6 echo goes out through one Teredo connection, its reply comes back
        // through another (the relay); the echo connection's tunnel_parents names both, the first one first.
        byte[] request = ipv6(0x20010000, 1, 0x20010db8, 2, 58, bytes(128, 0, 0, 0, 0, 1, 0, 1));
        byte[] reply = ipv6(0x20010db8, 2, 0x20010000, 1, 58, bytes(129, 0, 0, 0, 0, 1, 0, 1));
        List<Session> sessions = run(List.of(carried(3797, 3544, request),
                frame("83.170.1.38", CLIENT, 17, udp(32900, 3797, reply))));

        Session echo = sessions.stream().filter(s -> s.ipProtocol() == 58).findFirst().orElseThrow();
        Session server = outer(sessions, 3797);
        Session relay = sessions.stream().filter(s -> s.origPort() == 32900 || s.respPort() == 32900).findFirst()
                .orElseThrow();
        assertEquals(List.of(server.uid(), relay.uid()), echo.tunnelParents());
        assertEquals(1, echo.origPackets());
        assertEquals(1, echo.respPackets());
    }

    @Test
    void randomTunnelsNeverBreakTheTable() {
        // Well-formed, cut and random tunnel headers nested at random, on few enough carriers that violations,
        // refusals, depth limits and changes of encapsulation meet on the same connections.
        java.util.Random rnd = new java.util.Random(7);
        int[] ports = {4789, 6081, 2152, 5072, 3544, 4754};
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] packet = rnd.nextBoolean()
                    ? ipv4("192.168.0.1", "192.168.0.2", 17, udp(1000 + rnd.nextInt(4), 7000, bytes(1, 2, 3, 4)))
                    : ipv6(0x20010000, 1, 0x20010db8, 2, 17, udp(1000 + rnd.nextInt(4), 7000, bytes(1, 2)));
            for (int level = rnd.nextInt(7); level > 0; level--) {
                int port = ports[rnd.nextInt(ports.length)];
                byte[] header = switch (rnd.nextInt(4)) {
                    case 0 -> new byte[0];
                    case 1 -> bytes(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
                    default -> switch (port) {
                        case 4789 -> concat(bytes(0x08, 0, 0, 0, 0, 0, 42, 0), ethernet(packet));
                        case 6081 -> concat(bytes(0, 0, 0x65, 0x58, 0, 0, 7, 0), ethernet(packet));
                        case 2152 -> concat(bytes(0x30, 0xFF), u16(packet.length), bytes(0, 0, 0, 9), packet);
                        case 5072 -> concat(bytes(0x00, 0x00, 0x01, (packet[0] & 0xF0) == 0x60 ? 41 : 4, 0, 0, 0, 0, 1),
                                packet);
                        case 4754 -> concat(u16(0), u16((packet[0] & 0xF0) == 0x60 ? 0x86DD : 0x0800), packet);
                        default -> packet;
                    };
                };
                byte[] payload = rnd.nextInt(8) == 0 ? header
                        : concat(header, rnd.nextBoolean() ? packet : new byte[0]);
                packet = ipv4("10.0." + rnd.nextInt(3) + ".1", "10.0.0.2", 17, udp(40000 + rnd.nextInt(3), port,
                        payload));
            }
            frames.add(packet);
        }
        SessionOptions options = SessionOptions.defaults().withMaxLiveSessions(50);
        FlowTable table = new FlowTable(options, ZeekConfig.defaults(options), 1);
        List<Session> opened = new ArrayList<>(), closed = new ArrayList<>();
        table.addListener(b -> {
            opened.addAll(b.opened());
            closed.addAll(b.closed());
        });
        feed(frames, table);
        assertEquals(0, table.liveCount());
        assertEquals(opened.size(), closed.size());
        boolean sawX = false, sawParents = false;
        for (Session s : closed) {
            assertTrue(s.history().matches("\\^?[ShadfrcgtwiqSHADFRCGTWIQX^]*"), s.history());
            assertTrue(s.tunnelParents().stream().allMatch(u -> u.matches("C[0-9A-Za-z]+")), s.toString());
            assertEquals(s.tunnelParents().size(), Set.copyOf(s.tunnelParents()).size(), "a set: " + s);
            sawX |= s.history().contains("X");
            sawParents |= s.tunnelParents().size() > 1;
        }
        assertTrue(sawX && sawParents, "the frames reach the depth limit and change encapsulations");
    }

    // ---- running ------------------------------------------------------------------------------------------

    /** The frames through the decoder into a table with Zeek's defaults; the sessions it closes. */
    private static List<Session> run(List<byte[]> frames) {
        SessionOptions options = SessionOptions.defaults();
        FlowTable table = new FlowTable(options, ZeekConfig.defaults(options), 1);
        List<Session> closed = new ArrayList<>();
        table.addListener(b -> closed.addAll(b.closed()));
        feed(frames, table);
        return closed;
    }

    /** The frames (raw IP), a millisecond apart, through the decoder into {@code table}, which then closes all. */
    private static void feed(List<byte[]> frames, FlowTable table) {
        // TCP and inner UDP checksums are left zero here.
        PacketDecoder decoder = Services.get(PacketDecoderFactory.class)
                .create(DecoderOptions.defaults().withIgnoreChecksums(true));
        PacketView view = new PacketView();
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            view.data = f;
            view.frameOffset = 0;
            view.capturedLength = view.wireLength = f.length;
            view.linkType = LinkTypes.RAW;
            view.timestampNanos = T0 + i * MS;
            decoder.decode(view, table);
        }
        table.closeAll();
    }

    /** The session whose originator port is {@code port}, or null. */
    private static Session find(List<Session> sessions, int port) {
        return sessions.stream().filter(s -> s.origPort() == port).findFirst().orElse(null);
    }

    private static Session outer(List<Session> sessions, int clientPort) {
        Session s = find(sessions, clientPort);
        assertNotNull(s, "carrier from port " + clientPort);
        return s;
    }

    /** A UDP datagram from the client to the server's tunnel port. */
    private static byte[] carried(int sport, int dport, byte[] payload) {
        return frame(CLIENT, SERVER, 17, udp(sport, dport, payload));
    }

    private static byte[] frame(String src, String dst, int proto, byte[] payload) {
        return ipv4(src, dst, proto, payload);
    }

    /** {@code levels} VXLAN encapsulations around a UDP datagram from port 1001. */
    private static byte[] nestedVxlan(int levels) {
        byte[] packet = ipv4("192.168.0.1", "192.168.0.2", 17, udp(1001, 7000, bytes(1, 2, 3, 4)));
        for (int depth = levels - 1; depth >= 0; depth--) {
            byte[] vxlan = concat(bytes(0x08, 0, 0, 0, 0, 0, 42, 0), ethernet(packet));
            packet = ipv4("10.0." + depth + ".1", "10.0." + depth + ".2", 17, udp(40000 + depth, 4789, vxlan));
        }
        return packet;
    }

    // ---- framing ------------------------------------------------------------------------------------------

    private static byte[] ethernet(byte[] ip) {
        int type = (ip[0] & 0xF0) == 0x60 ? 0x86DD : 0x0800;
        return concat(bytes(2, 0, 0, 0, 0, 0xB, 2, 0, 0, 0, 0, 0xA), u16(type), ip);
    }

    private static byte[] ipv4(String src, String dst, int proto, byte[] payload) {
        int total = 20 + payload.length;
        byte[] h = concat(bytes(0x45, 0, total >>> 8, total, 0, 1, 0x40, 0, 64, proto, 0, 0), v4(src), v4(dst));
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((h[i] & 0xFF) << 8) | (h[i + 1] & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = ~((sum & 0xFFFF) + (sum >>> 16));
        h[10] = (byte) (sum >>> 8);
        h[11] = (byte) sum;
        return concat(h, payload);
    }

    /** IPv6 between {@code prefix::host} addresses (the prefix the first 32 bits). */
    private static byte[] ipv6(int srcPrefix, int srcHost, int dstPrefix, int dstHost, int next, byte[] payload) {
        return concat(bytes(0x60, 0, 0, 0), u16(payload.length), bytes(next, 64), u32(srcPrefix), u32(0), u32(0),
                u32(srcHost), u32(dstPrefix), u32(0), u32(0), u32(dstHost), payload);
    }

    /** UDP with a zero checksum (not verified in IPv4; ignored here in IPv6). */
    private static byte[] udp(int sport, int dport, byte[] payload) {
        return concat(u16(sport), u16(dport), u16(8 + payload.length), u16(0), payload);
    }

    private static byte[] tcp(int sport, int dport, int flags, int seq, byte[] payload) {
        return concat(u16(sport), u16(dport), u32(seq), u32(0), bytes(0x50, flags), u16(8192), u16(0), u16(0), payload);
    }

    private static byte[] v4(String dotted) {
        String[] p = dotted.split("\\.");
        return bytes(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
    }

    private static byte[] u16(int v) {
        return bytes(v >>> 8, v);
    }

    private static byte[] u32(int v) {
        return bytes(v >>> 24, v >>> 16, v >>> 8, v);
    }

}
