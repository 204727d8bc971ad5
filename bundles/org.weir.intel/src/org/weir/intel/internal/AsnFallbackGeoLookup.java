package org.weir.intel.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.weir.intel.FeedException;
import org.weir.intel.GeoDatabase;
import org.weir.intel.GeoInfo;
import org.weir.intel.GeoLookup;

/**
 * The data folder's geolocation: MaxMind DB files first, then the ip-location-db AS tables for addresses whose
 * databases name no autonomous system. Answers are cached per address (bounded, direct-mapped).
 */
final class AsnFallbackGeoLookup implements GeoLookup {

    private final GeoLookup base;
    private final AsnTable asn;
    private final List<Path> asnFiles;
    /**
     * As large as the MaxMind lookup's own cache: a smaller one (it was 65,536) missed on a capture's repeated
     * addresses, and each miss searched the AS table again (a binary search over ~500,000 ranges).
     */
    private final AddressCache<GeoInfo> cache = new AddressCache<>(AddressIntelEnricher.GEO_CACHE);

    AsnFallbackGeoLookup(GeoLookup base, AsnTable asn, List<Path> asnFiles) {
        this.base = base;
        this.asn = asn;
        this.asnFiles = List.copyOf(asnFiles);
    }

    @Override
    public GeoInfo lookup(long hi, long lo) {
        GeoInfo cached = cache.get(hi, lo);
        if (cached != null) {
            return cached;
        }
        GeoInfo g = base == null ? GeoInfo.UNKNOWN : base.lookup(hi, lo);
        if (!g.hasAs()) {
            Object[] as = asn.lookup(hi, lo);
            if (as != null) {
                g = g.orElse(new GeoInfo(null, null, null, Double.NaN, Double.NaN, (Long) as[0], (String) as[1]));
            }
        }
        cache.put(hi, lo, g);
        return g;
    }

    @Override
    public void load(List<Path> databases, boolean verify) throws FeedException {
        throw new UnsupportedOperationException("the data folder's lookup is rebuilt, not reloaded");
    }

    @Override
    public List<GeoDatabase> databases() {
        List<GeoDatabase> all = new ArrayList<>(base == null ? List.of() : base.databases());
        for (Path p : asnFiles) {
            all.add(new GeoDatabase(p, "ip-location-db ASN (CSV)", "csv", p.getFileName().toString().contains("ipv6")
                    ? 6 : 4, null));
        }
        return all;
    }

    @Override
    public Optional<FeedException> lastError() {
        return base == null ? Optional.empty() : base.lastError();
    }
}
