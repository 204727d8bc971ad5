package org.weir.detect.rules.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Component;
import org.weir.core.IpAddress;
import org.weir.core.PacketView;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.Transport;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;
import org.weir.detect.Parameter;
import org.weir.detect.ParameterReader;
import org.weir.detect.Severity;

/**
 * Port scans from closed sessions. A probe is a session that carried no payload from its originator and got none
 * back (TCP: no data either way; UDP: unanswered; ICMP: echo requests). Vertical scan: probes from one source to
 * many ports of one host; horizontal scan: probes from one source to one port on many hosts. A half-open probe
 * (the originator resets the SYN-ACK it provoked instead of acknowledging it) is what raw-socket SYN scanners do and
 * what an operating system's TCP stack never does, so it is reported even for a single port. On a LAN, ARP
 * requests from one sender for many addresses are a host sweep (what {@code nmap -sn} does on the local subnet).
 */
@Component(service = Detector.class)
public final class PortScanDetector extends RuleDetector {

    public static final String ID = "port_scan";

    private final int bound;

    public PortScanDetector() {
        this(0);
    }

    /** @param bound entries of each of a run's bounded tables, instead of the normal bounds when positive (tests) */
    PortScanDetector(int bound) {
        super(new DetectorInfo(ID, "Port scan", "Reconnaissance", Severity.MEDIUM,
                "Counts probe sessions (no payload from the originator and no answer) per source: min_ports "
                        + "distinct ports of one host within the window is a vertical scan, min_hosts hosts on one "
                        + "port a horizontal scan; half-open handshakes (SYN-ACK answered by RST) mark SYN scanners; "
                        + "ARP requests for min_hosts addresses from one sender are an ARP sweep.",
                List.of(new Parameter("min_ports", "int", "10", "distinct probed ports of one host (vertical)"),
                        new Parameter("min_hosts", "int", "20", "distinct probed hosts on one port (horizontal)"),
                        new Parameter("window", "duration", "60", "sliding window over session start times"),
                        new Parameter("half_open", "boolean", "true",
                                "report half-open (SYN scan) handshakes as low-severity probes"),
                        new Parameter("arp_sweep", "boolean", "true",
                                "report ARP requests for min_hosts addresses from one sender within the window"))));
        this.bound = bound;
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        return new Run(read(parameters, sink), sink, bound);
    }

    /** Whether the session is a probe: nothing exchanged but connection control. */
    static boolean isProbe(Session s) {
        return switch (s.transport()) {
            case TCP -> s.origBytes() == 0 && s.respBytes() == 0 && !s.historyContains('D')
                    && !s.historyContains('d');
            case UDP -> s.respPackets() == 0;
            case ICMP -> s.origPort() == 8 || s.origPort() == 128 || s.origPort() == 13;
            default -> false;
        };
    }

    /** The originator reset the SYN-ACK it provoked without ever acknowledging it. */
    static boolean isHalfOpen(Session s) {
        return s.transport() == Transport.TCP && s.historyContains('S') && s.historyContains('h')
                && s.historyContains('R') && !s.historyContains('A') && !s.historyContains('D')
                && !s.historyContains('^');
    }

    /**
     * The probes of one set within a sliding window of start times, from the set's second probe on (the first
     * lives in the set's table row): their distinct values (vertical: the port value and 0; horizontal: the target
     * address) and a sample of their uids.
     */
    private static final class WindowSet {
        final WindowValues values = new WindowValues();
        final RuleDetector.UidSample uids = new RuleDetector.UidSample(20);
        long newest = Long.MIN_VALUE;
        long alertedUntil = Long.MIN_VALUE;

        void add(long t, long a, long b, long window) {
            newest = Math.max(newest, t);
            values.add(t, a, b, newest - window);
        }
    }

