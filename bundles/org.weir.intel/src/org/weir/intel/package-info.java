/**
 * Intelligence feeds that say who is on the other end of a session: GeoIP and AS data from MaxMind DB files
 * ({@link org.weir.intel.GeoLookup}), MAC vendors from the IEEE registries ({@link org.weir.intel.MacVendors}),
 * service names per port ({@link org.weir.intel.ServiceNames}), EDAMAME's port-vulnerability database
 * ({@link org.weir.intel.PortVulnerabilities}) and blacklists ({@link org.weir.intel.Blacklists}: FireHOL,
 * ipsum, Tor exit lists, EDAMAME, custom lists).
 *
 * <p>Each feed is a Declarative Services component whose data is replaced atomically ({@link
 * org.weir.intel.FeedHolder}): a file that is unreadable, malformed or fails its signature check is reported as
 * a {@link org.weir.intel.FeedException} naming file, line and column, and the previous data stays in force.
 * Signed feeds use detached Ed25519 signatures in {@code FILE.sig}; the format is described in
 * {@link org.weir.intel.FeedSignature}.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weir.intel;
