package org.weir.session.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

import org.weir.core.SessionOptions;
import org.weir.core.Subnet;

/**
 * Zeek script-level settings that change conn.log: which ports count as "likely server ports" (roles flip when a
 * connection starts from one), networks whose checksums are ignored, gap reporting for partial connections, and
 * the TCP timer constants of Zeek's {@code init-bare.zeek}. Mutable while being set up, then read-only.
 */
public final class ZeekConfig {

    static final long SECOND = 1_000_000_000L;

    /**
     * The ports in Zeek's {@code likely_server_ports} with its default scripts (Zeek 8.2 on): every server port a
     * loaded protocol script registers with {@code Analyzer::register_for_ports} (which adds them to the set; before
     * 8.2 each script redefined the set itself, and MySQL's, SSL's 465 and DHCP's 4011 were not in it), with
     * {@link #TUNNEL_SERVER_PORTS}. Ports a script registers as non-server ports (DHCP's client port 68, QUIC's DoQ
     * ports 784 and 853) are not; Telnet's 23 is registered by no default script.
     */
    static final int[] DEFAULT_TCP_SERVER_PORTS = {21, 22, 25, 53, 79, 80, 81, 88, 135, 139, 143, 389, 443, 445, 465,
        502, 514, 563, 585, 587, 614, 631, 636, 989, 990, 992, 993, 995, 1080, 1434, 1883, 2811, 3128, 3268, 3306,
        3389, 5222, 5223, 5269, 5432, 6379, 6666, 6667, 6668, 6669, 8000, 8080, 8888, 20000};
    static final int[] DEFAULT_UDP_SERVER_PORTS = {53, 67, 88, 123, 137, 161, 162, 389, 443, 514, 1812, 3389, 4011,
        5060, 5353, 5355, 20000};
    /**
     * The UDP ports of the tunnels Zeek decapsulates (Teredo, AYIYA, GTPv1 user and control plane, GRE-in-UDP,
     * VXLAN, Geneve): their packet-protocol scripts make them likely server ports, and init-bare loads those scripts,
     * so they are likely server ports in bare mode too. A Teredo server's reply seen first is then still the
     * responder's.
     */
    public static final int[] TUNNEL_SERVER_PORTS = {2123, 2152, 3544, 4754, 4789, 5072, 6081};
    /** UDP ports of Zeek's DNS script (DNS, NetBIOS name service, mDNS, LLMNR). */
    public static final int[] DNS_UDP_PORTS = {53, 137, 5353, 5355};
    /** TCP port of Zeek's DNS script. */
    public static final int DNS_TCP_PORT = 53;
    /** Service ports of Zeek's {@code Conn::port_inactivity_timeouts}: FTP, SSH, Telnet, rlogin. */
    static final int[] INTERACTIVE_TCP_PORTS = {21, 22, 23, 513};
    /** UDP port of Zeek's NTP script. */
    public static final int[] NTP_UDP_PORTS = {123};
    /**
     * Zeek's {@code dpd_buffer_size}: the stream bytes its DPD holds for an analyzer that a signature attaches later;
     * once more were delivered (with {@code dpd_match_only_beginning}), no signature matches any more.
     */
    static final int DPD_BUFFER_SIZE = 1024;
    /**
     * Zeek's {@code DPD::ignore_violations_after}: an analyzer's violation disables it (and takes its service back)
     * only while the connection has carried at most this many bytes (Zeek 7.2 on: at the first violation).
     */
    static final long IGNORE_VIOLATIONS_AFTER = 10 * 1024;
    /** UDP ports of Zeek's DHCP script (server and client). */
    public static final int[] DHCP_UDP_PORTS = {67, 68};
    /** Ports of Zeek's HTTP script, for runs that load only {@code base/protocols/http}. */
    public static final int[] HTTP_PORTS = {80, 81, 631, 1080, 3128, 8000, 8080, 8888};
    /** UDP port of Zeek's DTLS analyzer ({@code SSL::dtls_ports}). */
    public static final int[] DTLS_UDP_PORTS = {443};
    /** UDP port of Zeek's QUIC script ({@code QUIC::quic_ports}). */
    public static final int[] QUIC_UDP_PORTS = {443};
    /** TCP port of Zeek's SSH script ({@code SSH::ports}). */
    public static final int SSH_PORT = 22;
    /** TCP ports of Zeek's FTP script ({@code FTP::ports}). */
    public static final int[] FTP_PORTS = {21, 2811};
    /** TCP ports of Zeek's SMTP script ({@code SMTP::ports}). */
    public static final int[] SMTP_PORTS = {25, 587};
    /** TCP port of Zeek's IMAP script ({@code IMAP::ports}). */
    public static final int[] IMAP_PORTS = {143};
    /** TCP ports of Zeek's IRC script ({@code IRC::ports}). */
    public static final int[] IRC_PORTS = {6666, 6667, 6668, 6669};
    /** TCP port of Zeek's syslog script ({@code Syslog::tcp_ports}, its {@code Syslog_TCP} analyzer). */
    public static final int[] SYSLOG_TCP_PORTS = {514};
    /** TCP ports of Zeek's MySQL script ({@code MySQL::ports}). */
    public static final int[] MYSQL_PORTS = {1434, 3306};
    /** TCP port of Zeek's PostgreSQL script ({@code PostgreSQL::ports}). */
    public static final int[] POSTGRESQL_PORTS = {5432};
    /** UDP ports of Zeek's SNMP script ({@code SNMP::ports}). */
    public static final int[] SNMP_UDP_PORTS = {161, 162};
    /** UDP port of Zeek's RADIUS script ({@code RADIUS::ports}). */
    public static final int[] RADIUS_UDP_PORTS = {1812};
    /** UDP port of Zeek's syslog script ({@code Syslog::ports}). */
    public static final int[] SYSLOG_UDP_PORTS = {514};
    /** The line analyzers that a responder port attaches, as {@link #linePortTcp} names them. */
    static final byte FTP = 1, SMTP = 2, IMAP = 3, IRC = 4, SYSLOG = 5, MYSQL = 6, POSTGRESQL = 7;
    /** TCP ports of Zeek's SSL script ({@code SSL::ssl_ports}, with 465 since Zeek 8.2). */
    public static final int[] SSL_PORTS = {443, 465, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223};

