package org.weir.exchange;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Optional conn.log columns beyond Zeek's defaults, named as the Zeek policy scripts that add them name them.
 */
public enum ConnColumns {
    /** {@code vlan}, {@code inner_vlan} (policy/protocols/conn/vlan-logging). */
    VLAN,
    /** {@code orig_l2_addr}, {@code resp_l2_addr} (policy/protocols/conn/mac-logging). */
    L2,
    /** {@code community_id} (policy/protocols/conn/community-id-logging). */
    COMMUNITY_ID,
    /**
     * Location and autonomous system of both ends, named as Zeek logs its {@code geo_location} and
     * {@code geo_autonomous_system} records ({@code lookup_location}, {@code lookup_autonomous_system}; e.g.
     * policy/protocols/ssh/geo-data's {@code remote_location}): {@code orig_location.country_code},
     * {@code orig_location.city}, {@code orig_location.latitude}, {@code orig_location.longitude}, the same for
     * {@code resp_location}, then {@code orig_as.number}, {@code orig_as.organization}, {@code resp_as.number},
     * {@code resp_as.organization}.
     */
    GEO,
    /**
     * Names of the ends (Zeek has no conn.log names script): {@code orig_domain}, {@code resp_domain},
     * {@code resp_registered_domain}, {@code resp_name_source}.
     */
    NAMES,
    /**
     * Intelligence and policy: {@code orig_mac_vendor}, {@code resp_mac_vendor}, {@code resp_port_service},
     * {@code resp_port_cves}, {@code criticality} (tags, EDAMAME's name), {@code verdict}
     * ({@code conforming}/{@code exception}), {@code verdict_rule}.
     */
    INTEL;

    /** The group names {@link #parse} knows. */
    public static final String KNOWN = "vlan, l2, community_id, geo, names, intel";

    /** Parses a comma-separated list such as {@code vlan,community_id}. */
    public static Set<ConnColumns> parse(String list) {
        Set<ConnColumns> set = EnumSet.noneOf(ConnColumns.class);
        for (String part : list.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (name.isEmpty()) {
                continue;
            }
            try {
                set.add(valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "unknown conn.log column group '" + part.trim() + "' (known: " + KNOWN + ")");
            }
        }
        return set;
    }
}
