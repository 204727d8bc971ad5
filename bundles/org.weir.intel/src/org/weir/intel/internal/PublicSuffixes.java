package org.weir.intel.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The Public Suffix List (publicsuffix.org): which part of a domain name is registrable. Weir ships a copy of
 * the list in this bundle ({@code public_suffix_list.dat}, Mozilla Public License 2.0, see the bundle's README),
 * so names work the same on every system; {@link #load(Path)} reads another copy (e.g. a newer one). ICANN and
 * private sections both count, as in browsers. Rules in Unicode are held in their ASCII (punycode) form, as
 * names appear in DNS.
 */
public final class PublicSuffixes {

    static final String BUNDLED = "public_suffix_list.dat";

    private static volatile PublicSuffixes bundled;

    private final Set<String> rules = new HashSet<>();
    private final Set<String> wildcards = new HashSet<>();
    private final Set<String> exceptions = new HashSet<>();

    private PublicSuffixes() {
    }

    /** The copy shipped in the bundle (read once). */
    public static PublicSuffixes bundled() {
        PublicSuffixes p = bundled;
        if (p == null) {
            try (InputStream in = PublicSuffixes.class.getResourceAsStream(BUNDLED)) {
                if (in == null) {
                    throw new IllegalStateException(BUNDLED + " missing from the bundle");
                }
                p = read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bundled = p;
        }
        return p;
    }

    /** A list from a file in the publicsuffix.org format. */
    public static PublicSuffixes load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    private static PublicSuffixes read(InputStream in) throws IOException {
        PublicSuffixes p = new PublicSuffixes();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null;) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("//")) {
                continue;
            }
            int sp = line.indexOf(' ');
            if (sp > 0) {
                line = line.substring(0, sp);
            }
            if (line.startsWith("!")) {
                p.exceptions.add(ascii(line.substring(1)));
            } else if (line.startsWith("*.")) {
                p.wildcards.add(ascii(line.substring(2)));
            } else {
                p.rules.add(ascii(line));
            }
        }
        return p;
    }

    private static String ascii(String rule) {
        // IDN leaves an all-ASCII name as it is (RFC 3490 ToASCII skips nameprep then); the list's ~10,000 ASCII
        // rules through IDN made ~11 MB of garbage at every start.
        int i = 0;
        while (i < rule.length() && rule.charAt(i) < 0x80) {
            i++;
        }
        if (i == rule.length()) {
            return rule.toLowerCase(Locale.ROOT);
        }
        try {
            return IDN.toASCII(rule, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return rule.toLowerCase(Locale.ROOT);
        }
    }

    /** Rules read (normal, wildcard and exception rules). */
    public int size() {
        return rules.size() + wildcards.size() + exceptions.size();
    }

    /**
     * The registrable domain of a name: its public suffix plus one label ({@code www.example.co.uk} →
     * {@code example.co.uk}); {@code null} when the name is itself a public suffix or empty. A name no rule
     * covers has its last label as suffix (the list's implicit {@code *} rule).
     */
    public String registeredDomain(String name) {
        if (name == null) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty() || n.startsWith(".") || n.contains("..")) {
            return null;
        }
        // Label start offsets, left to right; a suffix starting at label i is n.substring(start[i]).
        int labels = 1;
        for (int i = 0; i < n.length(); i++) {
            if (n.charAt(i) == '.') {
                labels++;
            }
        }
        int[] start = new int[labels];
        for (int i = 0, k = 1; i < n.length(); i++) {
            if (n.charAt(i) == '.') {
                start[k++] = i + 1;
            }
        }
        int suffix = labels - 1; // implicit "*" rule
        for (int i = 0; i < labels; i++) {
            String s = n.substring(start[i]);
            if (exceptions.contains(s)) {
                suffix = i + 1;
                break;
            }
            if (rules.contains(s) || (i + 1 < labels && wildcards.contains(n.substring(start[i + 1])))) {
                suffix = i;
                break;
            }
        }
        if (suffix == 0) {
            return null;
        }
        return n.substring(start[suffix - 1]);
    }
}
