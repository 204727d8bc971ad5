package org.weir.intel;

import java.nio.file.Path;
import java.util.List;

/**
 * MAC address vendors from the IEEE registries (MA-L 24-bit, MA-M 28-bit, MA-S and IAB 36-bit prefixes, as the
 * IEEE publishes them in CSV). The longest matching prefix wins, so a block the IEEE sub-assigned names the
 * sub-assignee rather than "IEEE Registration Authority".
 */
public interface MacVendors {

    /** One registry entry. {@code prefixBits} is 24, 28 or 36. */
    record Assignment(String registry, long prefix, int prefixBits, String organization) {
    }

    /** The assignment for a 48-bit MAC (as in {@code Session.origMac()}), {@code null} when none. */
    Assignment assignment(long mac);

    /** The organisation name for a 48-bit MAC, {@code null} when unassigned or unknown. */
    default String vendor(long mac) {
        Assignment a = assignment(mac);
        return a == null ? null : a.organization();
    }

    /** Convenience for {@code aa:bb:cc:dd:ee:ff}, {@code aa-bb-...} or {@code aabb.ccdd.eeff}. */
    default String vendor(String mac) {
        return vendor(parseMac(mac));
    }

    /** Replaces the registries (CSV files: Registry,Assignment,Organization Name,Organization Address). */
    void load(List<Path> csvFiles) throws FeedException;

    /** Entries loaded. */
    int size();

    /** The last load failure, empty after a successful load. */
    java.util.Optional<FeedException> lastError();

    /** A MAC in any of the usual notations as a 48-bit value. */
    static long parseMac(String text) {
        long v = 0;
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int d = Character.digit(c, 16);
            if (d >= 0) {
                v = (v << 4) | d;
                digits++;
            } else if (c != ':' && c != '-' && c != '.') {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
        }
        if (digits != 12) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        return v;
    }
}
