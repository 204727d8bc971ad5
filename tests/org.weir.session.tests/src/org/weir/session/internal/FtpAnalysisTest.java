package org.weir.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.weir.core.IpAddress;
import org.weir.core.Session;

/**
 * Zeek's {@code ftp} and {@code ftp-data} services on hand-made connections and the corpus's FTP logins: the
 * analyzer confirms on a client's command, a violating reply in the first 10 KiB takes it back, an overlong command
 * after the confirmation writes {@code X}, and the data channels of PORT, EPRT, PASV and EPSV make {@code ftp-data}.
 */
class FtpAnalysisTest {

    private static final String C = TcpDialog.CLIENT, S = TcpDialog.SERVER;

    private final ServiceTables tables = new ServiceTables();
    private final List<Session> closed = tables.closed;

    /** A login as servers answer it. */
    private static TcpDialog login(TcpDialog c) {
        return c.server("220 test FTP server ready.\r\n").client("USER anonymous\r\n")
                .server("331 Please specify the password.\r\n").client("PASS guest\r\n")
                .server("230 Login successful.\r\n");
    }

    /** The services of all sessions the table closed, by "orig_port>resp_port". */
    private Map<String, String> services(FlowTable t) {
        t.closeAll();
        Map<String, String> byPorts = new TreeMap<>();
        for (Session s : closed) {
            byPorts.put(s.origAddress() + ":" + s.origPort() + ">" + s.respAddress() + ":" + s.respPort(),
                    s.service() + (s.history().contains("X") ? " X" : ""));
        }
        closed.clear();
        return byPorts;
    }

    private String service(FlowTable t) {
        Session s = tables.closeOne(t);
        return s.service();
    }

    /** A data connection from {@code src} to {@code dst}:{@code port}: handshake, some bytes, close. */
    private static void dataConnection(FlowTable t, String src, int sport, String dst, int port, double at) {
        Pkt.tcp(src, sport, dst, port).at(at).flags("S").seq(1000).to(t);
        Pkt.tcp(dst, port, src, sport).at(at + 0.01).flags("SA").seq(7000).ack(1001).to(t);
        Pkt.tcp(src, sport, dst, port).at(at + 0.02).flags("A").seq(1001).ack(7001).to(t);
        Pkt.tcp(dst, port, src, sport).at(at + 0.03).flags("AP").seq(7001).ack(1001).content("listing\r\n").to(t);
    }

    @Test
    void aClientCommandOnTheFtpPortConfirmsWhateverTheSegments() {
        String server = "220 test FTP server ready.\r\n", client = "USER anonymous\r\nPASS guest\r\n";
        for (int mss : new int[] {1460, 7, 1}) {
            FlowTable t = tables.table(false);
            TcpDialog c = new TcpDialog(t, 21, true).server(server);
            for (int i = 0; i < client.length(); i += mss) {
                c.client(client.substring(i, Math.min(client.length(), i + mss)));
            }
            assertEquals("ftp", service(t), "mss " + mss);
        }
    }

