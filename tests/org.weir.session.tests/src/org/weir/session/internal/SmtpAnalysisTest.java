package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.weir.core.Session;

/**
 * Zeek's {@code smtp} service on hand-made connections and the corpus's SMTP sessions: the analyzer confirms on a
 * client's SMTP command, a reply line without a valid code in the first 10 KiB takes it back, message data and a
 * TLS session after STARTTLS are not read as lines, a mail header past Zeek's MIME limit writes X.
 */
class SmtpAnalysisTest {

    private final ServiceTables tables = new ServiceTables();

    /** Greeting and EHLO with its multi-line answer, as Postfix sends them. */
    private static TcpDialog hello(TcpDialog s) {
        return s.server("220 mail.example.org ESMTP Postfix\r\n").client("EHLO client.example.org\r\n")
                .server("250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
                        + "250 8BITMIME\r\n");
    }

    private String service(FlowTable t) {
        return tables.closeOne(t).service();
    }

    @Test
    void aClientCommandConfirmsWhateverItsCaseAndSegments() {
        for (String hello : new String[] {"EHLO a\r\n", "helo a\n", "Mail FROM:<a@b>\r\n", "NOOP\r"}) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, 25, true).server("220 ready\r\n").client(hello);
            assertEquals("smtp", service(t), hello);
        }
        FlowTable t = tables.table(false);
        TcpDialog s = new TcpDialog(t, 587, true).server("220 ready\r\n");
        for (char c : "EHLO x\r\n".toCharArray()) {
            s.client(String.valueOf(c));
        }
        assertEquals("smtp", service(t), "one byte a segment");
        for (String other : new String[] {"HELLO there\r\n", "GET / HTTP/1.1\r\n", "EHL\r\n", " EHLO a\r\n"}) {
            t = tables.table(false);
            new TcpDialog(t, 25, true).server("220 ready\r\n").client(other);
            assertEquals("", service(t), other);
        }
    }

    @Test
    void aReplyWithoutAValidCodeInTheFirstTenKilobytesTakesTheServiceBack() {
        for (String bad : new String[] {"hello\r\n", "600 too high\r\n", "099 too low\r\n", "\r\r\n"}) {
            FlowTable t = tables.table(false);
            hello(new TcpDialog(t, 25, true)).client("MAIL FROM:<a@b>\r\n").server(bad);
            assertEquals("", service(t), bad);
        }
        // Past 10 KiB a violation is ignored.
        FlowTable t = tables.table(false);
        TcpDialog s = hello(new TcpDialog(t, 25, true));
        for (int i = 0; i < 120; i++) {
            s.client("NOOP 0123456789012345678901234567890123456789012345678901234567890123456789012345678\r\n")
                    .server("250 Ok\r\n");
        }
        s.server("no code\r\n");
        assertEquals("smtp", service(t));
    }

    @Test
    void messageDataAndTlsAreNotReadAsLines() {
        // The message's lines are data (a line of its own with a dot ends it); the server's replies stay valid.
        FlowTable t = tables.table(false);
        hello(new TcpDialog(t, 25, true)).client("MAIL FROM:<a@b>\r\n").server("250 Ok\r\n")
                .client("RCPT TO:<c@d>\r\n").server("250 Ok\r\n").client("DATA\r\n")
                .server("354 End data with <CR><LF>.<CR><LF>\r\n").client("Subject: x\r\n\r\nhello\r\n.\r\n")
                .server("250 Ok: queued\r\n").client("QUIT\r\n").server("221 Bye\r\n");
        assertEquals("smtp", service(t));
        // After STARTTLS and its 220, the server's TLS records are no violations (and no hello came: smtp alone).
        byte[] serverHello = new byte[400];
        new java.util.Random(3).nextBytes(serverHello);
        serverHello[0] = 0x16;
        t = tables.table(false);
        hello(new TcpDialog(t, 25, true)).client("STARTTLS\r\n").server("220 2.0.0 Ready to start TLS\r\n")
                .client("\u0016\u0003\u0001\u0002\u0000binary\r\n").server(serverHello);
        assertEquals("smtp", service(t));
        // Without the 220 the server's binary bytes are violations.
        t = tables.table(false);
        hello(new TcpDialog(t, 25, true)).client("STARTTLS\r\n").server("454 TLS not available\r\n")
                .server(serverHello);
        assertEquals("", service(t));
    }

    /** A mail whose Subject header is folded over {@code folds} lines of " x" (two bytes each) after its 22. */
    private static String foldedSubject(int folds) {
        return "From: a@b\r\nSubject: CVE-CANDIDATE\r\n" + " x\r\n".repeat(folds) + "\r\nbody\r\n.\r\n";
    }

    private Session mail(FlowTable t, String message) {
        hello(new TcpDialog(t, 25, true)).client("MAIL FROM:<a@b>\r\n").server("250 Ok\r\n")
                .client("RCPT TO:<c@d>\r\n").server("250 Ok\r\n").client("DATA\r\n")
                .server("354 End data with <CR><LF>.<CR><LF>\r\n").client(message).server("250 Ok: queued\r\n")
                .client("QUIT\r\n").server("221 Bye\r\n");
        return tables.closeOne(t);
    }

    @Test
    void aMailHeaderPastZeeksMimeLimitMarksX() {
        // As Zeek's mime-header-size-limit trace: 22 + 2 x 32,757 bytes are exactly MIME::max_header_bytes, one
        // more folded line passes it.
        FlowTable t = tables.table(false);
        Session s = mail(t, foldedSubject(32_758));
        assertEquals("smtp", s.service());
        assertTrue(s.history().contains("X"), s.history());
        t = tables.table(false);
        assertFalse(mail(t, foldedSubject(32_757)).history().contains("X"), "at the limit");
        // The body is no header: long folded-looking lines after the empty line count for nothing.
        t = tables.table(false);
        String body = "Subject: x\r\n\r\n" + " x\r\n".repeat(40_000) + ".\r\n";
        assertFalse(mail(t, body).history().contains("X"), "in the body");
    }

    @Test
    void aClientHelloAfterStartTlsAddsSsl() throws Exception {
        // Zeek hands the stream to an SSL analyzer after STARTTLS and its 220: smtp,ssl once a ClientHello parses,
        // also one that spans segments.
        byte[] hello = TlsFlights.handshake("TLSv1.3", 30).client;
        for (int mss : new int[] {hello.length, 500}) {
            FlowTable t = tables.table(false);
            TcpDialog s = hello(new TcpDialog(t, 587, true)).client("STARTTLS\r\n")
                    .server("220 2.0.0 Ready to start TLS\r\n");
            for (int i = 0; i < hello.length; i += mss) {
                s.client(java.util.Arrays.copyOfRange(hello, i, Math.min(hello.length, i + mss)));
            }
            assertEquals("smtp,ssl", service(t), "segments of " + mss);
        }
        // Something else than a ClientHello, or a hello without the 220: smtp alone.
        FlowTable t = tables.table(false);
        hello(new TcpDialog(t, 25, true)).client("STARTTLS\r\n").server("220 Ready\r\n").client("HELO again\r\n");
        assertEquals("smtp", service(t));
        t = tables.table(false);
        hello(new TcpDialog(t, 25, true)).client("STARTTLS\r\n").server("454 TLS not available\r\n").client(hello);
        assertEquals("smtp", service(t));
    }

    @Test
    void afterAContentGapTheNextValidReplyConfirms() {
        // The client's EHLO falls into a gap; its next line is passed over, the server's reply confirms.
        FlowTable t = tables.table(false);
        TcpDialog s = new TcpDialog(t, 25, true).server("220 ready\r\n");
        s.clientSeq += 9; // "EHLO a\r\n" never captured
        s.client("XXXX\r\n");
        s.serverAck();
        s.server("250 hello\r\n");
        assertEquals("smtp", service(t));
    }

    @Test
    void partialConnectionsAreNotLookedAt() {
        FlowTable t = tables.table(false);
        new TcpDialog(t, 25, false).server("250 Ok\r\n").client("MAIL FROM:<a@b>\r\n").server("250 Ok\r\n");
        assertEquals("", service(t));
    }

    @Test
    void dpdAttachesOnOtherPortsToAGreetingAnsweredByHeloOrEhlo() {
        FlowTable t = tables.table(false);
        hello(new TcpDialog(t, 2525, true));
        assertEquals("smtp", service(t));
        t = tables.table(false);
        new TcpDialog(t, 2525, true).server("220 ready\r\n").client("NOOP\r\nMAIL FROM:<a@b>\r\n");
        assertEquals("", service(t), "no HELO or EHLO");
        t = tables.table(false);
        new TcpDialog(t, 2525, true).server("250 ready\r\n").client("EHLO a\r\n");
        assertEquals("", service(t), "no 220 greeting");
        t = tables.table(false);
        new TcpDialog(t, 2525, true).server("220 " + "x".repeat(1100) + "\r\n").client("EHLO a\r\n");
        assertEquals("", service(t), "the greeting filled DPD's buffer");
    }

    @Test
    void bareModeHasNoSmtpAnalyzer() {
        FlowTable t = tables.table(true);
        hello(new TcpDialog(t, 25, true));
        assertEquals("", service(t));
    }

    @Test
    void theCorpusSmtpSessionsAreSmtp() throws IOException {
        // An SMTP session over IPv6 (Zeek's community-id traces, read with -C as its test does).
        List<Session> v6 = Runs.run("zeek/bifs.community_id.run-pcaps/traces/communityid/ipv6.pcap", true,
                Cases.FULL);
        assertEquals(List.of("smtp"), v6.stream().filter(s -> s.respPort() == 25).map(Session::service).toList());
    }
}
