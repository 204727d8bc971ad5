package org.weir.policy;

import org.weir.core.IpAddress;

/**
 * What a whitelist verdict looks at, for the far end of a session (flodbadd evaluates the destination of
 * egress sessions): its address, port and transport protocol, the domain it was reached by (DNS, SNI or HTTP
 * Host), its autonomous system and the local process. Unknown values are {@code null}, {@code -1} (AS number)
 * or {@code hasAddress == false}.
 *
 * @param protocol transport protocol name as in the whitelist files ({@code TCP}, {@code UDP}; any case)
 */
public record SessionFacts(String domain, boolean hasAddress, long addressHi, long addressLo, int port,
        String protocol, long asNumber, String asCountry, String asOwner, String process) {

    /** The destination's address (two longs, IPv4-mapped as in {@link IpAddress}), port and protocol. */
    public static SessionFacts to(long addressHi, long addressLo, int port, String protocol) {
        return new SessionFacts(null, true, addressHi, addressLo, port, protocol, -1, null, null, null);
    }

    /** Convenience for an address literal. */
    public static SessionFacts to(String address, int port, String protocol) {
        long[] a = new long[2];
        IpAddress.parse(address, a);
        return to(a[0], a[1], port, protocol);
    }

    /** No address known (only domain, port, AS or process rules can match). */
    public static SessionFacts toUnknownAddress(int port, String protocol) {
        return new SessionFacts(null, false, 0, 0, port, protocol, -1, null, null, null);
    }

    public SessionFacts withDomain(String name) {
        return new SessionFacts(name, hasAddress, addressHi, addressLo, port, protocol, asNumber, asCountry, asOwner,
                process);
    }

    public SessionFacts withAs(long number, String country, String owner) {
        return new SessionFacts(domain, hasAddress, addressHi, addressLo, port, protocol, number, country, owner,
                process);
    }

    public SessionFacts withProcess(String name) {
        return new SessionFacts(domain, hasAddress, addressHi, addressLo, port, protocol, asNumber, asCountry,
                asOwner, name);
    }

    @Override
    public String toString() {
        return "domain=" + domain + " ip=" + (hasAddress ? IpAddress.toString(addressHi, addressLo) : null) + " port="
                + port + " protocol=" + protocol + " as=" + (asNumber < 0 ? null : asNumber) + " country=" + asCountry
                + " owner=" + asOwner + " process=" + process;
    }
}
