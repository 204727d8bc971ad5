package org.weir.core;

/**
 * A session judged against a whitelist profile.
 *
 * @param conforming the session matches an allowed endpoint
 * @param profile the profile it was judged against
 * @param rule the rule that matched (conforming) or, for an exception, the closest reason
 */
public record PolicyVerdict(boolean conforming, String profile, String rule) {
}
