package org.weir.intel.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.weir.intel.BlacklistSource;
import org.weir.intel.Blacklists;
import org.weir.intel.GeoLookup;
import org.weir.intel.MacVendors;
import org.weir.intel.PortVulnerabilities;
import org.weir.intel.ServiceNames;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;

/** The feeds as Declarative Services registers them in the running framework (runs inside OSGi only). */
class IntelServicesOsgiTest {

    @Test
    void everyFeedIsAServiceAndLoadsThroughItsInterface() throws Exception {
        ServiceNames services = Services.get(ServiceNames.class);
        assertEquals("ssh", services.name(22, 6), "the bundled table is found inside the bundle");

        GeoLookup geo = Services.get(GeoLookup.class);
        geo.load(List.of(Corpus.resolve("mmdb/maxmind-test-data/GeoLite2-ASN-Test.mmdb")));
        assertEquals(1221, geo.lookup("1.128.0.0").asNumber());
        geo.load(List.of());

        Blacklists blacklists = Services.get(Blacklists.class);
        blacklists.load(List.of(BlacklistSource.of(Corpus.resolve("blocklists/firehol-snapshot/tor_exits.ipset"))));
        assertEquals(List.of(Blacklists.TOR_EXIT_TAG), blacklists.tags("2.56.10.36"));
        blacklists.load(List.of());
        assertTrue(blacklists.tags("2.56.10.36").isEmpty());

        MacVendors vendors = Services.get(MacVendors.class);
        vendors.load(List.of(Corpus.resolve("oui/oui.csv")));
        assertEquals("American Micro-Fuel Device Corp.", vendors.vendor("00:22:72:00:00:01"));

        PortVulnerabilities vulns = Services.get(PortVulnerabilities.class);
        vulns.load(Corpus.resolve("edamame/lanscan-port-vulns-db.json"));
        assertEquals("ssh", vulns.lookup(22).name());
    }
}
