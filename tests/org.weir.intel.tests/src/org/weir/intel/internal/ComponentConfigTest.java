package org.weir.intel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.weir.intel.Blacklists;
import org.weir.testsupport.Corpus;

/** The DS configuration path: the same loads, and a broken configuration keeps the data in force. */
class ComponentConfigTest {

    private static BlacklistService.Config blacklists(String key, String[] files, String... torExits) {
        return new BlacklistService.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return BlacklistService.Config.class;
            }

            @Override
            public String[] files() {
                return files;
            }

            @Override
            public String[] torExitFiles() {
                return torExits;
            }

            @Override
            public String publicKey() {
                return key;
            }
        };
    }

    private static MaxMindGeoLookup.Config geo(String... files) {
        return new MaxMindGeoLookup.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MaxMindGeoLookup.Config.class;
            }

            @Override
            public String[] databases() {
                return files;
            }

            @Override
            public boolean verify() {
                return false;
            }

            @Override
            public int cacheSize() {
                return 1024;
            }
        };
    }

    @Test
    void blacklistConfiguration() throws Exception {
        String feodo = Corpus.resolve("blocklists/firehol-snapshot/feodo.ipset").toString();
        String tor = Corpus.resolve("blocklists/tor/tor-nodes.lst").toString();
        BlacklistService b = new BlacklistService();
        b.configure(blacklists("", new String[] {feodo}, tor));
        assertEquals(List.of("feodo", "tor-nodes"), b.loaded().stream().map(Blacklists.ListInfo::name).toList());
        assertEquals(Blacklists.TOR_EXIT_TAG, b.loaded().get(1).tag(), "listed under torExitFiles");
        b.configure(blacklists("", new String[] {feodo + ".missing"}));
        assertTrue(b.lastError().orElseThrow().getMessage().contains("feodo.ipset.missing"));
        assertEquals(2, b.loaded().size(), "previous lists in force");
        String key = Base64.getEncoder()
                .encodeToString(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
        b.configure(blacklists(key, new String[] {feodo}));
        assertTrue(b.lastError().orElseThrow().getMessage().contains("signature required"));
        assertEquals(2, b.loaded().size());
        b.configure(blacklists("", new String[0]));
        assertTrue(b.loaded().isEmpty(), "an empty configuration clears the lists");
    }

    @Test
    void geoConfiguration() throws Exception {
        MaxMindGeoLookup g = new MaxMindGeoLookup();
        g.configure(geo(Corpus.resolve("mmdb/maxmind-test-data/GeoLite2-ASN-Test.mmdb").toString()));
        assertEquals(1221, g.lookup("1.128.0.0").asNumber());
        g.configure(geo(Corpus.resolve("mmdb/maxmind-test-data/README.md").toString()));
        assertTrue(g.lastError().isPresent());
        assertEquals(1221, g.lookup("1.128.0.0").asNumber());
    }
}
