package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weir.testsupport.Bytes.ascii;
import static org.weir.testsupport.Bytes.bytes;
import static org.weir.testsupport.Bytes.concat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Zeek's {@code mysql} service on hand-made connections to port 3306, laid out as MariaDB 10.11 and its client lay
 * them out: a client's handshake response after a greeting of protocol 10 (or 9) confirms; a greeting alone, a refused
 * one, or a response without a greeting does not; a packet the analyzer's grammar cannot parse is a violation, which
 * in the first 10 KiB takes the service back; CLIENT_SSL followed by a ClientHello gives {@code mysql,ssl}.
 */
class MysqlAnalysisTest {

    private static final int PLUGIN_AUTH = 0x80000, CONNECT_ATTRS = 0x100000, CONNECT_WITH_DB = 0x8, SSL = 0x800,
            QUERY_ATTRIBUTES = 0x8000000, DEPRECATE_EOF = 0x1000000;
    /** MariaDB's client: protocol 4.1, secure connection, multi-results, plugin auth, connect attributes. */
    private static final int CLIENT = 0x000aa205 | PLUGIN_AUTH | CONNECT_ATTRS;

    private final ServiceTables tables = new ServiceTables();

    @Test
    void aHandshakeResponseAfterTheGreetingConfirms() {
        assertEquals("mysql", service(session(greeting(0), response(CLIENT, "weir", null))));
        assertEquals("mysql", service(session(greeting(0), response(CLIENT | CONNECT_WITH_DB, "weir", "t"))),
                "with a database");
        assertEquals("mysql", service(session(greeting(0), response(CLIENT & ~PLUGIN_AUTH, "weir", null))),
                "without a plugin name");
        FlowTable t = tables.table(false);
        TcpDialog d = new TcpDialog(t, 3306, true).server(greeting(0)).client(response(CLIENT, "weir", null));
        // access denied: the response confirmed all the same
        d.server(packet(2, bytes(0xFF, 0x15, 0x04), ascii("#28000Access denied for user 'weir'")));
        assertEquals("mysql", service(t));
    }

    @Test
    void aGreetingAloneARefusalOrAResponseWithoutGreetingDoNot() {
        assertEquals("", service(session(greeting(0))), "a banner grab");
        assertEquals("", service(session(packet(0, bytes(0xFF, 0x6A, 0x04), ascii("Host '10.0.0.1' is not allowed")),
                response(CLIENT, "weir", null))), "refused: the error packet leads to the command phase");
        assertEquals("", service(session(response(CLIENT, "weir", null))), "no greeting: no branch for the response");
        FlowTable t = tables.table(false);
        new TcpDialog(t, 3307, true).server(greeting(0)).client(response(CLIENT, "weir", null));
        assertEquals("", service(t), "port 3306 and 1434 only");
        t = tables.table(false);
        new TcpDialog(t, 1434, true).server(greeting(0)).client(response(CLIENT, "weir", null));
        assertEquals("mysql", service(t), "port 1434");
        t = tables.table(false);
        new TcpDialog(t, 3306, false).server(greeting(0)).client(response(CLIENT, "weir", null));
        assertEquals("", service(t), "partial connections are not looked at");
        t = tables.table(true);
        new TcpDialog(t, 3306, true).server(greeting(0)).client(response(CLIENT, "weir", null));
        assertEquals("", service(t), "bare mode without base/protocols/mysql");
    }

    @Test
    void aPacketTheGrammarCannotParseIsAViolation() {
        byte[] shortAuthData = greeting(0);
        shortAuthData[4 + 1 + "5.5.5-10.11.19-MariaDB".length() + 1 + 4 + 8 + 1 + 2 + 1 + 2 + 2] = 20;
        assertEquals("", service(session(shortAuthData, response(CLIENT, "weir", null))),
                "auth_plugin_data_len must be 0 or at least 21");
        byte[] noNul = packet(0, bytes(10), ascii("5.5.5-10.11.19-MariaDB"));
        assertEquals("", service(session(noNul, response(CLIENT, "weir", null))), "a version without its NUL");
        byte[] cut = response(CLIENT, "weir", null);
        assertEquals("", service(session(greeting(0), Arrays.copyOf(cut, 4 + 40))), "a response cut in its name");
        assertEquals("", service(session(greeting(0), response(CLIENT, "weir", null),
                packet(2, bytes(0x02, 0, 0)))), "no branch for a connection-phase packet 02: the service goes");
        assertEquals("", service(session(greeting(0), response(CLIENT, "weir", null), ok(2),
                packet(0, bytes(COM_QUERY), ascii("SELECT 1, 2")),
                concat(packet(1, bytes(2)), column(2, "1"), column(3, "2"), eof(4), packet(5, bytes(1, '1')),
                        eof(6)))), "a row of one field for two columns");
        assertEquals("", service(session(greeting(0), response(CLIENT, "weir", null), ok(2),
                packet(0, bytes(COM_QUERY), ascii("SELECT 1")), packet(1, bytes(0xFF, 0x28, 0x04)))),
                "an error packet without its state");
    }

