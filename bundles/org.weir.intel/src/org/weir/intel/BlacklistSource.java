package org.weir.intel;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Locale;

/**
 * One blacklist file to load.
 *
 * @param file      the file
 * @param name      the list name for line formats (the tag is {@code blacklist:<name>}); EDAMAME JSON files name
 *                  their lists themselves and ignore it
 * @param format    how to read the file
 * @param torExits  the list holds Tor exit nodes: matches are tagged {@code tor_exit_node}
 * @param publicKey Ed25519 key the file must be signed with ({@link FeedSignature}), or {@code null}
 */
public record BlacklistSource(Path file, String name, Format format, boolean torExits, PublicKey publicKey) {

    public enum Format {
        /**
         * One entry per line: an address, a CIDR network or a {@code first-last} range, IPv4 or IPv6; {@code #}
         * starts a comment; text after the first blank on a line is ignored (so ipsum's "IP count" lines and
         * FireHOL netsets/ipsets read alike).
         */
        LINES,
        /** EDAMAME's blacklist database: {@code {"blacklists":[{"name":..,"ip_ranges":[..]}]}}. */
        EDAMAME_JSON
    }

    /**
     * A source described by its file alone: JSON files are EDAMAME databases, anything else a line list named
     * after the file (without extension); names containing {@code tor_exit} or {@code tor-exit} are Tor exit
     * lists.
     */
    public static BlacklistSource of(Path file) {
        String fn = file.getFileName().toString();
        int dot = fn.lastIndexOf('.');
        String stem = dot > 0 ? fn.substring(0, dot) : fn;
        boolean json = fn.toLowerCase(Locale.ROOT).endsWith(".json");
        String lower = stem.toLowerCase(Locale.ROOT);
        return new BlacklistSource(file, stem, json ? Format.EDAMAME_JSON : Format.LINES,
                lower.contains("tor_exit") || lower.contains("tor-exit"), null);
    }

    public BlacklistSource named(String newName) {
        return new BlacklistSource(file, newName, format, torExits, publicKey);
    }

    public BlacklistSource asTorExits(boolean exits) {
        return new BlacklistSource(file, name, format, exits, publicKey);
    }

    public BlacklistSource signedBy(PublicKey key) {
        return new BlacklistSource(file, name, format, torExits, key);
    }
}
