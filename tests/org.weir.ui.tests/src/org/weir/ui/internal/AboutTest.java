package org.weir.ui.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AboutTest {

    @Test
    void aboutCarriesTheVersionAndTheDataAttributions() {
        String text = AboutHandler.text("1.2.3");
        assertTrue(text.startsWith("Weir 1.2.3\n"), text);
        assertTrue(text.contains("IP Geolocation by DB-IP (https://db-ip.com)") && text.contains("CC BY 4.0"), text);
        assertTrue(text.contains("Public Suffix List") && text.contains("Mozilla Public License 2.0"), text);
    }
}