    @Test
    void aLineIsACommandWhenItsFirstWordHasThreeOrMorePrintableCharacters() {
        // FTP_Analyzer's is_ftp_cmd: any printable word of three or more (an HTTP request on port 21 confirms too);
        // white space before it is skipped, Telnet sequences are taken out.
        for (String line : new String[] {"USER x\r\n", "  noop\n", "GET / HTTP/1.1\r\n",
            "US\u00ff\u00fb\u0001ER a\r\n"}) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, 21, true).server("220 ready\r\n").client(line);
            assertEquals("ftp", service(t), line);
        }
        for (String line : new String[] {"OK\r\n", "\r\n", "\u0001\u0002\u0003\u0004\r\n"}) {
            FlowTable t = tables.table(false);
            new TcpDialog(t, 21, true).server("220 ready\r\n").client(line);
            assertEquals("", service(t), line);
        }
    }

    @Test
    void aServerLineWithoutAReplyCodeTakesTheServiceBackInTheFirstTenKilobytes() {
        FlowTable t = tables.table(false);
        login(new TcpDialog(t, 21, true)).server("this is no reply\r\n");
        assertEquals("", service(t), "a violation disables the analyzer and removes its service");
        t = tables.table(false);
        new TcpDialog(t, 21, true).server("hello\r\n").client("USER anonymous\r\n");
        assertEquals("", service(t), "disabled before it could confirm");
        // Lines of a multi-line reply need no code; a code below 100 or without a space after it is a violation.
        t = tables.table(false);
        new TcpDialog(t, 21, true).server("220-Welcome\r\nplain text\r\n220 ready\r\n").client("USER a\r\n");
        assertEquals("ftp", service(t));
        for (String bad : new String[] {"099 low\r\n", "220x\r\n"}) {
            t = tables.table(false);
            new TcpDialog(t, 21, true).server(bad).client("USER a\r\n");
            assertEquals("", service(t), bad);
        }
        // Past 10 KiB a violation is ignored (DPD::ignore_violations_after).
        t = tables.table(false);
        TcpDialog c = login(new TcpDialog(t, 21, true));
        for (int i = 0; i < 120; i++) {
            c.client("NOOP 0123456789012345678901234567890123456789012345678901234567890123456789012345678\r\n")
                    .server("200 NOOP ok\r\n");
        }
        c.server("no reply code\r\n");
        assertEquals("ftp", service(t));
    }

    @Test
    void aCommandLongerThanTheLimitWritesXOnceConfirmed() {
        String longWord = "A".repeat(FtpAnalysis.MAX_COMMAND_LENGTH + 1);
        FlowTable t = tables.table(false);
        login(new TcpDialog(t, 21, true)).client(longWord + " x\r\n");
        Session s = tables.closeOne(t);
        assertEquals("ftp", s.service());
        assertTrue(s.history().contains("X"), s.history());
        // Before a confirmation the line is only passed over: no X, no service.
        t = tables.table(false);
        new TcpDialog(t, 21, true).server("220 ready\r\n").client(longWord + "\r\n");
        s = tables.closeOne(t);
        assertEquals("", s.service());
        assertFalse(s.history().contains("X"), s.history());
        // A word of exactly the limit is a command.
        t = tables.table(false);
        new TcpDialog(t, 21, true).server("220 ready\r\n").client("B".repeat(FtpAnalysis.MAX_COMMAND_LENGTH) + "\r\n");
        assertEquals("ftp", service(t));
    }

    @Test
    void passiveDataChannelsAreFtpData() {
        FlowTable t = tables.table(false);
        login(new TcpDialog(t, 21, true)).client("PASV\r\n")
                .server("227 Entering Passive Mode (10,0,0,2,195,80).\r\n").client("LIST\r\n");
        dataConnection(t, C, 40001, S, 195 * 256 + 80, 2);
        // Another client to the same port is not the channel's originator.
        dataConnection(t, "10.0.0.9", 40002, S, 195 * 256 + 80, 3);
        assertEquals(Map.of("10.0.0.1:40000>10.0.0.2:21", "ftp", "10.0.0.1:40001>10.0.0.2:50000", "ftp-data",
                "10.0.0.9:40002>10.0.0.2:50000", ""), services(t));

        // EPSV: the control connection's server, the port between the delimiters.
        t = tables.table(false);
        login(new TcpDialog(t, 21, true)).client("EPSV\r\n")
                .server("229 Entering Extended Passive Mode (|||50123|)\r\n");
        dataConnection(t, C, 40001, S, 50123, 2);
        assertEquals("ftp-data", services(t).get("10.0.0.1:40001>10.0.0.2:50123"));

        // A 227 that answers another command announces nothing; a channel not used within five minutes expires.
        t = tables.table(false);
        login(new TcpDialog(t, 21, true)).client("NOOP\r\n")
                .server("227 Entering Passive Mode (10,0,0,2,195,81).\r\n").client("PASV\r\n")
                .server("227 Entering Passive Mode (10,0,0,2,195,82).\r\n");
        dataConnection(t, C, 40001, S, 195 * 256 + 81, 2);
        dataConnection(t, C, 40002, S, 195 * 256 + 82, 2 + 301);
        Map<String, String> s = services(t);
        assertEquals("", s.get("10.0.0.1:40001>10.0.0.2:50001"));
        assertEquals("", s.get("10.0.0.1:40002>10.0.0.2:50002"));
    }

    @Test
    void activeDataChannelsAreFtpData() {
        FlowTable t = tables.table(false);
        login(new TcpDialog(t, 21, true)).client("PORT 10,0,0,1,156,64\r\n").server("200 PORT ok\r\n")
                .client("EPRT |1|10.0.0.1|40001|\r\n").server("200 EPRT ok\r\n");
        // The server connects to the client's address and port (from its data port, 20).
        dataConnection(t, S, 20, C, 156 * 256 + 64, 2);
        dataConnection(t, S, 20, C, 40001, 3);
        Map<String, String> s = services(t);
        assertEquals("ftp-data", s.get("10.0.0.2:20>10.0.0.1:40000"), s.toString());
        assertEquals("ftp-data", s.get("10.0.0.2:20>10.0.0.1:40001"), s.toString());
    }

    @Test
    void aClientHelloAfterAuthTlsAddsSsl() throws Exception {
        // FTP.cc hands the stream to an SSL analyzer after AUTH TLS answered by 234: ftp,ssl once a ClientHello
        // parses. AUTH SSL, or no 234, leaves ftp alone.
        byte[] hello = TlsFlights.handshake("TLSv1.2", 0).client;
        FlowTable t = tables.table(false);
        new TcpDialog(t, 21, true).server("220 ready\r\n").client("AUTH TLS\r\n")
                .server("234 Proceed with negotiation.\r\n").client(hello);
        assertEquals("ftp,ssl", service(t));
        t = tables.table(false);
        new TcpDialog(t, 21, true).server("220 ready\r\n").client("AUTH SSL\r\n").server("234 Proceed.\r\n")
                .client(hello);
        assertEquals("ftp", service(t));
        t = tables.table(false);
        new TcpDialog(t, 21, true).server("220 ready\r\n").client("AUTH TLS\r\n").server("502 No.\r\n")
                .client(hello);
        assertEquals("ftp", service(t));
    }

    @Test
    void dpdAttachesOnOtherPortsWhenTheServerAnswersALogin() {
        FlowTable t = tables.table(false);
        login(new TcpDialog(t, 2121, true));
        assertEquals("ftp", service(t));
        // Without the 230 or 331 answer, or without USER, DPD never attaches the analyzer.
        t = tables.table(false);
        new TcpDialog(t, 2121, true).server("220 ready\r\n").client("USER a\r\n").server("530 no\r\n");
        assertEquals("", service(t));
        t = tables.table(false);
        new TcpDialog(t, 2121, true).server("220 ready\r\n").client("NOOP\r\n").server("331 what\r\n");
        assertEquals("", service(t));
        // A greeting longer than DPD's buffer leaves the answer unmatched.
        t = tables.table(false);
        new TcpDialog(t, 2121, true).server("220 " + "x".repeat(1100) + "\r\n").client("USER a\r\n")
                .server("331 password\r\n");
        assertEquals("", service(t));
    }

    @Test
    void partialConnectionsAndContentGapsAreFollowed() {
        // No handshake: the analyzer reads the streams from where the capture begins.
        FlowTable t = tables.table(false);
        new TcpDialog(t, 21, false).server("200 ok\r\n").client("NOOP\r\n");
        assertEquals("ftp", service(t));
        // A hole in the client's stream, then acknowledged: the line goes on with the bytes after it ("XY" and "Z a"
        // make the command XYZ).
        t = tables.table(false);
        TcpDialog c = new TcpDialog(t, 21, true).server("220 ready\r\n").client("XY");
        c.clientSeq += 10; // ten bytes never captured
        c.client("Z a\r\n");
        c.serverAck();
        c.client("PASS x\r\n");
        Session s = tables.closeOne(t);
        assertEquals("ftp", s.service());
        assertTrue(s.missedBytes() == 10, "a content gap of ten bytes: " + s.missedBytes());
    }

    @Test
    void ftpConfirmedOnAnyPortGetsTheInteractiveInactivityTimeout() {
        // inactivity.zeek: an hour for a connection whose FTP analyzer confirmed, here attached by DPD on 2121.
        FlowTable t = tables.table(false);
        TcpDialog c = login(new TcpDialog(t, 2121, true));
        c.at = 600;
        c.client("NOOP\r\n");
        t.closeAll();
        assertEquals(1, closed.size(), closed.toString());
        assertEquals("ftp", closed.get(0).service());
    }

    @Test
    void bareModeHasNoFtpAnalyzer() {
        FlowTable t = tables.table(true);
        login(new TcpDialog(t, 21, true)).client("PASV\r\n")
                .server("227 Entering Passive Mode (10,0,0,2,195,80)\r\n");
        dataConnection(t, C, 40001, S, 195 * 256 + 80, 2);
        assertEquals(List.of("", ""), new ArrayList<>(services(t).values()));
    }

    @Test
    void theCorpusFtpLoginsAreFtp() throws IOException {
        // Real logins (Zeek's test reads the trace with -C): 30 connections to port 21.
        List<Session> logins = Runs.run("zeek/scripts.policy.protocols.ftp.bruteforce/traces/ftp/bruteforce.pcap",
                true, Cases.FULL);
        assertEquals(30, logins.stream().filter(s -> s.respPort() == 21).count());
        assertTrue(logins.stream().filter(s -> s.respPort() == 21).allMatch(s -> s.service().equals("ftp")));
    }

    // ---- Zeek's parsers ---------------------------------------------------------------------------------------

    private static String parsed(int port, long[] a) {
        return port < 0 ? "invalid" : IpAddress.toString(a[0], a[1]) + ":" + port;
    }

    @Test
    void portAndPasvArgumentsAreParsedAsZeeksBifsDo() {
        long[] a = new long[2];
        assertEquals("10.0.0.1:40000", parsed(FtpDataChannels.parsePort("10,0,0,1,156,64", a), a));
        assertEquals("10.0.0.1:40000", parsed(FtpDataChannels.parsePort(" 10, 0,0,1,156,64 trailing", a), a));
        assertEquals("0.0.0.0:0", parsed(FtpDataChannels.parsePort("0,0,0,0,0,0", a), a), "zeros are valid");
        assertEquals("invalid", parsed(FtpDataChannels.parsePort("10,0,0,1,156", a), a));
        assertEquals("invalid", parsed(FtpDataChannels.parsePort("10,0,0,1,256,64", a), a));
        assertEquals("invalid", parsed(FtpDataChannels.parsePort("10 ,0,0,1,156,64", a), a));
        assertEquals("invalid", parsed(FtpDataChannels.parsePort("1,2,3,4,5", a), a), "shorter than 11");
        assertEquals("192.168.1.2:5001",
                parsed(FtpDataChannels.parsePasv("Entering Passive Mode (192,168,1,2,19,137).", a), a));
        assertEquals("192.168.1.2:5001", parsed(FtpDataChannels.parsePasv("PORT 192,168,1,2,19,137", a), a));
        assertEquals("192.168.1.2:5001", parsed(FtpDataChannels.parsePasv("Mode =192,168,1,2,19,137", a), a));
        assertEquals("invalid", parsed(FtpDataChannels.parsePasv("Passive mode refused", a), a));
        assertEquals("invalid", parsed(FtpDataChannels.parsePasv("", a), a));
    }

    @Test
    void eprtAndEpsvArgumentsAreParsedAsZeeksBifsDo() {
        long[] a = new long[2];
        assertEquals("10.0.0.1:40001", parsed(FtpDataChannels.parseEprt("|1|10.0.0.1|40001|", a), a));
        assertEquals("2001:db8::1:40001", parsed(FtpDataChannels.parseEprt("|2|2001:db8::1|40001|", a), a));
        assertEquals(":::5282", parsed(FtpDataChannels.parseEpsv("Extended (|||5282|)", a), a), "no address: ::");
        assertEquals("10.0.0.1:1055", parsed(FtpDataChannels.parseEprt("!1 10.0.0.1!1055!", a), a),
                "a bad protocol field is forgiven when the address converts");
        assertEquals("invalid", parsed(FtpDataChannels.parseEprt("|1|10.0.0.300|40001|", a), a));
        assertEquals("invalid", parsed(FtpDataChannels.parseEprt("|1|10.0.0.1|70000|", a), a));
        assertEquals("invalid", parsed(FtpDataChannels.parseEprt("|1|10.0.0.1|40001", a), a));
        assertEquals("invalid", parsed(FtpDataChannels.parseEpsv("Entering Extended Passive Mode", a), a));
    }
}