    final BitSet likelyTcp = new BitSet(65536), likelyUdp = new BitSet(65536);
    /**
     * The UDP analyzer each port attaches as a connection's responder port when the connection is made, as
     * {@link Conn#analyzer()} names it ({@link Conn#DNS}, {@link Conn#NTP}, {@link Conn#DHCP}, {@link Conn#QUIC},
     * {@link Conn#RADIUS}, {@link Conn#SYSLOG}, {@link Conn#SNMP}; 0 for none): Zeek's scripts give a port one of them.
     * DNS's first message decides the roles (a response sent by the originator flips them); NTP may flip them too.
     */
    final byte[] udpPortAnalyzer = new byte[65536];
    /** Zeek's DNS script is loaded: its analyzer also runs on TCP port {@link #DNS_TCP_PORT}. */
    boolean dnsTcp;
    /**
     * Zeek's {@code Conn::port_inactivity_timeouts} (base/protocols/conn/inactivity.zeek): an established TCP
     * connection to one of these service ports (FTP, SSH, Telnet, rlogin) gets {@link #interactiveInactivityNanos}.
     */
    final BitSet interactiveTcp = new BitSet(65536);
    long interactiveInactivityNanos = 3600 * SECOND;
    /**
     * Zeek's HTTP script is loaded: its analyzer runs on the TCP ports of {@link #HTTP_PORTS} and, through its DPD
     * signatures, on any port where a request meets a reply.
     */
    boolean httpAnalyzer;
    final BitSet httpTcp = new BitSet(65536);
    /**
     * Zeek's SSL script is loaded: its analyzer runs on the TCP ports of {@link #SSL_PORTS} and, through its DPD
     * signatures, on any port where a ClientHello meets a ServerHello.
     */
    boolean sslAnalyzer;
    final BitSet sslTcp = new BitSet(65536);
    /**
     * Zeek's SSH script is loaded: its analyzer runs on TCP port {@link #SSH_PORT} and, through its DPD signatures,
     * on any port where both sides begin with an SSH version line.
     */
    boolean sshAnalyzer;
    /**
     * Zeek's FTP script is loaded: its analyzer runs on the TCP ports of {@link #FTP_PORTS} and, through its DPD
     * signatures, where a server greets and answers a USER command; the data channels it announces are
     * {@code ftp-data}.
     */
    boolean ftpAnalyzer;
    /**
     * The line analyzer ({@link #FTP}, {@link #SMTP}, {@link #IMAP}, {@link #IRC}, {@link #SYSLOG}, {@link #MYSQL},
     * {@link #POSTGRESQL}, 0 for none) each TCP port has.
     */
    final byte[] linePortTcp = new byte[65536];
    /**
     * Zeek's SMTP script is loaded: its analyzer runs on the TCP ports of {@link #SMTP_PORTS} and, through its DPD
     * signatures, where a server greets with 220 and a client says HELO or EHLO.
     */
    boolean smtpAnalyzer;
    /**
     * Zeek's POP3 script is loaded: its analyzer runs where DPD's signatures find a server's {@code +OK} answered by
     * a POP3 login command (the script registers no port).
     */
    boolean pop3Analyzer;
    /** Zeek's IMAP script is loaded: its analyzer runs on the TCP port of {@link #IMAP_PORTS}. */
    boolean imapAnalyzer;
    /**
     * Zeek's IRC script is loaded: its analyzer runs on the TCP ports of {@link #IRC_PORTS} and, through its DPD
     * signatures, where a client registers (USER and NICK) and the server answers with a numeric reply.
     */
    boolean ircAnalyzer;
    /**
     * Zeek's syslog script is loaded: its {@code Syslog} analyzer runs on the UDP ports of {@link #SYSLOG_UDP_PORTS},
     * its {@code Syslog_TCP} analyzer on the TCP ports of {@link #SYSLOG_TCP_PORTS}.
     */
    boolean syslogAnalyzer;
    /** Zeek's MySQL script is loaded: its analyzer runs on the TCP ports of {@link #MYSQL_PORTS}. */
    boolean mysqlAnalyzer;
    /** Zeek's PostgreSQL script is loaded: its analyzer runs on the TCP port of {@link #POSTGRESQL_PORTS}. */
    boolean postgresqlAnalyzer;
    /**
     * Zeek's QUIC script is loaded: its analyzer runs on the UDP ports of {@link #QUIC_UDP_PORTS} and, through its DPD
     * signatures, on any port where a datagram begins like a version 1 or 2 Initial packet.
     */
    boolean quicAnalyzer;
    /**
     * The UDP ports of the DTLS analyzer of Zeek's SSL script ({@link #DTLS_UDP_PORTS}, beside QUIC's); with the
     * script loaded ({@link #sslAnalyzer}) its DPD signature attaches it where a datagram begins with a ClientHello.
     */
    final BitSet dtlsUdp = new BitSet(65536);
    /**
     * Zeek's {@code dns_session_timeout}: the DNS analyzer of a UDP connection checks its idleness this often and
     * ends it once idle for a second less (Zeek's {@code DNS_Analyzer::ExpireTimer}).
     */
    long dnsSessionTimeoutNanos = 10 * SECOND;
    /** Zeek's {@code dns_max_queries}: a DNS message with more questions gets the history letter X. */
    int dnsMaxQueries = 25;
    /**
     * Zeek's {@code Tunnel::max_changes_per_connection}: changes of a connection's encapsulation that raise
     * {@code tunnel_changed}; a change after them marks the history with X. 0 counts without limit.
     */
    int tunnelMaxChanges = 5;
    final List<Subnet> ignoreChecksumNets = new ArrayList<>();
    /** Zeek's {@code report_gaps_for_partial}: count gaps of connections that were not cleanly established. */
    boolean reportGapsForPartial;
    /** A handler for {@code connection_reset} exists, so Zeek arms its reset timer. */
    boolean connectionResetHandled;
    /** Zeek's optional VLAN-aware conn key ({@code vlan_fivetuple}); by default VLAN tags are not in the key. */
    boolean vlanInKey;
    /** Zeek ≥ 5.1: a connection that began with a SYN-ACK flips when an ack or data follows. */
    boolean flipAfterSynAck = true;

