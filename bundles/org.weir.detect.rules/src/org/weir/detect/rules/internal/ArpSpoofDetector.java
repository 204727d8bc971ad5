package org.weir.detect.rules.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.weir.core.LinkTypes;
import org.weir.core.PacketView;
import org.weir.core.SessionBatch;
import org.weir.detect.AlertSink;
import org.weir.detect.Detector;
import org.weir.detect.DetectorInfo;
import org.weir.detect.DetectorRun;
import org.weir.detect.PacketInterest;
import org.weir.detect.Parameter;
import org.weir.detect.Severity;

/**
 * ARP spoofing: an IPv4 address claimed (as ARP sender) by a MAC other than the one that held it. A single change
 * can be a replaced machine or a failover, so it is medium; the old owner claiming it back while the new one keeps
 * claiming it (two MACs contending for one address) is the signature of cache poisoning and is high.
 */
@Component(service = Detector.class)
public final class ArpSpoofDetector extends RuleDetector {

    public static final String ID = "arp_spoof";

    private final int bound;

    public ArpSpoofDetector() {
        this(0);
    }

    /** @param bound entries of each of a run's bounded tables, instead of the normal bounds when positive (tests) */
    ArpSpoofDetector(int bound) {
        super(new DetectorInfo(ID, "ARP spoofing", "Man in the middle", Severity.HIGH,
                "Learns which MAC owns each IPv4 address from ARP senders; a different MAC claiming a known "
                        + "address is reported, and two MACs alternating on one address within the window is "
                        + "reported as cache poisoning.",
                List.of(new Parameter("window", "duration", "600",
                        "alternation between two MACs within this time is contention"))));
        this.bound = bound;
    }

    @Override
    public DetectorRun start(Map<String, String> parameters, AlertSink sink) {
        return new Run(read(parameters, sink).nanos("window"), sink, bound);
    }

    /** Offset of the ARP header in an Ethernet frame (after VLAN tags), or -1. */
    static int arpOffset(PacketView p) {
        if (p.linkType != LinkTypes.ETHERNET) {
            return -1;
        }
        int pos = p.frameOffset + 12;
        int end = p.frameOffset + p.capturedLength;
        for (int tags = 0; tags < 4 && pos + 2 <= end; tags++) {
            int type = p.u16(pos);
            if (type == 0x0806) {
                return pos + 2 + 28 <= end ? pos + 2 : -1;
            }
            if (type != 0x8100 && type != 0x88A8 && type != 0x9100) {
                return -1;
            }
            pos += 4;
        }
        return -1;
    }

    private static final class Run implements DetectorRun {
        private static final int MAC = 0, PREVIOUS = 1, CHANGED = 2, CHANGES = 3, CONTENDED = 4, WIDTH = 5;
        private final long window;
        private final AlertSink sink;
        private static final int MAX_ADDRESSES = 1 << 20;
        private final KeyTable owners;

        Run(long window, AlertSink sink, int bound) {
            this.owners = new KeyTable(WIDTH, bounded(bound, MAX_ADDRESSES));
            this.window = window;
            this.sink = sink;
        }

        @Override
        public Set<PacketInterest> packetInterests() {
            return Set.of(PacketInterest.ARP);
        }

        @Override
        public void onPacket(PacketView p) {
            int a = arpOffset(p);
            if (a < 0 || p.u16(a) != 1 || p.u16(a + 2) != 0x0800 || p.u8(a + 4) != 6 || p.u8(a + 5) != 4) {
                return;
            }
            int op = p.u16(a + 6);
            long mac = ((long) p.u16(a + 8) << 32) | ((long) p.u16(a + 10) << 16) | p.u16(a + 12);
            long ip = ((long) p.u16(a + 14) << 16) | p.u16(a + 16);
            if (ip == 0 || mac == 0 || mac == 0xFFFF_FFFF_FFFFL || (op != 1 && op != 2)) {
                return; // probes (0.0.0.0) and malformed senders claim nothing
            }
            int s = owners.put(ip, 0);
            if (s < 0) {
                return; // bounded memory, counted by the table and reported at the end
            }
            long owner = owners.get(s, MAC);
            if (owner == 0) {
                owners.set(s, MAC, mac + 1); // +1: zero means unknown
                return;
            }
            if (owner - 1 == mac) {
                return;
            }
            long t = p.timestampNanos;
            long previous = owners.get(s, PREVIOUS) - 1;
            boolean contention = previous == mac && t - owners.get(s, CHANGED) <= window;
            owners.set(s, PREVIOUS, owner);
            owners.set(s, MAC, mac + 1);
            owners.set(s, CHANGED, t);
            long changes = owners.add(s, CHANGES, 1);
            String ipText = (ip >>> 24) + "." + ((ip >>> 16) & 0xFF) + "." + ((ip >>> 8) & 0xFF) + "." + (ip & 0xFF);
            if (contention) {
                if (owners.get(s, CONTENDED) != 0) {
                    return;
                }
                owners.set(s, CONTENDED, 1);
                sink.raise(alert(ID, "arp_cache_poisoning", Severity.HIGH, t, mac(mac), ipText,
                        "MACs " + mac(owner - 1) + " and " + mac(mac) + " both claim " + ipText
                                + " (ARP cache poisoning)",
                        evidence("ip", ipText, "mac", mac(mac), "other_mac", mac(owner - 1), "changes", changes,
                                "arp_op", op),
                        List.of()));
            } else if (changes == 1) {
                sink.raise(alert(ID, "arp_ip_claimed", Severity.MEDIUM, t, mac(mac), ipText,
                        mac(mac) + " now claims " + ipText + ", which " + mac(owner - 1) + " held",
                        evidence("ip", ipText, "mac", mac(mac), "previous_mac", mac(owner - 1), "arp_op", op),
                        List.of()));
            }
        }

        @Override
        public void onSessions(SessionBatch batch) {
        }

        @Override
        public void finish() {
            warnUntracked(sink, owners.refused(), "ARP claims", owners.maxSize(), "IPv4 addresses");
        }

        static String mac(long m) {
            StringBuilder sb = new StringBuilder(17);
            for (int i = 5; i >= 0; i--) {
                int b = (int) (m >>> (8 * i)) & 0xFF;
                sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
                if (i > 0) {
                    sb.append(':');
                }
            }
            return sb.toString();
        }
    }
}
