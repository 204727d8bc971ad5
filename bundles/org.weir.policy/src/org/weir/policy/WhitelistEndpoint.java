package org.weir.policy;

import java.util.List;

/**
 * One endpoint rule of a whitelist, as in the file. Absent criteria are {@code null} (or empty lists) and match
 * anything. {@code domains}, {@code ips} and {@code ports} are flodbadd's list forms: any element may match.
 *
 * @param profile  the whitelist (profile) the rule is written in
 * @param index    its position in that profile's {@code endpoints} (0-based)
 * @param line     line of the rule in the file (1-based)
 */
public record WhitelistEndpoint(String profile, int index, int line, String domain, List<String> domains,
        String ip, List<String> ips, Integer port, List<PortRange> ports, String protocol, Long asNumber,
        String asCountry, String asOwner, String process, String description) {

    /** An inclusive port range; a single port has {@code first == last}. */
    public record PortRange(int first, int last) {
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(profile).append('[').append(index).append(']');
        if (description != null) {
            sb.append(" \"").append(description).append('"');
        }
        return sb.toString();
    }
}
