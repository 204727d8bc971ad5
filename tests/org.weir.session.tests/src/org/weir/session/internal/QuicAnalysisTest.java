package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.testsupport.Bytes.concat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;

/**
 * Zeek's {@code service} for QUIC: {@code quic} once an Initial packet decrypts, {@code quic,ssl} once the client's
 * ClientHello in its CRYPTO frames confirms SSL. The keys and the protected packet of RFC 9001's Appendix A are the
 * reference; other packets are sealed here with the JDK's AES-GCM by {@link #seal}, which reproduces RFC 9001's
 * packet byte for byte first.
 */
class QuicAnalysisTest {

    private static final String C = "10.0.0.1", S = "10.0.0.2";
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] RFC_DCID = HEX.parseHex("8394c8f03e515708");
    /** RFC 9001, Appendix A.2: the CRYPTO frame of the client's Initial (a ClientHello for example.com). */
    private static final byte[] RFC_CRYPTO_FRAME = HEX.parseHex(""
            + "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e86804fe3a47f06a2b69484c000004130113"
            + "02010000c000000010000e00000b6578616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
            + "04616c706e000500050100000000003300260024001d00209370b2c9caa47fbabaf4559fedba753de171fa71f50f1ce1"
            + "5d43e994ec74d748002b0003020304000d0010000e0403050306030203080408050806002d00020101001c0002400100"
            + "3900320408ffffffffffffffff05048000ffff07048000ffff0801100104800075300901100f088394c8f03e51570806"
            + "048000ffff");
    /** RFC 9001, Appendix A.2: the client's Initial packet, protected (1,200 bytes). */
    private static final String RFC_CLIENT_INITIAL = ""
            + "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11d242b123dc9bd8bab936b47d92ec356c"
            + "0bab7df5976d27cd449f63300099f3991c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c"
            + "8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df621230c83711b39343fa028cea7f7fb5ff89"
            + "eac2308249a02252155e2347b63d58c5457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c208"
            + "4dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec4e15daf8500a6ef69ec4e3feb6b1d98e"
            + "610ac8b7ec3faf6ad760b7bad1db4ba3485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db"
            + "059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c7b4378e846d29f37ed7b4ea9ec5d82e7"
            + "961b7f25a9323851f681d582363aa5f89937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556"
            + "be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c7468449a13d8e3b95811a198f3491de3e7"
            + "fe942b330407abf82a4ed7c1b311663ac69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00"
            + "f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632291d6a418211cc2962e20fe47feb3edf"
            + "330f2c603a9d48c0fcb5699dbfe5896425c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd"
            + "14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ffef132eef2fa09346aee33c28eb130ff2"
            + "8f5b766953334113211996d20011a198e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009dd"
            + "c324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73203a4a13e96f5432ec0fd4a1ee65accd"
            + "d5e3904df54c1da510b0ff20dcc0c77fcb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450e"
            + "fc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03adea2e1fbc5aa463d08ca19896d2bf59a07"
            + "1b851e6c239052172f296bfb5e72404790a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2"
            + "162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f440591f355e12d439ff150aab7613499d"
            + "bd49adabc8676eef023b15b65bfc5ca06948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e"
            + "8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0be79e2fb8f5d5fbbe2e30ecadd220723"
            + "c8c0aea8078cdfcb3868263ff8f0940054da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab"
            + "760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9f96f3ca9ec1dde434da7d2d392b905dd"
            + "f3d1f9af93d1af5950bd493f5aa731b4056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd4684064"
            + "7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241e221af44860018ab0856972e194cd934";

    private final ServiceTables tables = new ServiceTables();

    private FlowTable table(boolean bare) {
        return tables.table(bare);
    }

    private String service(FlowTable t) {
        Session s = tables.closeOne(t);
        serverName = s.snapshot().serverName();
        return s.service();
    }

    /** The closed session's server name (kept by its snapshot), as {@link #service} found it. */
    private String serverName;

    private static void send(FlowTable t, int port, boolean fromClient, double at, byte[] datagram) {
        if (fromClient) {
            Pkt.udp(C, 50000, S, port).at(at).content(datagram).to(t);
        } else {
            Pkt.udp(S, port, C, 50000).at(at).content(datagram).to(t);
        }
    }

    // ---- keys and sealing -----------------------------------------------------------------------------------

    @Test
    void theKeysAreRfc9001s() {
        QuicInitialProtection p = new QuicInitialProtection();
        QuicInitialProtection.Keys client = p.keys(1, RFC_DCID, true), server = p.keys(1, RFC_DCID, false);
        assertEquals("1f369613dd76d5467730efcbe3b1a22d", HEX.formatHex(client.key()));
        assertEquals("fa044b2f42a3fd3b46fb255c", HEX.formatHex(client.iv()));
        assertEquals("9f50449e04a0e810283a1e9933adedd2", HEX.formatHex(client.hp()));
        assertEquals("cf3a5331653c364c88f0f379b6067e37", HEX.formatHex(server.key()));
        assertEquals("0ac1493ca1905853b0bba03e", HEX.formatHex(server.iv()));
        assertEquals("c206b8d9b9f0f37644430b490eeaa314", HEX.formatHex(server.hp()));
        QuicInitialProtection.Keys v2 = p.keys(QuicInitialProtection.VERSION_2, RFC_DCID, true); // RFC 9369, A.1
        assertEquals("8b1a0bc121284290a29e0971b5cd045d", HEX.formatHex(v2.key()));
        assertEquals("91f73e2351d8fa91660e909f", HEX.formatHex(v2.iv()));
        assertEquals("45b95e15235d6f45a6b19cbcb0294ba9", HEX.formatHex(v2.hp()));
    }

    @Test
    void sealingReproducesRfc9001sPacket() {
        byte[] sealed = seal(1, RFC_DCID, new byte[0], true, 2, RFC_CRYPTO_FRAME, 1200, RFC_DCID);
        assertArrayEquals(HEX.parseHex(RFC_CLIENT_INITIAL), sealed);
    }

    // ---- the service ----------------------------------------------------------------------------------------

    @Test
    void rfc9001sClientInitialIsQuicAndSsl() {
        FlowTable t = table(false);
        send(t, 443, true, 1, HEX.parseHex(RFC_CLIENT_INITIAL));
        assertEquals("quic,ssl", service(t));
        assertEquals("example.com", serverName, "the hello's server name, for the names enricher");
        t = table(false);
        send(t, 4433, true, 1, HEX.parseHex(RFC_CLIENT_INITIAL));
        assertEquals("quic,ssl", service(t), "attached by DPD's signature on another port");
        t = table(true);
        send(t, 443, true, 1, HEX.parseHex(RFC_CLIENT_INITIAL));
        assertEquals("", service(t), "bare mode");
    }

    @Test
    void aPacketThatDoesNotAuthenticateIsNotDecrypted() {
        for (int at : new int[] {30, 600, 1199}) { // in the ciphertext, in the padding's, in the tag
            byte[] damaged = HEX.parseHex(RFC_CLIENT_INITIAL);
            damaged[at] ^= 0x20;
            FlowTable t = table(false);
            send(t, 443, true, 1, damaged);
            assertEquals("", service(t), "byte " + at);
        }
        FlowTable t = table(false); // the server's Initial alone: no client id to derive its keys from
        byte[] serverInitial = seal(1, RFC_DCID, RFC_DCID, false, 1, ack(), 0, RFC_DCID);
        send(t, 443, false, 1, serverInitial);
        assertEquals("", service(t));
        t = table(false); // the client's Initial fails, but it set the id, and the server's decrypts
        byte[] damaged = HEX.parseHex(RFC_CLIENT_INITIAL);
        damaged[30] ^= 1;
        send(t, 443, true, 1, damaged);
        send(t, 443, false, 1.01, serverInitial);
        assertEquals("quic", service(t));
    }

    @Test
    void aClientHelloOverTwoInitialsOrInFramesOutOfOrder() {
        byte[] hello = Arrays.copyOfRange(RFC_CRYPTO_FRAME, 4, RFC_CRYPTO_FRAME.length);
        byte[] first = crypto(0, Arrays.copyOf(hello, 100)), second = crypto(100, Arrays.copyOfRange(hello, 100,
                hello.length));
        FlowTable t = table(false);
        send(t, 443, true, 1, seal(1, RFC_DCID, new byte[0], true, 0, first, 1200, RFC_DCID));
        send(t, 443, true, 1.01, seal(1, RFC_DCID, new byte[0], true, 1, second, 1200, RFC_DCID));
        assertEquals("quic,ssl", service(t), "two packets");
        t = table(false);
        send(t, 443, true, 1, seal(1, RFC_DCID, new byte[0], true, 0, first, 1200, RFC_DCID));
        assertEquals("quic", service(t), "the second never came");
        t = table(false); // as Chrome sends it: pieces out of order, with PING and PADDING between them
        byte[] shuffled = concat(crypto(200, Arrays.copyOfRange(hello, 200, hello.length)), new byte[] {1, 0, 0},
                crypto(0, Arrays.copyOf(hello, 80)), new byte[] {1}, crypto(80, Arrays.copyOfRange(hello, 80, 200)));
        send(t, 443, true, 1, seal(1, RFC_DCID, new byte[0], true, 0, shuffled, 1200, RFC_DCID));
        assertEquals("quic,ssl", service(t), "out of order");
        t = table(false); // a frame type Zeek's grammar does not know ends the packet's frames
        send(t, 443, true, 1, seal(1, RFC_DCID, new byte[0], true, 0, concat(new byte[] {0x1e}, RFC_CRYPTO_FRAME),
                1200, RFC_DCID));
        assertEquals("quic", service(t), "HANDSHAKE_DONE before the CRYPTO frame");
        t = table(false); // a ClientHello that is not one
        byte[] notAHello = hello.clone();
        notAHello[4] = 0x7f; // its version
        send(t, 443, true, 1, seal(1, RFC_DCID, new byte[0], true, 0, crypto(0, notAHello), 1200, RFC_DCID));
        assertEquals("quic", service(t), "SSL does not take the hello");
        assertNull(serverName, "nor its name");
    }

    @Test
    void version2AndAServerRetry() {
        FlowTable t = table(false);
        send(t, 443, true, 1, seal(QuicInitialProtection.VERSION_2, RFC_DCID, new byte[0], true, 0, RFC_CRYPTO_FRAME,
                1200, RFC_DCID));
        assertEquals("quic,ssl", service(t), "version 2");
        // The server answers the first Initial with a Retry; the client's next Initial has a new destination id,
        // whose keys protect it.
        byte[] hello = Arrays.copyOfRange(RFC_CRYPTO_FRAME, 4, RFC_CRYPTO_FRAME.length);
        byte[] other = HEX.parseHex("0011223344556677");
        t = table(false);
        send(t, 443, true, 1, seal(1, RFC_DCID, new byte[0], true, 0, crypto(0, Arrays.copyOf(hello, 100)), 1200,
                RFC_DCID));
        byte[] retry = concat(new byte[] {(byte) 0xF0, 0, 0, 0, 1, 0, 8}, other, new byte[24]);
        send(t, 443, false, 1.01, retry);
        send(t, 443, true, 1.02, seal(1, other, new byte[0], true, 1, RFC_CRYPTO_FRAME, 1200, other));
        assertEquals("quic,ssl", service(t), "after a Retry");
    }

    @Test
    void otherDatagramsLeaveTheServiceUnset() {
        FlowTable t = table(false);
        byte[] shortHeader = new byte[60];
        shortHeader[0] = 0x41;
        send(t, 443, true, 1, shortHeader);
        send(t, 443, false, 1.01, shortHeader);
        assertEquals("", service(t), "short headers only");
        t = table(false);
        byte[] unknownVersion = HEX.parseHex(RFC_CLIENT_INITIAL);
        unknownVersion[4] = 7;
        send(t, 443, true, 1, unknownVersion);
        assertEquals("", service(t), "a version Zeek does not know");
        t = table(false);
        send(t, 4433, true, 1, unknownVersion);
        assertEquals("", service(t), "DPD's signature wants version 1 or 2");
    }

    @Test
    void damagedDatagramsAreReadWithoutFailing() {
        Random random = new Random(3);
        byte[] rfc = HEX.parseHex(RFC_CLIENT_INITIAL);
        for (int round = 0; round < 3000; round++) {
            byte[] d = rfc.clone();
            for (int m = 1 + random.nextInt(4); m > 0; m--) {
                d[random.nextInt(random.nextBoolean() ? 24 : d.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(d.length) : d.length;
            FlowTable t = table(false);
            send(t, 443, true, 1, Arrays.copyOf(d, length));
            String s = service(t);
            assertTrue(s.isEmpty() || s.equals("quic") || s.equals("quic,ssl"), s);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** A CRYPTO frame: type, offset and length (two-byte varints), data. */
    private static byte[] crypto(int offset, byte[] data) {
        return concat(new byte[] {6, (byte) (0x40 | offset >> 8), (byte) offset, (byte) (0x40 | data.length >> 8),
            (byte) data.length}, data);
    }

    /** An ACK frame of packet 0. */
    private static byte[] ack() {
        return new byte[] {2, 0, 0, 0, 0};
    }

    /**
     * A protected Initial packet (RFC 9001 section 5): long header with the version's Initial type, a four-byte
     * packet number, no token, the frames padded with PADDING so the packet is {@code size} bytes (at least the
     * frames), sealed with the keys of {@code keyId} as a client's or a server's.
     */
    static byte[] seal(int version, byte[] dcid, byte[] scid, boolean client, int packetNumber, byte[] frames,
            int size, byte[] keyId) {
        int typeBits = version == QuicInitialProtection.VERSION_2 ? 1 : 0;
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(0xC0 | typeBits << 4 | 0x3);
        h.writeBytes(new byte[] {(byte) (version >>> 24), (byte) (version >>> 16), (byte) (version >>> 8),
            (byte) version});
        h.write(dcid.length);
        h.writeBytes(dcid);
        h.write(scid.length);
        h.writeBytes(scid);
        h.write(0); // token length
        int headerWithoutLength = h.size() + 2;
        int plain = Math.max(frames.length, size - headerWithoutLength - 4 - 16);
        int length = 4 + plain + 16;
        h.write(0x40 | length >> 8);
        h.write(length);
        int pnOffset = h.size();
        h.writeBytes(new byte[] {(byte) (packetNumber >>> 24), (byte) (packetNumber >>> 16),
            (byte) (packetNumber >>> 8), (byte) packetNumber});
        byte[] header = h.toByteArray();
        byte[] payload = Arrays.copyOf(frames, plain); // zeros: PADDING
        try {
            QuicInitialProtection.Keys keys = new QuicInitialProtection().keys(version, keyId, client);
            byte[] nonce = keys.iv().clone();
            for (int i = 0; i < 4; i++) {
                nonce[nonce.length - 1 - i] ^= (byte) (packetNumber >>> (8 * i));
            }
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.key(), "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(header);
            byte[] sealed = concat(header, gcm.doFinal(payload));
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.hp(), "AES"));
            byte[] mask = ecb.doFinal(sealed, pnOffset + 4, 16);
            sealed[0] ^= (byte) (mask[0] & 0x0F);
            for (int i = 0; i < 4; i++) {
                sealed[pnOffset + i] ^= mask[1 + i];
            }
            return sealed;
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
