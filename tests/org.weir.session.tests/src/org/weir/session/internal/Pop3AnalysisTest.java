package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Zeek's {@code pop3} service on hand-made connections: only DPD attaches the analyzer (a {@code +OK} greeting and a
 * POP3 login command from the client); it confirms on the server's {@code +OK} to USER, CAPA or STLS; a server line
 * without a POP3 status in the first 10 KiB takes it back; STLS leads to {@code pop3,ssl}.
 */
class Pop3AnalysisTest {

    private final ServiceTables tables = new ServiceTables();

    private String service(FlowTable t) {
        return tables.closeOne(t).service();
    }

    /** A Dovecot greeting on the POP3 port, which no analyzer is registered for. */
    private TcpDialog greeted(FlowTable t) {
        return new TcpDialog(t, 110, true).server("+OK Dovecot (Debian) ready.\r\n");
    }

    @Test
    void theServersOkToUserCapaOrStlsConfirms() {
        FlowTable t = tables.table(false);
        greeted(t).client("USER alice\r\n").server("+OK\r\n").client("PASS secret\r\n")
                .server("+OK Logged in.\r\n").client("QUIT\r\n").server("+OK Logging out.\r\n");
        assertEquals("pop3", service(t));
        t = tables.table(false);
        greeted(t).client("capa\r\n").server("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n");
        assertEquals("pop3", service(t), "CAPA in lower case, its multi-line answer");
        t = tables.table(false);
        greeted(t).client("USER alice\r\n").server("-ERR no such user\r\n");
        assertEquals("", service(t), "-ERR confirms nothing");
        t = tables.table(false);
        greeted(t).client("APOP alice c4c9334bac560ecc979e58001b3e22fb\r\n").server("+OK\r\n");
        assertEquals("", service(t), "APOP's +OK does not confirm");
        t = tables.table(false);
        greeted(t).client("APOP alice c4c9334bac560ecc979e58001b3e22fb\r\n").server("+OK\r\n")
                .client("USER again\r\n").server("+OK\r\n");
        assertEquals("", service(t), "USER outside the authorization phase");
    }

    @Test
    void dpdWantsTheGreetingAndALoginCommandInItsBuffer() {
        FlowTable t = tables.table(false);
        new TcpDialog(t, 110, true).server("+ok ready\r\n").client("USER alice\r\n").server("+OK\r\n");
        assertEquals("", service(t), "the greeting's +OK is case-sensitive");
        t = tables.table(false);
        greeted(t).client("NOOP\r\nUSER\talice\r\n").server("+OK\r\n").server("+OK\r\n");
        assertEquals("", service(t), "USER and a tab at a line's start matches, but a tab does not separate a command");
        t = tables.table(false);
        greeted(t).client("  user alice\r\n").server("+OK\r\n");
        assertEquals("pop3", service(t), "blanks before the command; any case");
        t = tables.table(false);
        greeted(t).client("X".repeat(1100) + "\r\n").client("USER alice\r\n").server("+OK\r\n").server("+OK\r\n");
        assertEquals("", service(t), "the login command past DPD's buffer");
        t = tables.table(false);
        greeted(t).client("X".repeat(1100) + "\r\nUSER alice\r\n").server("+OK\r\n").server("+OK\r\n");
        tables.nextDependsOnDeliveries();
        assertEquals("pop3", service(t), "in a delivery that began while DPD's buffer had room");
        t = tables.table(false);
        new TcpDialog(t, 110, false).server("+OK ready\r\n").client("USER alice\r\n").server("+OK\r\n");
        assertEquals("", service(t), "partial connections are not looked at");
    }

    @Test
    void aServerLineWithoutAStatusTakesTheServiceBack() {
        FlowTable t = tables.table(false);
        greeted(t).client("CAPA\r\n").server("+OK\r\nUSER\r\n.\r\n").client("USER a\r\n").server("* OK imap\r\n");
        assertEquals("", service(t));
        t = tables.table(false);
        greeted(t).client("CAPA\r\n").server("+OK\r\nUSER\r\n.\r\n").client("NOOP\r\n").server("\r\n");
        assertEquals("", service(t), "an empty line");
        // A violation before DPD attached the analyzer counts once it does: its buffer is read then.
        t = tables.table(false);
        new TcpDialog(t, 110, true).server("+OK ready\r\nhello\r\n").client("USER a\r\n").server("+OK\r\n");
        assertEquals("", service(t), "a bad line before the client's login command");
        // In a multi-line answer and while authenticating, lines are not statuses.
        t = tables.table(false);
        greeted(t).client("USER a\r\n").server("+OK\r\n").client("PASS b\r\n").server("+OK\r\n")
                .client("RETR 1\r\n").server("+OK 5 octets\r\nhello\r\n\r\n.\r\n");
        assertEquals("pop3", service(t));
        t = tables.table(false);
        greeted(t).client("CAPA\r\n").server("+OK\r\nSASL PLAIN\r\n.\r\n").client("AUTH PLAIN\r\n")
                .server("+ \r\n").client("AGFsaWNlAHNlY3JldA==\r\n").server("+OK Logged in.\r\n");
        assertEquals("pop3", service(t));
    }

    @Test
    void manyUnknownClientCommandsAreViolations() {
        FlowTable t = tables.table(false);
        TcpDialog s = greeted(t).client("CAPA\r\n").server("+OK\r\n.\r\n");
        for (int i = 0; i < 10; i++) {
            s.client("HELO " + i + "\r\n").server("-ERR unknown\r\n");
        }
        assertEquals("pop3", service(t), "ten are weirds only");
        t = tables.table(false);
        s = greeted(t).client("CAPA\r\n").server("+OK\r\n.\r\n");
        for (int i = 0; i < 11; i++) {
            s.client("HELO " + i + "\r\n").server("-ERR unknown\r\n");
        }
        assertEquals("", service(t), "the eleventh");
    }

    @Test
    void stlsAnsweredByOkSwitchesToTls() throws Exception {
        byte[] hello = TlsFlights.handshake("TLSv1.3", 30).client;
        FlowTable t = tables.table(false);
        greeted(t).client("STLS\r\n").server("+OK Begin TLS negotiation now.\r\n").client(hello);
        assertEquals("pop3,ssl", service(t));
        t = tables.table(false);
        greeted(t).client("STLS\r\n").server("-ERR TLS not available\r\n").client(hello);
        assertEquals("", service(t), "no switch: the hello is no command (and STLS's -ERR confirms nothing)");
    }

    @Test
    void theParserTakesTheCommandWordAsZeekDoes() {
        assertEquals(0, Pop3Analysis.command("+OK"));
        assertEquals(0, Pop3Analysis.command("ok"));
        assertEquals(1, Pop3Analysis.command("-ERR"));
        assertEquals(1, Pop3Analysis.command("+ERR"));
        assertEquals(-1, Pop3Analysis.command("+-OK"), "the second sign goes before ERR's comparison");
        assertEquals(-1, Pop3Analysis.command("+"));
        assertEquals(2, Pop3Analysis.command("-user"));
        assertEquals("[USER, a b]", java.util.Arrays.toString(Pop3Analysis.tokens(" \tUSER   a  b  ")));
        assertEquals(0, Pop3Analysis.tokens("   ").length);
    }

    @Test
    void bareModeHasNoPop3Analyzer() {
        FlowTable t = tables.table(true);
        greeted(t).client("USER a\r\n").server("+OK\r\n");
        assertEquals("", service(t));
    }
}
