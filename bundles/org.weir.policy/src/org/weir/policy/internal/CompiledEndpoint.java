package org.weir.policy.internal;

import java.util.List;

import org.weir.core.IpAddress;
import org.weir.core.Subnet;
import org.weir.policy.SessionFacts;
import org.weir.policy.WhitelistEndpoint;
import org.weir.policy.WhitelistEndpoint.PortRange;

/**
 * One endpoint rule with its addresses parsed, and flodbadd's documented matching
 * ({@code endpoint_matches_with_reason} in flodbadd's WHITELISTS.md):
 * <ol>
 * <li>port, protocol and process must match first (an absent criterion matches anything; protocol and process
 * compare case-insensitively, an endpoint's process needs a session process);</li>
 * <li>domain has priority over IP: a domain that matches decides (subject to the AS criteria); a domain that
 * does not match fails unless an IP is also given; an IP that matches decides (subject to the AS criteria);
 * both given and neither matching fails; an IP alone that does not match fails;</li>
 * <li>with neither domain nor IP, the AS criteria alone decide.</li>
 * </ol>
 * AS criteria: each given one (number; country and owner case-insensitive) must equal the session's, which must
 * be known. Domains compare exactly, or by the three wildcard forms {@code *.example.com} (at least one label
 * before the suffix), {@code example.*} (the name itself or a dot after it) and {@code api.*.example.com}
 * (something between prefix and suffix). IPs compare exactly or by CIDR, an IPv4 rule only against IPv4.
 */
final class CompiledEndpoint {

    final WhitelistEndpoint rule;
    private final List<IpSpec> networks;
    private final boolean domainSpecified;
    private final boolean ipSpecified;

    CompiledEndpoint(WhitelistEndpoint rule, List<IpSpec> networks) {
        this.rule = rule;
        this.networks = List.copyOf(networks);
        this.domainSpecified = rule.domain() != null || !rule.domains().isEmpty();
        this.ipSpecified = !networks.isEmpty();
    }

    boolean matches(SessionFacts s) {
        if (!portMatches(s.port()) || !equalsIgnoreCase(rule.protocol(), s.protocol())
                || !equalsIgnoreCase(rule.process(), s.process())) {
            return false;
        }
        if (domainSpecified) {
            if (domainMatches(s.domain())) {
                return asMatches(s);
            }
            if (!ipSpecified) {
                return false; // domain mismatch and no IP fallback
            }
        }
        if (ipSpecified) {
            return ipMatches(s) && asMatches(s); // a mismatch fails whether or not a domain was given
        }
        return asMatches(s);
    }

    private boolean portMatches(int port) {
        if (!rule.ports().isEmpty()) {
            for (PortRange r : rule.ports()) { // as in flodbadd, a list takes precedence over "port"
                if (port >= r.first() && port <= r.last()) {
                    return true;
                }
            }
            return false;
        }
        return rule.port() == null || rule.port() == port;
    }

    /** An absent rule value matches anything; a present one needs an equal (ignoring case) session value. */
    private static boolean equalsIgnoreCase(String ruleValue, String sessionValue) {
        return ruleValue == null || (sessionValue != null && ruleValue.equalsIgnoreCase(sessionValue));
    }

    private boolean asMatches(SessionFacts s) {
        if (rule.asNumber() != null && (s.asNumber() < 0 || s.asNumber() != rule.asNumber())) {
            return false;
        }
        return equalsIgnoreCase(rule.asOwner(), s.asOwner()) && equalsIgnoreCase(rule.asCountry(), s.asCountry());
    }

    private boolean domainMatches(String domain) {
        if (domain == null) {
            return false;
        }
        if (rule.domains().isEmpty()) {
            return domainMatches(domain, rule.domain());
        }
        for (String pattern : rule.domains()) { // as in flodbadd, a list takes precedence over "domain"
            if (domainMatches(domain, pattern)) {
                return true;
            }
        }
        return false;
    }

    static boolean domainMatches(String domain, String pattern) {
        if (domain.equals(pattern)) {
            return true;
        }
        if (pattern.indexOf('*') < 0) {
            return false;
        }
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(2);
            return !domain.equals(suffix) && domain.endsWith(suffix) && domain.length() > suffix.length() + 1
                    && domain.charAt(domain.length() - suffix.length() - 1) == '.';
        }
        if (pattern.endsWith(".*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return domain.startsWith(prefix)
                    && (domain.length() == prefix.length() || domain.charAt(prefix.length()) == '.');
        }
        int star = pattern.indexOf('*');
        String prefix = pattern.substring(0, star), suffix = pattern.substring(star + 1);
        return domain.startsWith(prefix) && domain.endsWith(suffix)
                && domain.length() > prefix.length() + suffix.length();
    }

    private boolean ipMatches(SessionFacts s) {
        if (!s.hasAddress()) {
            return false;
        }
        for (IpSpec n : networks) {
            if (n.contains(s.addressHi(), s.addressLo())) {
                return true;
            }
        }
        return false;
    }

    /** An address, CIDR network or inclusive {@code first-last} range (flodbadd's forms), IPv4 or IPv6. */
    record IpSpec(boolean v4, long firstHi, long firstLo, long lastHi, long lastLo) {

        static IpSpec parse(String text) {
            String t = text.trim();
            int dash = t.indexOf('-');
            if (dash > 0) {
                long[] a = new long[2], b = new long[2];
                IpAddress.parse(t.substring(0, dash).trim(), a);
                IpAddress.parse(t.substring(dash + 1).trim(), b);
                boolean v4 = IpAddress.isV4(a[0], a[1]);
                if (v4 != IpAddress.isV4(b[0], b[1])) {
                    throw new IllegalArgumentException("range mixes IPv4 and IPv6");
                }
                if (compare(a[0], a[1], b[0], b[1]) > 0) { // flodbadd accepts reversed bounds
                    return new IpSpec(v4, b[0], b[1], a[0], a[1]);
                }
                return new IpSpec(v4, a[0], a[1], b[0], b[1]);
            }
            Subnet n = Subnet.parse(t);
            int bits = n.prefixLength();
            long hostHi = bits >= 64 ? 0 : (bits == 0 ? -1L : -1L >>> bits);
            long hostLo = bits <= 64 ? -1L : (bits >= 128 ? 0 : -1L >>> (bits - 64));
            return new IpSpec(IpAddress.isV4(n.hi(), n.lo()) && bits >= 96, n.hi(), n.lo(), n.hi() | hostHi,
                    n.lo() | hostLo);
        }

        boolean contains(long hi, long lo) {
            // IPv4 rules match IPv4 addresses only and IPv6 rules IPv6 only, as Rust's IpNet::contains.
            if (v4 != IpAddress.isV4(hi, lo)) {
                return false;
            }
            return compare(firstHi, firstLo, hi, lo) <= 0 && compare(hi, lo, lastHi, lastLo) <= 0;
        }

        private static int compare(long aHi, long aLo, long bHi, long bLo) {
            int c = Long.compareUnsigned(aHi, bHi);
            return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
        }
    }
}
