package org.weir.intel;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One loaded MaxMind DB file.
 *
 * @param file         the file
 * @param databaseType the type from the file's metadata (e.g. {@code GeoLite2-City}, {@code DBIP-City-Lite})
 * @param reader       {@code geoip2} when read through GeoIP2's typed reader, {@code generic} otherwise
 * @param ipVersion    4 for an IPv4-only search tree (it answers no IPv6 lookups), 6 otherwise
 * @param buildTime    when the database was built
 */
public record GeoDatabase(Path file, String databaseType, String reader, int ipVersion, Instant buildTime) {
}
