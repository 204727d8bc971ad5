package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * Zeek's {@code syslog} (UDP) and {@code syslog_tcp} (TCP, RFC 6587 frames) services on hand-made connections to port
 * 514: what parses confirms, a malformed priority or frame is a violation that ends the analysis and, in the
 * connection's first 10 KiB, takes the service back.
 */
class SyslogAnalysisTest {

    private static final String CLIENT = "10.0.0.1", SERVER = "10.0.0.2";
    private static final String MESSAGE =
            "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8";

    private final ServiceTables tables = new ServiceTables();

    private String service(FlowTable t) {
        return tables.closeOne(t).service();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private String udp(int port, boolean bare, String... datagrams) {
        FlowTable t = tables.table(bare);
        double at = 1;
        for (String d : datagrams) {
            Pkt.udp(CLIENT, 40000, SERVER, port).at(at += 0.01).content(bytes(d)).to(t);
        }
        return service(t);
    }

    @Test
    void aDatagramWithOrWithoutAPriorityConfirms() {
        assertEquals("syslog", udp(514, false, MESSAGE));
        assertEquals("syslog", udp(514, false, "no priority at all"));
        assertEquals("syslog", udp(514, false, "<7>"), "a priority and nothing after it");
        assertEquals("syslog", udp(514, false, "<123456789012345678901234567890>x"), "any number of digits");
        assertEquals("syslog", udp(514, false, ""), "an empty datagram parses as an empty message");
        assertEquals("syslog", udp(514, false, "x<y"), "a < later in the message is text");
        assertEquals("", udp(5514, false, MESSAGE), "another port");
        assertEquals("", udp(514, true, MESSAGE), "bare mode");
    }

    @Test
    void aMalformedPriorityIsAViolationThatEndsTheAnalysis() {
        for (String bad : new String[] {"<>x", "<x>", "<13", "<13 x", "<", "<-1>x"}) {
            assertEquals("", udp(514, false, bad), bad);
            assertFalse(SyslogMessage.parses(bytes(bad), 0, bad.length()), bad);
        }
        assertEquals("", udp(514, false, "<x>", MESSAGE), "nothing is read after a violation");
        assertEquals("", udp(514, false, MESSAGE, "<x>"), "a violation in the first 10 KiB takes the service back");
        String big = "<13>" + "x".repeat(10_240);
        assertEquals("syslog", udp(514, false, big, "<x>"), "past 10 KiB the violation leaves the service");
        assertTrue(SyslogMessage.parses(bytes(">x"), 0, 2));
    }

    @Test
    void theServerPortIsTheResponderEvenWhenItSpeaksFirst() {
        FlowTable t = tables.table(false);
        Pkt.udp(SERVER, 514, CLIENT, 40000).at(1).content(bytes(MESSAGE)).to(t);
        assertEquals("syslog", service(t));
    }

    private String tcp(boolean handshake, String... clientSegments) {
        FlowTable t = tables.table(false);
        TcpDialog s = new TcpDialog(t, 514, handshake);
        for (String c : clientSegments) {
            s.client(c);
        }
        return service(t);
    }

    @Test
    void nonTransparentFramesConfirmOnceTheirTerminatorsAreOver() {
        assertEquals("syslog_tcp", tcp(true, MESSAGE + "\n"), "at the end of the stream");
        assertEquals("syslog_tcp", tcp(true, "<13>a\r\n\0<14>b", "\n"), "with the next frame's first byte");
        assertEquals("syslog_tcp", tcp(true, "<1", "3>spl", "it\n"), "a frame across segments");
        assertEquals("syslog_tcp", tcp(false, MESSAGE + "\n"), "partial connections are read");
        assertEquals("", tcp(true, MESSAGE), "a frame cut by the end of the stream");
        assertEquals("", tcp(true, "<13>\n"), "a frame needs a message");
        assertEquals("", tcp(true, "<13>a\n<14>b"), "a cut last frame takes the first one's confirmation back");
        assertEquals("", tcp(true, "Oct 11 22:14:15 no priority\n"), "no frame begins so");
        assertEquals("", tcp(true, "<x>a\n"));
    }

    @Test
    void octetCountedFramesConfirmWithTheirLastByte() {
        String m = "<13>multi\nline";
        assertEquals("syslog_tcp", tcp(true, m.length() + " " + m));
        assertEquals("syslog_tcp", tcp(true, "5 hello3 <1>"), "no priority, then a priority alone");
        assertEquals("syslog_tcp", tcp(true, "1", "0 <13>a", "bcdef"), "a frame across segments");
        assertEquals("", tcp(true, "20 <13>short"), "cut by the end of the stream");
        assertEquals("", tcp(true, "3 <13>"), "a priority cut by the frame's end");
        assertEquals("", tcp(true, "5x<13>a"), "no space after the length");
        assertEquals("", tcp(true, "05 <13>a"), "a length begins with 1 to 9");
        assertEquals("", tcp(true, "6 <ab>cd"), "a malformed priority");
        assertEquals("", tcp(true, "5 hello\n"), "a line feed is no frame");
    }

    @Test
    void aViolationPast10KiBLeavesTheService() {
        String frame = "<13>" + "x".repeat(1000) + "\n";
        assertEquals("syslog_tcp", tcp(true, frame.repeat(11) + "<x"));
        assertEquals("", tcp(true, frame.repeat(9) + "<x"));
        FlowTable t = tables.table(false);
        new TcpDialog(t, 514, true).client(frame + "<14>next\n").server("HTTP/1.1 400 Bad Request\r\n");
        assertEquals("", service(t), "the server's stream is parsed as frames too");
    }

    @Test
    void aContentGapIsAViolation() {
        FlowTable t = tables.table(false);
        TcpDialog s = new TcpDialog(t, 514, true).client("<13>first\n<14>sec");
        s.clientSeq += 10; // bytes never captured
        s.client("ond\n");
        s.serverAck();
        assertEquals("", service(t));
    }

    @Test
    void bareModeHasNoSyslogAnalyzer() {
        FlowTable t = tables.table(true);
        new TcpDialog(t, 514, true).client(MESSAGE + "\n");
        assertEquals("", service(t));
    }
}
