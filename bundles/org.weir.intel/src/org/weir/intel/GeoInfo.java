package org.weir.intel;

/**
 * What the GeoIP and ASN databases say about one address. Absent values are {@code null} (text),
 * {@code NaN} (coordinates) or {@code -1} (AS number). Instances are immutable and shared by the cache.
 */
public record GeoInfo(String countryCode, String countryName, String city, double latitude, double longitude,
        long asNumber, String asOwner) {

    /** Nothing known. */
    public static final GeoInfo UNKNOWN = new GeoInfo(null, null, null, Double.NaN, Double.NaN, -1, null);

    public boolean hasLocation() {
        return !Double.isNaN(latitude) && !Double.isNaN(longitude);
    }

    public boolean hasAs() {
        return asNumber >= 0;
    }

    public boolean isUnknown() {
        return countryCode == null && countryName == null && city == null && !hasLocation() && !hasAs()
                && asOwner == null;
    }

    /** These values, with the gaps filled from {@code other} (the first database that knows a field wins). */
    public GeoInfo orElse(GeoInfo other) {
        if (other == null || other.isUnknown()) {
            return this;
        }
        if (isUnknown()) {
            return other;
        }
        boolean loc = hasLocation();
        return new GeoInfo(countryCode != null ? countryCode : other.countryCode,
                countryName != null ? countryName : other.countryName, city != null ? city : other.city,
                loc ? latitude : other.latitude, loc ? longitude : other.longitude,
                hasAs() ? asNumber : other.asNumber, asOwner != null ? asOwner : other.asOwner);
    }
}
