package org.weir.session.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.weir.core.IpAddress;
import org.weir.core.Session;

/**
 * A live connection in the {@link FlowTable}: the {@link Session} record plus what is needed to keep it up to
 * date (Zeek's history bookkeeping, per-transport state, timers, and the table's marks for its timer queue
 * and idle order). The key is the record's own endpoints, protocol and VLAN tags. TCP connections are the
 * subclass {@link TcpConnection}.
 */
sealed class Conn extends Session permits TcpConnection {

    static final byte TIMER_ATTEMPT = 1, TIMER_EXPIRE = 2, TIMER_DELETE = 3, TIMER_RESET = 4;

    // ---- key: the endpoints, the protocol and the VLAN tags (Session's fields, not copied) and: -----------
    /**
     * The protocol as the table keys it ({@link #keyProto}). An int, so that it lies with this class's other ints,
     * on the cache line a packet reads anyway, not beside the record's protocol among fields no packet reads.
     */
    int keyProto;

    // ---- Zeek connection state -------------------------------------------------------------------------
    /**
     * The history letters, 5 bits each (the index in {@link #HIST_CODES} plus one; 0 ends it), up to
     * {@link #HIST_PACKED} letters: most histories, without an object of their own. A longer history (repeated
     * retransmission letters) or an unexpected letter moves all of it to {@link #histMore}.
     */
    private long hist;
    private StringBuilder histMore;
    private static final String HIST_CODES = "SHADFRCTWGIQX^shadfrctwgiqx";
    private static final int HIST_PACKED = 12;
    private int histSeen;
    /**
     * UDP/ICMP: which sides sent a valid packet ({@link #ORIG_SENT}, {@link #RESP_SENT}; Zeek's request_len and
     * reply_len are set); their payload lengths are summed straight into origBytes/respBytes.
     */
    private byte sidesSent;
    private static final byte ORIG_SENT = 1, RESP_SENT = 2;
    /**
     * Bad checksum counts and tunnel bookkeeping, made on first need: few sessions have any, and fields for them would
     * make every session larger. Checksum counts: a C/c letter at 1, 10, 100, ... of them; UDP counts by role, TCP by
     * endpoint (Zeek's {@code TCP_Endpoint} counts), so its role swap swaps them.
     */
    RareState rare;
    /**
     * Zeek's application analyzer on this UDP connection that changes conn.log, attached by the responder port at
     * creation or by DPD ({@link #ANALYZER}: one of {@link #DNS}, {@link #NTP}, {@link #DHCP}, {@link #QUIC},
     * {@link #RADIUS}, {@link #SYSLOG}, {@link #SNMP}; Zeek's ports give a connection one of them), its state
     * ({@link #DNS_FIRST_PENDING}, {@link #NTP_FLIPPED_ORIG}, {@link #NTP_FLIPPED_RESP}, {@link #SYSLOG_SETTLED}) and
     * whether it confirmed ({@link #CONFIRMED}). A TCP connection keeps its HTTP analysis here instead (bits of
     * {@link TcpConnection} that never make {@link #DNS}).
     */
    byte analyzers;
    /** The bits of {@link #analyzers} that name the UDP analyzer. */
    static final int ANALYZER = 0x7;
    /**
     * Zeek's DNS, NTP, DHCP, QUIC (its state in {@link RareState#quic}), RADIUS, syslog or SNMP analyzer is attached.
     */
    static final int DNS = 1, NTP = 2, DHCP = 3, QUIC = 4, RADIUS = 5, SYSLOG = 6, SNMP = 7;
    /** DNS: its first message has not been seen yet. */
    static final int DNS_FIRST_PENDING = 0x8;
    /**
     * NTP: it has flipped the roles on a message delivered as the originator's or as the responder's (its two flows
     * flip once each).
     */
    static final int NTP_FLIPPED_ORIG = 0x8, NTP_FLIPPED_RESP = 0x10;
    /**
     * Syslog: later datagrams change nothing (a parse error ended the analysis, or the connection carried more than
     * {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes, after which a violation leaves the service).
     */
    static final int SYSLOG_SETTLED = 0x8;
    /** The attached analyzer has confirmed its protocol: it is the connection's {@link #service()}. */
    static final int CONFIRMED = 0x20;

    /** The UDP analyzer attached ({@link #ANALYZER}'s bits), 0 for none. */
    final int analyzer() {
        return analyzers & ANALYZER;
    }

