package org.weir.session.internal;

/**
 * What few connections need, made on first need so that every other session stays small: their bad checksum counts,
 * their tunnel bookkeeping, a ClientHello that spans segments, HTTP's requests, DNS over TCP, SSH, the line protocols
 * (syslog's framing, MySQL and PostgreSQL over TCP among them), QUIC and DTLS.
 */
final class RareState {

    /** Bad checksums of the originator and of the responder. */
    int origChecksumErrors, respChecksumErrors;
    /**
     * Fingerprint of the encapsulation this connection's last packet came in, 0 for none (Zeek's
     * {@code Connection::encapsulation}, compared by {@code CheckEncapsulation}).
     */
    int encapsulation;
    /** Zeek's {@code tunnel_changes}: changes of the encapsulation counted so far. */
    int tunnelChanges;
    /** The tunnel analyzers (bits by {@code TunnelType} ordinal) that found this UDP connection's payload malformed. */
    int refusedTunnels;
    /**
     * The originator's stream from its first byte while its ClientHello is incomplete ({@link TlsAnalysis}); the
     * bytes delivered so far are its first {@code orig.lastReassemSeq - 1}.
     */
    byte[] tlsStream;
    /** Zeek's DNS analyzer on this TCP connection (attached by the responder port). */
    DnsTcpAnalysis dnsTcp;
    /** Zeek's SSH analyzer on this TCP connection (attached by the responder port or by DPD). */
    SshAnalysis ssh;
    /** Zeek's FTP analyzer on this TCP connection (attached by the responder port or by DPD). */
    FtpAnalysis ftp;
    /** Zeek's SMTP analyzer on this TCP connection (attached by the responder port or by DPD). */
    SmtpAnalysis smtp;
    /** Zeek's POP3 analyzer on this TCP connection (attached by DPD). */
    Pop3Analysis pop3;
    /** Zeek's IMAP analyzer on this TCP connection (attached by the responder port). */
    ImapAnalysis imap;
    /** Zeek's IRC analyzer on this TCP connection (attached by the responder port or by DPD). */
    IrcAnalysis irc;
    /** Zeek's QUIC analyzer on this UDP connection (attached by the responder port or by DPD). */
    QuicAnalysis quic;
    /** Zeek's DTLS analyzer on this UDP connection, made with its first DTLS record (by the responder port or DPD). */
    DtlsAnalysis dtls;
    /** Zeek's syslog analyzer on this TCP connection (attached by the responder port). */
    SyslogFrames syslogTcp;
    /** Zeek's MySQL analyzer on this TCP connection (attached by the responder port). */
    MysqlAnalysis mysql;
    /** Zeek's PostgreSQL analyzer on this TCP connection (attached by the responder port). */
    PostgresAnalysis postgresql;
    /** The originator's first HTTP request line had no version: Zeek's HTTP analyzer reads the reply unparsed. */
    boolean http09;
    /** Zeek's HTTP analysis of the originator's requests after a first request line (attached or not yet). */
    HttpRequests httpRequests;
    /** Zeek's HTTP analysis of the replies and tunnel of a connection whose first request is a CONNECT. */
    HttpTunnel httpTunnel;
    /** A side's first bytes, held back from the analyses until a DPD decision can be made on them. */
    StreamHead head;

    /** A closed TCP connection's {@code service}, kept when its analyses were let go (null while it is live). */
    String closedService;

    /** How many analyses of line and other stream protocols {@link #line} numbers. */
    static final int LINES = 8;

    /**
     * The analyses of line and other stream protocols by number, made or not (null), in the order their services are
     * looked at; one that a port attaches has the number of its {@link ZeekConfig#linePortTcp} code minus one.
     */
    LineAnalysis line(int k) {
        return switch (k) {
            case ZeekConfig.FTP - 1 -> ftp;
            case ZeekConfig.SMTP - 1 -> smtp;
            case ZeekConfig.IMAP - 1 -> imap;
            case ZeekConfig.IRC - 1 -> irc;
            case ZeekConfig.SYSLOG - 1 -> syslogTcp;
            case ZeekConfig.MYSQL - 1 -> mysql;
            case ZeekConfig.POSTGRESQL - 1 -> postgresql;
            default -> pop3;
        };
    }

    /** Lets the analyses of line and other stream protocols go. */
    void dropLineAnalyses() {
        ftp = null;
        smtp = null;
        imap = null;
        irc = null;
        syslogTcp = null;
        mysql = null;
        postgresql = null;
        pop3 = null;
    }
}
