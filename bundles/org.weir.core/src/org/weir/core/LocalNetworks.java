package org.weir.core;

import java.util.List;

/**
 * The networks a site considers its own (Zeek's {@code Site::local_nets}); they decide conn.log's
 * {@code local_orig}/{@code local_resp}. By default, as in Zeek, the private and special-purpose address space.
 */
public final class LocalNetworks {

    /**
     * Zeek 8's {@code Site::private_address_space}: the IANA special-purpose registries, local-network-control and
     * administratively scoped multicast, site-local IPv6, and the 6to4 forms of the IPv4 blocks.
     */
    private static final List<String> PRIVATE_ADDRESS_SPACE = List.of(
            "0.0.0.0/8", "2002::/24", "10.0.0.0/8", "2002:a00::/24", "100.64.0.0/10", "2002:6440::/26",
            "127.0.0.0/8", "2002:7f00::/24", "169.254.0.0/16", "2002:a9fe::/32", "172.16.0.0/12", "2002:ac10::/28",
            "192.0.0.0/24", "2002:c000::/40", "192.0.2.0/24", "2002:c000:200::/40", "192.168.0.0/16",
            "2002:c0a8::/32", "198.18.0.0/15", "2002:c612::/31", "198.51.100.0/24", "2002:c633:6400::/40",
            "203.0.113.0/24", "2002:cb00:7100::/40", "240.0.0.0/4", "2002:f000::/20", "255.255.255.255/32",
            "2002:ffff:ffff::/48", "224.0.0.0/24", "2002:e000::/40", "239.0.0.0/8", "2002:ef00::/24", "::/128",
            "::1/128", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:2::/48",
            "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10");

    private final Subnet[] networks;

    private LocalNetworks(List<Subnet> networks) {
        this.networks = networks.toArray(Subnet[]::new);
    }

    /** The private address space, as Zeek considers local by default. */
    public static LocalNetworks privateAddressSpace() {
        return of(PRIVATE_ADDRESS_SPACE);
    }

    /** The given CIDR networks (plus nothing else). */
    public static LocalNetworks of(List<String> cidrs) {
        return new LocalNetworks(cidrs.stream().map(Subnet::parse).toList());
    }

    public boolean isLocal(long hi, long lo) {
        for (Subnet n : networks) {
            if (n.contains(hi, lo)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return networks.length == 0;
    }
}