    /**
     * Zeek's {@code service}: the UDP analyzer's name once it confirmed its protocol (QUIC's with SSL's), or DTLS's,
     * which may share the connection.
     */
    @Override
    public String service() {
        int a = analyzers;
        RareState r = rare;
        String service;
        if ((a & ANALYZER) == QUIC) {
            service = r == null || r.quic == null ? "" : r.quic.service();
        } else if ((a & CONFIRMED) == 0) {
            service = "";
        } else {
            service = switch (a & ANALYZER) {
                case DNS -> "dns";
                case NTP -> "ntp";
                case DHCP -> "dhcp";
                case RADIUS -> "radius";
                case SYSLOG -> "syslog";
                default -> "snmp";
            };
        }
        return service.isEmpty() && r != null && r.dtls != null ? r.dtls.service() : service;
    }

    /** The server name of a QUIC connection's ClientHello, which only this table decrypts. */
    @Override
    public String serverName() {
        RareState r = rare;
        return r == null || r.quic == null ? null : r.quic.serverName();
    }

    boolean dnsAnalyzer() {
        return (analyzers & ANALYZER) == DNS;
    }

    /**
     * Zeek 7.2's DPD framework removed the port's analyzer (DNS, NTP, DHCP, RADIUS, syslog, SNMP) after a violation
     * while the connection had carried at most {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} bytes: its service, later
     * messages and, for DNS, its expire timer go, and such a connection ends by the UDP inactivity timeout from here
     * (Zeek's inactivity timer ran beside the analyzer's).
     */
    void portAnalyzerRemoved() {
        boolean dns = dnsAnalyzer();
        analyzers = 0;
        if (dns) {
            long nanos = inactivityNanos();
            inactivityAt = nanos > 0 ? lastNanos + nanos : Long.MAX_VALUE;
            timersChanged = true;
        }
    }

    /**
     * Whether Zeek 7.2's DPD framework removes an analyzer at a violation now: the connection has carried at most
     * {@link ZeekConfig#IGNORE_VIOLATIONS_AFTER} payload bytes in both directions
     * ({@code DPD::ignore_violations_after}, compared with {@code c$orig$size + c$resp$size}: TCP's by sequence space).
     */
    final boolean violationRemovesAnalyzer() {
        return origBytes() + respBytes() <= ZeekConfig.IGNORE_VIOLATIONS_AFTER;
    }

    /** Zeek's HIST_UNKNOWN_PKT: the once-per-connection X (a limit reached, a tunnel too deep). */
    static final int HIST_LIMIT = 0x400;
    final TableContext context;

    // ---- timers (the session's idleness check; Zeek's TCP analyzer timers are in TcpConnection) --------------
    /**
     * When this session's idleness is next checked: Zeek's connection inactivity timer, or, for a UDP connection
     * with Zeek's DNS analyzer, that analyzer's expire timer (which ends such a connection long before the
     * inactivity timeout; {@link FlowTable} checks both).
     */
    long inactivityAt;
    /** Deadline of this session's live entry in the table's timer queue; MAX_VALUE when it has none. */
    long queuedAt = Long.MAX_VALUE;

    // ---- the table's marks ----------------------------------------------------------------------------------
    /** This session's slot in the table's {@link IdleOrder}, while that is kept. */
    int idleSlot;

    Conn(TableContext context) {
        this.context = context;
    }

    final ZeekConfig config() {
        return context.config();
    }

    /** Creation order (uid numbers are handed out in it), for a stable order of the records closed together. */
    long serial() {
        return uidNumber;
    }

    private long uidNumber;

    /** The uid string is made on first use from its number (deterministic either way). */
    void init(long uidNumber, long t, int ipProtocol) {
        this.uidNumber = uidNumber;
        this.startNanos = t;
        this.lastNanos = t;
        this.ipProtocol = (byte) ipProtocol;
    }

    // ---- history -------------------------------------------------------------------------------------------

    /** Adds {@code code} unless its mask was seen; true when it had been seen already (Zeek's CheckHistory). */
    boolean checkHistory(int mask, char code) {
        if ((histSeen & mask) == 0) {
            histSeen |= mask;
            addHistory(code);
            return false;
        }
        return true;
    }

    /** Whether the once-per-connection letter of {@code mask} is in the history. */
    boolean hasHistory(int mask) {
        return (histSeen & mask) != 0;
    }

    void addHistory(char code) {
        if (histMore != null) {
            histMore.append(code);
            return;
        }
        int n = packedLength(hist);
        int v = HIST_CODES.indexOf(code) + 1;
        if (v > 0 && n < HIST_PACKED) {
            hist |= (long) v << (5 * n);
        } else {
            histMore = new StringBuilder(32).append(historyString()).append(code);
            hist = 0;
        }
    }

