package org.weir.detect;

/** Narrow packet-level hooks a detector may ask for; the engine calls it only for these packets. */
public enum PacketInterest {
    /** TCP segments with SYN, FIN or RST set. */
    TCP_CONTROL,
    /** UDP/TCP packets to or from port 53 (DNS). */
    DNS,
    /** ARP frames. */
    ARP,
    /** ICMP and ICMPv6. */
    ICMP,
    /** Every IP packet (expensive: use only when nothing narrower fits). */
    ALL_IP
}
