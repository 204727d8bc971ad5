package org.weir.core;

/**
 * What Weir knows about one end of a session: where it is, who owns it, what it is called and what made it.
 * Unknown text is null, unknown numbers are {@code NaN} (coordinates) or -1 (AS number).
 *
 * @param countryCode ISO 3166 alpha-2
 * @param countryName English country name
 * @param city city name
 * @param latitude degrees
 * @param longitude degrees
 * @param asNumber autonomous system number
 * @param asOwner autonomous system organisation
 * @param domain a name for the address (DNS answer, TLS SNI, HTTP Host, mDNS)
 * @param registeredDomain the domain's registrable part (public-suffix aware), e.g. {@code example.co.uk}
 * @param nameSource where {@code domain} came from: {@code dns}, {@code sni}, {@code http}, {@code mdns}
 * @param macVendor vendor of the link-layer address (IEEE registries)
 * @param process the local process behind the endpoint, when known
 */
public record EndpointInfo(String countryCode, String countryName, String city, double latitude, double longitude,
        long asNumber, String asOwner, String domain, String registeredDomain, String nameSource, String macVendor,
        String process) {

    public static final EndpointInfo NONE =
            new EndpointInfo(null, null, null, Double.NaN, Double.NaN, -1, null, null, null, null, null, null);

    public EndpointInfo withGeo(String code, String name, String cityName, double lat, double lon) {
        return new EndpointInfo(code, name, cityName, lat, lon, asNumber, asOwner, domain, registeredDomain,
                nameSource, macVendor, process);
    }

    public EndpointInfo withAs(long number, String owner) {
        return new EndpointInfo(countryCode, countryName, city, latitude, longitude, number, owner, domain,
                registeredDomain, nameSource, macVendor, process);
    }

    public EndpointInfo withName(String name, String registered, String source) {
        return new EndpointInfo(countryCode, countryName, city, latitude, longitude, asNumber, asOwner, name,
                registered, source, macVendor, process);
    }

    public EndpointInfo withMacVendor(String vendor) {
        return new EndpointInfo(countryCode, countryName, city, latitude, longitude, asNumber, asOwner, domain,
                registeredDomain, nameSource, vendor, process);
    }

    public EndpointInfo withProcess(String name) {
        return new EndpointInfo(countryCode, countryName, city, latitude, longitude, asNumber, asOwner, domain,
                registeredDomain, nameSource, macVendor, name);
    }

    public boolean hasLocation() {
        return !Double.isNaN(latitude) && !Double.isNaN(longitude);
    }
}