    /** The history is exactly the one letter {@code code}. */
    boolean historyIs(char code) {
        return histMore == null && hist == HIST_CODES.indexOf(code) + 1;
    }

    void replaceHistory(String h) {
        hist = 0;
        histMore = null;
        for (int i = 0; i < h.length(); i++) {
            addHistory(h.charAt(i));
        }
    }

    /**
     * Texts of packed histories, shared by all sessions: a capture has few distinct histories (33 among the 750 k
     * sessions of the benchmark capture), and a closed session's text is made for each reader. Direct-mapped by the
     * packed letters; entries are immutable, so threads racing on a slot see an old or a new one, never a torn one.
     */
    private static final PackedHistory[] HISTORY_TEXTS = new PackedHistory[1 << 12];

    private record PackedHistory(long letters, String text) {
    }

    /** The history letters as text (a shared string for a packed history, else made on each call). */
    String historyString() {
        if (histMore != null) {
            return histMore.toString();
        }
        long h = hist;
        int slot = (int) ((h * 0x9E3779B97F4A7C15L) >>> 52);
        PackedHistory known = HISTORY_TEXTS[slot];
        if (known == null || known.letters != h) {
            known = new PackedHistory(h, unpack(h));
            HISTORY_TEXTS[slot] = known;
        }
        return known.text;
    }