    long tcpInactivityNanos, udpInactivityNanos, icmpInactivityNanos, otherInactivityNanos;
    long tcpAttemptDelayNanos = 5 * SECOND, tcpSynTimeoutNanos = 5 * SECOND, tcpSessionTimerNanos = 6 * SECOND,
            tcpConnectionLingerNanos = 5 * SECOND, tcpCloseDelayNanos = 5 * SECOND, tcpResetDelayNanos = 5 * SECOND;

    ZeekConfig(SessionOptions o) {
        tcpInactivityNanos = o.tcpInactivityNanos();
        udpInactivityNanos = o.udpInactivityNanos();
        icmpInactivityNanos = o.icmpInactivityNanos();
        otherInactivityNanos = o.otherInactivityNanos();
    }

    /**
     * Zeek with its default scripts loaded or, when the options say so ({@link SessionOptions#bare()}), bare mode as
     * Zeek's own tests run it: {@code zeek -b} with the script of the protocol under test loaded (82 of the 119
     * bare-mode btests with a conn.log baseline load one), which a command line cannot name. So bare mode here has
     * only init-bare's likely server ports (the tunnels'), while every application analyzer stays attached as the
     * default scripts attach it. An analyzer changes conn.log's columns besides {@code service} only through its X,
     * its role flips and DNS's expire timer, which are right for those tests and touch the others (conn alone) only
     * on such traffic; {@code service} is then the default scripts'. {@link #bare()} is bare mode with
     * {@code base/protocols/conn} alone.
     */
    static ZeekConfig defaults(SessionOptions o) {
        ZeekConfig c = new ZeekConfig(o);
        for (int p : INTERACTIVE_TCP_PORTS) {
            c.interactiveTcp.set(p); // base/protocols/conn/inactivity.zeek, loaded in bare mode too
        }
        int[] udp = IntStream.concat(IntStream.of(DEFAULT_UDP_SERVER_PORTS), IntStream.of(TUNNEL_SERVER_PORTS))
                .toArray();
        c.dnsPorts(DNS_UDP_PORTS).ntpPorts(NTP_UDP_PORTS).dhcpPorts(DHCP_UDP_PORTS).httpAnalyzer(true)
                .sslAnalyzer(true).sshAnalyzer(true).quicAnalyzer(true).ftpAnalyzer(true).smtpAnalyzer(true)
                .pop3Analyzer(true).imapAnalyzer(true).ircAnalyzer(true).syslogAnalyzer(true).radiusAnalyzer(true)
                .snmpAnalyzer(true).mysqlAnalyzer(true)
                .postgresqlAnalyzer(true);
        return o.bare() ? c.likelyServerPorts(new int[0], TUNNEL_SERVER_PORTS)
                : c.likelyServerPorts(DEFAULT_TCP_SERVER_PORTS, udp);
    }

