package org.weir.detect;

/** Narrow packet-level hooks a detector or enricher may ask for; the engine calls it only for these packets. */
public enum PacketInterest {
    /** TCP segments with SYN, FIN or RST set. */
    TCP_CONTROL,
    /** UDP/TCP packets to or from port 53 (DNS). */
    DNS,
    /** ARP frames. */
    ARP,
    /** ICMP and ICMPv6. */
    ICMP,
    /** UDP packets to or from port 5353 (multicast DNS). */
    MDNS,
    /** TCP segments carrying payload (cheap prefix checks only: most TCP packets of a capture are these). */
    TCP_PAYLOAD,
    /** Every IP packet (expensive: use only when nothing narrower fits). */
    ALL_IP,
    /** UDP datagrams (any port). */
    UDP
}
