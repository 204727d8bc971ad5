package org.weir.session.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.weir.core.IcmpPorts;
import org.weir.core.IpAddress;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.SessionListener;
import org.weir.core.SessionOptions;
import org.weir.core.SessionTable;
import org.weir.core.TunnelType;

/**
 * Zeek's connection table: sessions keyed by the unordered 5-tuple (VLANs are not part of the key, as with Zeek's
 * default conn key), created, oriented, updated and removed as Zeek does, so that the closed sessions are Zeek's
 * conn.log records.
 *
 * <p>Hot path: an open-addressing hash table with linear probing (no allocation per packet; a new session allocates)
 * behind a small direct-mapped cache of the sessions that had packets lately, a least-recently-active order for the
 * live-session bound (kept only while the bound is in play, to within a second), a timer queue of sessions by their
 * next deadline (Zeek's inactivity check, its TCP timers and its DNS analyzer's timer, driven by packet time), and a
 * reusable array of sessions changed since the last batch.
 * Single-threaded: the pipeline thread owns the table.
 */
public final class FlowTable implements SessionTable {

    static final int IPPROTO_ICMP = 1, IPPROTO_IGMP = 2, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_ICMPV6 = 58;
    /** Key flag: the endpoints are kept in packet order (one-way ICMP), not canonically ordered. */
    static final int ONE_WAY = 0x100;

    private final SessionOptions options;
    private final ZeekConfig config;
    private final Uids uids;
    private final TableContext context;

    private Conn[] slots = new Conn[1024];
    /**
     * The hash of each slot's session (never 0; 0 marks an empty slot), so that probing reads this array and
     * dereferences a session only on a hash match: each session is a cache miss at this table's size.
     */
    private int[] slotHash = new int[1024];
    private int live;

    /**
     * The sessions that had packets lately, by hash (a direct-mapped cache in front of the slots): hundreds of
     * thousands of sessions are live, but only thousands have packets at any moment, and their entries here stay
     * in the core's cache where their slots, spread over the whole slot array, do not. Kept exact: a session
     * leaves it when it leaves the table.
     */
    private final int[] recentHash = new int[RECENT];
    private final Conn[] recent = new Conn[RECENT];
    /** The FTP data channels that control connections announced. */
    private final FtpDataChannels ftpChannels = new FtpDataChannels();
    private static final int RECENT = 8192;

    /**
     * The eviction order of the live bound, kept only while the bound is in play (null otherwise). Keeping it
     * writes two more random places per relink, so it is built (sorted by last activity) when the bound is first
     * reached, and dropped again when the live sessions fall below half of it. While kept, a session moves to the
     * tail only when its last relink is older than a second and than 1/16 of the order's span (the head's age): an
     * evicted session was idle at most that much less than the longest idle one, also when a tight bound makes the
     * span short.
     */
    private IdleOrder idleOrder;
    private static final long IDLE_RELINK_NANOS = 1_000_000_000L;

    private final TimerQueue timers = new TimerQueue();
    private final DnsConfirmation dnsConfirmation = new DnsConfirmation();
    private final SnmpMessage snmp = new SnmpMessage();
    /** QUIC's Initial packet decryption, made for the first Initial packet the table sees. */
    private QuicInitialProtection quicProtection;
    /** Entries in {@link #timers} of closed sessions or superseded by an earlier one. */
    private int timersDead;

    /** Sessions changed in the current batch, each listed once. */
    private Conn[] dirty = new Conn[256];
    private int dirtyCount;
    /**
     * The table's version when the current batch began: a session changed since (one already listed) has a later
     * version, so ending a batch writes nothing into the listed sessions and a session needs no mark of its own.
     */
    private long batchStartVersion;
    private Conn[] opened = new Conn[64];
    private int openedCount;
    private Conn[] closed = new Conn[64];
    private int closedCount;

    private final List<SessionListener> listeners = new ArrayList<>();
    private long version, evicted, now = Long.MIN_VALUE;
    private final Map<String, String> ipTunnelUids = new HashMap<>();

    /** Zeek with its default scripts; uids seeded from the input (see {@link Uids#seedIfUnset}). */
    public FlowTable(SessionOptions options) {
        this.options = options;
        this.config = ZeekConfig.defaults(options);
        this.uids = new Uids();
        this.context = new TableContext(config, uids);
    }

    public FlowTable(SessionOptions options, ZeekConfig config, long uidSeed) {
        this.options = options;
        this.config = config;
        this.uids = new Uids(uidSeed);
        this.context = new TableContext(config, uids);
    }

    /** The Zeek settings of this table; change them before the first packet. */
    public ZeekConfig config() {
        return config;
    }

    // ---- packet path ---------------------------------------------------------------------------------------

    /** The last packet's time was earlier than the table's: timers it armed may be due before the next one. */
    private boolean afterEarlierPacket;

    /** The serial of the session the layer delivered last went to (0: none); see {@link #lastSerial()}. */
    private long lastSerial;