    /**
     * Zeek's bare mode ({@code -b}) with {@code base/protocols/conn} alone: only init-bare's likely server ports (the
     * tunnels'), no DNS, NTP, DHCP, HTTP, SSL, DTLS, SSH, QUIC, FTP, SMTP, POP3, IMAP, IRC, syslog, RADIUS, SNMP,
     * MySQL or PostgreSQL analyzer.
     */
    public ZeekConfig bare() {
        return likelyServerPorts(new int[0], TUNNEL_SERVER_PORTS).dnsPorts(new int[0]).ntpPorts(new int[0])
                .dhcpPorts(new int[0]).httpAnalyzer(false).sslAnalyzer(false).sshAnalyzer(false)
                .quicAnalyzer(false).ftpAnalyzer(false).smtpAnalyzer(false).pop3Analyzer(false)
                .imapAnalyzer(false).ircAnalyzer(false).syslogAnalyzer(false).radiusAnalyzer(false)
                .snmpAnalyzer(false).mysqlAnalyzer(false)
                .postgresqlAnalyzer(false);
    }

    /** Replaces the likely server ports (Zeek's {@code redef likely_server_ports = {...}}). */
    public ZeekConfig likelyServerPorts(int[] tcp, int[] udp) {
        setPorts(likelyTcp, tcp);
        setPorts(likelyUdp, udp);
        return this;
    }

