/**
 * Intelligence feeds that say who is on the other end of a session: GeoIP and AS data from MaxMind DB files,
 * MAC vendors from the IEEE registries, service names per port, EDAMAME's port-vulnerability database, and
 * blacklists (FireHOL, EDAMAME, Tor exits, custom lists). Each feed is a service; implementations reload
 * atomically and keep the previous data when a new file is broken or fails its signature check.
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.weir.intel;
