package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.testsupport.Bytes.concat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The first bytes of a stream as Zeek's SSL analyzer and DPD signatures judge them, on ClientHellos and server flights
 * made by the JDK's TLS implementation, and on those bytes changed where Zeek's grammar and checks look.
 */
class TlsStreamStartTest {

    private static int hello(byte[] b) {
        byte[] shifted = new byte[b.length + 3]; // not at offset 0, as in a packet
        System.arraycopy(b, 0, shifted, 3, b.length);
        return TlsStreamStart.clientHello(shifted, 3, b.length);
    }

    @Test
    void realClientHellosConfirm() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            byte[] c = TlsFlights.handshake(protocol, 0).client;
            assertEquals(TlsStreamStart.CONFIRMED, hello(c), protocol);
            assertTrue(TlsStreamStart.clientSignature(c, 0, c.length), protocol);
            assertFalse(TlsStreamStart.serverSignature(c, 0, c.length), protocol);
        }
    }

    @Test
    void aPrefixSaysHowMuchOfTheStreamIsNeeded() throws Exception {
        byte[] c = TlsFlights.handshake("TLSv1.3", 0).client;
        assertEquals(5, hello(new byte[0]));
        assertEquals(5, hello(Arrays.copyOf(c, 3)));
        for (int n : new int[] {5, 6, 100, c.length - 1}) {
            assertEquals(c.length, hello(Arrays.copyOf(c, n)), "after " + n + " bytes");
        }
    }

    @Test
    void realServerFlightsMatchTheServerSignature() throws Exception {
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            byte[] s = TlsFlights.handshake(protocol, 0).server;
            assertTrue(TlsStreamStart.serverSignature(s, 0, s.length), protocol);
            assertFalse(TlsStreamStart.clientSignature(s, 0, s.length), protocol);
            assertTrue(TlsStreamStart.responderRecordOk(s, 0, s.length), protocol);
            // An alert record before it still matches.
            byte[] alerted = concat(new byte[] {0x15, 3, 3, 0, 2, 1, 0}, s);
            assertTrue(TlsStreamStart.serverSignature(alerted, 0, alerted.length), protocol);
        }
    }

    @Test
    void aHandshakeMessageSplitOverRecordsIsGathered() throws Exception {
        byte[] c = TlsFlights.handshake("TLSv1.3", 0).client;
        int body = c.length - 5;
        int first = 40;
        byte[] split = concat(record(22, Arrays.copyOfRange(c, 5, 5 + first)),
                record(21, new byte[] {1, 0}), // an alert between the fragments is passed over
                record(22, Arrays.copyOfRange(c, 5 + first, 5 + body)));
        assertEquals(TlsStreamStart.CONFIRMED, hello(split));
        assertEquals(split.length, hello(Arrays.copyOf(split, split.length - 1)));
    }

    @Test
    void recordsAndMessagesZeekRejects() throws Exception {
        byte[] c = TlsFlights.handshake("TLSv1.2", 0).client;
        assertEquals(TlsStreamStart.VIOLATION, hello(with(c, 1, 2)), "record version 2.3");
        assertEquals(TlsStreamStart.VIOLATION, hello(with(c, 2, 4)), "record version TLS 1.3");
        assertEquals(TlsStreamStart.VIOLATION, hello(with(c, 0, 19)), "record type below 20");
        assertEquals(TlsStreamStart.VIOLATION, hello(with(c, 0, 25)), "unknown record type");
        assertEquals(TlsStreamStart.VIOLATION, hello(with(c, 9, 3, 10, 4)), "client version TLS 1.3");
        assertEquals(TlsStreamStart.CONFIRMED, hello(with(c, 9, 3, 10, 0)), "client version SSL 3");
        assertEquals(TlsStreamStart.VIOLATION, hello(with(c, 5, 7)), "unknown handshake message type");
        // A handshake message shorter than its record: its last extension then runs past the message.
        byte[] shorter = c.clone();
        int length = ((c[6] & 0xFF) << 16 | (c[7] & 0xFF) << 8 | (c[8] & 0xFF)) - 1;
        shorter[6] = (byte) (length >> 16);
        shorter[7] = (byte) (length >> 8);
        shorter[8] = (byte) length;
        assertEquals(TlsStreamStart.VIOLATION, hello(shorter));
        // Application data or a ChangeCipherSpec first: what follows is encrypted.
        assertEquals(TlsStreamStart.VIOLATION, hello(concat(record(23, new byte[16]), c)));
        assertEquals(TlsStreamStart.VIOLATION, hello(concat(record(20, new byte[] {1}), c)));
        assertEquals(TlsStreamStart.CONFIRMED, hello(concat(record(21, new byte[] {2, 40}), c)));
        assertEquals(TlsStreamStart.VIOLATION, hello(concat(record(21, new byte[] {2}), c)));
        // Not TLS at all.
        byte[] http = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(TlsStreamStart.VIOLATION, hello(http));
        assertFalse(TlsStreamStart.clientSignature(http, 0, http.length));
    }

    @Test
    void theGrammarsFieldsMustFitTheMessage() {
        // client version, random, session id, cipher suites, compression methods, then the given tail
        assertEquals(TlsStreamStart.CONFIRMED, hello(clientHello(new byte[0])), "no extensions at all");
        assertEquals(TlsStreamStart.VIOLATION, hello(clientHello(new byte[] {0})), "one byte of extensions' length");
        assertEquals(TlsStreamStart.CONFIRMED, hello(clientHello(new byte[] {0, 0})), "an empty extension list");
        assertEquals(TlsStreamStart.CONFIRMED, hello(clientHello(new byte[] {0, 6, 0, 0, 0, 2, 'a', 'b'})));
        assertEquals(TlsStreamStart.VIOLATION, hello(clientHello(new byte[] {0, 6, 0, 0, 0, 3, 'a', 'b'})),
                "an extension longer than the message");
        assertEquals(TlsStreamStart.VIOLATION, hello(clientHello(new byte[] {0, 6, 0, 0, 0})),
                "an extension header cut by the message");
    }

    @Test
    void sslV2ClientHellos() {
        // length 0x8000 | 28: type 1, version 3.1, three lengths, 3 bytes of ciphers, no session id, a 16-byte
        // challenge
        byte[] v2 = new byte[2 + 28];
        byte[] head = {(byte) 0x80, 28, 1, 3, 1, 0, 3, 0, 0, 0, 16};
        System.arraycopy(head, 0, v2, 0, head.length);
        assertEquals(TlsStreamStart.CONFIRMED, hello(v2));
        assertTrue(TlsStreamStart.clientSignature(v2, 0, v2.length));
        assertEquals(v2.length, hello(Arrays.copyOf(v2, 10)));
        assertEquals(TlsStreamStart.VIOLATION, hello(with(v2, 3, 4)), "version 4.1");
        assertEquals(TlsStreamStart.VIOLATION, hello(with(v2, 10, 17)), "a challenge longer than the record");
        assertEquals(TlsStreamStart.VIOLATION, hello(with(v2, 2, 4)), "a server hello from the client");
        byte[] v2Server = {(byte) 0x80, 40, 4, 0, 1, 0, 2};
        assertTrue(TlsStreamStart.responderRecordOk(v2Server, 0, v2Server.length));
        assertTrue(TlsStreamStart.serverSignature(v2Server, 0, v2Server.length));
    }

    @Test
    void responderRecordHeaders() {
        byte[] ssh = "SSH-2.0-OpenSSH_9.2\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertFalse(TlsStreamStart.responderRecordOk(ssh, 0, ssh.length));
        assertTrue(TlsStreamStart.responderRecordOk(ssh, 0, 4), "fewer than five bytes are not judged");
        byte[] alert = {0x15, 3, 1, 0, 2, 2, 40};
        assertTrue(TlsStreamStart.responderRecordOk(alert, 0, alert.length));
    }

    @Test
    void damagedStreamsAreJudgedWithoutReadingPastThem() throws Exception {
        byte[] c = TlsFlights.handshake("TLSv1.3", 3).client;
        byte[] s = TlsFlights.handshake("TLSv1.3", 0).server;
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 5000; round++) {
            byte[] b = (round % 2 == 0 ? c : s).clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            int len = random.nextInt(b.length + 1);
            int result = hello(Arrays.copyOf(b, len)); // an exception fails the test
            assertTrue(result == TlsStreamStart.CONFIRMED || result == TlsStreamStart.VIOLATION || result > len,
                    "round " + round + ": " + result + " for " + len + " bytes");
            TlsStreamStart.clientSignature(b, 0, len);
            TlsStreamStart.serverSignature(b, 0, len);
            TlsStreamStart.responderRecordOk(b, 0, len);
        }
    }

    private static byte[] clientHello(byte[] tail) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(3);
        body.write(3);
        body.writeBytes(new byte[32]); // time and random
        body.write(0); // session id
        body.writeBytes(new byte[] {0, 2, 0x13, 0x01}); // one cipher suite
        body.writeBytes(new byte[] {1, 0}); // null compression
        body.writeBytes(tail);
        byte[] b = body.toByteArray();
        byte[] message = concat(new byte[] {1, 0, (byte) (b.length >> 8), (byte) b.length}, b);
        return record(22, message);
    }

    private static byte[] record(int type, byte[] content) {
        return concat(new byte[] {(byte) type, 3, 1, (byte) (content.length >> 8), (byte) content.length}, content);
    }

    /** A copy with the given (index, value) pairs set. */
    private static byte[] with(byte[] b, int... changes) {
        byte[] c = b.clone();
        for (int i = 0; i < changes.length; i += 2) {
            c[changes[i]] = (byte) changes[i + 1];
        }
        return c;
    }

}