    /**
     * The UDP ports the DNS analyzer is attached to (none in bare mode without base/protocols/dns); with any, it runs
     * on TCP's port 53 too.
     */
    public ZeekConfig dnsPorts(int[] udp) {
        dnsTcp = udp.length > 0;
        return udpPorts(Conn.DNS, udp);
    }

    /** Replaces the NTP analyzer's UDP ports (Zeek's {@code NTP::ports}). */
    public ZeekConfig ntpPorts(int[] udp) {
        return udpPorts(Conn.NTP, udp);
    }

    /** Replaces the DHCP analyzer's UDP ports (Zeek's {@code DHCP::ports}). */
    public ZeekConfig dhcpPorts(int[] udp) {
        return udpPorts(Conn.DHCP, udp);
    }

    /** Whether Zeek's HTTP script ({@code base/protocols/http}: its ports and DPD signatures) is loaded. */
    public ZeekConfig httpAnalyzer(boolean loaded) {
        httpAnalyzer = loaded;
        setPorts(httpTcp, loaded ? HTTP_PORTS : new int[0]);
        return this;
    }

    /**
     * Whether Zeek's SSL script ({@code base/protocols/ssl}: its ports and DPD signatures, for TLS and for DTLS) is
     * loaded.
     */
    public ZeekConfig sslAnalyzer(boolean loaded) {
        sslAnalyzer = loaded;
        setPorts(sslTcp, loaded ? SSL_PORTS : new int[0]);
        setPorts(dtlsUdp, loaded ? DTLS_UDP_PORTS : new int[0]);
        return this;
    }

    /** Whether Zeek's SSH script ({@code base/protocols/ssh}: its port and DPD signatures) is loaded. */
    public ZeekConfig sshAnalyzer(boolean loaded) {
        sshAnalyzer = loaded;
        return this;
    }

    /** Whether Zeek's FTP script ({@code base/protocols/ftp}: its ports and DPD signatures) is loaded. */
    public ZeekConfig ftpAnalyzer(boolean loaded) {
        ftpAnalyzer = loaded;
        return linePorts(FTP, loaded, FTP_PORTS);
    }

    /** Whether Zeek's SMTP script ({@code base/protocols/smtp}: its ports and DPD signatures) is loaded. */
    public ZeekConfig smtpAnalyzer(boolean loaded) {
        smtpAnalyzer = loaded;
        return linePorts(SMTP, loaded, SMTP_PORTS);
    }

    /** Whether Zeek's POP3 script ({@code base/protocols/pop3}: its DPD signatures) is loaded. */
    public ZeekConfig pop3Analyzer(boolean loaded) {
        pop3Analyzer = loaded;
        return this;
    }

    /** Whether Zeek's IMAP script ({@code base/protocols/imap}: its port) is loaded. */
    public ZeekConfig imapAnalyzer(boolean loaded) {
        imapAnalyzer = loaded;
        return linePorts(IMAP, loaded, IMAP_PORTS);
    }

    /** Whether Zeek's IRC script ({@code base/protocols/irc}: its ports and DPD signatures) is loaded. */
    public ZeekConfig ircAnalyzer(boolean loaded) {
        ircAnalyzer = loaded;
        return linePorts(IRC, loaded, IRC_PORTS);
    }

