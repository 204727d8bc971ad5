package org.weir.detect.rules.internal;

/**
 * Says whether a query name looks like data encoded into DNS (the way iodine, dns2tcp, dnscat and similar tools
 * carry traffic) rather than a name a person or a service chose. Looks only at the labels left of the registered
 * domain, because the tunnel's own domain is ordinary. Evidence of encoding:
 * <ul>
 * <li>characters outside letters, digits, '-' and '_' (base64's '+', '/', '=', or raw 8-bit bytes);</li>
 * <li>upper and lower case mixed within a long label (base64-like alphabets; people and resolvers do not);</li>
 * <li>much data: long labels packed with high character entropy and digits (encoders fill labels towards the
 * 63-byte limit with near-uniform symbols from alphabets that include digits; long names made of words repeat
 * letters and rarely carry digits).</li>
 * </ul>
 * Reusable and allocation-free; not thread-safe (one per run).
 */
final class DnsNameClassifier {

    private final int[] counts = new int[256];

    /** Characters of the subdomain part of the last classified name. */
    int subChars;
    /** Longest subdomain label. */
    int maxLabel;
    /** Shannon entropy (bits per character) of the subdomain part. */
    double entropy;
    int digits, nonLdh, mixedCaseLabels;

    final int minSubChars;
    final int longLabel;
    final double minEntropy;

    /**
     * @param longLabel label length from which high entropy marks encoded data
     * @param minEntropy bits per character marking near-uniform symbols
     */
    DnsNameClassifier(int longLabel, double minEntropy) {
        this.minSubChars = 4;
        this.longLabel = longLabel;
        this.minEntropy = minEntropy;
    }

    /** Whether the name in {@code q} looks encoded; the features stay readable in the fields. */
    boolean suspicious(DnsQuestion q) {
        int parent = q.parentLabels();
        int sub = q.labels - parent;
        subChars = 0;
        maxLabel = 0;
        digits = 0;
        nonLdh = 0;
        mixedCaseLabels = 0;
        entropy = 0;
        if (sub <= 0) {
            return false;
        }
        if (q.labels >= 2 && q.equalsIgnoreCase(q.labels - 1, "arpa")) {
            return false; // reverse lookups are long, dotted digits by design
        }
        byte[] n = q.name;
        for (int l = 0; l < sub; l++) {
            int s = q.labelStart[l];
            int len = q.labelLength[l];
            int upper = 0, lower = 0;
            for (int i = s; i < s + len; i++) {
                int c = n[i] & 0xFF;
                counts[c]++;
                if (c >= '0' && c <= '9') {
                    digits++;
                } else if (c >= 'a' && c <= 'z') {
                    lower++;
                } else if (c >= 'A' && c <= 'Z') {
                    upper++;
                } else if (c != '-' && c != '_') {
                    nonLdh++;
                }
            }
            if (len >= 12 && upper >= 2 && lower >= 2) {
                mixedCaseLabels++;
            }
            subChars += len;
            maxLabel = Math.max(maxLabel, len);
        }
        double h = 0;
        for (int l = 0; l < sub; l++) {
            int s = q.labelStart[l];
            for (int i = s; i < s + q.labelLength[l]; i++) {
                int c = n[i] & 0xFF;
                int k = counts[c];
                if (k > 0) {
                    double p = (double) k / subChars;
                    h -= p * (Math.log(p) / Math.log(2));
                    counts[c] = 0; // each symbol once, and the table is clean for the next name
                }
            }
        }
        entropy = h;
        if (subChars < minSubChars) {
            return false;
        }
        if (nonLdh > 0 || mixedCaseLabels > 0) {
            return true;
        }
        // Digits too: encoders' alphabets include them, words chosen by people mostly do not.
        return maxLabel >= longLabel && entropy >= minEntropy && digits * 20 >= subChars;
    }
}