    @Override
    public void onPacket(PacketView p) {
        carrier = lastUdp;
        lastUdp = null;
        lastSerial = 0;
        if (p.ipVersion == 0) {
            return;
        }
        int encap = p.tunnelDepth == 0 ? 0 : encapsulation(p);
        long t = p.timestampNanos;
        if (t > now) {
            now = t; // Zeek's network_time never goes back; a connection's last time does (Conn.touch)
            runTimers(now);
        } else if (afterEarlierPacket) {
            // Zeek expires due timers before every packet: a timer armed from the earlier packet's time (out-of-order
            // timestamps) can be due already, without time advancing.
            runTimers(now);
        }
        afterEarlierPacket = t < now;
        int proto = p.protocol;
        if (proto == 4 || proto == 41 || proto == 47 || proto == IPPROTO_IGMP) {
            // IP-in-IP and GRE carry a tunnel: like Zeek, only the inner packet makes a connection. IGMP goes to
            // Zeek's IGMP packet analyzer (since 8.2), which makes none.
            return;
        }
        int srcPort, dstPort;
        boolean v6 = p.ipVersion == 6;
        if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
            if (p.srcPort < 0 || p.transportTruncated) {
                return; // Zeek: truncated header, no connection
            }
            srcPort = p.srcPort;
            dstPort = p.dstPort;
        } else if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
            if (p.srcPort < 0 || p.transportTruncated) {
                return;
            }
            srcPort = p.srcPort;
            dstPort = IcmpPorts.respPort(v6, p.srcPort, p.dstPort);
        } else {
            srcPort = dstPort = 0;
        }
        // Zeek keys one-way ICMP messages by direction: an error each way is two connections.
        int keyProto = (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) && IcmpPorts.counterpart(v6, srcPort) < 0
                ? proto | ONE_WAY : proto;

        int vlanKey = config.vlanInKey ? vlanKey(p.vlan, p.innerVlan) : 0;
        int h = keyHash(p.srcHi, p.srcLo, srcPort, p.dstHi, p.dstLo, dstPort, keyProto, vlanKey);
        int r = h & (RECENT - 1);
        Conn c = recent[r];
        if (recentHash[r] != h || !c.hasKey(p.srcHi, p.srcLo, srcPort, p.dstHi, p.dstLo, dstPort, keyProto, vlanKey,
                config.vlanInKey)) {
            c = find(h, p.srcHi, p.srcLo, srcPort, p.dstHi, p.dstLo, dstPort, keyProto, vlanKey);
            if (c != null) {
                remember(c, h);
            }
        }
        if (c instanceof TcpConnection tcp && p.tcpHeaderLength >= 20 && tcp.isReuse(p.tcpFlags, (int) p.tcpSeq, t)) {
            remove(c);
            c = null;
        }
        if (c == null) {
            c = create(p, t, srcPort, dstPort, proto, keyProto, h, encap);
        } else if (c.encapsulation() != encap) {
            encapsulationChanged(c, p, encap);
        }
        lastSerial = c.serial();

        switch (proto) {
            case IPPROTO_TCP -> tcpPacket((TcpConnection) c, p, t);
            case IPPROTO_UDP -> udpPacket(c, p, t);
            case IPPROTO_ICMP, IPPROTO_ICMPV6 -> icmpPacket(c, p, t, srcPort);
            default -> {
                c.touch(t);
                c.countPacket(c.isOrig(p.srcHi, p.srcLo, 0), p.ipTotalLength);
            }
        }
        changed(c);
    }

    private boolean badChecksum(PacketView p) {
        return p.transportChecksumBad && !config.checksumIgnored(p.srcHi, p.srcLo);
    }

    private void tcpPacket(TcpConnection tcp, PacketView p, long t) {
        int hl = p.tcpHeaderLength;
        if (hl < 20 || hl > p.l4CapturedLength || (p.ipTotalLength > 0 && hl > p.ipTotalLength - p.ipHeaderLength)) {
            return; // Zeek: bad or cut header length; the connection exists but the segment is not analysed
        }
        boolean isOrig = tcp.isOrig(p.srcHi, p.srcLo, p.srcPort);
        int flags = p.tcpFlags;
        if (badChecksum(p)) {
            tcp.checksumError(isOrig);
            return; // Zeek drops the segment: not counted, no state change
        }
        if (config.flipAfterSynAck && (flags & (TcpConnection.SYN | TcpConnection.RST)) == 0
                && ((flags & TcpConnection.ACK) != 0 || p.payloadLength > 0) && tcp.historyIs('H')) {
            // Began with a SYN-ACK and now an ack or data follows: not a stealth scan, so the SYN-ACK's sender
            // is the responder.
            tcp.flipAfterSynAck();
            isOrig = !isOrig;
        }
        StreamHead held = tcp.rare == null ? null : tcp.rare.head;
        if (held != null && held.holding && (held.sender == (isOrig ? tcp.orig : tcp.resp)
                ? (flags & (TcpConnection.FIN | TcpConnection.RST)) != 0 : p.payloadLength > 0)) {
            releaseHead(tcp, t); // the held side ends, or the other speaks: the held bytes go to the analyses first
        }
        long dataSeq = tcp.packet(t, isOrig, flags, (int) p.tcpSeq, (int) p.tcpAck, p.tcpWindow,
                p.payloadLength, p.payloadCapturedLength >= p.payloadLength);
        // The state machine may have flipped the roles (SYN/SYN-ACK reversal): the segment is the new side's.
        boolean fromOrig = tcp.isOrig(p.srcHi, p.srcLo, p.srcPort);
        // Zeek's analyzers hear of each ConnectionClosed in its place beside the segment's payload.
        int closed = tcp.takeClosedCalls();
        if ((closed & TcpConnection.CLOSED_BEFORE_DATA) != 0) {
            connectionClosed(tcp);
        }
        if (dataSeq > 0 && !heldBack(tcp, p, fromOrig, dataSeq, t)) {
            streamData(tcp, p, fromOrig, dataSeq, t);
        }
        if ((closed & TcpConnection.CLOSED_AFTER_DATA) != 0) {
            connectionClosed(tcp);
        }
        // Zeek's ConnSize analyzer counts the segment after the TCP analyzer and its analyzers took it, in the
        // direction it arrived in: after an analyzer's flip (DNS), that is the new originator's.
        tcp.countPacket(fromOrig, p.ipTotalLength);
    }

    /** Zeek's {@code ConnectionClosed} reaches the application analyzers: DNS parses a message it holds in part. */
    private void connectionClosed(TcpConnection tcp) {
        if (tcp.rare != null && tcp.rare.dnsTcp != null) {
            tcp.rare.dnsTcp.connectionClosed(tcp, dnsConfirmation, config.dnsMaxQueries);
        }
    }

    /**
     * Whether a side's delivered segment is held back from the analyses with the first bytes of its stream
     * ({@link StreamHead}): a short first segment is, and so are the side's next in-order segments until the head may
     * go; held bytes sent again are dropped. Segments that come ahead of the first one, or ahead of a hole in the held
     * bytes, are noted and go to the analyses at once. The other side's payload and the held side's end release the
     * held bytes, before the state machine takes them.
     */
    private boolean heldBack(TcpConnection tcp, PacketView p, boolean fromOrig, long dataSeq, long t) {
        RareState rare = tcp.rare;
        StreamHead head = rare == null ? null : rare.head;
        byte[] d = p.data;
        int o = p.payloadOffset, n = Math.min(p.payloadLength, d.length - o);
        TcpEndpoint sender = fromOrig ? tcp.orig : tcp.resp;
        if (head != null && head.abandoned) {
            return false;
        }
        if (head == null) {
            if (dataSeq == 1 ? StreamHead.judgeable(d, o, n) || sender.lastReassemSeq != 1 + n
                    : sender.lastReassemSeq > 1) {
                return false; // judged as it is, or the stream's first bytes went to the analyses already
            }
            if (readsDeliveries(tcp)) {
                return false;
            }
            head = new StreamHead(sender); // a short first segment, or bytes that came ahead of it
            tcp.rare().head = head;
        } else if (head.sender != sender) {
            releaseHead(tcp, t);
            return false;
        } else if (head.holding && dataSeq + n <= 1 + head.length) {
            return true; // held bytes sent again: nothing new for the analyses
        } else if (!head.holding && dataSeq != 1 && sender.lastReassemSeq > 1) {
            releaseHead(tcp, t); // a content gap where the first bytes were
            return false;
        }
        if (!head.add(dataSeq, d, o, n, sender.lastReassemSeq)) {
            // Too far ahead to keep: what is held goes on its own, or, while the first bytes have not come (a
            // capture that missed them), nothing more is noted.
            if (head.holding) {
                releaseHead(tcp, t);
            } else {
                head.abandon();
            }
            return false;
        }
        if (dataSeq > 1 + head.length) {
            return false; // ahead of a hole: noted, and the analyses attached so far hold it
        }
        head.holding = true;
        if (head.complete()) {
            releaseHead(tcp, t);
        }
        return true;
    }

    /**
     * Whether the analyzer its port attaches reads each delivery as a unit in Zeek (IMAP's binpac datagrams, the
     * deliveries MySQL's and PostgreSQL's parsers count or cut at), which joining the first ones would change.
     */
    private static boolean readsDeliveries(TcpConnection tcp) {
        int port = (tcp.portAnalyzers & TcpConnection.LINE_PORT) >>> TcpConnection.LINE_PORT_SHIFT;
        return port == ZeekConfig.IMAP || port == ZeekConfig.MYSQL || port == ZeekConfig.POSTGRESQL;
    }

    /** The held first bytes of a side go to the analyses as its first delivery (nothing when none came yet). */
    private void releaseHead(TcpConnection tcp, long t) {
        StreamHead head = tcp.rare.head;
        tcp.rare.head = null;
        if (!head.holding) {
            return;
        }
        PacketView v = heldView;
        v.data = head.bytes;
        v.payloadOffset = 0;
        v.payloadLength = v.payloadCapturedLength = head.length;
        streamData(tcp, v, head.sender == tcp.orig, 1, t);
        v.data = null;
    }

    /** What {@link #releaseHead} hands to the analyses. */
    private final PacketView heldView = new PacketView();

    /** A side's delivered segment, taken by the reassembly at relative sequence {@code dataSeq}, to the analyses. */
    private void streamData(TcpConnection tcp, PacketView p, boolean fromOrig, long dataSeq, long t) {
        if (!tcp.isPartial) { // Zeek's HTTP and SSL analyzers ignore partial connections
            if (dataSeq == 1 && config.httpAnalyzer) {
                httpStreamStart(tcp, p, fromOrig);
            }
            if (fromOrig && tcp.rare != null && tcp.rare.httpRequests != null) {
                httpRequests(tcp, p, dataSeq);
            } else if (!fromOrig && tcp.rare != null && tcp.rare.httpTunnel != null) {
                int o = p.payloadOffset;
                tcp.rare.httpTunnel.respSegment(tcp, dataSeq, p.data, o, Math.min(p.payloadLength, p.data.length - o),
                        tcp.resp.lastReassemSeq);
            }
            if (config.sslAnalyzer && TlsAnalysis.wants(tcp.ssl, fromOrig)) {
                TlsAnalysis.segment(tcp, p, fromOrig, dataSeq);
            }
            if (config.sshAnalyzer) {
                sshSegment(tcp, p, fromOrig, dataSeq);
            }
        }
        if (config.lineAnalyzers()) { // partial connections too (FTP's, IRC's)
            lineSegment(tcp, p, fromOrig, dataSeq, t);
        }
        if ((tcp.portAnalyzers & TcpConnection.DNS_PORT) != 0) { // framed on partial connections too
            RareState rare = tcp.rare();
            if (rare.dnsTcp == null) {
                rare.dnsTcp = new DnsTcpAnalysis();
            }
            TcpEndpoint sender = fromOrig ? tcp.orig : tcp.resp;
            rare.dnsTcp.segment(tcp, fromOrig, dataSeq, p.data, p.payloadOffset, p.payloadLength,
                    sender.lastReassemSeq, dnsConfirmation, config.dnsMaxQueries);
        }
    }

    /**
     * Zeek's SSH analysis: made with the first payload of a connection to its port, or elsewhere of one whose first
     * payload matches its DPD signature while DPD still buffers; it then follows both streams. Its confirmation
     * gives the connection the interactive services' inactivity timeout, on any port.
     */
    private static void sshSegment(TcpConnection tcp, PacketView p, boolean fromOrig, long dataSeq) {
        RareState rare = tcp.rare;
        SshAnalysis ssh = rare == null ? null : rare.ssh;
        byte[] d = p.data;
        int o = p.payloadOffset, n = Math.min(p.payloadLength, d.length - o);
        TcpEndpoint sender = fromOrig ? tcp.orig : tcp.resp, other = fromOrig ? tcp.resp : tcp.orig;
        if (ssh == null) {
            int a = tcp.portAnalyzers;
            boolean port = (a & TcpConnection.SSH_PORT) != 0;
            if ((a & TcpConnection.SSH_LOOKED) != 0 || (!port && dataSeq != 1)) {
                return; // DPD judges a stream's first delivery, not bytes that came ahead of it
            }
            tcp.portAnalyzers = (byte) (a | TcpConnection.SSH_LOOKED);
            if (!port && !(SshAnalysis.signature(d, o, n) && other.lastReassemSeq - 1 <= ZeekConfig.DPD_BUFFER_SIZE)) {
                return;
            }
            ssh = new SshAnalysis(port, fromOrig);
            tcp.rare().ssh = ssh;
        }
        if (ssh.segment(fromOrig, dataSeq, d, o, n, sender.lastReassemSeq, other.lastReassemSeq)) {
            tcp.interactiveServiceConfirmed();
        }
    }

    /**
     * Zeek's analyses of line protocols: made with the first payload of a connection to their ports, or elsewhere by
     * DPD while it still buffers: FTP, SMTP and POP3 with a responder's first payload (their servers greet first) that
     * begins as their server signatures want, IRC with an originator's first payload that opens with a registration
     * command, PostgreSQL with one that may begin an SSLRequest or a StartupMessage (syslog's framing and MySQL are
     * attached by their ports alone); they then follow both streams. SMTP, POP3, IMAP and MySQL look at nothing of a
     * partial connection.
     */
    private void lineSegment(TcpConnection tcp, PacketView p, boolean fromOrig, long dataSeq, long t) {
        int a = tcp.portAnalyzers;
        if ((a & TcpConnection.FTP_DATA) != 0) {
            return;
        }
        byte[] d = p.data;
        int o = p.payloadOffset, n = Math.min(p.payloadLength, d.length - o);
        TcpEndpoint sender = fromOrig ? tcp.orig : tcp.resp, other = fromOrig ? tcp.resp : tcp.orig;
        RareState rare = tcp.rare;
        int port = (a & TcpConnection.LINE_PORT) >>> TcpConnection.LINE_PORT_SHIFT;
        if (port != 0 && (rare == null || rare.line(port - 1) == null)) {
            rare = tcp.rare();
            switch (port) {
                case ZeekConfig.FTP -> rare.ftp = new FtpAnalysis(true);
                case ZeekConfig.SMTP -> rare.smtp = new SmtpAnalysis(true);
                case ZeekConfig.IMAP -> rare.imap = new ImapAnalysis();
                case ZeekConfig.IRC -> rare.irc = new IrcAnalysis(true);
                case ZeekConfig.MYSQL -> rare.mysql = new MysqlAnalysis();
                case ZeekConfig.POSTGRESQL -> rare.postgresql = new PostgresAnalysis(true);
                default -> rare.syslogTcp = new SyslogFrames();
            }
        }
        boolean dpd = dataSeq == 1 && other.lastReassemSeq - 1 <= ZeekConfig.DPD_BUFFER_SIZE;
        if (!fromOrig && (a & TcpConnection.GREETING_LOOKED) == 0 && dataSeq == 1) {
            tcp.portAnalyzers = (byte) (tcp.portAnalyzers | TcpConnection.GREETING_LOOKED);
            if (dpd && config.ftpAnalyzer && port != ZeekConfig.FTP && FtpAnalysis.serverSignatureStart(d, o, n)) {
                rare = tcp.rare();
                rare.ftp = new FtpAnalysis(false);
            }
            if (dpd && config.smtpAnalyzer && port != ZeekConfig.SMTP && !tcp.isPartial
                    && SmtpAnalysis.serverSignature(d, o, n)) {
                rare = tcp.rare();
                rare.smtp = new SmtpAnalysis(false);
            }
            if (dpd && config.pop3Analyzer && !tcp.isPartial && Pop3Analysis.serverSignature(d, o, n)) {
                rare = tcp.rare();
                rare.pop3 = new Pop3Analysis();
            }
        }
        if (dpd && fromOrig && config.ircAnalyzer && port != ZeekConfig.IRC && (rare == null || rare.irc == null)
                && IrcAnalysis.opensRegistration(d, o, n)) {
            rare = tcp.rare();
            rare.irc = new IrcAnalysis(false);
        }
        if (dpd && fromOrig && config.postgresqlAnalyzer && port != ZeekConfig.POSTGRESQL && other.lastReassemSeq == 1
                && (rare == null || rare.postgresql == null) && PostgresAnalysis.clientSignatureStart(d, o, n)) {
            // (a responder that spoke first had its signature judged before the originator's could match)
            rare = tcp.rare();
            rare.postgresql = new PostgresAnalysis(false);
        }
        if (rare == null) {
            return;
        }
        long delivered = sender.lastReassemSeq;
        if (rare.ftp != null) {
            rare.ftp.segment(tcp, ftpChannels, fromOrig, dataSeq, d, o, n, delivered, t);
        }
        if (!tcp.isPartial) {
            if (rare.smtp != null) {
                rare.smtp.segment(tcp, fromOrig, dataSeq, d, o, n, delivered);
            }
            if (rare.pop3 != null) {
                rare.pop3.segment(tcp, fromOrig, dataSeq, d, o, n, delivered);
            }
            if (rare.imap != null) {
                rare.imap.segment(tcp, fromOrig, dataSeq, d, o, n, delivered);
            }
            if (rare.mysql != null) {
                rare.mysql.segment(tcp, fromOrig, dataSeq, d, o, n, delivered);
            }
        }
        if (rare.irc != null) {
            rare.irc.segment(tcp, fromOrig, dataSeq, d, o, n, delivered);
        }
        if (rare.syslogTcp != null) {
            rare.syslogTcp.segment(tcp, fromOrig, dataSeq, d, o, n, delivered);
        }
        if (rare.postgresql != null) {
            rare.postgresql.segment(tcp, fromOrig, dataSeq, d, o, n, delivered);
        }
    }

    /**
     * Zeek's HTTP analysis on a stream's first bytes. Attached by the responder port, its analyzer confirms HTTP
     * when the originator's first line is a request line; on other ports its DPD signatures attach it when the
     * originator's stream begins with GET, HEAD or POST and the responder's with {@code HTTP/} and a digit (while
     * the originator had delivered at most DPD's buffer), and it then confirms on the same request line. A first
     * reply line it refuses is a violation (unless it answers an HTTP/0.9 request, whose reply Zeek reads unparsed):
     * in the connection's first 10 KiB the DPD framework removes the analyzer, taking back its confirmation or
     * preventing it (both first segments then count as seen, no request line).
     */
    private static void httpStreamStart(TcpConnection tcp, PacketView p, boolean fromOrig) {
        int a = tcp.analyzers;
        boolean origNext = fromOrig && (a & TcpConnection.ORIG_SEEN) == 0;
        boolean respNext = !fromOrig && (a & TcpConnection.RESP_SEEN) == 0;
        if (!respNext && (!origNext || (a & Conn.CONFIRMED) != 0)) {
            return;
        }
        byte[] d = p.data;
        int o = p.payloadOffset, n = Math.min(p.payloadLength, d.length - o);
        if (origNext) {
            a |= TcpConnection.ORIG_SEEN;
            int request = HttpStreamStart.requestLine(d, o, n);
            if (request != HttpStreamStart.NO_REQUEST) {
                a |= TcpConnection.ORIG_REQUEST;
            }
            if (request == HttpStreamStart.REQUEST_09) {
                tcp.rare().http09 = true;
            }
            if (HttpStreamStart.clientSignature(d, o, n)) {
                a |= TcpConnection.ORIG_GET;
            }
            boolean cut = request == HttpStreamStart.NO_REQUEST && (a & TcpConnection.HTTP_PORT) != 0
                    && HttpStreamStart.requestLineCut(d, o, n);
            if (cut || request != HttpStreamStart.NO_REQUEST
                    && (a & (TcpConnection.HTTP_PORT | TcpConnection.ORIG_GET)) != 0) {
                tcp.rare().httpRequests = new HttpRequests(cut);
            }
        } else {
            a |= TcpConnection.RESP_SEEN;
            if (tcp.dpdStillBuffering() && HttpStreamStart.serverSignature(d, o, n)) {
                a |= TcpConnection.RESP_HTTP;
            }
            if (tcp.rare != null && tcp.rare.httpRequests != null && HttpStreamStart.replyVersionAbove10(d, o, n)) {
                tcp.rare.httpRequests.replyKeepsAlive(); // a reply of HTTP/1.1 sets Zeek's keep_alive
            }
        }
        boolean attached = TcpConnection.httpAttached(a);
        if (attached && respNext && (tcp.rare == null || !tcp.rare.http09) && HttpStreamStart.replyLineRefused(d, o, n)
                && tcp.violationRemovesAnalyzer()) {
            a = TcpConnection.httpRemoved(a);
            if (tcp.rare != null) {
                tcp.rare.httpRequests = null; // the analyzer is gone: nothing more is read
            }
        } else if (attached && (a & TcpConnection.ORIG_REQUEST) != 0) {
            a |= Conn.CONFIRMED;
        }
        tcp.analyzers = (byte) a;
        if (attached && tcp.rare != null && tcp.rare.httpRequests != null) {
            tcp.rare.httpRequests.attached(tcp);
        }
    }

    /**
     * Zeek's HTTP analysis of the originator's stream after its first request line, for the MIME limits its
     * requests can reach and a later line that is no request line ({@link HttpRequests}); made with that line, it
     * reads the stream whether or not the analyzer is attached yet, as DPD buffers it. A violation while it is not
     * attached yet is not followed.
     */
    private static void httpRequests(TcpConnection tcp, PacketView p, long dataSeq) {
        int a = tcp.analyzers;
        boolean attached = TcpConnection.httpAttached(a);
        byte[] d = p.data;
        int o = p.payloadOffset, n = Math.min(p.payloadLength, d.length - o);
        HttpRequests requests = tcp.rare.httpRequests;
        requests.segment(tcp, attached, dataSeq, d, o, n, tcp.orig.lastReassemSeq);
        tcp.httpRequestsRead(requests, a);
    }

    private void udpPacket(Conn c, PacketView p, long t) {
        lastUdp = c;
        p.refusedTunnels = c.refusedTunnels();
        p.udpResponderPort = c.respPort();
        boolean isOrig = c.isOrig(p.srcHi, p.srcLo, p.srcPort);
        if (badChecksum(p)) {
            c.checksumError(isOrig);
            return;
        }
        c.touch(t);
        c.checkHistory(isOrig ? 0x1 : 0x2, isOrig ? 'D' : 'd');
        c.addPayload(isOrig, Math.max(0, p.payloadLength));
        int analyzer = c.analyzer();
        if (analyzer != 0) {
            switch (analyzer) {
                case Conn.DNS -> {
                    if (p.payloadCapturedLength >= 12) {
                        dnsMessage(c, p, isOrig);
                    }
                }
                case Conn.NTP -> ntpMessage(c, p, isOrig);
                case Conn.DHCP -> dhcpMessage(c, p);
                case Conn.QUIC -> quicDatagram(c, p, isOrig);
                case Conn.RADIUS -> radiusMessage(c, p);
                case Conn.SYSLOG -> syslogMessage(c, p);
                default -> snmpMessage(c, p, isOrig);
            }
        } else if (config.quicAnalyzer && p.payloadCapturedLength >= 5 && (p.data[p.payloadOffset] & 0xE0) == 0xC0
                && c.origBytes() + c.respBytes() - p.payloadLength <= ZeekConfig.DPD_BUFFER_SIZE
                && QuicAnalysis.signature(p.data, p.payloadOffset, p.payloadCapturedLength)) {
            // QUIC's DPD signatures, while DPD still buffers the connection's datagrams (it then sees them all).
            c.analyzers = Conn.QUIC;
            quicDatagram(c, p, isOrig);
        }
        if (config.sslAnalyzer) {
            dtlsDatagram(c, p);
        }
        // Zeek's ConnSize analyzer counts the datagram after the application analyzers, in the direction it was
        // delivered in: after their flip, that is the new originator's.
        c.countPacket(isOrig, p.ipTotalLength);
    }

    /** Zeek's QUIC analysis of a datagram (the originator is QUIC's client), until nothing can change its service. */
    private void quicDatagram(Conn c, PacketView p, boolean isOrig) {
        int n = delivered(p);
        QuicAnalysis quic = c.rare == null ? null : c.rare.quic;
        if (quic == null) {
            if (!QuicAnalysis.longHeader(p.data, p.payloadOffset, n)) {
                return; // nothing Zeek's analyzer would act on: no state for it yet
            }
            quic = c.rare().quic = new QuicAnalysis();
        }
        if (!quic.settled()) {
            if (quicProtection == null) {
                quicProtection = new QuicInitialProtection();
            }
            quic.datagram(isOrig, p.data, p.payloadOffset, n, quicProtection);
        }
    }

    /**
     * Zeek's DTLS analysis of a datagram, made with the first that begins with a DTLS record on its port (443, beside
     * QUIC's), or elsewhere that matches its DPD signature while DPD still buffers the connection's datagrams; until
     * nothing can change its service.
     */
    private void dtlsDatagram(Conn c, PacketView p) {
        byte[] d = p.data;
        int o = p.payloadOffset, n = delivered(p);
        DtlsAnalysis dtls = c.rare == null ? null : c.rare.dtls;
        long carried = c.origBytes() + c.respBytes();
        if (dtls == null) {
            if (!DtlsAnalysis.recordStart(d, o, n) || !(config.dtlsUdp.get(c.respPort())
                    || (carried - p.payloadLength <= ZeekConfig.DPD_BUFFER_SIZE && DtlsAnalysis.signature(d, o, n)))) {
                return;
            }
            dtls = c.rare().dtls = new DtlsAnalysis();
        }
        if (!dtls.settled()) {
            dtls.datagram(d, o, n, carried);
        }
    }

    /**
     * The effects of Zeek's DNS analyzer on conn.log: the roles and X from the message header, the service once a
     * message's questions and answers parse, X for a name's chain of compression pointers.
     */
    private void dnsMessage(Conn c, PacketView p, boolean isOrig) {
        byte[] d = p.data;
        int h = p.payloadOffset;
        if ((c.analyzers & Conn.DNS_FIRST_PENDING) != 0) {
            // A first message that is a response sent by the originator: the roles were wrong (unless the
            // responder is a multicast group, as with mDNS).
            c.analyzers &= ~Conn.DNS_FIRST_PENDING;
            if (c.dnsFirstMessageFlips(isOrig, d[h + 2])) {
                c.analyzerFlip();
            }
        }
        int questions = ((d[h + 4] & 0xFF) << 8) | (d[h + 5] & 0xFF);
        if (config.dnsMaxQueries > 0 && questions > config.dnsMaxQueries) {
            // Zeek's limit-reached weird (DNS_Conn_count_too_large) marks the connection with X, once; the message is
            // a protocol violation and is not parsed further, and in the connection's first 10 KiB the DPD framework
            // removes the analyzer.
            c.checkHistory(Conn.HIST_LIMIT, 'X');
            violation(c);
            return;
        }
        // Zeek reads every message; one that can change nothing here (confirmed, and X written or impossible) is not
        // walked.
        int n = delivered(p);
        if ((c.analyzers & Conn.CONFIRMED) == 0
                || !c.hasHistory(Conn.HIST_LIMIT) && DnsConfirmation.mayChainTooDeep(d, h, n)) {
            if (dnsConfirmation.confirms(d, h, n, c.respPort() == 137)) {
                c.analyzers |= Conn.CONFIRMED;
            }
            if (dnsConfirmation.chainTooDeep()) {
                c.checkHistory(Conn.HIST_LIMIT, 'X'); // DNS_max_compression_chain_depth_exceeded
            }
        }
    }

    /** The UDP payload bytes Zeek's analyzers are handed: what the capture holds of them. */
    private static int delivered(PacketView p) {
        return Math.max(0, Math.min(p.payloadLength, p.payloadCapturedLength));
    }

    /**
     * A violation of the port's UDP analyzer: Zeek 7.2's DPD framework removes it while the connection has carried at
     * most {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes (this datagram included), whether it confirmed or not.
     */
    private static void violation(Conn c) {
        if (c.violationRemovesAnalyzer()) {
            c.portAnalyzerRemoved();
        }
    }

    /**
     * Zeek's NTP analyzer confirms its protocol on every message that parses, and flips the roles for a server-mode
     * message (4) delivered as the originator's or a client-mode message (3) delivered as the responder's, once for
     * each of the two directions (its two flows keep a flag each). A message that does not parse (an empty datagram
     * too) is a violation.
     */
    private static void ntpMessage(Conn c, PacketView p, boolean isOrig) {
        byte[] d = p.data;
        int o = p.payloadOffset, n = delivered(p);
        int mode = n == 0 ? 0 : d[o] & 0x7;
        if (n == 0 || !ntpParses(d, o, n, mode)) {
            violation(c); // binpac's exception: no confirmation, no flip
            return;
        }
        c.analyzers |= Conn.CONFIRMED;
        int flipped = isOrig ? Conn.NTP_FLIPPED_ORIG : Conn.NTP_FLIPPED_RESP;
        if ((mode == 4 && isOrig || mode == 3 && !isOrig) && (c.analyzers & flipped) == 0) {
            c.analyzers |= flipped;
            c.analyzerFlip();
        }
    }

    /**
     * Zeek's DHCP analyzer on a message: a confirmation, a violation, or both (a message without a message type is
     * reported as a violation, then confirmed; the DPD framework's removal then takes the service back).
     */
    private static void dhcpMessage(Conn c, PacketView p) {
        DhcpConfirmation.Verdict v = DhcpConfirmation.judge(p.data, p.payloadOffset, delivered(p));
        if (v != DhcpConfirmation.Verdict.VIOLATION) {
            c.analyzers |= Conn.CONFIRMED;
        }
        if (v != DhcpConfirmation.Verdict.CONFIRMATION) {
            violation(c);
        }
    }

    /**
     * Zeek's RADIUS analyzer confirms its protocol on every message that parses (its binpac grammar: a 20-byte header,
     * then attributes that fill the rest exactly, each at least its two header bytes long); any other is a violation.
     * The header's own length field is not checked.
     */
    private static void radiusMessage(Conn c, PacketView p) {
        byte[] d = p.data;
        int i = p.payloadOffset, end = i + delivered(p);
        i += 20;
        while (end - i >= 2 && (d[i + 1] & 0xFF) >= 2 && (d[i + 1] & 0xFF) <= end - i) {
            i += d[i + 1] & 0xFF;
        }
        if (i == end) {
            c.analyzers |= Conn.CONFIRMED;
        } else {
            violation(c);
        }
    }

    /**
     * Zeek's SNMP analyzer on a datagram ({@link SnmpMessage}): a responder's message whose header parses confirms, a
     * parse error or a malformed v3 flags string is a violation (both may come with one message; the DPD framework's
     * removal then takes the confirmation back).
     */
    private void snmpMessage(Conn c, PacketView p, boolean isOrig) {
        int result = snmp.judge(p.data, p.payloadOffset, delivered(p));
        if (!isOrig && (result & SnmpMessage.HEADER) != 0) {
            c.analyzers |= Conn.CONFIRMED;
        }
        if ((result & SnmpMessage.VIOLATION) != 0) {
            violation(c);
        }
    }

    /**
     * Zeek's syslog analyzer on a datagram ({@link SyslogMessage}): one that parses confirms; a parse error ends the
     * analysis, and in the connection's first 10 KiB the DPD framework removes the analyzer and its service. Once the
     * connection carried more, nothing can change the service: later datagrams are not looked at.
     */
    private static void syslogMessage(Conn c, PacketView p) {
        if ((c.analyzers & Conn.SYSLOG_SETTLED) != 0) {
            return;
        }
        boolean young = c.violationRemovesAnalyzer();
        if (SyslogMessage.parses(p.data, p.payloadOffset, delivered(p))) {
            c.analyzers |= young ? Conn.CONFIRMED : Conn.CONFIRMED | Conn.SYSLOG_SETTLED;
        } else if (young) {
            c.portAnalyzerRemoved();
        } else {
            c.analyzers |= Conn.SYSLOG_SETTLED;
        }
    }

    /**
     * Whether an NTP message of {@code len} bytes parses as Zeek's NTP analyzer reads it: modes 1 to 5 need the
     * 48-byte standard header; a control message (6) its 12-byte header and the data length it gives; a mode-7
     * message its 6-byte header, its data and, when the authentication bit is set, a 20-byte MAC; any other mode
     * (0) is taken as it is.
     */
    private static boolean ntpParses(byte[] d, int o, int len, int mode) {
        return switch (mode) {
            case 1, 2, 3, 4, 5 -> len >= 48;
            case 6 -> len >= 12 && 12 + ((d[o + 10] & 0xFF) << 8 | d[o + 11] & 0xFF) <= len;
            case 7 -> len >= 6 && 6 + (((d[o + 4] & 0x0F) << 8) | d[o + 5] & 0xFF)
                    + ((d[o + 1] & 0x80) != 0 ? 20 : 0) <= len;
            default -> len >= 1;
        };
    }

    private void icmpPacket(Conn c, PacketView p, long t, int type) {
        boolean isOrig = c.isOrig(p.srcHi, p.srcLo, type);
        if (badChecksum(p)) {
            return;
        }
        c.touch(t);
        c.addPayload(isOrig, Math.max(0, p.ipTotalLength - p.ipHeaderLength - 8));
        if (p.payloadCapturedLength >= p.payloadLength) {
            // Zeek's ICMP analyzer hands a message to its children, the ConnSize analyzer among them, only when it
            // is captured whole: a message cut by the snap length counts in the sizes but not in the packets.
            c.countPacket(isOrig, p.ipTotalLength);
        }
    }

    /** Records a change: version, dirty list, idle order, timer queue. No allocation unless an array grows. */
    private void changed(Conn c) {
        if (c.version() <= batchStartVersion) {
            if (dirtyCount == dirty.length) {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = c;
        }
        c.setVersion(++version);
        IdleOrder idle = idleOrder;
        long sinceRelink;
        if (idle != null && !idle.isTail(c) && ((sinceRelink = now - idle.stamp(c)) >= IDLE_RELINK_NANOS
                || sinceRelink >= (now - idle.headStamp()) >>> 4)) {
            idle.moveToTail(c, now);
        }
        if (c.timersChanged) {
            queueTimers(c);
        }
        if (openedCount + dirtyCount + closedCount >= options.batchSize()) {
            flush();
        }
    }

    // ---- creation and orientation --------------------------------------------------------------------------

    /** Zeek's optional VLAN-aware conn key: both tags are part of the key. */
    static int vlanKey(int vlan, int innerVlan) {
        return ((vlan & 0xFFFF) << 16) | (innerVlan & 0xFFFF);
    }

    private Conn create(PacketView p, long t, int srcPort, int dstPort, int proto, int keyProto, int keyHash,
            int encap) {
        if (live >= options.maxLiveSessions() && live > 0) {
            // Bounded memory: the longest-idle session ends now and is delivered like any other.
            if (idleOrder == null) {
                buildIdleOrder();
            }
            evicted++;
            remove(idleOrder.head());
        }
        Conn c = proto == IPPROTO_TCP ? new TcpConnection(context) : new Conn(context);
        if (!uids.seeded()) {
            uids.seedIfUnset(t ^ ((long) shardHash(p) << 32));
        }
        c.init(uids.nextNumber(), t, proto);
        c.setEndpoints(p.srcHi, p.srcLo, srcPort, p.dstHi, p.dstLo, dstPort);
        c.setLayer2(p.srcMac, p.dstMac, p.vlan, p.innerVlan);
        c.keyProto = keyProto;

        boolean flip = false;
        if (c instanceof TcpConnection tcp) {
            int flags = p.tcpFlags;
            boolean syn = (flags & TcpConnection.SYN) != 0;
            if ((!syn || (flags & TcpConnection.ACK) != 0) && config.likelyTcp.get(srcPort)) {
                // No plain SYN: guess the responder from the ports. Both plausible: flip only for a non-SYN
                // towards the higher port (a SYN-ACK may be a stealth scan).
                flip = !config.likelyTcp.get(dstPort) || (!syn && srcPort < dstPort);
            }
            tcp.addTimer(Conn.TIMER_EXPIRE, now + config.tcpSynTimeoutNanos); // Zeek: network_time + tcp_SYN_timeout
            int respPort = flip ? srcPort : dstPort; // analyzers are attached by it, after the first flip
            if (config.ftpAnalyzer && (flip ? ftpChannels.take(p.dstHi, p.dstLo, p.srcHi, p.srcLo, respPort, now)
                    : ftpChannels.take(p.srcHi, p.srcLo, p.dstHi, p.dstLo, respPort, now))) {
                // An FTP data channel: Zeek's scheduled analyzer, instead of those of the port.
                tcp.portAnalyzers = TcpConnection.FTP_DATA;
            } else {
                attachByPort(tcp, respPort);
            }
        } else if (proto == IPPROTO_UDP) {
            flip = config.likelyUdp.get(srcPort) && !config.likelyUdp.get(dstPort);
            // Zeek attaches its UDP analyzers by the responder port of the (possibly flipped) connection.
            int respPort = flip && !isBroadcast(p.dstHi, p.dstLo) ? srcPort : dstPort;
            int analyzer = config.udpPortAnalyzer[respPort];
            c.analyzers = (byte) (analyzer == Conn.DNS ? Conn.DNS | Conn.DNS_FIRST_PENDING : analyzer);
        }
        c.armInactivity(now);
        if (flip && !isBroadcast(p.dstHi, p.dstLo)) {
            c.flipRoles();
        }
        if (encap != 0) {
            c.rare().encapsulation = encap;
            c.addTunnelParent(tunnelParent(p));
        }

        insert(c, keyHash);
        if (idleOrder != null) {
            idleOrder.append(c, now);
        }
        queueTimers(c);
        live++;
        if (openedCount == opened.length) {
            opened = Arrays.copyOf(opened, openedCount * 2);
        }
        opened[openedCount++] = c;
        return c;
    }

    /** The analyzers Zeek attaches to a new TCP connection by its responder port. */
    private void attachByPort(TcpConnection tcp, int respPort) {
        if (config.httpTcp.get(respPort)) {
            tcp.analyzers = TcpConnection.HTTP_PORT;
        }
        if (config.sslTcp.get(respPort)) {
            tcp.ssl = TlsAnalysis.PORT;
        }
        int dns = config.dnsTcp && respPort == ZeekConfig.DNS_TCP_PORT ? TcpConnection.DNS_PORT : 0;
        int ssh = config.sshAnalyzer && respPort == ZeekConfig.SSH_PORT ? TcpConnection.SSH_PORT : 0;
        int line = config.linePortTcp[respPort] << TcpConnection.LINE_PORT_SHIFT;
        tcp.portAnalyzers = (byte) (dns | ssh | line);
    }

    private static boolean isBroadcast(long hi, long lo) {
        return IpAddress.isV4(hi, lo) && (lo & 0xFFFF_FFFFL) == 0xFFFF_FFFFL;
    }

    // ---- tunnels ---------------------------------------------------------------------------------------------

    /** The connection of the UDP layer delivered last, until the next layer: the carrier of a UDP tunnel in it. */
    private Conn lastUdp;
    /** The connection of the UDP layer delivered just before this one, if any. */
    private Conn carrier;

    /**
     * A fingerprint of the encapsulation around a layer inside a tunnel: its depth and its innermost tunnel, identified
     * as Zeek's {@code EncapsulatingConn} equality does: a UDP tunnel by its connection (Zeek compares its uid) and
     * the encapsulation that connection's packet came in (the outer levels of the stack Zeek compares), an IP tunnel
     * or GRE by its two addresses in either order. (An IP tunnel's own outer levels are not known here: a connection
     * whose IP tunnel stays while the tunnel's carrier changes is not told apart.) Never 0.
     */
    private int encapsulation(PacketView p) {
        boolean byConnection = carriedByConnection(p) && carrier != null;
        long innermost = byConnection ? carrier.serial() * 0x9E3779B97F4A7C15L + carrier.encapsulation()
                : hash(p.tunnelSrcHi, p.tunnelSrcLo, 0, p.tunnelDstHi, p.tunnelDstLo, 0, p.tunnelProtocol, 0, true);
        int h = hash(p.tunnelDepth, p.tunnelType, 0, innermost, byConnection ? 1 : 0, 0, 0, 0);
        return h == 0 ? 1 : h;
    }

    /** A UDP tunnel (Teredo, AYIYA, VXLAN, Geneve, GTP) rides on a connection; IP tunnels and GRE (in UDP too) not. */
    private static boolean carriedByConnection(PacketView p) {
        return p.tunnelProtocol == IPPROTO_UDP && p.tunnelType != TunnelType.GRE.ordinal();
    }

    /**
     * Zeek's {@code CheckEncapsulation} for a packet of an existing connection that came in another encapsulation
     * than the one before (tunnelled, untunnelled or through another tunnel): the first
     * {@code Tunnel::max_changes_per_connection} changes raise {@code tunnel_changed}, whose handler in
     * {@code conn/main.zeek} adds the new innermost tunnel to {@code tunnel_parents}; a change after those marks the
     * history with {@code X} (Zeek's analyzer limit) instead. The new encapsulation is kept either way.
     */
    private void encapsulationChanged(Conn c, PacketView p, int encap) {
        RareState r = c.rare();
        r.encapsulation = encap;
        if (config.tunnelMaxChanges > 0 && r.tunnelChanges >= config.tunnelMaxChanges) {
            c.checkHistory(Conn.HIST_LIMIT, 'X');
            return;
        }
        r.tunnelChanges++;
        if (encap != 0) {
            c.addTunnelParent(tunnelParent(p));
        }
    }

    /**
     * uid of the innermost encapsulation: the carrying UDP connection of a UDP tunnel, or a per-tunnel uid for IP
     * tunnels and GRE, also GRE over UDP (Zeek's IP tunnel analyzer keys those by the outer addresses).
     */
    private String tunnelParent(PacketView p) {
        if (carriedByConnection(p) && carrier != null) {
            return carrier.uid();
        }
        String a = IpAddress.toString(p.tunnelSrcHi, p.tunnelSrcLo), b = IpAddress.toString(p.tunnelDstHi,
                p.tunnelDstLo);
        String key = (a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a) + "|" + p.tunnelProtocol;
        return ipTunnelUids.computeIfAbsent(key, k -> uids.next());
    }

    /**
     * The UDP layer delivered last carries a tunnel its analyzer refused: a violation makes this connection refuse
     * that analyzer from now on (Zeek's {@code AnalyzerViolated}); one encapsulation too many marks its history with
     * {@code X}, as Zeek's session tunnel analyzers do.
     */
    @Override
    public void onTunnelRefused(int tunnelType, boolean violation) {
        Conn c = lastUdp;
        if (c == null) {
            return;
        }
        if (violation) {
            c.rare().refusedTunnels |= 1 << tunnelType;
        } else if (!c.checkHistory(Conn.HIST_LIMIT, 'X')) {
            changed(c); // after the layer's own change: the letter must reach the listeners too
        }
    }

    // ---- removal ---------------------------------------------------------------------------------------------

    private void remove(Conn c) {
        releaseHeldHead(c);
        erase(c);
        forgetTimers(c);
        live--;
        if (idleOrder != null) {
            idleOrder.remove(c);
            if (live < options.maxLiveSessions() / 2) {
                idleOrder = null;
            }
        }
        c.markClosed();
        c.setVersion(++version);
        if (closedCount == closed.length) {
            closed = Arrays.copyOf(closed, closedCount * 2);
        }
        closed[closedCount++] = c;
    }

    /** A connection that ends with a side's first bytes still held: the analyses get them before it closes. */
    private void releaseHeldHead(Conn c) {
        if (c instanceof TcpConnection tcp && tcp.rare != null && tcp.rare.head != null) {
            releaseHead(tcp, tcp.lastNanos());
        }
    }

    // ---- timers ----------------------------------------------------------------------------------------------

    private void runTimers(long t) {
        Conn c;
        while ((c = timers.pollDue(t)) != null) {
            if (timers.polledKey() != c.queuedAt || c.isClosed()) {
                timersDead = Math.max(0, timersDead - 1); // superseded or closed
                continue;
            }
            c.queuedAt = Long.MAX_VALUE;
            if (c.dnsAnalyzer()) {
                if (dnsConnectionEnds(c, t)) {
                    remove(c);
                } else {
                    queueTimers(c);
                }
                continue;
            }
            if (c.inactivityAt <= t && c.inactivityAt <= c.earliestTimer()) {
                long timeout = c.inactivityNanos();
                if (c.lastNanos() + timeout <= t) {
                    remove(c);
                } else {
                    c.inactivityAt = c.lastNanos() + timeout;
                    queueTimers(c);
                }
                continue;
            }
            byte type = c.popDueTimer(t);
            boolean gone = type != 0 && tcpTimerRemoves((TcpConnection) c, type, t);
            if (gone) {
                remove(c);
            } else {
                queueTimers(c);
            }
        }
        if (closedCount > 0 && openedCount + dirtyCount + closedCount >= options.batchSize()) {
            flush();
        }
    }

    /**
     * Whether a UDP connection with Zeek's DNS analyzer ends at {@code t}. Zeek's inactivity timer ends it once idle
     * for the UDP inactivity timeout; the analyzer's expire timer fires {@code dns_session_timeout} after the start
     * and then after each firing, and ends it once idle for a second less than that. With Zeek's defaults (10 s
     * against 1 min) the expire timer always ends it first: a DNS exchange is logged about ten seconds after it
     * began, and a client that reuses its port after a pause starts a new connection.
     */
    private boolean dnsConnectionEnds(Conn c, long t) {
        long idle = t - c.lastNanos(), inactivity = c.inactivityNanos();
        if (inactivity > 0 && idle >= inactivity) {
            return true;
        }
        if (c.inactivityAt <= t) {
            if (idle >= config.dnsSessionTimeoutNanos - ZeekConfig.SECOND) {
                return true;
            }
            c.inactivityAt = t + config.dnsSessionTimeoutNanos;
        }
        return false;
    }

    /** Zeek's TCP analyzer timer {@code type} fired: whether the connection is removed now. */
    private boolean tcpTimerRemoves(TcpConnection tcp, byte type, long t) {
        return switch (type) {
            case Conn.TIMER_ATTEMPT -> tcp.attemptTimerRemoves();
            case Conn.TIMER_EXPIRE -> {
                int r = tcp.expireTimer(t);
                if (r < 0) {
                    tcp.addTimer(Conn.TIMER_EXPIRE, t + config.tcpSessionTimerNanos);
                }
                yield r > 0;
            }
            case Conn.TIMER_DELETE -> true;
            case Conn.TIMER_RESET -> tcp.isActive;
            default -> false;
        };
    }

    /**
     * Queues the session at its next deadline. Entries are never moved in place: a session whose deadline moves
     * earlier gets a second entry; one whose deadline moves later keeps its entry, which surfaces early and is
     * re-queued at the real deadline (as the inactivity check always was). A TCP connection's entry that is still
     * on the queue's wheel is cancelled instead, in both cases: most connections close before their SYN's timers
     * are due, and the entry would otherwise surface with nothing to do, a cache miss on a session idle for
     * seconds. Entries of closed sessions, and those superseded by an earlier one ({@code key != queuedAt}), are
     * dropped when they surface, or all at once when they are the majority, so the queue stays within twice the
     * live sessions.
     */
    private void queueTimers(Conn c) {
        c.timersChanged = false;
        long key = c.nextDeadline(), queued = c.queuedAt;
        if (key == queued) {
            return;
        }
        boolean cancelled = queued != Long.MAX_VALUE && cancelTimerEntry(c, queued);
        if (key < queued || cancelled) {
            c.queuedAt = key;
            if (key != Long.MAX_VALUE) {
                int slot = timers.add(c, key);
                if (c instanceof TcpConnection tcp) {
                    tcp.queuedSlot = (char) slot;
                }
            }
            if (queued != Long.MAX_VALUE && !cancelled) {
                timerEntryDied();
            }
        }
    }

    /** Cancels the session's entry at {@code key} where the queue can (a TCP connection's, still on the wheel). */
    private boolean cancelTimerEntry(Conn c, long key) {
        return c instanceof TcpConnection tcp && tcp.queuedSlot != 0 && timers.cancel(c, key, tcp.queuedSlot);
    }

    /** A session leaves the timer order; its entry, if any, is now dead (or cancelled). */
    private void forgetTimers(Conn c) {
        long queued = c.queuedAt;
        if (queued != Long.MAX_VALUE) {
            c.queuedAt = Long.MAX_VALUE;
            if (!cancelTimerEntry(c, queued)) {
                timerEntryDied();
            }
        }
    }

    private void timerEntryDied() {
        if (++timersDead > 1024 && timersDead > timers.size() / 2) {
            timers.retain(FlowTable::isLiveEntry);
            timersDead = 0;
        }
    }

    private static boolean isLiveEntry(Conn c, long key) {
        return !c.isClosed() && key == c.queuedAt;
    }

    // ---- idle order ------------------------------------------------------------------------------------------

    /** Orders every live session by its last activity (sorting primitive keys: no session reads). */
    private void buildIdleOrder() {
        Conn[] all = new Conn[live];
        int n = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < slotHash.length; i++) {
            if (slotHash[i] != 0) {
                all[n] = slots[i];
                min = Math.min(min, all[n++].lastNanos());
            }
        }
        int indexBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // Microseconds since the longest idle, then the index: 2^42 us (50 days) above 2^21 sessions.
            long idleMicros = Math.min((all[i].lastNanos() - min) / 1000, (1L << (63 - indexBits)) - 1);
            keys[i] = (idleMicros << indexBits) | i;
        }
        Arrays.sort(keys);
        long mask = (1L << indexBits) - 1;
        IdleOrder order = new IdleOrder(n); // while it is kept, each new session first evicts one
        for (int i = 0; i < n; i++) {
            Conn c = all[(int) (keys[i] & mask)];
            order.append(c, c.lastNanos());
        }
        idleOrder = order;
    }

    // ---- hash table ------------------------------------------------------------------------------------------

    /**
     * The table's hash of a key (the endpoints in either order unless {@link #ONE_WAY}, see {@link Conn#hasKey}; the
     * protocol; the VLAN key): never 0, which marks an empty slot in {@link #slotHash}.
     */
    private static int keyHash(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int proto, int vlanKey) {
        int h = (proto & ONE_WAY) != 0 ? hash(sHi, sLo, sPort, dHi, dLo, dPort, proto, vlanKey)
                : hash(sHi, sLo, sPort, dHi, dLo, dPort, proto, vlanKey, true);
        return h == 0 ? 1 : h;
    }

    /**
     * A session's key hash, made again from its key rather than kept in every session: the same after a role flip,
     * which swaps the endpoints of an unordered key only.
     */
    private int keyHash(Conn c) {
        return keyHash(c.origHi(), c.origLo(), c.origPort(), c.respHi(), c.respLo(), c.respPort(), c.keyProto(),
                config.vlanInKey ? vlanKey(c.vlan(), c.innerVlan()) : 0);
    }

    private static boolean before(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int r = Long.compareUnsigned(aHi, bHi);
        if (r == 0) {
            r = Long.compareUnsigned(aLo, bLo);
        }
        return r < 0 || (r == 0 && aPort <= bPort);
    }

    private static int hash(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, int proto, int vlanKey) {
        long h = aHi * 0x9E3779B97F4A7C15L;
        h = (h ^ aLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ bHi) * 0x9E3779B97F4A7C15L;
        h = (h ^ bLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ (((long) aPort << 48) | ((long) bPort << 32) | ((long) proto << 24))) * 0x9E3779B97F4A7C15L;
        h = (h ^ vlanKey) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    /** The session of a key whose {@link #keyHash} is {@code h}, or null. */
    private Conn find(int h, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int proto, int vlanKey) {
        int[] hashes = slotHash;
        int mask = hashes.length - 1;
        for (int i = h & mask;; i = (i + 1) & mask) {
            int sh = hashes[i];
            if (sh == 0) {
                return null;
            }
            if (sh == h) {
                Conn c = slots[i];
                if (c.hasKey(sHi, sLo, sPort, dHi, dLo, dPort, proto, vlanKey, config.vlanInKey)) {
                    return c;
                }
            }
        }
    }

    /** Puts {@code c}, whose key hashes to {@code h}, in the recent cache, in place of whatever was there. */
    private void remember(Conn c, int h) {
        int r = h & (RECENT - 1);
        recentHash[r] = h;
        recent[r] = c;
    }

    private void insert(Conn c, int h) {
        remember(c, h);
        if ((live + 1) * 2 > slots.length) {
            Conn[] old = slots;
            int[] oldHash = slotHash;
            slots = new Conn[old.length * 2];
            slotHash = new int[old.length * 2];
            for (int i = 0; i < old.length; i++) {
                if (oldHash[i] != 0) {
                    place(old[i], oldHash[i]);
                }
            }
        }
        place(c, h);
    }

    private void place(Conn c, int h) {
        int mask = slots.length - 1;
        int i = h & mask;
        while (slotHash[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = c;
        slotHash[i] = h;
    }

    /** Removes with backward shifting, so lookups never need tombstones. */
    private void erase(Conn c) {
        int h = keyHash(c);
        int r = h & (RECENT - 1);
        if (recent[r] == c) {
            recent[r] = null;
            recentHash[r] = 0;
        }
        int mask = slots.length - 1;
        int i = h & mask;
        while (slots[i] != c) {
            if (slotHash[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        slots[i] = null;
        slotHash[i] = 0;
        for (int j = (i + 1) & mask; slotHash[j] != 0; j = (j + 1) & mask) {
            int oh = slotHash[j];
            int home = oh & mask;
            // Move the entry back into the hole when the hole lies on its probe path (cyclically between home
            // and j).
            boolean onPath = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (onPath) {
                slots[i] = slots[j];
                slotHash[i] = oh;
                slots[j] = null;
                slotHash[j] = 0;
                i = j;
            }
        }
    }

    /**
     * A hash of the connection a layer belongs to, equal for both directions, for splitting one capture over
     * several tables (one per pipeline thread). Layers inside a tunnel hash by their enclosing flow, so that a
     * tunnelled connection lands in the same table as the tunnel that carries it (its {@code tunnel_parent}).
     * Each table then reproduces Zeek's records for its connections: timers are driven by the packets of the
     * connection itself, so they fire in time for the decisions that matter (reuse, inactivity).
     */
    public static int shardHash(PacketView p) {
        if (p.tunnelDepth > 0) {
            return mixForShard(hash(p.tunnelSrcHi, p.tunnelSrcLo, p.tunnelSrcPort, p.tunnelDstHi, p.tunnelDstLo,
                    p.tunnelDstPort, p.tunnelProtocol, 0, true));
        }
        int proto = p.protocol, sp = 0, dp = 0;
        if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
            sp = Math.max(0, p.srcPort);
            dp = Math.max(0, p.dstPort);
        } else if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) && p.srcPort >= 0) {
            sp = p.srcPort;
            dp = IcmpPorts.respPort(p.ipVersion == 6, p.srcPort, p.dstPort);
        }
        return mixForShard(hash(p.srcHi, p.srcLo, sp, p.dstHi, p.dstLo, dp, proto, 0, true));
    }

    private static int hash(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int proto, int vlanKey,
            boolean canonical) {
        return canonical && !before(sHi, sLo, sPort, dHi, dLo, dPort)
                ? hash(dHi, dLo, dPort, sHi, sLo, sPort, proto, vlanKey)
                : hash(sHi, sLo, sPort, dHi, dLo, dPort, proto, vlanKey);
    }

    private static int mixForShard(int h) {
        // Decorrelate from the slot index the table derives from the same hash.
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    // ---- SessionTable ----------------------------------------------------------------------------------------

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void closeAll() {
        Conn[] all = new Conn[live];
        int n = 0;
        for (int i = 0; i < slotHash.length; i++) {
            if (slotHash[i] != 0) {
                all[n++] = slots[i];
            }
        }
        // A stable order for the final records: by start time, then creation order.
        sortByStart(all, n);
        if (closedCount + n > closed.length) {
            closed = Arrays.copyOf(closed, closedCount + n);
        }
        for (int i = 0; i < n; i++) {
            Conn c = all[i];
            // Every session goes: no per-session erase, timer or idle-order removal, the structures are dropped
            // below.
            c.queuedAt = Long.MAX_VALUE;
            releaseHeldHead(c);
            c.markClosed();
            c.setVersion(++version);
            closed[closedCount++] = c;
        }
        live = 0;
        slots = new Conn[1024];
        slotHash = new int[1024];
        Arrays.fill(recent, null);
        Arrays.fill(recentHash, 0);
        lastUdp = carrier = null;
        timers.clear();
        timersDead = 0;
        idleOrder = null;
        flush();
    }

    /**
     * Sorts by {@link #START_ORDER}. Creation order is start order unless packets came out of time order, so the
     * sessions are first put in creation order by sorting primitive keys (serial and array index packed in a
     * long: no session read per comparison), and the comparator only runs if start times then disagree.
     */
    private static void sortByStart(Conn[] all, int n) {
        if (n < 2) {
            return;
        }
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = all[i].serial();
            min = Math.min(min, keys[i]);
            max = Math.max(max, keys[i]);
        }
        int indexBits = 32 - Integer.numberOfLeadingZeros(n - 1);
        if (max - min < 0 || (max - min) >>> (63 - indexBits) != 0) {
            Arrays.sort(all, 0, n, START_ORDER);
            return;
        }
        for (int i = 0; i < n; i++) {
            keys[i] = ((keys[i] - min) << indexBits) | i;
        }
        Arrays.sort(keys);
        Conn[] bySerial = new Conn[n];
        long mask = (1L << indexBits) - 1;
        boolean startOrdered = true;
        for (int i = 0; i < n; i++) {
            bySerial[i] = all[(int) (keys[i] & mask)];
            if (i > 0 && bySerial[i].startNanos() < bySerial[i - 1].startNanos()) {
                startOrdered = false;
            }
        }
        System.arraycopy(bySerial, 0, all, 0, n);
        if (!startOrdered) {
            Arrays.sort(all, 0, n, START_ORDER); // nearly sorted already: TimSort's runs make it cheap
        }
    }

    /** Start time, then creation order; a plain class, so sorting makes no chain of lambda calls per compare. */
    private static final Comparator<Conn> START_ORDER = new Comparator<>() {
        @Override
        public int compare(Conn x, Conn y) {
            int r = Long.compare(x.startNanos(), y.startNanos());
            return r != 0 ? r : Long.compare(x.serial(), y.serial());
        }
    };

    @Override
    public void flush() {
        if (openedCount + dirtyCount + closedCount == 0) {
            return;
        }
        List<Session> o = new ArrayList<>(openedCount), cl = new ArrayList<>(closedCount);
        for (int i = 0; i < openedCount; i++) {
            o.add(opened[i]);
            opened[i] = null;
        }
        // The list gets a copy of the exact size (the table's array has room for the largest batch so far), the
        // table keeps its array: listeners may hold on to a batch, so nothing handed out is used again.
        List<Session> u = new StillOpen(Arrays.copyOf(dirty, dirtyCount));
        Arrays.fill(dirty, 0, dirtyCount, null);
        batchStartVersion = version;
        for (int i = 0; i < closedCount; i++) {
            cl.add(closed[i]);
            closed[i] = null;
        }
        openedCount = dirtyCount = closedCount = 0;
        SessionBatch events = new SessionBatch(Collections.unmodifiableList(o), u, Collections.unmodifiableList(cl),
                version);
        for (SessionListener l : listeners.toArray(new SessionListener[0])) {
            l.onSessions(events);
        }
    }

    @Override
    public int liveCount() {
        return live;
    }

    @Override
    public long evictedCount() {
        return evicted;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public long lastSerial() {
        return lastSerial;
    }

    @Override
    public String uid(long serial) {
        if (serial <= 0) {
            throw new IllegalArgumentException("session serial numbers start at 1: " + serial);
        }
        return uids.format(serial);
    }

    @Override
    public void changedSince(long sinceVersion, Consumer<Session> action) {
        for (Conn c : slots) {
            if (c != null && c.version() > sinceVersion) {
                action.accept(c.snapshot());
            }
        }
    }
}