    /** Whether Zeek's SNMP script ({@code base/protocols/snmp}: its ports) is loaded. */
    public ZeekConfig snmpAnalyzer(boolean loaded) {
        return udpPorts(Conn.SNMP, loaded ? SNMP_UDP_PORTS : new int[0]);
    }

    /** Whether Zeek's RADIUS script ({@code base/protocols/radius}: its port) is loaded. */
    public ZeekConfig radiusAnalyzer(boolean loaded) {
        return udpPorts(Conn.RADIUS, loaded ? RADIUS_UDP_PORTS : new int[0]);
    }

    /** Whether Zeek's syslog script ({@code base/protocols/syslog}: its UDP and TCP ports) is loaded. */
    public ZeekConfig syslogAnalyzer(boolean loaded) {
        syslogAnalyzer = loaded;
        udpPorts(Conn.SYSLOG, loaded ? SYSLOG_UDP_PORTS : new int[0]);
        return linePorts(SYSLOG, loaded, SYSLOG_TCP_PORTS);
    }

    /** Whether Zeek's MySQL script ({@code base/protocols/mysql}: its ports) is loaded. */
    public ZeekConfig mysqlAnalyzer(boolean loaded) {
        mysqlAnalyzer = loaded;
        return linePorts(MYSQL, loaded, MYSQL_PORTS);
    }

    /** Whether Zeek's PostgreSQL script ({@code base/protocols/postgresql}: its port) is loaded. */
    public ZeekConfig postgresqlAnalyzer(boolean loaded) {
        postgresqlAnalyzer = loaded;
        return linePorts(POSTGRESQL, loaded, POSTGRESQL_PORTS);
    }

    /** Whether any analyzer of a line protocol is loaded (they all read partial connections' payloads or DPD's). */
    boolean lineAnalyzers() {
        return ftpAnalyzer || smtpAnalyzer || pop3Analyzer || imapAnalyzer || ircAnalyzer || syslogAnalyzer
                || mysqlAnalyzer || postgresqlAnalyzer;
    }

    private ZeekConfig linePorts(byte analyzer, boolean loaded, int[] ports) {
        assignPorts(linePortTcp, analyzer, loaded ? ports : new int[0]);
        return this;
    }

    private ZeekConfig udpPorts(int analyzer, int[] ports) {
        assignPorts(udpPortAnalyzer, analyzer, ports);
        return this;
    }

    /** Gives {@code analyzer} exactly {@code ports} in a table of the analyzer each port attaches. */
    private static void assignPorts(byte[] table, int analyzer, int[] ports) {
        for (int p = 0; p < table.length; p++) {
            if (table[p] == analyzer) {
                table[p] = 0;
            }
        }
        for (int p : ports) {
            table[p] = (byte) analyzer;
        }
    }

    /** Whether Zeek's QUIC script ({@code base/protocols/quic}: its port and DPD signatures) is loaded. */
    public ZeekConfig quicAnalyzer(boolean loaded) {
        quicAnalyzer = loaded;
        return udpPorts(Conn.QUIC, loaded ? QUIC_UDP_PORTS : new int[0]);
    }

    private static void setPorts(BitSet set, int[] ports) {
        set.clear();
        for (int p : ports) {
            set.set(p);
        }
    }

    public ZeekConfig dnsMaxQueries(int max) {
        dnsMaxQueries = max;
        return this;
    }

    public ZeekConfig ignoreChecksumsFor(Subnet net) {
        ignoreChecksumNets.add(net);
        return this;
    }

    public ZeekConfig vlanInKey(boolean on) {
        vlanInKey = on;
        return this;
    }

    public ZeekConfig reportGapsForPartial(boolean on) {
        reportGapsForPartial = on;
        return this;
    }

    boolean checksumIgnored(long srcHi, long srcLo) {
        for (int i = 0; i < ignoreChecksumNets.size(); i++) {
            if (ignoreChecksumNets.get(i).contains(srcHi, srcLo)) {
                return true;
            }
        }
        return false;
    }
}
