package org.weir.core;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Intelligence and policy inputs of one analysis: what the enrichers use besides the feeds configured in the
 * framework (Configuration Admin). Files named here win over configured feeds and over the defaults found in
 * Weir's data folder.
 *
 * @param enrichment run the enrichers at all (names, address intelligence, verdicts)
 * @param read the parts of the enrichment that the analysis's outputs read; the engine adds what its detectors read
 *     ({@link org.weir.detect.Detector#reads()}), and the enrichers compute those and what they depend on
 * @param geoDatabases MaxMind DB files (GeoIP2/GeoLite2, DB-IP, ip-location-db); empty: configured or default ones
 * @param blacklists blacklist files (line lists, EDAMAME JSON); empty: configured ones
 * @param whitelist an EDAMAME whitelist file, or null for no verdicts (unless one is configured)
 * @param profile the whitelist profile to judge by; null: the first profile of the file
 * @param feedKey an Ed25519 public key file the named feeds must be signed with, or null
 * @param dataFolder use the databases found in Weir's data folder when none are named or configured
 * @param localNetworks which addresses are local: verdicts judge sessions from a local originator to a remote
 *     responder
 */
public record IntelOptions(boolean enrichment, Set<Enrichment> read, List<Path> geoDatabases, List<Path> blacklists,
        Path whitelist, String profile, Path feedKey, boolean dataFolder, LocalNetworks localNetworks) {

    public IntelOptions {
        read = Set.copyOf(read);
        geoDatabases = List.copyOf(geoDatabases);
        blacklists = List.copyOf(blacklists);
        if (localNetworks == null) {
            localNetworks = LocalNetworks.privateAddressSpace();
        }
    }

    /**
     * Enrichment on, all of it read, nothing named, the data folder's defaults used, private address space local.
     */
    public static IntelOptions defaults() {
        return new IntelOptions(true, EnumSet.allOf(Enrichment.class), List.of(), List.of(), null, null, null, true,
                LocalNetworks.privateAddressSpace());
    }

    public IntelOptions withEnrichment(boolean run) {
        return new IntelOptions(run, read, geoDatabases, blacklists, whitelist, profile, feedKey, dataFolder,
                localNetworks);
    }

    /** The parts of the enrichment that the analysis's outputs read. */
    public IntelOptions withRead(Set<Enrichment> parts) {
        return new IntelOptions(enrichment, parts, geoDatabases, blacklists, whitelist, profile, feedKey, dataFolder,
                localNetworks);
    }

    /** Whether the enrichment is on and this part of it is read. */
    public boolean reads(Enrichment part) {
        return enrichment && read.contains(part);
    }

    public IntelOptions withGeoDatabases(List<Path> files) {
        return new IntelOptions(enrichment, read, files, blacklists, whitelist, profile, feedKey, dataFolder,
                localNetworks);
    }

    public IntelOptions withBlacklists(List<Path> files) {
        return new IntelOptions(enrichment, read, geoDatabases, files, whitelist, profile, feedKey, dataFolder,
                localNetworks);
    }

    public IntelOptions withWhitelist(Path file, String profileName) {
        return new IntelOptions(enrichment, read, geoDatabases, blacklists, file, profileName, feedKey, dataFolder,
                localNetworks);
    }

    public IntelOptions withFeedKey(Path keyFile) {
        return new IntelOptions(enrichment, read, geoDatabases, blacklists, whitelist, profile, keyFile, dataFolder,
                localNetworks);
    }

    public IntelOptions withDataFolder(boolean use) {
        return new IntelOptions(enrichment, read, geoDatabases, blacklists, whitelist, profile, feedKey, use,
                localNetworks);
    }

    public IntelOptions withLocalNetworks(LocalNetworks networks) {
        return new IntelOptions(enrichment, read, geoDatabases, blacklists, whitelist, profile, feedKey, dataFolder,
                networks);
    }
}