    private static final class Run implements DetectorRun {
        private final AlertSink sink;
        private final int minPorts, minHosts;
        private final long window;
        private final boolean halfOpen;
        // Probe sets, vertical by (source, target), horizontal by (source, port, transport ordinal). Most are probed
        // once: then the row holds the probe (its start, packed uid and value: vertical the port value, horizontal
        // the target; a uid that does not pack is the row's object) and no WindowSet exists; the second probe makes
        // the WindowSet (the row's object from then on) and replays the first into it. A row with a first probe
        // has a non-zero UID_HIGH. Sets of IPv4 sources (and targets) have tables of their own, with the
        // addresses in one long of a two-long key, so that their rows are two longs narrower.
        private static final int T0 = 0, UID_HIGH = 1, UID_LOW = 2, V0 = 3, V0_LO = 4, VERTICAL_WIDTH = 4,
                HORIZONTAL_WIDTH = 5;
        private static final int MAX_SETS = 1 << 24, MAX_HALF_OPEN = 1 << 24, MAX_ARP_SENDERS = 1 << 16;
        /** Keyed by (source << 32 | target, 0), IPv4 addresses. */
        private final KeyTable verticalV4, vertical;
        /** Keyed by (source, port << 8 | transport ordinal), an IPv4 source. */
        private final KeyTable horizontalV4, horizontal;
        /** (Originator, responder) pairs reported half-open. */
        private final KeyTable halfOpenReported;
        /** A lower bound of every window set's newest start. */
        private long oldest = Long.MAX_VALUE;
        private final boolean arpSweep;
        // ARP senders: window start, requests (one Windows counter), sketch of the addresses asked for,
        // alerted-until.
        private static final int A_START = 0, A_TARGETS = 2, A_UNTIL = 3, A_WIDTH = 4;
        private final KeyTable arpSenders;

        Run(ParameterReader p, AlertSink sink, int bound) {
            this.sink = sink;
            int sets = bounded(bound, MAX_SETS);
            verticalV4 = new KeyTable(2, VERTICAL_WIDTH, sets);
            vertical = new KeyTable(4, VERTICAL_WIDTH, sets);
            horizontalV4 = new KeyTable(2, HORIZONTAL_WIDTH, sets);
            horizontal = new KeyTable(4, HORIZONTAL_WIDTH, sets);
            halfOpenReported = new KeyTable(4, 0, bounded(bound, MAX_HALF_OPEN));
            arpSenders = new KeyTable(A_WIDTH, bounded(bound, MAX_ARP_SENDERS));
            this.minPorts = p.intValue("min_ports");
            this.minHosts = p.intValue("min_hosts");
            this.window = p.nanos("window");
            this.halfOpen = p.booleanValue("half_open");
            this.arpSweep = p.booleanValue("arp_sweep");
        }

        @Override
        public Set<PacketInterest> packetInterests() {
            return arpSweep ? Set.of(PacketInterest.ARP) : Set.of();
        }

        @Override
        public void onPacket(PacketView p) {
            int a = ArpSpoofDetector.arpOffset(p);
            if (a < 0 || p.u16(a + 6) != 1 || p.u16(a + 2) != 0x0800 || p.u8(a + 5) != 4) {
                return; // ARP requests for IPv4 only
            }
            long sender = ((long) p.u16(a + 14) << 16) | p.u16(a + 16);
            long target = ((long) p.u16(a + 24) << 16) | p.u16(a + 26);
            if (sender == target || sender == 0) {
                return; // gratuitous announcements and address probes ask for nobody else
            }
            long t = p.timestampNanos;
            int s = arpSenders.put(sender, 0);
            if (s < 0) {
                return;
            }
            long start = arpSenders.get(s, A_START);
            if (start == 0 || t - start >= window) {
                arpSenders.set(s, A_TARGETS, 0); // a fresh window of addresses
            }
            Windows.roll(arpSenders, s, A_START, 1, t, window);
            Windows.add(arpSenders, s, A_START, 0, 1);
            arpSenders.set(s, A_TARGETS, KeyTable.sketch(arpSenders.get(s, A_TARGETS), target, 0));
            double asked = KeyTable.distinct(arpSenders.get(s, A_TARGETS));
            if (asked < minHosts || arpSenders.get(s, A_UNTIL) > t) {
                return;
            }
            arpSenders.set(s, A_UNTIL, t + window);
            String ip = (sender >>> 24) + "." + ((sender >>> 16) & 0xFF) + "." + ((sender >>> 8) & 0xFF) + "."
                    + (sender & 0xFF);
            sink.raise(alert(ID, "arp_sweep", Severity.MEDIUM, t, ip, "about " + Math.round(asked) + " addresses",
                    ip + " asked ARP for about " + Math.round(asked) + " addresses within " + seconds(window)
                            + " s (host discovery sweep)",
                    evidence("distinct_addresses_est", Math.round(asked), "requests_in_window",
                            Math.round(Windows.estimate(arpSenders, s, A_START, 0, t, window)), "threshold", minHosts,
                            "window_s", seconds(window)),
                    List.of()));
        }

