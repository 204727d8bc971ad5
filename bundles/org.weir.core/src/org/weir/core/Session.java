package org.weir.core;

import java.util.List;

/**
 * One connection, as Zeek's conn.log describes it. The session table owns and updates instances on the pipeline
 * thread; listeners on other threads must use {@link #snapshot()} (a session is immutable once
 * {@link #isClosed() closed}).
 *
 * <p>Field semantics follow Zeek: {@code origBytes}/{@code respBytes} are payload bytes by TCP sequence space
 * (UDP/ICMP: payload lengths), {@code *IpBytes} sum the IP total lengths, {@code history} uses Zeek's letters.
 */
public class Session {

    // Hot fields first (each class's fields are laid out by size, then in this order): a packet reads the key,
    // the last time, the counters and the version, so they share the first cache lines of a live session.
    /** Ports (ICMP: type and code) fit in 16 bits; held narrow as millions of sessions may be open. */
    protected char origPort, respPort;
    protected long lastNanos;
    protected long origHi, origLo, respHi, respLo;
    protected long origPackets, origIpBytes, respPackets, respIpBytes;
    /** Table version at which this session last changed; see {@link SessionTable#version()}. */
    protected long version;
    protected long origBytes, respBytes;
    protected long startNanos;
    protected long missedBytes;
    protected long origMac = -1, respMac = -1;
    /** 802.1Q ids (12 bits) or -1. */
    protected short vlan = -1, innerVlan = -1;
    /** The IP protocol number, 0..255 (read through {@link #ipProtocol()}); the transport follows from it. */
    protected byte ipProtocol;
    protected boolean closed;
    protected String uid;
    protected String connState = "";
    protected String history = "";
    protected List<String> tunnelParents = List.of();
    protected String communityId;
    private volatile EndpointInfo origInfo = EndpointInfo.NONE, respInfo = EndpointInfo.NONE;
    private volatile String portService;
    private volatile List<String> portCves = List.of();
    private volatile PolicyVerdict verdict;
    /** Criticality tags (EDAMAME style: {@code anomaly:suspicious}, {@code blacklist:firehol_level1}, ...). */
    private String[] tags = NO_TAGS;

    private static final String[] NO_TAGS = new String[0];

    protected Session() {
    }

    /** An immutable copy with the current values. */
    public Session snapshot() {
        Session s = new Snapshot(service(), serverName());
        s.copyFrom(this);
        return s;
    }

    /**
     * A copy: it holds what its session derived on demand ({@link #service()}, {@link #serverName()}), which a live
     * session keeps in a few bits or in state only some sessions have rather than in fields of every session.
     */
    private static final class Snapshot extends Session {
        private final String service, serverName;

        Snapshot(String service, String serverName) {
            this.service = service;
            this.serverName = serverName;
        }

        @Override
        public String service() {
            return service;
        }

        @Override
        public String serverName() {
            return serverName;
        }
    }

    protected final void copyFrom(Session o) {
        uid = o.uid;
        startNanos = o.startNanos;
        lastNanos = o.lastNanos;
        origHi = o.origHi;
        origLo = o.origLo;
        respHi = o.respHi;
        respLo = o.respLo;
        origPort = o.origPort;
        respPort = o.respPort;
        ipProtocol = o.ipProtocol;
        origBytes = o.origBytes;
        respBytes = o.respBytes;
        connState = o.connState();
        missedBytes = o.missedBytes;
        history = o.history();
        origPackets = o.origPackets;
        origIpBytes = o.origIpBytes;
        respPackets = o.respPackets;
        respIpBytes = o.respIpBytes;
        tunnelParents = o.tunnelParents;
        vlan = o.vlan;
        innerVlan = o.innerVlan;
        communityId = o.communityId; // computed on first use, by either
        origMac = o.origMac;
        respMac = o.respMac;
        closed = o.closed;
        version = o.version;
        tags = o.tags;
        origInfo = o.origInfo;
        respInfo = o.respInfo;
        portService = o.portService;
        portCves = o.portCves;
        verdict = o.verdict;
    }

    /** Zeek-style unique id ("C" + base62). */
    public String uid() {
        return uid;
    }

    public long startNanos() {
        return startNanos;
    }

    public long lastNanos() {
        return lastNanos;
    }

    /** Duration in nanoseconds (last packet − first packet). */
    public long durationNanos() {
        return lastNanos - startNanos;
    }

    public long origHi() {
        return origHi;
    }

    public long origLo() {
        return origLo;
    }

    public long respHi() {
        return respHi;
    }

    public long respLo() {
        return respLo;
    }

    public String origAddress() {
        return IpAddress.toString(origHi, origLo);
    }

    public String respAddress() {
        return IpAddress.toString(respHi, respLo);
    }

    /** Originator port; for ICMP the type, as Zeek logs it. */
    public int origPort() {
        return origPort;
    }

    /** Responder port; for ICMP the code, as Zeek logs it. */
    public int respPort() {
        return respPort;
    }

    public int ipProtocol() {
        return ipProtocol & 0xFF;
    }

    public Transport transport() {
        return Transport.of(ipProtocol());
    }

