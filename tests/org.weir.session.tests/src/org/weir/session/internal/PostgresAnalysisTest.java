package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.testsupport.Bytes.ascii;
import static org.weir.testsupport.Bytes.bytes;
import static org.weir.testsupport.Bytes.concat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Zeek's {@code postgresql} service on hand-made connections to port 5432, laid out as PostgreSQL 15 and psql lay
 * them out: a client's StartupMessage, or the server's {@code S} or {@code N} after an SSLRequest, confirms; what the
 * Spicy grammar cannot parse is a violation, which in the first 10 KiB takes the service back; {@code S} and a
 * ClientHello give {@code postgresql,ssl}.
 */
class PostgresAnalysisTest {

    private final ServiceTables tables = new ServiceTables();

    @Test
    void aStartupMessageConfirms() {
        assertEquals("postgresql", service(dialog().client(startup("user", "postgres", "database", "postgres",
                "application_name", "psql"))));
        assertEquals("postgresql", service(dialog().client(startup())), "no parameters");
        assertEquals("postgresql", service(dialog().client(startup("user", "postgres")).server(login())
                .client(message('Q', "SELECT 1\0")).server(concat(message('T', "..."), message('D', "\0\1\0\0\0\1"),
                        message('C', "SELECT 1\0"), message('Z', "I")))
                .client(message('X', ""))), "a query and its answer");
        TcpDialog partial = new TcpDialog(tables.table(false), 5432, false);
        assertEquals("postgresql", service(partial.client(startup("user", "u"))), "partial connections are read");
        TcpDialog bare = new TcpDialog(tables.table(true), 5432, true);
        assertEquals("", service(bare.client(startup("user", "u"))), "bare mode");
    }

    @Test
    void dpdAttachesItElsewhereWhenBothSignaturesMatch() throws Exception {
        assertEquals("postgresql", service(other().client(startup("user", "u", "database", "d")).server(login())));
        assertEquals("", service(other().client(startup("user", "u"))), "no answer: the server's signature is missing");
        assertEquals("", service(other().client(startup("database", "d")).server(login())), "no user parameter");
        assertEquals("postgresql", service(other().client(startup("database", "d", "user", "u")).server(login())),
                "user within 256 bytes");
        byte[] hello = TlsFlights.handshake("TLSv1.3", 30).client;
        assertEquals("postgresql,ssl", service(other().client(sslRequest()).server(ascii("S")).client(hello)));
        assertEquals("", service(other().client(sslRequest()).server(ascii("E"))), "neither S nor N");
        assertEquals("", service(other().client(startup("user", "u")).server(message('Z', "?"))),
                "the violation in what DPD buffered counts once attached");
        assertEquals("", service(other().client(startup("user", "u")).server(ascii("\0\0\0\0\0"))),
                "a server's first byte that is no letter or digit");
        assertEquals("", service(other().server(login()).client(startup("user", "u")).server(login())),
                "a server that spoke first: its signature was judged before the client's matched");
    }

    private TcpDialog other() {
        return new TcpDialog(tables.table(false), 15432, true);
    }