    private static String unpack(long hist) {
        // Latin-1 bytes of the exact length: copied once into the string, no char[] to compress.
        byte[] out = new byte[packedLength(hist)];
        long h = hist;
        for (int i = 0; i < out.length; i++, h >>>= 5) {
            out[i] = (byte) HIST_CODES.charAt((int) (h & 31) - 1);
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** The number of letters packed in {@code hist}. */
    private static int packedLength(long hist) {
        return (64 - Long.numberOfLeadingZeros(hist) + 4) / 5;
    }

    /** Whether the packed letters, or the builder of a longer live history, have {@code letter}. */
    private boolean lettersContain(char letter) {
        if (histMore != null) {
            for (int i = 0; i < histMore.length(); i++) {
                if (histMore.charAt(i) == letter) {
                    return true;
                }
            }
            return false;
        }
        long code = HIST_CODES.indexOf(letter) + 1;
        if (code == 0) {
            return false;
        }
        for (long h = hist; h != 0; h >>>= 5) {
            if ((h & 31) == code) {
                return true;
            }
        }
        return false;
    }

    /** A packet with a bad checksum (dropped): letters C/c, repeated at 1, 10, 100, ... occurrences. */
    void checksumError(boolean isOrig) {
        RareState r = rare();
        if (isScaledHistoryStep(isOrig ? ++r.origChecksumErrors : ++r.respChecksumErrors)) {
            addHistory(isOrig ? 'C' : 'c');
        }
    }

    RareState rare() {
        if (rare == null) {
            rare = new RareState();
        }
        return rare;
    }

    /** Fingerprint of the encapsulation the last packet came in; 0 for none. */
    int encapsulation() {
        return rare == null ? 0 : rare.encapsulation;
    }

    /** The tunnel analyzers (bits by {@code TunnelType} ordinal) that found this connection's payload malformed. */
    int refusedTunnels() {
        return rare == null ? 0 : rare.refusedTunnels;
    }

    /** Zeek's scaled history letters repeat at the 1st, 10th, 100th, ... occurrence: {@code count} is one of them. */
    static boolean isScaledHistoryStep(int count) {
        for (int p = 1; p <= count && p > 0; p *= 10) {
            if (p == count) {
                return true;
            }
        }
        return false;
    }

    /** Swaps originator and responder, as Zeek's {@code Connection::FlipRoles}, and records {@code ^}. */
    void flipRoles() {
        swapRoles();
        addHistory('^');
    }

    /**
     * A UDP application analyzer's flip (Zeek's DNS and NTP analyzers call {@code Connection::FlipRoles} while
     * the UDP adapter delivers a datagram): the endpoints and the packet counters (Zeek's ConnSize analyzer) swap,
     * the payload sizes do not (the UDP adapter's request and reply lengths stay where they were counted).
     */
    void analyzerFlip() {
        swapEndpointsAndPackets();
        addHistory('^');
    }

    /**
     * Zeek's DNS analyzer, on a connection's first message (on UDP and TCP alike): a response delivered as the
     * originator's means the roles were wrong, and they flip, unless the responder is a multicast group (as with
     * mDNS). {@code flagsHigh} is the message's third byte (QR in its top bit).
     */
    final boolean dnsFirstMessageFlips(boolean fromOrig, byte flagsHigh) {
        return fromOrig && (flagsHigh & 0x80) != 0 && !isMulticast(respHi, respLo);
    }

    private static boolean isMulticast(long hi, long lo) {
        if (IpAddress.isV4(hi, lo)) {
            return (lo & 0xF000_0000L) == 0xE000_0000L;
        }
        return (hi >>> 56) == 0xFF;
    }

    /** Swaps everything a role decides: endpoints, packet and byte counters, which side has sent. */
    void swapRoles() {
        swapEndpointsAndPackets();
        long t = origBytes;
        origBytes = respBytes;
        respBytes = t;
        sidesSent = (byte) (((sidesSent & ORIG_SENT) != 0 ? RESP_SENT : 0)
                | ((sidesSent & RESP_SENT) != 0 ? ORIG_SENT : 0));
    }

    private void swapEndpointsAndPackets() {
        long th = origHi, tl = origLo;
        origHi = respHi;
        origLo = respLo;
        respHi = th;
        respLo = tl;
        char tp = origPort;
        origPort = respPort;
        respPort = tp;
        long tm = origMac;
        origMac = respMac;
        respMac = tm;
        long t = origPackets;
        origPackets = respPackets;
        respPackets = t;
        t = origIpBytes;
        origIpBytes = respIpBytes;
        respIpBytes = t;
    }

    /**
     * Whether this is the session of a packet from s to d: the endpoints in either order, as role flips only
     * swap them (one-way ICMP keeps packet order and never flips).
     */
    boolean hasKey(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int keyProto, int keyVlan,
            boolean vlanInKey) {
        if (keyProto() != keyProto || (vlanInKey && FlowTable.vlanKey(vlan, innerVlan) != keyVlan)) {
            return false;
        }
        if (origLo == sLo && respLo == dLo && origPort == sPort && respPort == dPort && origHi == sHi
                && respHi == dHi) {
            return true;
        }
        return (keyProto & FlowTable.ONE_WAY) == 0 && origLo == dLo && respLo == sLo && origPort == dPort
                && respPort == sPort && origHi == dHi && respHi == sHi;
    }

    /** The protocol as the table keys it: with {@link FlowTable#ONE_WAY} when keyed in packet order. */
    int keyProto() {
        return keyProto;
    }

    boolean isOrig(long srcHi, long srcLo, int srcPort) {
        return srcHi == origHi && srcLo == origLo && srcPort == origPort;
    }

    /**
     * Zeek's {@code SetLastTime}: the packet's own time, also when it is earlier than the last one (out-of-order
     * timestamps). Zeek overwrites, so its duration can shrink, or end up not positive and logged as unset.
     */
    void touch(long t) {
        lastNanos = t;
    }

    /**
     * The inactivity timeout in force: the protocol's (TCP's depends on the handshake), so a session need not hold
     * it. Not positive: no inactivity check.
     */
    long inactivityNanos() {
        ZeekConfig config = config();
        return switch (ipProtocol()) {
            case FlowTable.IPPROTO_UDP -> config.udpInactivityNanos;
            case FlowTable.IPPROTO_ICMP, FlowTable.IPPROTO_ICMPV6 -> config.icmpInactivityNanos;
            default -> config.otherInactivityNanos;
        };
    }

    /**
     * Arms the inactivity check of a new session, as a change from no timeout at all, at table time {@code now}.
     * A timeout of 0 leaves the deadline at 0: the session ends when packet time next moves on.
     */
    void armInactivity(long now) {
        inactivityChanged(0);
        if (dnsAnalyzer()) {
            inactivityAt = now + config().dnsSessionTimeoutNanos; // Zeek: network_time + dns_session_timeout
        }
    }

    /** The timeout in force may have changed from {@code before}: the deadline moves with it. */
    void inactivityChanged(long before) {
        long nanos = inactivityNanos();
        if (nanos != before) {
            inactivityAt = nanos > 0 ? lastNanos + nanos : Long.MAX_VALUE;
            timersChanged = true;
        }
    }

    // ---- timers --------------------------------------------------------------------------------------------

    /** Set when the earliest deadline may have moved; the table then queues this conn again. */
    boolean timersChanged;

    /** Zeek's analyzer {@code CancelTimers}: all TCP timers go, the inactivity check stays. */
    void cancelTcpTimers() {
        timersChanged = true;
    }

    long nextDeadline() {
        long next = Math.min(inactivityAt, earliestTimer());
        long inactivity;
        if (dnsAnalyzer() && (inactivity = inactivityNanos()) > 0) {
            // The inactivity timeout still applies beside the DNS analyzer's timer in inactivityAt.
            next = Math.min(next, lastNanos + inactivity);
        }
        return next;
    }

    /** Removes and returns the type of the earliest analyzer timer due at {@code now}, or 0 when none is. */
    byte popDueTimer(long now) {
        return 0;
    }

    /** The earliest analyzer timer's deadline, MAX_VALUE when there is none. */
    long earliestTimer() {
        return Long.MAX_VALUE;
    }

    // ---- derived values ------------------------------------------------------------------------------------

    /** Zeek's {@code conn_state} now (UDP, ICMP and other protocols: from which sides sent). */
    String computeConnState() {
        if (ipProtocol == FlowTable.IPPROTO_UDP) {
            if ((sidesSent & ORIG_SENT) != 0) {
                return (sidesSent & RESP_SENT) != 0 ? "SF" : "S0";
            }
            return (sidesSent & RESP_SENT) != 0 ? "SHR" : "OTH";
        }
        return "OTH";
    }

    /**
     * Once closed, a history of up to {@link #HIST_PACKED} letters stays packed and its text is the shared one of
     * those letters ({@link #historyString()}); only a longer one was kept as a string at close.
     */
    @Override
    public String history() {
        return closed && !history.isEmpty() ? history : historyString();
    }

    /** As {@link #history()} finds its letters, without making the text. */
    @Override
    public boolean historyContains(char letter) {
        return closed && !history.isEmpty() ? history.indexOf(letter) >= 0 : lettersContain(letter);
    }

    @Override
    public String connState() {
        return closed ? connState : computeConnState();
    }

    @Override
    public long origBytes() {
        if (!closed) {
            materializeBytes();
        }
        return origBytes;
    }

    @Override
    public long respBytes() {
        if (!closed) {
            materializeBytes();
        }
        return respBytes;
    }

    /** TCP counts bytes by sequence space: brings origBytes/respBytes up to date (UDP/ICMP sum them as they come). */
    void materializeBytes() {
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = context.uids().format(uidNumber);
        }
        return uid;
    }

    @Override
    public String toString() {
        uid();
        return super.toString();
    }

    @Override
    public Session snapshot() {
        if (!closed) {
            materializeBytes();
        }
        uid();
        return super.snapshot();
    }

    /**
     * Final values. The uid, the Community ID (a SHA-1) and a short history are left to their first reader: many
     * records are written once and dropped, and listeners may keep millions of them.
     */
    void markClosed() {
        materializeBytes();
        connState = computeConnState();
        // A packed history stays packed; the letters become text for whoever reads them.
        history = histMore != null ? histMore.toString() : "";
        closed = true;
        // Drop what only a live connection needs.
        histMore = null;
        releaseLiveState();
    }

    /** Drops what only a live connection needs (called once, at close). */
    void releaseLiveState() {
        if (rare != null && rare.quic != null) {
            rare.quic.release();
        }
        if (rare != null && rare.dtls != null) {
            rare.dtls.release();
        }
    }

    void setVersion(long v) {
        version = v;
    }

    /** Adds to Zeek's {@code tunnel_parents} set. */
    void addTunnelParent(String parentUid) {
        if (tunnelParents.isEmpty()) {
            tunnelParents = List.of(parentUid);
        } else if (!tunnelParents.contains(parentUid)) {
            List<String> more = new ArrayList<>(tunnelParents);
            more.add(parentUid);
            tunnelParents = List.copyOf(more);
        }
    }

    void setLayer2(long srcMac, long dstMac, int vlan, int innerVlan) {
        origMac = srcMac;
        respMac = dstMac;
        this.vlan = (short) vlan;
        this.innerVlan = (short) innerVlan;
    }

    void setEndpoints(long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
        origHi = srcHi;
        origLo = srcLo;
        origPort = (char) srcPort;
        respHi = dstHi;
        respLo = dstLo;
        respPort = (char) dstPort;
    }

    /** A valid UDP/ICMP packet with {@code len} payload bytes from one side. */
    void addPayload(boolean isOrig, long len) {
        if (isOrig) {
            sidesSent |= ORIG_SENT;
            origBytes += len;
        } else {
            sidesSent |= RESP_SENT;
            respBytes += len;
        }
    }

    void addMissedBytes(long n) {
        missedBytes += n;
    }

    void countPacket(boolean isOrig, int ipBytes) {
        if (isOrig) {
            origPackets++;
            origIpBytes += ipBytes;
        } else {
            respPackets++;
            respIpBytes += ipBytes;
        }
    }
}
