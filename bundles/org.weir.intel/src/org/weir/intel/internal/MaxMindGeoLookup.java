package org.weir.intel.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.weir.core.IpAddress;
import org.weir.intel.FeedException;
import org.weir.intel.FeedHolder;
import org.weir.intel.GeoDatabase;
import org.weir.intel.GeoInfo;
import org.weir.intel.GeoLookup;

/**
 * {@link GeoLookup} over MaxMind DB files. Configuration (PID {@code org.weir.intel.geo}): {@code databases}
 * (file paths, first wins per field),
 * {@code verify} (walk each file once at load) and {@code cacheSize} (addresses cached, rounded to a power of two; 0 for
 * none).
 */
@Component(service = GeoLookup.class, configurationPid = "org.weir.intel.geo",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class MaxMindGeoLookup implements GeoLookup {

    /** Component configuration. */
    public @interface Config {
        String[] databases() default {};

        boolean verify() default false;

        int cacheSize() default 65536;
    }

    /**
     * Databases and their cache (null when none), swapped together so a reload never serves stale cached answers.
     */
    private record State(List<MaxMindSource> sources, AddressCache<GeoInfo> cache) {
    }

    private volatile int cacheSize = 65536;
    private final FeedHolder<State> state = new FeedHolder<>(new State(List.of(), new AddressCache<>(16)));
    private volatile FeedException lookupError;

    public MaxMindGeoLookup() {
    }

    /** @param cacheSize addresses cached; 0 when the caller caches the answers itself */
    public MaxMindGeoLookup(int cacheSize) {
        this.cacheSize = cacheSize;
    }

    @Activate
    @Modified
    void configure(Config config) {
        cacheSize = config.cacheSize();
        try {
            load(Arrays.stream(config.databases()).map(Path::of).toList(), config.verify());
        } catch (FeedException e) {
            // kept in lastError(); the previous databases stay in force
        }
    }

    @Deactivate
    void close() {
        for (MaxMindSource s : state.get().sources()) {
            try {
                s.close();
            } catch (IOException e) {
                // closing a read-only mapping; nothing to recover
            }
        }
    }

    @Override
    public void load(List<Path> databases, boolean verify) throws FeedException {
        state.reload(() -> {
            List<MaxMindSource> opened = new ArrayList<>();
            try {
                for (Path p : databases) {
                    MaxMindSource source = MaxMindSource.open(p);
                    opened.add(source);
                    if (verify) {
                        MaxMindSource.verify(p);
                    }
                }
            } catch (FeedException e) {
                for (MaxMindSource s : opened) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // the load failed anyway; report the first error
                    }
                }
                throw e;
            }
            // Old readers are not closed here: a lookup on another thread may still use them.
            return new State(List.copyOf(opened), cacheSize > 0 ? new AddressCache<>(cacheSize) : null);
        });
        lookupError = null;
    }

    @Override
    public GeoInfo lookup(long hi, long lo) {
        State s = state.get();
        AddressCache<GeoInfo> cache = s.cache();
        if (cache == null) {
            return resolve(s.sources(), hi, lo);
        }
        GeoInfo cached = cache.get(hi, lo);
        if (cached != null) {
            return cached;
        }
        GeoInfo result = resolve(s.sources(), hi, lo);
        cache.put(hi, lo, result);
        return result;
    }

    private GeoInfo resolve(List<MaxMindSource> sources, long hi, long lo) {
        if (sources.isEmpty()) {
            return GeoInfo.UNKNOWN;
        }
        boolean v4 = IpAddress.isV4(hi, lo);
        InetAddress address;
        try {
            address = InetAddress.getByAddress(IpAddress.toBytes(hi, lo));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
        }
        GeoInfo result = GeoInfo.UNKNOWN;
        for (MaxMindSource source : sources) {
            if (source.broken) {
                continue;
            }
            try {
                GeoInfo found = source.lookup(address, v4);
                if (found != null) {
                    result = result.orElse(found);
                }
            } catch (IOException e) {
                // A corrupt section found mid-run: drop this database, keep the others answering.
                source.broken = true;
                lookupError = new FeedException(source.info.file(),
                        "corrupt MaxMind DB (lookup of " + IpAddress.toString(hi, lo) + "): "
                                + MaxMindSource.message(e),
                        e);
            }
        }
        return result;
    }

    @Override
    public List<GeoDatabase> databases() {
        return state.get().sources().stream().map(s -> s.info).toList();
    }

    @Override
    public Optional<FeedException> lastError() {
        FeedException e = lookupError;
        return e != null ? Optional.of(e) : state.lastError();
    }
}