    /**
     * Application protocol(s), as Zeek's conn.log {@code service}: the names of the protocol analyzers that confirmed
     * the connection, comma-separated, or empty when none did (yet). A session table that identifies protocols
     * overrides this; a {@link #snapshot()} keeps the value.
     */
    public String service() {
        return "";
    }

    /**
     * The server name (TLS {@code server_name}, as sent) of a ClientHello that the session table read inside the
     * session's own protocol where only it can (QUIC's Initial packets, which it decrypts), or null. Enrichers name
     * the responder by it; a session table that reads none leaves it null.
     */
    public String serverName() {
        return null;
    }

    public long origBytes() {
        return origBytes;
    }

    public long respBytes() {
        return respBytes;
    }

    /** Zeek's conn_state (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH). */
    public String connState() {
        return connState;
    }

    public long missedBytes() {
        return missedBytes;
    }

    public String history() {
        return history;
    }

    /**
     * Whether the history has the letter {@code letter}: {@code history().indexOf(letter) >= 0}, without making the
     * history's text, which a session may build on every {@link #history()} call. For detectors that test letters.
     *
     * @since 0.3
     */
    public boolean historyContains(char letter) {
        return history().indexOf(letter) >= 0;
    }

    public long origPackets() {
        return origPackets;
    }

    public long origIpBytes() {
        return origIpBytes;
    }

    public long respPackets() {
        return respPackets;
    }

    public long respIpBytes() {
        return respIpBytes;
    }

    /**
     * Zeek's {@code tunnel_parents}: the uids of the encapsulations that carried this connection (the enclosing UDP
     * connection, or the IP tunnel), in the order first seen; a connection whose packets came through several tunnels
     * has several. Empty when it never came through one. Immutable.
     */
    public List<String> tunnelParents() {
        return tunnelParents;
    }

    /**
     * The first of {@link #tunnelParents()}, or null.
     *
     * @deprecated since 0.6.0: a connection can have several parents; kept so that bundles built against 0.5 go on
     *             working. Use {@link #tunnelParents()}.
     */
    @Deprecated(since = "0.6.0")
    public String tunnelParent() {
        return tunnelParents.isEmpty() ? null : tunnelParents.get(0);
    }

    public int vlan() {
        return vlan;
    }

    public int innerVlan() {
        return innerVlan;
    }

    /**
     * Community ID v1 ("1:" + base64 SHA-1), seed 0; made on first use (a SHA-1 that many readers never ask for),
     * from the endpoints, which do not change once the session is closed or copied.
     */
    public String communityId() {
        String id = communityId;
        if (id == null) {
            id = CommunityId.v1(this, 0);
            communityId = id;
        }
        return id;
    }

    public long origMac() {
        return origMac;
    }

    public long respMac() {
        return respMac;
    }

    public boolean isClosed() {
        return closed;
    }

    public long version() {
        return version;
    }

    /** What is known about the originator (enrichers fill it in the pipeline). */
    public EndpointInfo origInfo() {
        return origInfo;
    }

    /** What is known about the responder (enrichers fill it in the pipeline). */
    public EndpointInfo respInfo() {
        return respInfo;
    }

    public void setOrigInfo(EndpointInfo info) {
        origInfo = info;
    }

    public void setRespInfo(EndpointInfo info) {
        respInfo = info;
    }

    /** The registered service name of the responder port (e.g. {@code https}), or null. */
    public String portService() {
        return portService;
    }

    /** Known vulnerabilities (CVE ids) of services usually found on the responder port. */
    public List<String> portCves() {
        return portCves;
    }

    public void setPortService(String name, List<String> cves) {
        portService = name;
        portCves = List.copyOf(cves);
    }

    /** The whitelist verdict, or null when no whitelist applies. */
    public PolicyVerdict verdict() {
        return verdict;
    }

    public void setVerdict(PolicyVerdict v) {
        verdict = v;
    }

    /**
     * Adds a criticality tag unless present; a tag {@code kind:value} replaces an earlier tag of the same
     * {@code anomaly:} kind, since a session has one anomaly label at a time. For enrichers and detectors in the
     * pipeline, before sinks see the session.
     */
    public synchronized void addTag(String tag) {
        String[] current = tags;
        for (int i = 0; i < current.length; i++) {
            if (current[i].equals(tag)) {
                return;
            }
            if (tag.startsWith("anomaly:") && current[i].startsWith("anomaly:")) {
                String[] copy = current.clone();
                copy[i] = tag;
                tags = copy;
                return;
            }
        }
        String[] grown = java.util.Arrays.copyOf(current, current.length + 1);
        grown[current.length] = tag;
        tags = grown;
    }

    /** Tags in the order they were added. */
    public List<String> tags() {
        return List.of(tags);
    }

    /** Tags as EDAMAME writes them: comma-separated, empty when none. */
    public String criticality() {
        return String.join(",", tags);
    }

    @Override
    public String toString() {
        return uid + " " + origAddress() + ":" + origPort() + " -> " + respAddress() + ":" + respPort() + " "
                + transport().zeekName() + " " + connState() + " " + history();
    }
}
