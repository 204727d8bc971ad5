package org.weir.intel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.weir.core.DataFolder;

/**
 * What Weir's data folder ({@link DataFolder}) holds for intelligence: where {@code weir intel update} installs
 * the default databases and where a user may place their own.
 *
 * <p>Layout: {@code geoip/*.mmdb} are the user's own MaxMind DB files (GeoIP2/GeoLite2 or any other); the
 * defaults installed by {@code weir intel update} live in {@code geoip/ip-location-db/} (MaxMind DB files, and the
 * AS tables {@code asn-ipv4.csv}/{@code asn-ipv6.csv}). A user's file wins per
 * field over the defaults (the first database that knows a field wins): city databases are consulted before
 * country and ASN ones. {@code blacklists/} holds blacklist files used when none are named.
 */
public final class IntelData {

    /** Sub-folder of the data folder with the default geolocation databases. */
    public static final String DEFAULT_GEO = "geoip/ip-location-db";

    private IntelData() {
    }

    /** The data folder (it may not exist yet): {@link DataFolder#path()}. */
    public static Path folder() {
        return DataFolder.path();
    }

    /** The MaxMind DB files of the data folder, the user's own first, each group city → country → ASN → other. */
    public static List<Path> geoDatabases(Path folder) {
        List<Path> all = new ArrayList<>(mmdbFiles(folder.resolve("geoip")));
        all.addAll(mmdbFiles(folder.resolve(DEFAULT_GEO)));
        return all;
    }

    /**
     * The ip-location-db AS tables installed with the defaults ({@code asn-ipv4.csv}, {@code asn-ipv6.csv} in
     * {@link #DEFAULT_GEO}); they answer the AS of addresses the MaxMind DB files leave without one.
     */
    public static List<Path> asnTables(Path folder) {
        List<Path> found = new ArrayList<>();
        for (String n : List.of("asn-ipv4.csv", "asn-ipv6.csv")) {
            Path p = folder.resolve(DEFAULT_GEO).resolve(n);
            if (Files.isRegularFile(p)) {
                found.add(p);
            }
        }
        return found;
    }

    /** Blacklist files in the data folder's {@code blacklists/} (sorted by name). */
    public static List<Path> blacklists(Path folder) {
        Path dir = folder.resolve("blacklists");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".sig"))
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<Path> mmdbFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mmdb"))
                    .sorted(Comparator.comparingInt(IntelData::rank).thenComparing(Path::toString)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static int rank(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.contains("city")) {
            return 0;
        }
        if (n.contains("country")) {
            return 1;
        }
        if (n.contains("asn")) {
            return 2;
        }
        return 3;
    }
}
