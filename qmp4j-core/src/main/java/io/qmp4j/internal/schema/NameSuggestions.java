package io.qmp4j.internal.schema;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean …": the closest known name to a misspelt one. Pure; thread-safe. */
public final class NameSuggestions {
    private NameSuggestions() {
    }

    /**
     * The candidate closest to {@code wrong}, or {@code null} when none is close: first one equal
     * ignoring case and {@code _}/{@code -} (QMP mixes {@code device_add} and {@code blockdev-add}),
     * else the one at the smallest edit distance (with transpositions) within
     * {@code max(1, min(3, length / 4))}; ties go to the earlier candidate.
     */
    public static String closest(String wrong, Collection<String> candidates) {
        String norm = normalise(wrong);
        for (String c : candidates) {
            if (normalise(c).equals(norm)) {
                return c;
            }
        }
        int limit = Math.max(1, Math.min(3, wrong.length() / 4));
        String best = null;
        int bestDistance = limit + 1;
        for (String c : candidates) {
            if (Math.abs(c.length() - wrong.length()) > limit) {
                continue;
            }
            int d = distance(norm, normalise(c));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