        @Override
        public void onSessions(SessionBatch batch) {
            for (Session s : batch.closed()) {
                if (halfOpen && isHalfOpen(s)) {
                    halfOpen(s);
                }
                if (!isProbe(s)) {
                    continue;
                }
                oldest = Math.min(oldest, s.startNanos());
                int port = s.transport() == Transport.ICMP ? -1 - s.origPort() : s.respPort();
                int value = s.transport() == Transport.UDP ? 65536 + port : port;
                WindowSet v = verticalSet(s, value);
                if (v == null) {
                    // first probe of the set, kept in its row
                } else if (v.alertedUntil >= s.startNanos()) {
                    s.addTag(ID);
                    v.alertedUntil = s.startNanos() + window;
                } else if (v.values.distinct() >= minPorts) {
                    v.alertedUntil = s.startNanos() + window;
                    s.addTag(ID);
                    TreeSet<Integer> ports = new TreeSet<>();
                    for (long key : v.values.firstOfValues()) {
                        ports.add((int) (key >= 65536 ? key - 65536 : key));
                    }
                    sink.raise(alert(ID, "vertical_port_scan", Severity.MEDIUM, s.lastNanos(), s.origAddress(),
                            s.respAddress(),
                            s.origAddress() + " probed " + v.values.distinct() + " ports of " + s.respAddress()
                                    + " within " + seconds(window) + " s",
                            evidence("distinct_ports", v.values.distinct(), "probes_in_window", v.values.size(),
                                    "threshold", minPorts, "window_s", seconds(window), "ports_sample",
                                    sample(ports)),
                            v.uids.list()));
                }
                if (s.transport() == Transport.ICMP && port != -9 && port != -129) {
                    continue;
                }
                WindowSet h = horizontalSet(s, port);
                if (h == null) {
                    // first probe of the set, kept in its row
                } else if (h.alertedUntil >= s.startNanos()) {
                    s.addTag(ID);
                    h.alertedUntil = s.startNanos() + window;
                } else if (h.values.distinct() >= minHosts) {
                    h.alertedUntil = s.startNanos() + window;
                    s.addTag(ID);
                    String service = s.transport() == Transport.ICMP ? "ICMP echo"
                            : s.respPort() + "/" + s.transport().zeekName();
                    sink.raise(alert(ID, "horizontal_port_scan", Severity.MEDIUM, s.lastNanos(), s.origAddress(),
                            service,
                            s.origAddress() + " probed " + service + " on " + h.values.distinct()
                                    + " hosts within " + seconds(window) + " s",
                            evidence("distinct_hosts", h.values.distinct(), "probes_in_window", h.values.size(),
                                    "threshold", minHosts, "window_s", seconds(window), "port", s.respPort()),
                            h.uids.list()));
                }
            }
        }

        /**
         * Adds the probe to its vertical set; returns the set, or null when this was the set's first probe and is
         * kept in the row (with min_ports above 1 a single probe can neither alert nor be tagged).
         */
        private WindowSet verticalSet(Session s, int value) {
            boolean v4 = IpAddress.isV4(s.origHi(), s.origLo()) && IpAddress.isV4(s.respHi(), s.respLo());
            KeyTable t = v4 ? verticalV4 : vertical;
            int r = v4 ? t.put(s.origLo() << 32 | (s.respLo() & 0xFFFF_FFFFL), 0)
                    : t.put(s.origHi(), s.origLo(), s.respHi(), s.respLo());
            if (r < 0) {
                return null; // bounded memory: MAX_SETS sets, counted by the table and reported at the end
            }
            Object o = t.object(r);
            WindowSet v;
            if (o instanceof WindowSet w) {
                v = w;
            } else {
                if (minPorts > 1 && first(t, r, s)) {
                    t.set(r, V0, value);
                    return null;
                }
                v = new WindowSet();
                if (t.get(r, UID_HIGH) != 0) {
                    v.add(t.get(r, T0), t.get(r, V0), 0, window);
                    v.uids.add(firstUid(t, r, o));
                }
                t.object(r, v);
            }
            v.add(s.startNanos(), value, 0, window);
            v.uids.add(s.uid());
            return v;
        }

        /** The same for the horizontal set of (source, port, transport); its values are the targets. */
        private WindowSet horizontalSet(Session s, int port) {
            boolean v4 = IpAddress.isV4(s.origHi(), s.origLo());
            KeyTable t = v4 ? horizontalV4 : horizontal;
            int r = v4 ? t.put(s.origLo(), (long) port << 8 | s.transport().ordinal())
                    : t.put(s.origHi(), s.origLo(), port, s.transport().ordinal());
            if (r < 0) {
                return null;
            }
            Object o = t.object(r);
            WindowSet h;
            if (o instanceof WindowSet w) {
                h = w;
            } else {
                if (minHosts > 1 && first(t, r, s)) {
                    t.set(r, V0, s.respHi());
                    t.set(r, V0_LO, s.respLo());
                    return null;
                }
                h = new WindowSet();
                if (t.get(r, UID_HIGH) != 0) {
                    h.add(t.get(r, T0), t.get(r, V0), t.get(r, V0_LO), window);
                    h.uids.add(firstUid(t, r, o));
                }
                t.object(r, h);
            }
            h.add(s.startNanos(), s.respHi(), s.respLo(), window);
            h.uids.add(s.uid());
            return h;
        }

