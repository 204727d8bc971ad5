package org.weir.intel;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.weir.core.IpAddress;

/**
 * Country, city, coordinates and autonomous system of an address, from MaxMind DB files (GeoLite2/GeoIP2 City,
 * Country and ASN through GeoIP2; other MaxMind DB files such as DB-IP lite or ip-location-db through the
 * generic reader). Lookups are cached per address; a cache hit allocates nothing.
 */
public interface GeoLookup {

    /** Never null: {@link GeoInfo#UNKNOWN} when no database knows the address. */
    GeoInfo lookup(long hi, long lo);

    /** Convenience for an address literal. */
    default GeoInfo lookup(String address) {
        long[] a = new long[2];
        IpAddress.parse(address, a);
        return lookup(a[0], a[1]);
    }

    /**
     * Replaces the databases. Each file is opened and checked; if any fails, the previous set stays in force
     * and the error names the file. The first database that knows a field wins (list city before country).
     */
    default void load(List<Path> databases) throws FeedException {
        load(databases, false);
    }

    /**
     * As {@link #load(List)}; with {@code verify}, every network and record of each file is read once first, so
     * a corrupt search tree or data section is rejected at load time rather than found by a later lookup (this
     * walks the whole file: seconds for a full-size City database).
     */
    void load(List<Path> databases, boolean verify) throws FeedException;

    /** The databases in force. */
    List<GeoDatabase> databases();

    /** The last load or lookup failure (a database found corrupt during a lookup is dropped and reported). */
    Optional<FeedException> lastError();
}
