package org.weir.policy;

/**
 * The whitelist verdict for one session.
 *
 * @param conforming whether an endpoint of the profile (or of a profile it extends) matched
 * @param profile    the profile evaluated
 * @param rule       the endpoint that matched, {@code null} for an exception
 * @param reason     why it is an exception (flodbadd's wording), {@code null} when conforming
 */
public record Verdict(boolean conforming, String profile, WhitelistEndpoint rule, String reason) {

    public boolean isException() {
        return !conforming;
    }
}
