package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.Test;

/**
 * Zeek's {@code dtls} service: the DTLS analyzer (on UDP port 443 beside QUIC's, or by its DPD signature) confirms
 * on a ClientHello, also one fragmented over several records; a malformed DTLS record before it disables the
 * analyzer. The ClientHellos are the JDK's DTLS engine's.
 */
class DtlsAnalysisTest {

    private static final String C = "10.0.0.1", S = "10.0.0.2";

    private final ServiceTables tables = new ServiceTables();

    /** The datagrams of a DTLS client's first flight, each at most {@code packetSize} bytes. */
    private static List<byte[]> clientHello(String protocol, int packetSize) throws Exception {
        SSLContext context = SSLContext.getInstance("DTLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine("dtls.example.com", 4433);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {protocol});
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setMaximumPacketSize(packetSize);
        engine.setSSLParameters(parameters);
        engine.beginHandshake();
        List<byte[]> datagrams = new ArrayList<>();
        while (engine.getHandshakeStatus() == javax.net.ssl.SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), out);
            if (out.position() > 0) {
                datagrams.add(Arrays.copyOf(out.array(), out.position()));
            }
        }
        return datagrams;
    }

    private String service(int port, List<byte[]> fromClient, byte[]... before) {
        FlowTable t = tables.table(false);
        double at = 1;
        for (byte[] b : before) {
            Pkt.udp(C, 50000, S, port).at(at += 0.01).content(b).to(t);
        }
        for (byte[] b : fromClient) {
            Pkt.udp(C, 50000, S, port).at(at += 0.01).content(b).to(t);
        }
        return tables.closeOne(t).service();
    }

    @Test
    void aClientHelloConfirmsOnPort443AndElsewhereByDpd() throws Exception {
        List<byte[]> hello = clientHello("DTLSv1.2", 1400);
        assertEquals(1, hello.size());
        // The same hello as DTLS 1.0 would send it (record and client version), which the JDK no longer offers.
        byte[] dtls10 = hello.get(0).clone();
        dtls10[2] = (byte) 0xFF;
        dtls10[26] = (byte) 0xFF;
        for (List<byte[]> h : List.of(hello, List.of(dtls10))) {
            assertTrue(DtlsAnalysis.signature(h.get(0), 0, h.get(0).length));
            assertEquals("dtls", service(443, h));
            assertEquals("dtls", service(4433, h), "by DPD");
        }
    }

    @Test
    void aFragmentedClientHelloIsGatheredOnThePort() throws Exception {
        List<byte[]> hello = clientHello("DTLSv1.2", 128);
        assertTrue(hello.size() > 1, "fragments: " + hello.size());
        assertEquals("dtls", service(443, hello));
        List<byte[]> reversed = new ArrayList<>(hello);
        java.util.Collections.reverse(reversed);
        assertEquals("dtls", service(443, reversed), "out of order");
        assertEquals("", service(443, hello.subList(0, hello.size() - 1)), "a fragment missing");
        // DPD wants the whole ClientHello's start in the first record: a first fragment matches it.
        assertEquals("dtls", service(4433, hello));
    }

    @Test
    void otherDatagramsOnThePortDoNotDisableIt() throws Exception {
        List<byte[]> hello = clientHello("DTLSv1.2", 128);
        byte[] random = new byte[300];
        new Random(5).nextBytes(random);
        random[1] = 0x01; // not a DTLS version: swallowed, not a violation
        byte[] stun = new byte[40];
        stun[4] = 0x21;
        stun[5] = 0x12;
        stun[6] = (byte) 0xA4;
        stun[7] = 0x42;
        stun[1] = (byte) 0xFE; // looks like a DTLS 1.0 record, but a STUN message is passed over
        stun[2] = (byte) 0xFF;
        List<byte[]> between = new ArrayList<>(hello);
        between.add(1, random);
        between.add(2, stun);
        assertEquals("dtls", service(443, between), "between the fragments of a ClientHello");
    }

    @Test
    void aMalformedDtlsRecordFirstDisablesIt() throws Exception {
        List<byte[]> hello = clientHello("DTLSv1.2", 1400);
        byte[] tooLong = {0x16, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x00, 1, 2, 3};
        assertEquals("", service(443, hello, tooLong), "a record longer than its datagram");
        byte[] unknownType = {0x30, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
        assertEquals("", service(443, hello, unknownType), "an unknown record type in the clear");
        byte[] badHello = hello.get(0).clone();
        badHello[25] = 0x12; // the ClientHello's version: none Zeek knows
        badHello[26] = 0x34;
        assertEquals("", service(443, List.of(badHello)));
        assertEquals("", service(4433, List.of(badHello)), "nor does DPD's signature match it");
    }

    @Test
    void bareModeHasNoDtlsAnalyzer() throws Exception {
        FlowTable t = tables.table(true);
        for (byte[] b : clientHello("DTLSv1.2", 1400)) {
            Pkt.udp(C, 50000, S, 443).at(1).content(b).to(t);
        }
        assertEquals("", tables.closeOne(t).service());
    }
}
