package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * Zeek's {@code irc} service on hand-made connections: the analyzer (on ports 6666 to 6669, or by DPD where a client
 * registers and the server answers with a numeric reply) confirms on a client command; malformed lines in the first
 * 10 KiB take it back; the numeric 670 leads to {@code irc,ssl}.
 */
class IrcAnalysisTest {

    private static final String REGISTRATION = "CAP LS 302\r\nNICK alice\r\nUSER alice 0 * :Alice\r\n";
    private static final String WELCOME = ":irc.example.net 001 alice :Welcome to the Internet Relay Network\r\n";

    private final ServiceTables tables = new ServiceTables();

    private String service(FlowTable t) {
        return tables.closeOne(t).service();
    }

    @Test
    void aClientCommandConfirmsOnTheIrcPorts() {
        for (int port : new int[] {6666, 6667, 6668, 6669}) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, port, true).server(":irc.example.net NOTICE * :*** Looking up your hostname\r\n")
                    .client(REGISTRATION).server(WELCOME);
            assertEquals("irc", service(t), "port " + port);
        }
        FlowTable t = tables.table(false);
        new TcpDialog(t, 6667, true).client("join #weir\r\n");
        assertEquals("irc", service(t), "any case");
        t = tables.table(false);
        new TcpDialog(t, 6667, true).client("QUIT :bye\r\n").server(WELCOME);
        assertEquals("", service(t), "QUIT is not among the commands that confirm");
        t = tables.table(false);
        new TcpDialog(t, 6667, true).server(":irc.example.net PRIVMSG alice :hi\r\n");
        assertEquals("", service(t), "the server's commands confirm nothing");
        t = tables.table(false);
        new TcpDialog(t, 6667, false).client("PRIVMSG #weir :hi\r\n");
        assertEquals("irc", service(t), "partial connections are read");
    }

    @Test
    void malformedLinesAreViolations() {
        for (String bad : new String[] {":prefix ab\r\n", "12 x\r\n", "1234 x\r\n", ":irc.example.net 123\r\n"}) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, 6667, true).client(REGISTRATION).server(bad);
            assertEquals("", service(t), bad);
        }
        for (String harmless : new String[] {"ab\r\n", "  \r\n", ":noSpace\r\n", "x".repeat(600) + " y\r\n",
            "@time=2026-11-23T10:00:00Z :irc.example.net 001 alice :hi\r\n"}) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, 6667, true).client(REGISTRATION).server(harmless);
            assertEquals("irc", service(t), harmless);
        }
        FlowTable t = tables.table(false);
        TcpDialog s = new TcpDialog(t, 6667, true).client(REGISTRATION);
        for (int i = 0; i < 20; i++) {
            s.server("THISCOMMANDISTOOLONGTOBEVALID x\r\n");
        }
        assertEquals("irc", service(t), "twenty over-long commands are weirds");
        t = tables.table(false);
        s = new TcpDialog(t, 6667, true).client(REGISTRATION);
        for (int i = 0; i < 21; i++) {
            s.server("THISCOMMANDISTOOLONGTOBEVALID x\r\n");
        }
        assertEquals("", service(t), "the twenty-first is a violation");
    }

    @Test
    void dpdAttachesToARegistrationAnsweredByANumericReply() {
        FlowTable t = tables.table(false);
        new TcpDialog(t, 7000, true).client(REGISTRATION).server(WELCOME);
        assertEquals("irc", service(t));
        t = tables.table(false);
        new TcpDialog(t, 7000, true).client("USER alice 0 * :Alice\r\n\r\n  nick alice\r\n")
                .server("001 alice :hi\r\n");
        assertEquals("irc", service(t), "USER then NICK, blank lines between, spaces before, any case, no prefix");
        t = tables.table(false);
        new TcpDialog(t, 7000, true).client("NICK alice\r\nPING x\r\nUSER alice 0 * :Alice\r\n").server(WELCOME);
        assertEquals("", service(t), "the two lines are not next to each other");
        t = tables.table(false);
        new TcpDialog(t, 7000, true).client(REGISTRATION).server(":irc.example.net NOTICE alice :hi\r\n");
        assertEquals("", service(t), "no numeric reply");
        t = tables.table(false);
        new TcpDialog(t, 7000, true).client(REGISTRATION).server(" 001 alice :hi\r\n");
        assertEquals("", service(t), "the reply must begin its line");
        t = tables.table(false);
        new TcpDialog(t, 7000, true).client(REGISTRATION).server(":" + "x".repeat(1100) + " NOTICE a :b\r\n")
                .server(WELCOME);
        assertEquals("", service(t), "the reply past DPD's buffer");
        // A violation before DPD attached counts once it does.
        t = tables.table(false);
        new TcpDialog(t, 7000, true).client("NICK alice\r\n").server("12 bad\r\n").client("USER alice 0 * :A\r\n")
                .server(WELCOME);
        assertEquals("", service(t));
    }

    @Test
    void dpdLooksAtConnectionsThatOpenWithARegistrationCommand() {
        assertTrue(opens("CAP LS 302\r\n"));
        assertTrue(opens("  nick alice\r\n"));
        assertTrue(opens("PASS secret\r\n"));
        assertTrue(opens("USER\r\n"));
        assertFalse(opens("GET / HTTP/1.1\r\n"));
        assertFalse(opens("NICKNAME x\r\n"));
        assertFalse(opens("NICK"), "no end of the word yet");
    }

    private static boolean opens(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return IrcAnalysis.opensRegistration(b, 0, b.length);
    }

    @Test
    void theStartTlsReplyAddsSslOnAClientHello() throws Exception {
        byte[] hello = TlsFlights.handshake("TLSv1.3", 30).client;
        FlowTable t = tables.table(false);
        new TcpDialog(t, 6667, true).client("STARTTLS\r\n").server(":irc.example.net 670 * :STARTTLS successful\r\n")
                .client(hello);
        assertEquals("irc,ssl", service(t));
    }

    @Test
    void bareModeHasNoIrcAnalyzer() {
        FlowTable t = tables.table(true);
        new TcpDialog(t, 6667, true).client(REGISTRATION).server(WELCOME);
        assertEquals("", service(t));
    }
}