    @Test
    void whatTheGrammarCannotParseIsAViolation() {
        byte[] version2 = startup("user", "u");
        version2[5] = 2;
        assertEquals("", service(dialog().client(version2)), "protocol 2");
        assertEquals("", service(dialog().client(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))), "HTTP on 5432");
        assertEquals("", service(dialog().client(startup("us er", "u"))), "a name outside its characters");
        assertEquals("", service(dialog().client(startup("user", ""))), "an empty value");
        assertEquals("postgresql", service(dialog().client(startup("options", "-c a=b c"))), "spaces in a value");
        assertEquals("", service(dialog().client(Arrays.copyOf(startup("user", "u"), 8))
                .client(ascii("user\0u\0"))), "a StartupMessage cut short is not read");
        assertEquals("", service(dialog().client(startup("user", "u")).server(message('R', "\0\0\0\0\0"))),
                "AuthenticationOk with data: the service goes");
        assertEquals("", service(dialog().client(startup("user", "u")).server(message('R', "\0\0\0\15"))),
                "an authentication identifier above 12");
        assertEquals("", service(dialog().client(startup("user", "u")).server(message('Z', "X"))),
                "ReadyForQuery's status");
        assertEquals("", service(dialog().client(startup("user", "u")).server(message('S', "\0on\0"))),
                "a parameter status without a name");
        assertEquals("postgresql", service(dialog().client(startup("user", "u"))
                .server(message('S', "application_name\0\0"))), "an empty value is fine in a parameter status");
        assertEquals("", service(dialog().client(startup("user", "u")).server(message('E', "SFATAL\0C28P01"))),
                "an error field without its NUL");
        assertEquals("", service(dialog().client(startup("user", "u")).client(message('Q', "SELECT 1"))),
                "a simple query without its NUL");
        assertEquals("", service(dialog().client(concat(startup("user", "u"), message('Q', "SELECT 1")))),
                "the same in the StartupMessage's segment");
        assertEquals("postgresql", service(dialog().client(concat(startup("user", "u"), message('Q', "SELECT 1\0")))),
                "a StartupMessage and a query in one segment");
        assertEquals("", service(dialog().client(startup("user", "u")).server(concat(bytes('K', 0, 0, 0, 3)))),
                "a length below 4");
    }

    @Test
    void sslRequestAnsweredByTheServer() throws Exception {
        byte[] hello = TlsFlights.handshake("TLSv1.3", 30).client;
        assertEquals("postgresql,ssl", service(dialog().client(sslRequest()).server(ascii("S")).client(hello)));
        assertEquals("postgresql", service(dialog().client(sslRequest()).server(ascii("S"))), "S confirms");
        assertEquals("postgresql", service(dialog().client(sslRequest()).server(ascii("N"))
                .client(startup("user", "u")).server(login())), "N, then plain messages");
        assertEquals("", service(dialog().client(sslRequest()).server(ascii("N"))
                .client(startup("user", "u")).server(message('Z', "?"))), "N, then a bad message");
        assertEquals("", service(dialog().client(sslRequest()).server(ascii("E")).client(hello)),
                "neither S nor N: the server's side ends, nothing confirms");
    }

    @Test
    void aSideThatSendsAFifthDeliveryBeforeTheOtherSpeaksIsAViolation() {
        TcpDialog d = dialog();
        for (int k = 0; k < 4; k++) {
            d.server(message('N', "SNOTICE\0\0"));
        }
        tables.nextDependsOnDeliveries(); // Spicy's MAX_BUFFERED counts deliveries
        assertEquals("postgresql", service(d.client(startup("user", "u"))), "four are kept");
        d = dialog();
        for (int k = 0; k < 5; k++) {
            d.server(message('N', "SNOTICE\0\0"));
        }
        tables.nextDependsOnDeliveries(); // Spicy's MAX_BUFFERED counts deliveries
        assertEquals("", service(d.client(startup("user", "u"))), "the fifth is too many");
        d = dialog().client(sslRequest());
        for (int k = 0; k < 5; k++) {
            d.client(ascii("x"));
        }
        tables.nextDependsOnDeliveries(); // Spicy's MAX_BUFFERED counts deliveries
        assertEquals("", service(d.server(ascii("S"))), "the client's, while the server has not answered");
    }

    @Test
    void splitAcrossSegmentsAGapAndTenKib() {
        byte[] all = concat(startup("user", "postgres", "database", "postgres"), message('Q', "SELECT 1\0"));
        for (int size = 1; size <= 9; size++) {
            TcpDialog d = dialog();
            for (int i = 0; i < all.length; i += size) {
                d.client(Arrays.copyOfRange(all, i, Math.min(all.length, i + size)));
            }
            assertEquals("postgresql", service(d.server(login())), "segments of " + size);
        }
        TcpDialog d = dialog().client(startup("user", "u")).server(login());
        d.clientSeq += 10; // a query never captured
        d.client(message('Q', "SELECT 2\0"));
        d.serverAck();
        assertEquals("", service(d), "a content gap is a parse error");
        byte[] row = new byte[12_000];
        Arrays.fill(row, (byte) 'a');
        d = dialog().client(startup("user", "u")).server(login()).client(message('Q', "SELECT 1\0"));
        byte[] big = message('D', "\0\1" + new String(row, StandardCharsets.ISO_8859_1));
        for (int i = 0; i < big.length; i += 1400) {
            d.server(Arrays.copyOfRange(big, i, Math.min(big.length, i + 1400)));
        }
        assertEquals("postgresql", service(d.server(message('Z', "?"))), "a violation past 10 KiB");
    }

    @Test
    void mangledExchangesInRandomSegmentsNeverBreakTheTable() {
        Random random = new Random(11);
        byte[] client = concat(startup("user", "postgres", "database", "postgres"), message('Q', "SELECT 1\0"),
                message('X', ""));
        byte[] server = concat(login(), message('T', "..."), message('D', "\0\1\0\0\0\1"), message('Z', "I"));
        for (int round = 0; round < 300; round++) {
            byte[] c = client.clone(), s = server.clone();
            for (int k = 0; k < 3; k++) {
                c[random.nextInt(c.length)] = (byte) random.nextInt(256);
                s[random.nextInt(s.length)] = (byte) random.nextInt(256);
            }
            TcpDialog d = round % 2 == 0 ? dialog() : other();
            int ci = 0, si = 0;
            while (ci < c.length || si < s.length) {
                if (ci < c.length && (si == s.length || random.nextBoolean())) {
                    int n = Math.min(c.length - ci, 1 + random.nextInt(20));
                    d.client(Arrays.copyOfRange(c, ci, ci + n));
                    ci += n;
                } else {
                    int n = Math.min(s.length - si, 1 + random.nextInt(20));
                    d.server(Arrays.copyOfRange(s, si, si + n));
                    si += n;
                }
            }
            tables.nextDependsOnDeliveries(); // random cuts meet the count of deliveries the grammar buffers
            String service = service(d);
            assertTrue(service.isEmpty() || service.equals("postgresql"), service);
        }
    }

    private TcpDialog dialog() {
        return new TcpDialog(tables.table(false), 5432, true);
    }

    private String service(TcpDialog d) {
        return tables.closeOne((FlowTable) d.table).service();
    }

    /** A protocol 3.0 StartupMessage of name/value pairs. */
    private static byte[] startup(String... parameters) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(bytes(0, 3, 0, 0));
        for (String p : parameters) {
            b.writeBytes(ascii(p + "\0"));
        }
        b.write(0);
        return concat(length(b.size() + 4), b.toByteArray());
    }

    private static byte[] sslRequest() {
        return bytes(0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F);
    }

    /** AuthenticationOk, parameter statuses, backend key data, ReadyForQuery. */
    private static byte[] login() {
        return concat(message('R', "\0\0\0\0"), message('S', "server_version\u000015.14\0"),
                message('S', "application_name\0psql\0"), message('K', "\0\0\1\2\3\4\5\6"), message('Z', "I"));
    }

    private static byte[] message(char type, String body) {
        return concat(bytes(type), length(body.length() + 4), ascii(body));
    }

    private static byte[] length(int n) {
        return bytes(n >>> 24, n >>> 16 & 0xFF, n >>> 8 & 0xFF, n & 0xFF);
    }

}
