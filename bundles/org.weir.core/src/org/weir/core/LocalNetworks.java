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
    /** IPv4 networks (IPv4-mapped, prefix ≥ 96): network and mask of the address's low 32 bits. */
    private final int[] v4Net, v4Mask;
    /** Whether a network shorter than /96 covers the whole IPv4-mapped range (then every IPv4 address is local). */
    private final boolean allV4;
    /** The other networks, masks precomputed; the only ones an address outside the IPv4-mapped range can be in. */
    private final long[] v6Hi, v6Lo, v6MaskHi, v6MaskLo;

    private LocalNetworks(List<Subnet> networks) {
        this.networks = networks.toArray(Subnet[]::new);
        int v4 = 0;
        boolean all = false;
        for (Subnet n : this.networks) {
            if (isV4Network(n)) {
                v4++;
            } else if (n.contains(0, IpAddress.v4Lo(0)) && n.prefixLength() <= 96) {
                all = true;
            }
        }
        allV4 = all;
        v4Net = new int[v4];
        v4Mask = new int[v4];
        int v6 = this.networks.length - v4;
        v6Hi = new long[v6];
        v6Lo = new long[v6];
        v6MaskHi = new long[v6];
        v6MaskLo = new long[v6];
        int i4 = 0, i6 = 0;
        for (Subnet n : this.networks) {
            int bits = n.prefixLength();
            if (isV4Network(n)) {
                v4Net[i4] = (int) n.lo();
                v4Mask[i4++] = bits == 96 ? 0 : -1 << (128 - bits);
            } else {
                v6Hi[i6] = n.hi();
                v6Lo[i6] = n.lo();
                v6MaskHi[i6] = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
                v6MaskLo[i6++] = bits <= 64 ? 0 : bits >= 128 ? -1L : -1L << (128 - bits);
            }
        }
    }

    /** A network inside the IPv4-mapped range: it can only hold IPv4 addresses. */
    private static boolean isV4Network(Subnet n) {
        return n.prefixLength() >= 96 && IpAddress.isV4(n.hi(), n.lo());
    }

    /** The private address space, as Zeek considers local by default. */
    public static LocalNetworks privateAddressSpace() {
        return of(PRIVATE_ADDRESS_SPACE);
    }

    /** The given CIDR networks (plus nothing else). */
    public static LocalNetworks of(List<String> cidrs) {
        return new LocalNetworks(cidrs.stream().map(Subnet::parse).toList());
    }

    /** Whether any of the networks holds the address (the same answer as asking each {@link Subnet}). */
    public boolean isLocal(long hi, long lo) {
        if (IpAddress.isV4(hi, lo)) {
            if (allV4) {
                return true;
            }
            int a = (int) lo;
            int[] net = v4Net, mask = v4Mask;
            for (int i = 0; i < net.length; i++) {
                if ((a & mask[i]) == net[i]) {
                    return true;
                }
            }
            return false;
        }
        long[] nh = v6Hi, nl = v6Lo, mh = v6MaskHi, ml = v6MaskLo;
        for (int i = 0; i < nh.length; i++) {
            if ((hi & mh[i]) == nh[i] && (lo & ml[i]) == nl[i]) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return networks.length == 0;
    }
}
