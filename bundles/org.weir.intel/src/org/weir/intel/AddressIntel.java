package org.weir.intel;

import java.util.List;

import org.weir.core.IntelOptions;
import org.weir.core.Transport;

/**
 * What Weir knows about one address, from the same feeds an analysis with the given options would use (named
 * files, configured services, the data folder). For {@code weir intel lookup} and the workbench.
 */
public interface AddressIntel {

    /**
     * @param address the address looked up
     * @param geo location and autonomous system
     * @param tags {@code blacklist:<name>} and {@code tor_exit_node} tags
     * @param port the port asked about, -1 when none
     * @param service the registered service name of the port, or null
     * @param cves known vulnerabilities of services on the port (TCP)
     * @param databases the MaxMind DB files consulted
     * @param lists the blacklists consulted
     */
    record Report(String address, GeoInfo geo, List<String> tags, int port, String service, List<String> cves,
            List<GeoDatabase> databases, List<Blacklists.ListInfo> lists) {
    }

    /**
     * @param port a port to name, or -1
     * @throws FeedException when a feed named in the options cannot be used
     * @throws IllegalArgumentException when {@code address} is not an IPv4 or IPv6 address
     */
    Report lookup(String address, int port, Transport transport, IntelOptions options) throws FeedException;
}
