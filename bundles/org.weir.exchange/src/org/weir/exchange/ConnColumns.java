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
    COMMUNITY_ID;

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
                        "unknown conn.log column group '" + part.trim() + "' (known: vlan, l2, community_id)");
            }
        }
        return set;
    }
}
