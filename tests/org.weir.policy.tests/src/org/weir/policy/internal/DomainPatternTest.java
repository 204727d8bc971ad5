package org.weir.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The three wildcard forms of flodbadd's WHITELISTS.md, including its length and dot conditions. */
class DomainPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "api.example.com, api.example.com, true",
            "API.example.com, api.example.com, false",
            "example.com, *.example.com, false",
            "a.example.com, *.example.com, true",
            "a.b.example.com, *.example.com, true",
            ".example.com, *.example.com, false",
            "aexample.com, *.example.com, false",
            "example, example.*, true",
            "example.org, example.*, true",
            "example.co.uk, example.*, true",
            "examples.org, example.*, false",
            "api.eu.example.com, api.*.example.com, true",
            "api.x.y.example.com, api.*.example.com, true",
            "api..example.com, api.*.example.com, false",
            "apix.example.com, api.*.example.com, false",
            "cloud-mirror-lb.eastus.cloudapp.azure.com, cloud-mirror-lb.*.cloudapp.azure.com, true",
            "cloud-mirror-lb.cloudapp.azure.com, cloud-mirror-lb.*.cloudapp.azure.com, false",
            "foo.com, foo*, true",
            "foo, foo*, false",
    })
    void wildcard(String domain, String pattern, boolean expected) {
        assertEquals(expected, CompiledEndpoint.domainMatches(domain, pattern));
    }
}
