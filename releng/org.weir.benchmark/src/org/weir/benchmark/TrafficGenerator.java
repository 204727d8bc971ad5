package org.weir.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import org.weir.core.LinkTypes;
import org.weir.packet.PcapWriter;

/**
 * Writes a deterministic synthetic capture of a busy link: N Ethernet frames in F flows, interleaved in time.
 *
 * <p>The mix (by flows): TCP sessions with a full handshake, data both ways, retransmissions and a FIN or RST
 * teardown; rejected (SYN → RST) and half-open (unanswered, retransmitted SYN) attempts; DNS query/response pairs
 * in real DNS wire format (A/AAAA answers, NXDOMAIN, retries, lost answers); other UDP (QUIC-like, NTP, syslog,
 * SIP); ICMP echo. About 10 % of the flows are IPv6 and about 10 % of the hosts sit on 802.1Q VLANs. Frames are
 * 60–1518 bytes (no FCS), with correct IP, TCP, UDP and ICMP checksums. Every flow has its own 5-tuple, so a
 * session table sees exactly F sessions. Packets left after the small flows are spread over the TCP sessions with a
 * heavy-tailed (Pareto) distribution, so there are a few elephants and many mice.
 *
 * <p>Flows start as a Poisson process over the capture's duration; their packets are merged in time through a
 * heap of the active flows, so thousands of flows are interleaved at any time. The same arguments give the same
 * bytes. Per packet nothing is allocated: flow state lives in primitive arrays, frames are built in one scratch
 * buffer and payloads come from a random pool whose checksums are pre-summed.
 */
public final class TrafficGenerator {

    static final long DEFAULT_PACKETS = 8_000_000;
    static final int DEFAULT_FLOWS = 750_000;
    static final long DEFAULT_SEED = 1;
    static final double DEFAULT_DURATION = 60;

    // Flow kinds.
    static final byte TCP_FIN = 0, TCP_RST = 1, TCP_REJ = 2, TCP_HALF = 3, DNS = 4, UDP = 5, ICMP = 6;
    static final String[] KIND_NAMES = {"tcp-fin", "tcp-rst", "tcp-rejected", "tcp-half-open", "dns", "udp-other",
        "icmp-echo"};
    /** Cumulative share of flows per kind, in kind order. */
    private static final double[] KIND_CDF = {0.30, 0.35, 0.40, 0.44, 0.80, 0.93, 1.0};

    // Salts of the stateless per-flow / per-packet random values.
    private static final long S_KIND = 1, S_COUNT = 2, S_PARETO = 3, S_CLIENT = 4, S_SERVER = 5, S_PORT = 6,
            S_V6 = 7, S_CLASS = 8, S_GAP = 9, S_RTT = 10, S_ISN = 11, S_PKT = 12, S_MODE = 13, S_CLOSE = 14,
            S_NAME = 15, S_DNSID = 16, S_PAY = 17, S_ANSWERS = 18, S_ARRIVAL = 19;

    private static final long GATEWAY_MAC = 0x001B21AABBCCL;
    private static final int CLIENTS = 20_000;
    private static final int SERVERS = 40_000;
    private static final int EPHEMERAL_FIRST = 32_768, EPHEMERAL_COUNT = 28_232;
    private static final int POOL = 1 << 16;
    private static final long EPOCH_NANOS = 1_768_471_200_000_000_000L; // 2026-01-15T10:00:00Z
    private static final int[] VLANS = {10, 20, 30, 100};
    private static final int[] TCP_PORTS = {443, 443, 443, 443, 443, 443, 443, 80, 80, 80, 22, 25, 993, 8080, 3389,
        445, 5432, 443, 443, 80};
    private static final int[] UDP_PORTS = {443, 443, 443, 443, 443, 443, 123, 123, 514, 5060};

    private final long packets;
    private final int flows;
    private final long seed;
    private final long durationNanos;
    private final double ipv6Share;
    private final int clients;

    // Plan and per-flow state (index = flow number = start order).
    private final byte[] kind;
    private final int[] count;
    private final int[] step;
    private final int[] seqC, seqS;

    // Active flows: a binary min-heap on the time of their next packet.
    private long[] heapTime;
    private int[] heapFlow;
    private int heapSize;

    // Payload pool and its 16-bit word prefix sums (for O(1) checksums of payload slices).
    private final byte[] pool = new byte[POOL + 2048];
    private final long[] poolSum = new long[(POOL + 2048) / 2 + 1];

