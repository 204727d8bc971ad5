package org.weir.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.weir.core.Enrichment;
import org.weir.core.IntelOptions;
import org.weir.core.LocalNetworks;

/** The intelligence options shared by {@code analyze}, {@code check} and {@code intel lookup}. */
final class IntelFlags {

    static final String USAGE = """
              --geoip DIR|FILE       MaxMind DB file (GeoIP2/GeoLite2 City, Country, ASN; DB-IP; ip-location-db),
                                     or a folder of .mmdb files (repeatable; the first that knows a field wins;
                                     default: Weir's data folder, see 'weir intel')
              --blacklist FILE       blacklist (addresses/CIDRs/ranges per line, or EDAMAME JSON); sessions to or
                                     from a listed address are tagged blacklist:NAME (repeatable)
              --whitelist FILE       EDAMAME whitelist file: egress sessions get a verdict
              --profile NAME         the whitelist to judge by (default: the file's first)
              --feed-key FILE        Ed25519 public key the named feeds must be signed with (FILE.sig beside)
              --no-intel-defaults    do not use the databases in Weir's data folder
              --no-enrichment        no names, geolocation, blacklists or verdicts (fastest; enrichment columns
                                     asked for stay, unset)
            """;

    private final List<Path> geo = new ArrayList<>();
    private final List<Path> blacklists = new ArrayList<>();
    Path whitelist;
    String profile;
    Path feedKey;
    boolean defaults = true;
    boolean enrichment = true;
    LocalNetworks local = LocalNetworks.privateAddressSpace();

    /** Takes the option if it is one of these; false otherwise. */
    boolean accept(String option, Arguments args) throws UsageException {
        switch (option) {
            case "--geoip" -> geo.add(existing(option, args.value(option), true));
            case "--blacklist" -> blacklists.add(existing(option, args.value(option), false));
            case "--whitelist" -> whitelist = existing(option, args.value(option), false);
            case "--profile" -> profile = args.value(option);
            case "--feed-key" -> feedKey = existing(option, args.value(option), false);
            case "--no-intel-defaults" -> defaults = false;
            case "--no-enrichment" -> enrichment = false;
            case "--local-nets" -> {
                String v = args.value(option);
                // A trailing comma is forgiven; an empty list is not read as 'none', which says so.
                List<String> cidrs = Stream.of(v.split(",")).map(String::strip).filter(c -> !c.isEmpty()).toList();
                if (cidrs.isEmpty()) {
                    throw new UsageException(option + " needs networks (CIDRs, comma-separated) or 'none', not '"
                            + v + "'");
                }
                try {
                    local = v.equals("none") ? LocalNetworks.of(List.of()) : LocalNetworks.of(cidrs);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(option + " " + v + ": " + e.getMessage());
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static Path existing(String option, String value, boolean folderAllowed) throws UsageException {
        Path p = Path.of(value);
        if (!Files.exists(p)) {
            throw new UsageException(option + " " + value + ": no such file");
        }
        if (Files.isDirectory(p) && !folderAllowed) {
            throw new UsageException(option + " " + value + ": is a folder, not a file");
        }
        if (!Files.isReadable(p)) {
            throw new UsageException(option + " " + value + ": not readable (permission denied)");
        }
        return p;
    }

    /** The feed options given ({@code --geoip}, {@code --blacklist}, {@code --whitelist}), in that order. */
    List<String> feedOptions() {
        return List.copyOf(feedsGiven().keySet());
    }

    /** The parts of the enrichment whose feeds were named: naming one asks for its work. */
    Set<Enrichment> named() {
        Set<Enrichment> read = EnumSet.noneOf(Enrichment.class);
        read.addAll(feedsGiven().values());
        return read;
    }

    /** Each feed option given, with the part of the enrichment it feeds. */
    private Map<String, Enrichment> feedsGiven() {
        Map<String, Enrichment> given = new LinkedHashMap<>();
        if (!geo.isEmpty()) {
            given.put("--geoip", Enrichment.LOCATION);
        }
        if (!blacklists.isEmpty()) {
            given.put("--blacklist", Enrichment.TAGS);
        }
        if (whitelist != null) {
            given.put("--whitelist", Enrichment.VERDICTS);
        }
        return given;
    }

    IntelOptions options() throws UsageException {
        if (profile != null && whitelist == null) {
            throw new UsageException("--profile needs --whitelist");
        }
        List<Path> databases = new ArrayList<>();
        for (Path p : geo) {
            if (Files.isDirectory(p)) {
                List<Path> found = mmdbIn(p);
                if (found.isEmpty()) {
                    throw new UsageException("--geoip " + p + ": no .mmdb files in this folder");
                }
                databases.addAll(found);
            } else {
                databases.add(p);
            }
        }
        return IntelOptions.defaults().withEnrichment(enrichment).withGeoDatabases(databases)
                .withBlacklists(blacklists).withWhitelist(whitelist, profile).withFeedKey(feedKey)
                .withDataFolder(defaults).withLocalNetworks(local);
    }

    /** The .mmdb files of a folder: city databases first, then country, ASN, others; by name within each. */
    static List<Path> mmdbIn(Path dir) throws UsageException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mmdb"))
                    .sorted((a, b) -> {
                        int r = Integer.compare(rank(a), rank(b));
                        return r != 0 ? r : a.getFileName().toString().compareTo(b.getFileName().toString());
                    }).toList();
        } catch (IOException e) {
            throw new UsageException("--geoip " + dir + ": cannot list the folder (" + e.getMessage() + ")");
        }
    }

    private static int rank(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.contains("city") ? 0 : n.contains("country") ? 1 : n.contains("asn") ? 2 : 3;
    }
}
