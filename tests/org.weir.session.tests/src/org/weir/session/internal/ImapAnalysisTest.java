package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Zeek's {@code imap} service on hand-made connections to port 143: the server's {@code * OK} greeting confirms; a
 * delivery that is not a sequence of tagged lines is a violation, which in the first 10 KiB takes the service back;
 * LOGIN and its like end the analysis; STARTTLS answered by OK with its tag leads to {@code imap,ssl}.
 */
class ImapAnalysisTest {

    private static final String GREETING = "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE "
            + "LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.\r\n";

    private final ServiceTables tables = new ServiceTables().readingDeliveries();

    private String service(FlowTable t) {
        return tables.closeOne(t).service();
    }

    @Test
    void theGreetingConfirms() {
        FlowTable t = tables.table(false);
        new TcpDialog(t, 143, true).server(GREETING);
        assertEquals("imap", service(t));
        t = tables.table(false);
        new TcpDialog(t, 143, true).server("* ok hello\r\n");
        assertEquals("imap", service(t), "OK in any case");
        t = tables.table(false);
        new TcpDialog(t, 143, true).server("* PREAUTH ready\r\n").client("a1 capability\r\n");
        assertEquals("imap", service(t), "the client's capability in lower case");
        t = tables.table(false);
        new TcpDialog(t, 143, true).server("* PREAUTH ready\r\n").client("a1 CAPABILITY\r\n")
                .server("* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK done\r\n");
        assertEquals("", service(t), "CAPABILITY in upper case confirms nothing, nor does a tagged OK");
        t = tables.table(false);
        new TcpDialog(t, 1143, true).server(GREETING);
        assertEquals("", service(t), "no DPD: port 143 only");
        t = tables.table(false);
        new TcpDialog(t, 143, false).server(GREETING);
        assertEquals("", service(t), "partial connections are not looked at");
    }

    @Test
    void aDeliveryThatIsNoSequenceOfTaggedLinesIsAViolation() {
        for (String bad : new String[] {"DONE\r\n", " a2 NOOP\r\n", "a2 NOOP", "\r\n", "a2 NOOP\r\nDONE\r\n"}) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, 143, true).server(GREETING).client(bad);
            assertEquals("", service(t), bad);
        }
        // The server's capability list is words, each followed by spaces, the last by a newline.
        FlowTable t = tables.table(false);
        new TcpDialog(t, 143, true).server(GREETING).client("a1 CAPABILITY\r\n")
                .server("* CAPABILITY IMAP4rev1 STARTTLS \r\na1 OK done\r\n");
        assertEquals("imap", service(t));
        t = tables.table(false);
        new TcpDialog(t, 143, true).server(GREETING).client("a1 CAPABILITY\r\n")
                .server("* CAPABILITY IMAP4rev1 STARTTLS\u00e9\r\na1 OK done\r\n");
        assertEquals("", service(t), "a byte outside ASCII in a capability");
    }

    @Test
    void loginAndItsLikeEndTheAnalysis() {
        FlowTable t = tables.table(false);
        new TcpDialog(t, 143, true).server(GREETING).client("a1 login alice secret\r\n")
                .server("a1 OK Logged in\r\n").client("DONE\r\n").server("garbage");
        assertEquals("imap", service(t), "nothing after login is read");
        t = tables.table(false);
        new TcpDialog(t, 143, true).server(GREETING).client("a1 LOGIN alice secret\r\n")
                .server("a1 OK Logged in\r\n").client("DONE\r\n");
        assertEquals("", service(t), "LOGIN in upper case does not end it: DONE is a violation");
    }

    @Test
    void startTlsAnsweredByOkWithItsTagAddsSslOnAClientHello() throws Exception {
        byte[] hello = TlsFlights.handshake("TLSv1.3", 30).client;
        FlowTable t = tables.table(false);
        new TcpDialog(t, 143, true).server(GREETING).client("a1 STARTTLS\r\n").server("a1 OK Begin TLS now\r\n")
                .client(hello);
        assertEquals("imap,ssl", service(t));
        t = tables.table(false);
        new TcpDialog(t, 143, true).server(GREETING).client("a1 STARTTLS\r\n").server("a2 OK other tag\r\n")
                .client(hello);
        assertEquals("", service(t), "another tag's OK: the hello is read as lines");
    }

    @Test
    void aContentGapEndsTheAnalysis() {
        FlowTable t = tables.table(false);
        TcpDialog s = new TcpDialog(t, 143, true).server(GREETING);
        s.clientSeq += 10; // a command never captured
        s.client("DONE\r\n");
        s.serverAck();
        s.server("garbage");
        assertEquals("imap", service(t));
    }
}
