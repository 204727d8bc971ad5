package org.weir.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * The known name a mistyped one was probably meant to be, for error messages that say "did you mean ...?" (a display
 * filter's field, a command, an option): the nearest by edit distance, if it is near enough to be a slip of the
 * keyboard, at most two edits or a third of the word.
 */
public final class Spelling {

    private Spelling() {
    }

    /** The candidate nearest to {@code typed} (case ignored), or empty when none is near enough. */
    public static Optional<String> closest(String typed, Collection<String> candidates) {
        String lower = typed.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .min(Comparator.comparingInt(c -> distance(lower, c.toLowerCase(Locale.ROOT))))
                .filter(c -> distance(lower, c.toLowerCase(Locale.ROOT)) <= Math.max(2, typed.length() / 3));
    }

    /** {@code ": did you mean NAME?"} with the candidate nearest to {@code typed}, or "" when none is near enough. */
    public static String suggestion(String typed, Collection<String> candidates) {
        return closest(typed, candidates).map(c -> ": did you mean " + c + "?").orElse("");
    }

    /** Edit distance (insertions, deletions, substitutions). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1], current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