        /** Whether row {@code r} is new: then it records the probe's time and uid as the set's first probe. */
        private static boolean first(KeyTable t, int r, Session s) {
            if (t.get(r, UID_HIGH) != 0) {
                return false;
            }
            t.set(r, T0, s.startNanos());
            String uid = s.uid();
            long high = PackedUid.high(uid);
            t.set(r, UID_HIGH, high);
            if (high == PackedUid.UNPACKED) {
                t.object(r, uid);
            } else {
                t.set(r, UID_LOW, PackedUid.low(uid));
            }
            return true;
        }

        /** The uid of the first probe kept in row {@code r}, whose object is {@code o}. */
        private static String firstUid(KeyTable t, int r, Object o) {
            long high = t.get(r, UID_HIGH);
            return high == PackedUid.UNPACKED ? (String) o : PackedUid.unpack(high, t.get(r, UID_LOW));
        }

        @Override
        public void onTime(long now) {
            // Forget sources that went quiet (bounded memory on long captures); alerts in progress stay. Skipped
            // while the oldest start added since the last sweep (a lower bound of every set's newest) is recent.
            if (verticalV4.size() + vertical.size() + horizontalV4.size() + horizontal.size() > 4096
                    && oldest < now - 2 * window) {
                long[] min = {Long.MAX_VALUE};
                KeyTable.Keep active = (t, r) -> !sweep(t, r, now, min);
                verticalV4.retain(active);
                vertical.retain(active);
                horizontalV4.retain(active);
                horizontal.retain(active);
                oldest = min[0];
            }
        }

        @Override
        public void finish() {
            warnUntracked(sink, verticalV4.refused() + vertical.refused(), "probe sessions (vertical)",
                    verticalV4.maxSize(), "(source, target) probe sets");
            warnUntracked(sink, horizontalV4.refused() + horizontal.refused(), "probe sessions (horizontal)",
                    horizontalV4.maxSize(), "(source, port) probe sets");
            warnUntracked(sink, arpSenders.refused(), "ARP requests", arpSenders.maxSize(), "ARP senders");
            warnSaturated(sink, arpSenders.saturated(), "ARP requests per sender");
            if (halfOpenReported.refused() > 0) {
                sink.warn(String.format(Locale.ROOT, "%,d half-open probes not remembered as reported: more than "
                        + "%,d (originator, responder) pairs at once (memory bound); their pairs may have been "
                        + "reported more than once", halfOpenReported.refused(), halfOpenReported.maxSize()));
            }
        }

        /** Whether the set in row {@code r} went quiet; otherwise its newest start lowers {@code min[0]}. */
        private boolean sweep(KeyTable t, int r, long now, long[] min) {
            long newest, alertedUntil;
            if (t.object(r) instanceof WindowSet w) {
                newest = w.newest;
                alertedUntil = w.alertedUntil;
            } else {
                newest = t.get(r, T0); // a single probe: never alerted
                alertedUntil = Long.MIN_VALUE;
            }
            if (newest < now - 2 * window && alertedUntil < now) {
                return true;
            }
            min[0] = Math.min(min[0], newest);
            return false;
        }

        private void halfOpen(Session s) {
            s.addTag(ID);
            int known = halfOpenReported.size();
            // Past the table's bound a pair is not remembered and reported again: noisier, never silent.
            if (halfOpenReported.put(s.origHi(), s.origLo(), s.respHi(), s.respLo()) < 0
                    || halfOpenReported.size() > known) {
                sink.raise(alert(ID, "half_open_probe", Severity.LOW, s.lastNanos(), s.origAddress(),
                        endpoint(s),
                        s.origAddress() + " reset the SYN-ACK of " + endpoint(s)
                                + " without completing the handshake (SYN scan)",
                        evidence("history", s.history(), "conn_state", s.connState(), "port", s.respPort()),
                        List.of(s.uid())));
            }
        }

        private static String sample(TreeSet<Integer> ports) {
            StringBuilder sb = new StringBuilder();
            int n = 0;
            for (int p : ports) {
                if (n++ == 20) {
                    sb.append(",...");
                    break;
                }
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(p < 0 ? "icmp" + (-1 - p) : Integer.toString(p));
            }
            return sb.toString();
        }
    }
}