    @Test
    void aSessionOfQueriesAndResultsStaysConfirmed() {
        FlowTable t = tables.table(false);
        TcpDialog d = new TcpDialog(t, 3306, true).server(greeting(0)).client(response(CLIENT, "weir", null))
                .server(packet(2, bytes(0xFE), ascii("mysql_native_password\0"), new byte[21]))
                .client(packet(3, new byte[20])).server(ok(4));
        d.client(packet(0, bytes(COM_QUERY), ascii("SELECT id, name FROM t.a")))
                .server(concat(packet(1, bytes(2)), column(2, "id"), column(3, "name"), eof(4),
                        packet(5, bytes(1, '1', 3), ascii("one")), packet(6, bytes(1, '2', 0xFB)), eof(7)));
        d.client(packet(0, bytes(0x04), ascii("a\0"))).server(concat(column(1, "id"), eof(2))); // COM_FIELD_LIST
        d.client(packet(0, bytes(0x09))).server(packet(1, ascii("Uptime: 15  Threads: 1"))); // COM_STATISTICS
        d.client(packet(0, bytes(COM_QUERY), ascii("INSERT INTO t.a VALUES (3)"))).server(ok(1));
        d.client(packet(0, bytes(0x0E))).server(ok(1)); // COM_PING
        d.client(packet(0, bytes(0x11), ascii("root\0"), bytes(0), ascii("\0"), bytes(0x21, 0),
                ascii("mysql_native_password\0"), bytes(0))).server(ok(1)); // COM_CHANGE_USER, no attributes
        d.client(packet(0, bytes(0x01))); // COM_QUIT
        assertEquals("mysql", service(t));
    }

    @Test
    void queryAttributesAreReadWhenBothSidesAnnounceThem() {
        byte[] greeting = greeting(QUERY_ATTRIBUTES);
        int client = CLIENT | QUERY_ATTRIBUTES | DEPRECATE_EOF;
        byte[] none = packet(0, bytes(COM_QUERY, 0, 1), ascii("SELECT 1"));
        byte[] one = packet(0, bytes(COM_QUERY, 1, 1, 0, 1, 0x03, 0, 1, 'n', 7, 0, 0, 0), ascii("SELECT 1"));
        assertEquals("mysql", service(session(greeting, response(client, "weir", null), ok(2), none, ok(1))));
        assertEquals("mysql", service(session(greeting, response(client, "weir", null), ok(2), one, ok(1))));
        byte[] newdate = one.clone();
        newdate[4 + 5] = 0x0E;
        assertEquals("", service(session(greeting, response(client, "weir", null), ok(2), newdate, ok(1))),
                "no branch for NEWDATE");
        assertEquals("mysql", service(session(greeting(0), response(client, "weir", null), ok(2), one, ok(1))),
                "a server without them: the attribute bytes are read as the query's");
    }

    @Test
    void sslThenAClientHelloGivesMysqlSsl() throws Exception {
        byte[] hello = TlsFlights.handshake("TLSv1.3", 30).client;
        byte[] sslRequest = Arrays.copyOf(response(CLIENT | SSL, "weir", null), 4 + 32);
        sslRequest[0] = 32;
        FlowTable t = tables.table(false);
        new TcpDialog(t, 3306, true).server(greeting(0)).client(sslRequest).client(hello);
        assertEquals("mysql,ssl", service(t));
        assertEquals("mysql", service(session(greeting(0), sslRequest)), "no hello yet");
        t = tables.table(false);
        new TcpDialog(t, 3306, true).server(greeting(0)).client(concat(sslRequest, hello));
        tables.nextDependsOnDeliveries();
        assertEquals("mysql", service(t), "the hello in the request's delivery is read as MySQL");
    }

    @Test
    void packetsSplitAcrossSegmentsOrSharingOne() {
        byte[] all = greeting(0);
        byte[] response = response(CLIENT, "weir", null);
        for (int size = 1; size <= 7; size++) {
            FlowTable t = tables.table(false);
            TcpDialog d = new TcpDialog(t, 3306, true);
            for (int i = 0; i < all.length; i += size) {
                d.server(Arrays.copyOfRange(all, i, Math.min(all.length, i + size)));
            }
            for (int i = 0; i < response.length; i += size) {
                d.client(Arrays.copyOfRange(response, i, Math.min(response.length, i + size)));
            }
            assertEquals("mysql", service(t), "segments of " + size);
        }
        FlowTable t = tables.table(false);
        new TcpDialog(t, 3306, true).server(greeting(0)).client(response).server(concat(ok(2), ok(3)))
                .client(packet(0, bytes(0x0E), new byte[3])).server(concat(ok(1), packet(2, bytes(0x7F))));
        assertEquals("mysql", service(t), "packets sharing a segment");
    }

