package org.weir.core;

/**
 * What the enrichers add to sessions, in parts that a consumer can ask for: an analysis computes only the parts that
 * its outputs and detectors read ({@link IntelOptions#read()}, {@link org.weir.detect.Detector#reads()}), so that a
 * run whose outputs show none of it pays nothing for it.
 */
public enum Enrichment {

    /** Names of both ends: {@link EndpointInfo#domain()}, {@code registeredDomain()}, {@code nameSource()}. */
    NAMES,
    /** Location and autonomous system of both ends: country, city, coordinates, AS number and owner. */
    LOCATION,
    /** MAC vendors of both ends, the responder port's service and known vulnerabilities. */
    HOST,
    /** {@link Session#tags()} from blacklists (criticality). */
    TAGS,
    /** {@link Session#verdict()}: whether an egress session conforms to the whitelist. */
    VERDICTS
}
