package org.weir.intel.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.weir.core.AnalysisOptions;
import org.weir.core.EndpointInfo;
import org.weir.core.Enricher;
import org.weir.core.Enrichment;
import org.weir.core.IntelOptions;
import org.weir.core.Session;
import org.weir.core.SessionBatch;
import org.weir.core.Transport;
import org.weir.intel.AddressIntel;
import org.weir.intel.BlacklistSource;
import org.weir.intel.Blacklists;
import org.weir.intel.FeedException;
import org.weir.intel.FeedSignature;
import org.weir.intel.GeoInfo;
import org.weir.intel.GeoLookup;
import org.weir.intel.IntelData;
import org.weir.intel.MacVendors;
import org.weir.intel.PortVulnerabilities;
import org.weir.intel.ServiceNames;

/**
 * The address intelligence enricher (order 20): country, city, coordinates and autonomous system of both ends
 * ({@link GeoLookup}, cached per address), {@code blacklist:<name>} and {@code tor_exit_node} tags
 * ({@link Blacklists}), MAC vendors ({@link MacVendors}), and the responder port's service name and known CVEs
 * ({@link ServiceNames}, {@link PortVulnerabilities}).
 *
 * <p>Which feeds: files named in the analysis options ({@link IntelOptions}) are loaded for that analysis and
 * win; otherwise the feed services as configured (Configuration Admin); otherwise, when the options allow it,
 * what Weir's data folder holds ({@link IntelData}: MaxMind DB files, blacklists, {@code oui/*.csv}, EDAMAME's
 * {@code lanscan-port-vulns-db.json}), loaded once and reloaded when those files change. A named file that cannot
 * be used stops the analysis with its error (file, line, column); a broken data-folder file is skipped.
 */
@Component(service = { Enricher.class, AddressIntel.class })
public final class AddressIntelEnricher implements Enricher, AddressIntel {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GeoLookup geo;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Blacklists blacklists;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MacVendors vendors;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServiceNames services;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PortVulnerabilities portVulns;

    private final DataFolderFeeds defaults = new DataFolderFeeds();

    /** Addresses whose location the lookups this enricher makes keep (a capture's distinct addresses). */
    static final int GEO_CACHE = 1 << 18;

    public AddressIntelEnricher() {
    }

    /** Outside a framework (tests, tools): the given services, any of which may be null. */
    public AddressIntelEnricher(GeoLookup geo, Blacklists blacklists, MacVendors vendors, ServiceNames services,
            PortVulnerabilities portVulns) {
        this.geo = geo;
        this.blacklists = blacklists;
        this.vendors = vendors;
        this.services = services;
        this.portVulns = portVulns;
    }

