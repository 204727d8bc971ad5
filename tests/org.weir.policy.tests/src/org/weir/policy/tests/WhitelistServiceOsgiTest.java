package org.weir.policy.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weir.policy.SessionFacts;
import org.weir.policy.WhitelistPolicy;
import org.weir.testsupport.Corpus;
import org.weir.testsupport.Services;

/** The whitelist policy as Declarative Services registers it (runs inside OSGi only). */
class WhitelistServiceOsgiTest {

    @Test
    void policyServiceLoadsTheEdamameFile() throws Exception {
        WhitelistPolicy policy = Services.get(WhitelistPolicy.class);
        policy.load(Corpus.resolve("edamame/whitelists-db.json"), "github");
        assertTrue(policy.evaluate(SessionFacts.to("140.82.112.3", 443, "TCP").withDomain("github.com")).conforming());
    }
}