    @Test
    void afterTenKibOrAGapNothingIsRead() {
        byte[] bigRow = new byte[12_000];
        Arrays.fill(bigRow, (byte) 'z');
        FlowTable t = tables.table(false);
        TcpDialog d = new TcpDialog(t, 3306, true).server(greeting(0)).client(response(CLIENT, "weir", null))
                .server(ok(2)).client(packet(0, bytes(COM_QUERY), ascii("SELECT REPEAT('z', 12000)")));
        byte[] row = packet(3, bytes(0xFC, 12_000 & 0xFF, 12_000 >> 8), bigRow);
        d.server(concat(packet(1, bytes(1)), column(2, "r"), eof(3)));
        for (int i = 0; i < row.length; i += 1400) {
            d.server(Arrays.copyOfRange(row, i, Math.min(row.length, i + 1400)));
        }
        d.server(packet(5, bytes(0xFC, 0x10)));
        assertEquals("mysql", service(t), "a violation past 10 KiB (a row cut in its length) leaves the service");
        t = tables.table(false);
        d = new TcpDialog(t, 3306, true).server(greeting(0));
        d.clientSeq += 10; // a packet never captured
        d.client(response(CLIENT, "weir", null));
        d.serverAck();
        assertEquals("", service(t), "after a content gap nothing is parsed");
    }

    @Test
    void randomBytesNeverBreakTheTable() {
        Random random = new Random(5);
        byte[] greeting = greeting(0), response = response(CLIENT, "weir", null);
        for (int round = 0; round < 300; round++) {
            byte[] g = greeting.clone(), r = response.clone();
            for (int k = 0; k < 3; k++) {
                g[random.nextInt(g.length)] = (byte) random.nextInt(256);
                r[random.nextInt(r.length)] = (byte) random.nextInt(256);
            }
            String service = service(session(g, r, ok(2)));
            assertTrue(service.isEmpty() || service.equals("mysql"), service);
        }
    }

    private static final int COM_QUERY = 3;

    /** A connection of the server's and the client's packets in turn, starting with the server's. */
    private FlowTable session(byte[]... turns) {
        FlowTable t = tables.table(false);
        TcpDialog d = new TcpDialog(t, 3306, true);
        for (int k = 0; k < turns.length; k++) {
            if (k % 2 == 0) {
                d.server(turns[k]);
            } else {
                d.client(turns[k]);
            }
        }
        return t;
    }

    private String service(FlowTable t) {
        return tables.closeOne(t).service();
    }

    /** MariaDB 10.11's greeting: protocol 10, a 21-byte scramble, mysql_native_password; extra server capabilities. */
    private static byte[] greeting(int capabilities) {
        int caps = 0x81fff7fe | capabilities;
        return packet(0, bytes(10), ascii("5.5.5-10.11.19-MariaDB\0"), bytes(0x2A, 0, 0, 0), ascii("abcdefgh"),
                bytes(0, caps & 0xFF, caps >>> 8 & 0xFF, 0x2D, 0x02, 0, caps >>> 16 & 0xFF, caps >>> 24, 21),
                new byte[10], ascii("ijklmnopqrst\0"), ascii("mysql_native_password\0"));
    }

    /** A protocol-41 handshake response with a 20-byte scramble and, as the capabilities say, plugin and attributes. */
    private static byte[] response(int caps, String user, String database) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(bytes(caps & 0xFF, caps >>> 8 & 0xFF, caps >>> 16 & 0xFF, caps >>> 24, 0, 0, 0, 1, 0x21));
        b.writeBytes(new byte[23]);
        b.writeBytes(ascii(user + "\0"));
        b.write(20);
        b.writeBytes(new byte[20]);
        if (database != null) {
            b.writeBytes(ascii(database + "\0"));
        }
        if ((caps & PLUGIN_AUTH) != 0) {
            b.writeBytes(ascii("mysql_native_password\0"));
        }
        if ((caps & CONNECT_ATTRS) != 0) {
            byte[] attrs = concat(lengthEncoded("_client_name"), lengthEncoded("libmariadb"), lengthEncoded("_os"),
                    lengthEncoded("Linux"));
            b.write(attrs.length);
            b.writeBytes(attrs);
        }
        return packet(1, b.toByteArray());
    }

    private static byte[] ok(int seq) {
        return packet(seq, bytes(0, 0, 0, 2, 0, 0, 0));
    }

    private static byte[] eof(int seq) {
        return packet(seq, bytes(0xFE, 0, 0, 0x22, 0));
    }

    private static byte[] column(int seq, String name) {
        return packet(seq, lengthEncoded("def"), lengthEncoded("t"), lengthEncoded("a"), lengthEncoded("a"),
                lengthEncoded(name), lengthEncoded(name), bytes(0x0C, 0x3F, 0, 11, 0, 0, 0, 3, 0, 0, 0, 0, 0));
    }

    private static byte[] lengthEncoded(String s) {
        return concat(bytes(s.length()), ascii(s));
    }

    private static byte[] packet(int seq, byte[]... parts) {
        byte[] body = concat(parts);
        return concat(bytes(body.length & 0xFF, body.length >> 8 & 0xFF, body.length >> 16, seq), body);
    }

}