    @Override
    public String id() {
        return "intel";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Set<Enrichment> produces() {
        return Set.of(Enrichment.LOCATION, Enrichment.HOST, Enrichment.TAGS);
    }

    @Override
    public Run start() {
        return start(AnalysisOptions.defaults());
    }

    @Override
    public Run start(AnalysisOptions options) {
        Feeds f = feeds(options.intel());
        if (f.geo == null && f.blacklists == null && f.vendors == null && f.services == null && f.vulns == null) {
            return null;
        }
        return new AddressRun(f);
    }

    /** The feeds an analysis with these options uses: those of the parts it reads, the others null. */
    public Feeds feeds(IntelOptions o) {
        Set<Enrichment> read = o.read();
        try {
            PublicKey key = o.feedKey() == null ? null : FeedSignature.publicKey(o.feedKey());
            GeoLookup g = read.contains(Enrichment.LOCATION) ? geoFeed(o) : null;
            Blacklists b = read.contains(Enrichment.TAGS) ? blacklistFeed(o, key) : null;
            if (!read.contains(Enrichment.HOST)) {
                return new Feeds(g, b, null, null, null);
            }
            MacVendors v = vendors != null && vendors.size() > 0 ? vendors : o.dataFolder() ? defaults.vendors() : null;
            PortVulnerabilities pv = portVulns != null && portVulns.size() > 0 ? portVulns
                    : o.dataFolder() ? defaults.portVulns() : null;
            return new Feeds(g, b, v, services, pv);
        } catch (FeedException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The databases named in the options, else the configured ones, else the data folder's; null for none. */
    private GeoLookup geoFeed(IntelOptions o) throws FeedException {
        if (!o.geoDatabases().isEmpty()) {
            MaxMindGeoLookup own = new MaxMindGeoLookup(GEO_CACHE);
            own.load(o.geoDatabases());
            return own;
        }
        if (geo != null && !geo.databases().isEmpty()) {
            return geo;
        }
        return o.dataFolder() ? defaults.geo() : null;
    }

    /** The lists named in the options, else the configured ones, else the data folder's; null for none. */
    private Blacklists blacklistFeed(IntelOptions o, PublicKey key) throws FeedException {
        if (!o.blacklists().isEmpty()) {
            List<BlacklistSource> sources = new ArrayList<>();
            for (Path p : o.blacklists()) {
                sources.add(BlacklistSource.of(p).signedBy(key));
            }
            BlacklistService own = new BlacklistService();
            own.load(sources);
            return own;
        }
        if (blacklists != null && !blacklists.loaded().isEmpty()) {
            return blacklists;
        }
        return o.dataFolder() ? defaults.blacklists() : null;
    }

    @Override
    public Report lookup(String address, int port, Transport transport, IntelOptions options) throws FeedException {
        long[] a = new long[2];
        org.weir.core.IpAddress.parse(address, a);
        Feeds f;
        try {
            f = feeds(options);
        } catch (UncheckedIOException e) {
            throw (FeedException) e.getCause();
        }
        GeoInfo g = f.geo == null ? GeoInfo.UNKNOWN : f.geo.lookup(a[0], a[1]);
        List<String> tags = f.blacklists == null ? List.of() : f.blacklists.tags(a[0], a[1]);
        String service = null;
        List<String> cves = List.of();
        if (port >= 0) {
            service = f.services == null ? null : f.services.name(port, transport);
            if (transport == Transport.TCP) {
                cves = new AddressRun(f).cves(port);
            }
        }
        return new Report(org.weir.core.IpAddress.toString(a[0], a[1]), g, tags, port, service, cves,
                f.geo == null ? List.of() : f.geo.databases(),
                f.blacklists == null ? List.of() : f.blacklists.loaded());
    }

    /**
     * The feeds of one analysis; null where none.
     */
    public record Feeds(GeoLookup geo, Blacklists blacklists, MacVendors vendors, ServiceNames services,
            PortVulnerabilities vulns) {
    }

    /** One analysis: enriches each session once, when it opens. */
    static final class AddressRun implements Run {

        private final Feeds f;
        private final Map<Integer, List<String>> cvesByPort = new HashMap<>();
        /** Address → the endpoint info of an otherwise unknown end, so that repeats allocate nothing and share one. */
        private final AddressCache<EndpointInfo> infos = new AddressCache<>(GEO_CACHE);

        AddressRun(Feeds feeds) {
            this.f = feeds;
        }

        @Override
        public void onSessions(SessionBatch batch) {
            for (Session s : batch.opened()) {
                enrich(s);
            }
        }

        void enrich(Session s) {
            if (f.geo != null) {
                s.setOrigInfo(located(s.origInfo(), s.origHi(), s.origLo()));
                s.setRespInfo(located(s.respInfo(), s.respHi(), s.respLo()));
            }
            if (f.blacklists != null) {
                for (String t : f.blacklists.tags(s.origHi(), s.origLo())) {
                    s.addTag(t);
                }
                for (String t : f.blacklists.tags(s.respHi(), s.respLo())) {
                    s.addTag(t);
                }
            }
            if (f.vendors != null) {
                if (s.origMac() >= 0) {
                    String v = f.vendors.vendor(s.origMac());
                    if (v != null) {
                        s.setOrigInfo(s.origInfo().withMacVendor(v));
                    }
                }
                if (s.respMac() >= 0) {
                    String v = f.vendors.vendor(s.respMac());
                    if (v != null) {
                        s.setRespInfo(s.respInfo().withMacVendor(v));
                    }
                }
            }
            Transport t = s.transport();
            if (t == Transport.TCP || t == Transport.UDP) {
                String name = f.services == null ? null : f.services.name(s.respPort(), t);
                List<String> cves = t == Transport.TCP ? cves(s.respPort()) : List.of();
                if (name != null || !cves.isEmpty()) {
                    s.setPortService(name, cves);
                }
            }
        }

        private List<String> cves(int port) {
            if (f.vulns == null) {
                return List.of();
            }
            return cvesByPort.computeIfAbsent(port, p -> {
                PortVulnerabilities.PortInfo info = f.vulns.lookup(p);
                return info == null ? List.of() : info.cves().stream().map(PortVulnerabilities.Cve::id).toList();
            });
        }

        /** The info with the address's location and AS; for an end known by nothing else, shared per address. */
        private EndpointInfo located(EndpointInfo info, long hi, long lo) {
            if (info != EndpointInfo.NONE) {
                return withGeo(info, f.geo.lookup(hi, lo));
            }
            EndpointInfo e = infos.get(hi, lo);
            if (e == null) {
                e = withGeo(EndpointInfo.NONE, f.geo.lookup(hi, lo));
                infos.put(hi, lo, e);
            }
            return e;
        }

        static EndpointInfo withGeo(EndpointInfo info, GeoInfo g) {
            if (g == null || g.isUnknown()) {
                return info;
            }
            return new EndpointInfo(g.countryCode(), g.countryName(), g.city(), g.latitude(), g.longitude(),
                    g.asNumber(), g.asOwner(), info.domain(), info.registeredDomain(), info.nameSource(),
                    info.macVendor(), info.process());
        }
    }

    /** The data folder's feeds, loaded on first use and again when its files change. */
    static final class DataFolderFeeds {
        private List<Object> geoKey, blKey, ouiKey, pvKey;
        private GeoLookup geo;
        private Blacklists blacklists;
        private MacVendors vendors;
        private PortVulnerabilities portVulns;

        synchronized GeoLookup geo() {
            List<Path> files = IntelData.geoDatabases(IntelData.folder());
            List<Path> asnFiles = IntelData.asnTables(IntelData.folder());
            List<Object> key = stamp(files);
            key.addAll(stamp(asnFiles));
            if (!key.equals(geoKey)) {
                geoKey = key;
                geo = null;
                AsnTable asn = null;
                if (!asnFiles.isEmpty()) {
                    try {
                        asn = AsnTable.loadCached(asnFiles);
                    } catch (FeedException e) {
                        // the AS tables are unusable; the MaxMind databases still answer
                    }
                }
                // Behind the AS fallback, which caches the combined answer per address, a second per-address
                // cache would only hold the same addresses again (about 10 MB at 100,000 addresses).
                int cache = asn == null ? GEO_CACHE : 0;
                // A broken file is left out (the others still answer); 'weir intel lookup' shows the problem.
                List<Path> usable = new ArrayList<>(files);
                while (!usable.isEmpty()) {
                    MaxMindGeoLookup g = new MaxMindGeoLookup(cache);
                    try {
                        g.load(usable);
                        geo = g;
                        break;
                    } catch (FeedException e) {
                        if (!usable.remove(e.file())) {
                            break;
                        }
                    }
                }
                if (asn != null) {
                    geo = new AsnFallbackGeoLookup(geo, asn, asnFiles);
                }
            }
            return geo;
        }

        synchronized Blacklists blacklists() {
            List<Path> files = IntelData.blacklists(IntelData.folder());
            List<Object> key = stamp(files);
            if (!key.equals(blKey)) {
                blKey = key;
                blacklists = null;
                List<Path> usable = new ArrayList<>(files);
                while (!usable.isEmpty()) {
                    BlacklistService b = new BlacklistService();
                    try {
                        b.load(usable.stream().map(BlacklistSource::of).toList());
                        blacklists = b;
                        break;
                    } catch (FeedException e) {
                        if (!usable.remove(e.file())) {
                            break;
                        }
                    }
                }
            }
            return blacklists;
        }

        synchronized MacVendors vendors() {
            Path dir = IntelData.folder().resolve("oui");
            List<Path> files = new ArrayList<>();
            if (Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().forEach(files::add);
                } catch (IOException e) {
                    files.clear();
                }
            }
            List<Object> key = stamp(files);
            if (!key.equals(ouiKey)) {
                ouiKey = key;
                vendors = null;
                if (!files.isEmpty()) {
                    OuiRegistry r = new OuiRegistry();
                    try {
                        r.load(files);
                        vendors = r;
                    } catch (FeedException e) {
                        vendors = null;
                    }
                }
            }
            return vendors;
        }

        synchronized PortVulnerabilities portVulns() {
            Path file = IntelData.folder().resolve("lanscan-port-vulns-db.json");
            List<Path> files = Files.isRegularFile(file) ? List.of(file) : List.of();
            List<Object> key = stamp(files);
            if (!key.equals(pvKey)) {
                pvKey = key;
                portVulns = null;
                if (!files.isEmpty()) {
                    PortVulnDatabase db = new PortVulnDatabase();
                    try {
                        db.load(file);
                        portVulns = db;
                    } catch (FeedException e) {
                        portVulns = null;
                    }
                }
            }
            return portVulns;
        }

        private static List<Object> stamp(List<Path> files) {
            List<Object> key = new ArrayList<>();
            for (Path p : files) {
                key.add(p.toString());
                try {
                    key.add(Files.getLastModifiedTime(p).toMillis());
                    key.add(Files.size(p));
                } catch (IOException e) {
                    key.add(-1L);
                }
            }
            return key;
        }
    }
}
