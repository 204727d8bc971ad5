package org.weir.engine.internal;

import java.util.Set;

import org.weir.core.PacketView;
import org.weir.detect.PacketInterest;

/**
 * Packet classes for routing packets to the runs (detectors, enrichers) that asked for them: one bit per
 * {@link PacketInterest}; a run's mask is the OR of its interests, a packet's class the OR of what it is.
 * Hosts keep one array of targets per class value, so routing is an array read.
 */
final class PacketClasses {

    static final int TCP_CONTROL = 1, DNS = 2, ARP = 4, ICMP = 8, ALL_IP = 16, MDNS = 32, TCP_PAYLOAD = 64, UDP = 128;
    /** Number of distinct class values (all bit combinations). */
    static final int MASKS = 256;

    private PacketClasses() {
    }

    /** The class bits of the layer in {@code p}: a few field reads, no allocation. */
    static int classify(PacketView p) {
        if (p.ipVersion == 0) {
            return p.etherType == 0x0806 ? ARP : 0;
        }
        int m = ALL_IP;
        switch (p.protocol) {
            case 6 -> {
                if ((p.tcpFlags & 0x07) != 0) {
                    m |= TCP_CONTROL;
                }
                if (p.srcPort == 53 || p.dstPort == 53) {
                    m |= DNS;
                }
                if (p.payloadCapturedLength > 0) {
                    m |= TCP_PAYLOAD;
                }
            }
            case 17 -> {
                m |= UDP;
                if (p.srcPort == 53 || p.dstPort == 53) {
                    m |= DNS;
                } else if (p.srcPort == 5353 || p.dstPort == 5353) {
                    m |= MDNS;
                }
            }
            case 1, 58 -> m |= ICMP;
            default -> {
            }
        }
        return m;
    }

    static int maskOf(Set<PacketInterest> interests) {
        int m = 0;
        for (PacketInterest i : interests) {
            m |= switch (i) {
                case TCP_CONTROL -> TCP_CONTROL;
                case DNS -> DNS;
                case ARP -> ARP;
                case ICMP -> ICMP;
                case ALL_IP -> ALL_IP;
                case MDNS -> MDNS;
                case TCP_PAYLOAD -> TCP_PAYLOAD;
                case UDP -> UDP;
            };
        }
        return m;
    }
}