    private final byte[][] names;
    private final byte[] frame = new byte[2048];
    private final long[] kindFlows = new long[KIND_NAMES.length];
    private final long[] kindPackets = new long[KIND_NAMES.length];
    private long bytesWritten, v6Packets, vlanPackets, retransmissions;
    private int peakActive;

    TrafficGenerator(long packets, int flows, long seed, double durationSeconds, double ipv6Share) {
        if (flows < 1 || packets < flows) {
            throw new IllegalArgumentException("need at least one flow and at least one packet per flow");
        }
        this.packets = packets;
        this.flows = flows;
        this.seed = seed;
        this.durationNanos = (long) (durationSeconds * 1e9);
        this.ipv6Share = ipv6Share;
        this.clients = Math.max(CLIENTS, flows / (EPHEMERAL_COUNT / 2) + 1);
        kind = new byte[flows];
        count = new int[flows];
        step = new int[flows];
        seqC = new int[flows];
        seqS = new int[flows];
        heapTime = new long[1 << 14];
        heapFlow = new int[1 << 14];
        long h = seed ^ 0x5DEECE66DL;
        for (int i = 0; i < pool.length; i++) {
            h = mix(h + i);
            pool[i] = (byte) h;
        }
        for (int w = 0; w < poolSum.length - 1; w++) {
            poolSum[w + 1] = poolSum[w] + (((pool[2 * w] & 0xFF) << 8) | (pool[2 * w + 1] & 0xFF));
        }
        names = dnsNames();
        plan();
    }

    public static void main(String[] args) throws IOException {
        long packets = DEFAULT_PACKETS;
        int flows = DEFAULT_FLOWS;
        long seed = DEFAULT_SEED;
        double duration = DEFAULT_DURATION, ipv6 = 0.10;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--packets" -> packets = parseCount(args[++i]);
                case "--flows" -> flows = (int) parseCount(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--duration" -> duration = Double.parseDouble(args[++i]);
                case "--ipv6" -> ipv6 = Double.parseDouble(args[++i]);
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    if (a.startsWith("-") || out != null) {
                        usage();
                        System.exit(2);
                    }
                    out = Path.of(a);
                }
            }
        }
        if (out == null) {
            usage();
            System.exit(2);
        }
        long t0 = System.nanoTime();
        TrafficGenerator g = new TrafficGenerator(packets, flows, seed, duration, ipv6);
        g.write(out);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.print(g.report(out, s));
    }

    private static void usage() {
        System.err.println("""
                usage: TrafficGenerator [--packets N] [--flows F] [--seed S] [--duration SECONDS] [--ipv6 SHARE] OUT.pcap
                  N, F accept k/M suffixes; defaults: 8M packets, 750k flows, seed 1, 60 s, 0.10 IPv6""");
    }

    static long parseCount(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        if (t.endsWith("k")) {
            mul = 1_000;
        } else if (t.endsWith("m")) {
            mul = 1_000_000;
        } else if (t.endsWith("g")) {
            mul = 1_000_000_000;
        }
        if (mul != 1) {
            t = t.substring(0, t.length() - 1);
        }
        return Math.round(Double.parseDouble(t) * mul);
    }

    String report(Path out, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "wrote %s: %,d packets, %,d flows, %,d bytes of frames in %.1f s%n",
                out, packets, flows, bytesWritten, seconds));
        for (int k = 0; k < KIND_NAMES.length; k++) {
            sb.append(String.format(Locale.ROOT, "  %-14s %,10d flows %,12d packets%n", KIND_NAMES[k],
                    kindFlows[k], kindPackets[k]));
        }
        sb.append(String.format(Locale.ROOT,
                "  IPv6 packets %,d, VLAN-tagged packets %,d, TCP retransmissions %,d, mean frame %.0f bytes%n",
                v6Packets, vlanPackets, retransmissions, bytesWritten / (double) packets));
        sb.append(String.format(Locale.ROOT, "  flows with packets still to come, at most at once: %,d%n",
                peakActive));
        return sb.toString();
    }

    // ---- plan --------------------------------------------------------------------------------------------------

    /** Kinds and packet counts of every flow: fixed for small flows, the rest spread over TCP sessions. */
    private void plan() {
        long fixed = 0;
        double weights = 0;
        for (int f = 0; f < flows; f++) {
            double u = unit(f, 0, S_KIND);
            byte k = 0;
            while (u >= KIND_CDF[k]) {
                k++;
            }
            kind[f] = k;
            double c = unit(f, 0, S_COUNT);
            int n = switch (k) {
                case TCP_FIN -> 3 + 2 + 3;
                case TCP_RST -> 3 + 2 + 1;
                case TCP_REJ -> 2;
                case TCP_HALF -> c < 0.5 ? 1 : c < 0.8 ? 2 : 3;
                case DNS -> c < 0.04 ? 1 : c < 0.06 ? 3 : 2;
                case UDP -> 1 + (int) (-Math.log(1 - c) * 4);
                default -> c < 0.05 ? 1 + (int) (c * 60) : 2 * (1 + (int) (c * 4));
            };
            count[f] = n;
            fixed += n;
            if (k <= TCP_RST) {
                weights += pareto(f);
            }
        }
        long rest = packets - fixed;
        if (rest < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%,d packets are too few for %,d flows of this mix: need at least %,d", packets, flows, fixed));
        }
        long given = 0;
        int firstTcp = -1;
        for (int f = 0; f < flows; f++) {
            if (kind[f] <= TCP_RST) {
                long extra = (long) (rest * (pareto(f) / weights));
                extra = Math.min(extra, Integer.MAX_VALUE / 4);
                count[f] += (int) extra;
                given += extra;
                if (firstTcp < 0) {
                    firstTcp = f;
                }
            }
        }
        long left = rest - given;
        // Rounding leftovers: one more packet for the first TCP sessions (or more UDP when there is no TCP).
        for (int f = 0; left > 0; f = (f + 1) % flows) {
            if (kind[f] <= TCP_RST || kind[f] == UDP || firstTcp < 0) {
                count[f]++;
                left--;
            }
        }
        for (int f = 0; f < flows; f++) {
            kindFlows[kind[f]]++;
            kindPackets[kind[f]] += count[f];
        }
    }

    private double pareto(int f) {
        double u = unit(f, 0, S_PARETO);
        return Math.min(20_000, Math.pow(1 - u, -1 / 1.2));
    }

    // ---- time line ---------------------------------------------------------------------------------------------

    void write(Path out) throws IOException {
        try (PcapWriter w = PcapWriter.create(out, LinkTypes.ETHERNET, 65_535, false)) {
            run(w);
        }
    }

    private void run(PcapWriter w) throws IOException {
        // Poisson arrivals over 95 % of the duration, so late flows still have time to finish.
        double meanArrival = durationNanos * 0.95 / flows;
        long arrivalRng = mix(seed ^ S_ARRIVAL);
        int nextFlow = 0;
        double nextStart = 0;
        long written = 0;
        while (written < packets) {
            if (nextFlow < flows && (heapSize == 0 || (long) nextStart <= heapTime[0])) {
                push((long) nextStart, nextFlow++);
                peakActive = Math.max(peakActive, heapSize);
                arrivalRng = mix(arrivalRng + 0x9E3779B97F4A7C15L);
                nextStart += -Math.log(1 - toUnit(arrivalRng)) * meanArrival;
                continue;
            }
            long t = heapTime[0];
            int f = heapFlow[0];
            int s = step[f];
            long gap = emit(w, f, s, t);
            written++;
            step[f] = s + 1;
            if (s + 1 < count[f]) {
                replaceTop(t + gap, f);
            } else {
                pop();
            }
        }
    }

    private void push(long time, int flow) {
        if (heapSize == heapTime.length) {
            heapTime = java.util.Arrays.copyOf(heapTime, heapSize * 2);
            heapFlow = java.util.Arrays.copyOf(heapFlow, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(time, flow, heapTime[parent], heapFlow[parent])) {
                break;
            }
            heapTime[i] = heapTime[parent];
            heapFlow[i] = heapFlow[parent];
            i = parent;
        }
        heapTime[i] = time;
        heapFlow[i] = flow;
    }

    private void pop() {
        heapSize--;
        if (heapSize > 0) {
            replaceTop(heapTime[heapSize], heapFlow[heapSize]);
        }
    }

    private void replaceTop(long time, int flow) {
        int i = 0;
        int n = heapSize;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) {
                break;
            }
            if (c + 1 < n && before(heapTime[c + 1], heapFlow[c + 1], heapTime[c], heapFlow[c])) {
                c++;
            }
            if (!before(heapTime[c], heapFlow[c], time, flow)) {
                break;
            }
            heapTime[i] = heapTime[c];
            heapFlow[i] = heapFlow[c];
            i = c;
        }
        heapTime[i] = time;
        heapFlow[i] = flow;
    }

    private static boolean before(long t1, int f1, long t2, int f2) {
        return t1 < t2 || (t1 == t2 && f1 < f2);
    }

    // ---- one packet --------------------------------------------------------------------------------------------

    // Fields of the packet being built (set by emit, used by the frame writers).
    private boolean v6, fromClient;
    private int vlan;
    private long clientMac;
    private int clientV4, serverV4;
    private long clientHi, clientLo, serverHi, serverLo;

    /**
     * Writes packet {@code s} of flow {@code f} at time {@code t}.
     *
     * @return the gap to the flow's next packet
     */
    private long emit(PcapWriter w, int f, int s, long t) throws IOException {
        currentFlowHint = f;
        byte k = kind[f];
        int n = count[f];
        int client = clientOf(f);
        v6 = unit(f, 0, S_V6) < ipv6Share;
        vlan = client % 10 == 3 ? VLANS[(client / 10) % VLANS.length] : -1;
        clientMac = 0x02_0000_000000L | client;
        long rtt = (long) (200_000 * Math.pow(400, unit(f, 0, S_RTT))); // 0.2 .. 80 ms, log-uniform
        int cport = EPHEMERAL_FIRST + (int) (((f / clients) * 7919L + client * 13L) % EPHEMERAL_COUNT);
        addresses(f, client, k);
        double r = unit(f, s, S_PKT);
        int len;
        long gap;
        switch (k) {
            case TCP_FIN, TCP_RST -> {
                len = tcpSession(f, s, n, k, cport, r);
                gap = s == 0 ? rtt : s == 1 ? rtt / 8 + 20_000 : (long) (flowGap(f, n, t) * (0.25 + 1.5 * r));
            }
            case TCP_REJ -> {
                fromClient = s == 0;
                int isn = isn(f, true);
                len = fromClient ? tcp(cport, serverPort(f), isn, 0, 0x02, true, 0, 0)
                        : tcp(cport, serverPort(f), 0, isn + 1, 0x14, false, 0, 0);
                gap = rtt;
            }
            case TCP_HALF -> {
                fromClient = true;
                len = tcp(cport, serverPort(f), isn(f, true), 0, 0x02, true, 0, 0);
                gap = 1_000_000_000L << s; // SYN retransmission back-off: 1 s, 2 s
            }
            case DNS -> {
                fromClient = s < n - 1 || n == 1;
                len = dns(f, cport, fromClient);
                gap = n == 3 && s == 0 ? 1_000_000_000L : rtt;
            }
            case UDP -> {
                int sp = UDP_PORTS[(int) (unit(f, 0, S_SERVER + 100) * UDP_PORTS.length)];
                fromClient = s == 0 || sp == 514 || r < 0.5;
                int payload = switch (sp) {
                    case 123 -> 48;
                    case 514 -> 80 + (int) (r * 220);
                    case 5060 -> 400 + (int) (r * 500);
                    default -> s == 0 ? 1200 + (int) (r * 150) : 30 + (int) (unit(f, s, S_PAY) * 1320);
                };
                len = udp(cport, sp, payloadOffset(f, s), payload);
                gap = (long) (flowGap(f, n, t) * (0.25 + 1.5 * r));
            }
            default -> {
                boolean answered = n % 2 == 0;
                fromClient = !answered || s % 2 == 0;
                len = icmpEcho(f, s, answered);
                gap = answered && s % 2 == 0 ? rtt : 1_000_000_000L - (answered ? rtt : 0);
            }
        }
        if (len < 60) {
            java.util.Arrays.fill(frame, len, 60, (byte) 0);
            len = 60;
        }
        w.write(EPOCH_NANOS + t, frame, 0, len, len);
        bytesWritten += len;
        if (v6) {
            v6Packets++;
        }
        if (vlan >= 0) {
            vlanPackets++;
        }
        return Math.max(1_000, gap);
    }

    /** The flow's mean inter-packet gap: by traffic class, shrunk so the flow ends within the capture. */
    private long flowGap(int f, int n, long now) {
        double c = unit(f, 0, S_CLASS);
        double g = unit(f, 0, S_GAP);
        double mean = c < 0.45 ? 20_000 + g * 480_000 : c < 0.8 ? 500_000 + g * 19_500_000 : 10_000_000 + g * 190e6;
        long left = durationNanos - now;
        int remaining = Math.max(1, n - step[f]);
        return (long) Math.max(1_000, Math.min(mean, left / (remaining + 1.0)));
    }

    private int clientOf(int f) {
        return f % clients;
    }

    private int serverPort(int f) {
        return TCP_PORTS[(int) (unit(f, 0, S_PORT) * TCP_PORTS.length)];
    }

    private int isn(int f, boolean client) {
        return (int) mix(seed ^ (f * 0x9E3779B97F4A7C15L) ^ (client ? S_ISN : S_ISN << 32));
    }

    private void addresses(int f, int client, byte k) {
        // Client: 10.x.y.z (private, local) or fd00::/8; server by Zipf-like popularity from a fixed pool.
        int ch = (int) mix(seed * 31 + client) & 0x00FF_FFFF;
        clientV4 = 0x0A00_0000 | (ch == 0 ? 1 : ch);
        clientHi = 0xFD00_0000_0000_0000L | (seed & 0xFFFF) << 32;
        clientLo = 0x0000_0000_0000_0000L | (mix(seed * 37 + client) & 0xFFFF_FFFF_FFFFL);
        if (k == DNS) {
            // The two internal resolvers.
            serverV4 = (client & 1) == 0 ? 0x0A00_0035 : 0x0A00_0135;
            serverHi = 0xFD00_0000_0000_0000L | (seed & 0xFFFF) << 32;
            serverLo = 0x53 + (client & 1);
            return;
        }
        if (k == ICMP) {
            // One target per echo flow (100.64.0.0/10), so echo flows never share a session.
            int idx = (int) ((f * 2_654_435_761L) & 0x3F_FFFF);
            serverV4 = 0x6440_0000 | idx;
            serverHi = 0x2001_0DB8_FFFF_0000L;
            serverLo = f;
            return;
        }
        double u = unit(f, 0, S_SERVER);
        int server = (int) (SERVERS * u * u * u);
        long sh = mix(seed * 41 + server);
        int[] firstOctets = {23, 31, 34, 52, 54, 104, 142, 151, 162, 185, 198, 199, 203, 209};
        serverV4 = (firstOctets[(int) ((sh >>> 40) % firstOctets.length)] << 24) | (int) (sh & 0xFF_FFFF);
        serverHi = 0x2001_0DB8_0000_0000L | ((sh >>> 32) & 0xFFFF_FFFFL);
        serverLo = sh & 0xFFFF_FFFF_FFFFL | 1;
    }

    /** Packet {@code s} of a TCP session: handshake, data phase, then FIN or RST teardown. */
    private int tcpSession(int f, int s, int n, byte k, int cport, double r) {
        int sport = serverPort(f);
        int isnC = isn(f, true), isnS = isn(f, false);
        int teardown = k == TCP_FIN ? 3 : 1;
        int dataEnd = n - teardown;
        if (s == 0) {
            fromClient = true;
            seqC[f] = 1;
            return tcp(cport, sport, isnC, 0, 0x02, true, 0, 0);
        }
        if (s == 1) {
            fromClient = false;
            seqS[f] = 1;
            return tcp(cport, sport, isnS, isnC + 1, 0x12, true, 0, 0);
        }
        if (s == 2) {
            fromClient = true;
            return tcp(cport, sport, isnC + seqC[f], isnS + seqS[f], 0x10, false, 0, 0);
        }
        if (s < dataEnd) {
            int j = s - 3;
            boolean upload = unit(f, 0, S_MODE) < 0.2;
            boolean senderIsClient = j == 0 || upload;
            boolean pureAck = j > 0 && j % 3 == 0;
            fromClient = pureAck != senderIsClient;
            if (pureAck) {
                return fromClient ? tcp(cport, sport, isnC + seqC[f], isnS + seqS[f], 0x10, false, 0, 0)
                        : tcp(cport, sport, isnS + seqS[f], isnC + seqC[f], 0x10, false, 0, 0);
            }
            int payload = j == 0 && !upload ? 80 + (int) (r * 620) : segmentSize(f, s);
            int[] mine = fromClient ? seqC : seqS;
            int next = mine[f];
            int seq = next;
            if (j > 2 && r < 0.006) {
                seq = Math.max(1, next - payload); // retransmission of bytes already sent
                retransmissions++;
            } else {
                mine[f] = next + payload;
            }
            int flags = j % 3 == 2 || j == 0 ? 0x18 : 0x10;
            int po = payloadOffset(f, s);
            return fromClient ? tcp(cport, sport, isnC + seq, isnS + seqS[f], flags, false, po, payload)
                    : tcp(cport, sport, isnS + seq, isnC + seqC[f], flags, false, po, payload);
        }
        boolean clientCloses = unit(f, 0, S_CLOSE) < 0.6;
        if (k == TCP_RST) {
            fromClient = clientCloses;
            return tcp(cport, sport, fromClient ? isnC + seqC[f] : isnS + seqS[f],
                    fromClient ? isnS + seqS[f] : isnC + seqC[f], 0x14, false, 0, 0);
        }
        int t = s - dataEnd; // 0: closer FIN, 1: other FIN, 2: closer ACK
        fromClient = clientCloses == (t != 1);
        int flags = t == 2 ? 0x10 : 0x11;
        int len = fromClient ? tcp(cport, sport, isnC + seqC[f], isnS + seqS[f], flags, false, 0, 0)
                : tcp(cport, sport, isnS + seqS[f], isnC + seqC[f], flags, false, 0, 0);
        if (t < 2) {
            if (fromClient) {
                seqC[f]++;
            } else {
                seqS[f]++;
            }
        }
        return len;
    }

    /** Payload of a data segment: full MSS for bulk flows, mixed sizes, or small interactive writes. */
    private int segmentSize(int f, int s) {
        int mss = v6 ? 1440 : 1460;
        double c = unit(f, 0, S_CLASS);
        double u = unit(f, s, S_PAY);
        if (c < 0.45) {
            return u < 0.95 ? mss : 1 + (int) (u * mss);
        }
        if (c < 0.8) {
            return 100 + (int) (u * (mss - 100));
        }
        return 20 + (int) (u * 280);
    }

    private int payloadOffset(int f, int s) {
        return (int) (mix(seed ^ f * 0xC2B2AE3D27D4EB4FL ^ s) & (POOL - 2));
    }

    // ---- frames ------------------------------------------------------------------------------------------------

    /** Ethernet (+ 802.1Q) and IP headers; returns the offset of the transport header. */
    private int ip(int protocol, int l4Length, int ttl, int ipId) {
        int p = 0;
        long dst = fromClient ? GATEWAY_MAC : clientMac;
        long src = fromClient ? clientMac : GATEWAY_MAC;
        p = mac(p, dst);
        p = mac(p, src);
        if (vlan >= 0) {
            p = u16(p, 0x8100);
            p = u16(p, vlan);
        }
        if (v6) {
            p = u16(p, 0x86DD);
            int ipStart = p;
            p = u32(p, 0x6000_0000 | (ipId & 0xFFFFF));
            p = u16(p, l4Length);
            frame[p++] = (byte) protocol;
            frame[p++] = (byte) ttl;
            p = u64(p, fromClient ? clientHi : serverHi);
            p = u64(p, fromClient ? clientLo : serverLo);
            p = u64(p, fromClient ? serverHi : clientHi);
            p = u64(p, fromClient ? serverLo : clientLo);
            assert p - ipStart == 40;
            return p;
        }
        p = u16(p, 0x0800);
        int ipStart = p;
        frame[p++] = 0x45;
        frame[p++] = 0;
        p = u16(p, 20 + l4Length);
        p = u16(p, ipId & 0xFFFF);
        p = u16(p, 0x4000);
        frame[p++] = (byte) ttl;
        frame[p++] = (byte) protocol;
        p = u16(p, 0);
        p = u32(p, fromClient ? clientV4 : serverV4);
        p = u32(p, fromClient ? serverV4 : clientV4);
        u16(ipStart + 10, fold(sum(frame, ipStart, 20)));
        return p;
    }

    private int ttl() {
        return fromClient ? 64 : 52;
    }

    /** A TCP segment; SYNs carry MSS, SACK-permitted, timestamps and window scale. */
    private int tcp(int cport, int sport, int seq, int ack, int flags, boolean options, int poolOffset,
            int payload) {
        int hl = options ? 40 : 20;
        int ipId = step[currentFlowHint] + (fromClient ? 0 : 0x8000);
        int p = ip(6, hl + payload, ttl(), ipId);
        int l4 = p;
        p = u16(p, fromClient ? cport : sport);
        p = u16(p, fromClient ? sport : cport);
        p = u32(p, seq);
        p = u32(p, (flags & 0x10) != 0 ? ack : 0);
        frame[p++] = (byte) ((hl / 4) << 4);
        frame[p++] = (byte) flags;
        p = u16(p, (flags & 0x02) != 0 ? 64_240 : fromClient ? 502 : 501);
        p = u16(p, 0);
        p = u16(p, 0);
        if (options) {
            p = u32(p, 0x0204_05B4); // MSS 1460
            p = u16(p, 0x0402); // SACK permitted
            p = u16(p, 0x080A); // timestamps
            p = u32(p, seq * 7);
            p = u32(p, (flags & 0x10) != 0 ? ack * 3 : 0);
            frame[p++] = 1; // NOP
            frame[p++] = 3; // window scale 7
            frame[p++] = 3;
            frame[p++] = 7;
        }
        System.arraycopy(pool, poolOffset, frame, p, payload);
        long sum = pseudo(6, hl + payload) + sum(frame, l4, hl) + poolSum(poolOffset, payload);
        u16(l4 + 16, fold(sum));
        return p + payload;
    }

    private int udp(int cport, int sport, int poolOffset, int payload) {
        int p = ip(17, 8 + payload, ttl(), step[currentFlowHint]);
        int l4 = p;
        p = u16(p, fromClient ? cport : sport);
        p = u16(p, fromClient ? sport : cport);
        p = u16(p, 8 + payload);
        p = u16(p, 0);
        System.arraycopy(pool, poolOffset, frame, p, payload);
        int c;
        if (sport == 123) {
            // NTP version 4, client mode from the client and server mode back: Zeek's NTP analyzer flips a
            // connection whose modes say the roles are the other way round, which random bytes would.
            frame[p] = (byte) (fromClient ? 0x23 : 0x24);
            c = fold(pseudo(17, 8 + payload) + sum(frame, l4, 8 + payload));
        } else {
            c = fold(pseudo(17, 8 + payload) + sum(frame, l4, 8) + poolSum(poolOffset, payload));
        }
        u16(l4 + 6, c == 0 ? 0xFFFF : c);
        return p + payload;
    }

    private int icmpEcho(int f, int s, boolean answered) {
        int p = ip(v6 ? 58 : 1, 8 + 56, fromClient ? 64 : 57, s);
        int l4 = p;
        int type = v6 ? (fromClient ? 128 : 129) : (fromClient ? 8 : 0);
        frame[p++] = (byte) type;
        frame[p++] = 0;
        p = u16(p, 0);
        p = u16(p, (int) mix(seed + f) & 0xFFFF);
        p = u16(p, (answered ? s / 2 : s) + 1);
        int po = payloadOffset(f, answered ? s & ~1 : s);
        System.arraycopy(pool, po, frame, p, 56);
        long sum = sum(frame, l4, 8) + poolSum(po, 56) + (v6 ? pseudo(58, 64) : 0);
        u16(l4 + 2, fold(sum));
        return p + 56;
    }

    /** A DNS query or its answer (A or AAAA records, sometimes NXDOMAIN), in wire format over UDP. */
    private int dns(int f, int cport, boolean query) {
        boolean aaaa = unit(f, 0, S_NAME + 1) < 0.3;
        byte[] name = names[(int) (unit(f, 0, S_NAME) * unit(f, 0, S_NAME + 2) * names.length)];
        double a = unit(f, 0, S_ANSWERS);
        boolean nx = a < 0.08;
        int answers = query || nx ? 0 : 1 + (int) (a * 3.5);
        int rdlen = aaaa ? 16 : 4;
        int payload = 12 + name.length + 4 + answers * (12 + rdlen);
        int p = ip(17, 8 + payload, ttl(), step[currentFlowHint]);
        int l4 = p;
        p = u16(p, query ? cport : 53);
        p = u16(p, query ? 53 : cport);
        p = u16(p, 8 + payload);
        p = u16(p, 0);
        int dns = p;
        p = u16(p, (int) mix(seed ^ f ^ S_DNSID) & 0xFFFF);
        p = u16(p, query ? 0x0100 : nx ? 0x8183 : 0x8180);
        p = u16(p, 1);
        p = u16(p, answers);
        p = u16(p, 0);
        p = u16(p, 0);
        System.arraycopy(name, 0, frame, p, name.length);
        p += name.length;
        p = u16(p, aaaa ? 28 : 1);
        p = u16(p, 1);
        for (int i = 0; i < answers; i++) {
            p = u16(p, 0xC00C); // pointer to the question name
            p = u16(p, aaaa ? 28 : 1);
            p = u16(p, 1);
            p = u32(p, 60 + (int) (mix(f + i) & 0xFFF));
            p = u16(p, rdlen);
            long h = mix(seed ^ f * 31L + i);
            if (aaaa) {
                p = u64(p, 0x2001_0DB8_0000_0000L | (h >>> 32));
                p = u64(p, h);
            } else {
                p = u32(p, (int) h | 0x1000_0000);
            }
        }
        assert p - dns == payload;
        int c = fold(pseudo(17, 8 + payload) + sum(frame, l4, 8 + payload));
        u16(l4 + 6, c == 0 ? 0xFFFF : c);
        return p;
    }

    /** Index of the flow being emitted (for IP ids); set before the frame writers run. */
    private int currentFlowHint;

    private long pseudo(int protocol, int l4Length) {
        long s = protocol + (long) l4Length;
        if (v6) {
            s += words(clientHi) + words(clientLo) + words(serverHi) + words(serverLo);
        } else {
            s += (clientV4 >>> 16) + (clientV4 & 0xFFFF) + (serverV4 >>> 16) + (serverV4 & 0xFFFF);
        }
        return s;
    }

    private static long words(long v) {
        return (v >>> 48) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
    }

    /** One's-complement sum of pool bytes [off, off + len) for an even {@code off}. */
    private long poolSum(int off, int len) {
        int w = off >>> 1;
        long s = poolSum[w + (len >>> 1)] - poolSum[w];
        if ((len & 1) != 0) {
            s += (pool[off + len - 1] & 0xFF) << 8;
        }
        return s;
    }

    static long sum(byte[] b, int off, int len) {
        long s = 0;
        int end = off + (len & ~1);
        for (int i = off; i < end; i += 2) {
            s += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xFF) << 8;
        }
        return s;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }

    private int mac(int p, long mac) {
        for (int i = 5; i >= 0; i--) {
            frame[p++] = (byte) (mac >>> (8 * i));
        }
        return p;
    }

    private int u16(int p, int v) {
        frame[p] = (byte) (v >>> 8);
        frame[p + 1] = (byte) v;
        return p + 2;
    }

    private int u32(int p, int v) {
        frame[p] = (byte) (v >>> 24);
        frame[p + 1] = (byte) (v >>> 16);
        frame[p + 2] = (byte) (v >>> 8);
        frame[p + 3] = (byte) v;
        return p + 4;
    }

    private int u64(int p, long v) {
        u32(p, (int) (v >>> 32));
        return u32(p + 4, (int) v);
    }

    // ---- DNS names ---------------------------------------------------------------------------------------------

    private byte[][] dnsNames() {
        String[] hosts = {"www", "api", "cdn", "mail", "login", "static", "img", "m", "app", "update", "ocsp",
            "time", "edge", "assets", "auth", "push", "graph", "s3", "docs", "video"};
        String[] domains = {"example", "weirnet", "contoso", "fabrikam", "northwind", "acme", "globex", "initech",
            "umbrella", "hooli", "piedpiper", "stark", "wayne", "cyberdyne", "tyrell", "soylent", "wonka",
            "gringotts", "oceanic", "vandelay", "aperture", "blackmesa", "monarch", "dunder", "prestige"};
        String[] tlds = {"com", "net", "org", "io", "de", "co.uk", "fr", "nl", "cloud", "dev"};
        byte[][] out = new byte[4096][];
        for (int i = 0; i < out.length; i++) {
            long h = mix(seed * 1_000_003 + i);
            String name = hosts[(int) ((h >>> 8) % hosts.length)]
                    + ((h & 3) == 0 ? (h >>> 40) % 100 : "") + "."
                    + ((h & 0x30) == 0 ? "eu-" + ((h >>> 20) % 9) + "." : "")
                    + domains[(int) ((h >>> 24) % domains.length)] + "."
                    + tlds[(int) ((h >>> 50) % tlds.length)];
            out[i] = encodeName(name);
        }
        return out;
    }

    static byte[] encodeName(String name) {
        byte[] b = new byte[name.length() + 2];
        int p = 0;
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b[p++] = (byte) l.length;
            System.arraycopy(l, 0, b, p, l.length);
            p += l.length;
        }
        b[p] = 0;
        return b;
    }

    // ---- random ------------------------------------------------------------------------------------------------

    /** A uniform value in [0, 1) that depends only on the seed, the flow, the packet and the purpose. */
    private double unit(int f, int s, long salt) {
        return toUnit(mix(seed * 0xD1B54A32D192ED03L + f * 0x9E3779B97F4A7C15L + s * 0xBF58476D1CE4E5B9L
                + salt * 0x94D049BB133111EBL));
    }

    private static double toUnit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
