package dev.onshelf.core.catalog;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How names are searched: words are lower-cased runs of letters and digits (accents folded), and a
 * product is indexed under every prefix of {@link #MIN_PREFIX} to {@link #MAX_PREFIX} characters of
 * every word of its name and brand. Each (prefix, product) pair has a score; a query's words are
 * prefixes too, and a product's rank is the sum of its scores for them (so "oat mil" finds "Oat Milk
 * Barista 1 L", and a whole-word match, a name word over a brand word, an earlier word over a later
 * one and a shorter name over a longer one come first). Pure: the Redis side stores these numbers.
 */
public final class SearchTerms {
    public static final int MIN_PREFIX = 2;
    public static final int MAX_PREFIX = 15;
    /** At most this many words of a query count; more would only narrow an intersection further. */
    public static final int MAX_QUERY_WORDS = 6;

    private SearchTerms() {
    }

    /** The words of a text, normalised (lower case, accents folded, letters and digits only). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        String folded = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
            .toLowerCase(Locale.ROOT);
        for (String w : folded.split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** The index terms of a product and the score of each (the best over its words). */
    public static Map<String, Long> index(Product p) {
        Map<String, Long> out = new LinkedHashMap<>();
        long shortness = 999 - Math.min(999, p.name().length());
        List<String> name = words(p.name());
        for (int i = 0; i < name.size(); i++) {
            add(out, name.get(i), 100 - 10L * Math.min(i, 5), shortness);
        }
        for (String w : words(p.brand())) {
            add(out, w, 40, shortness);
        }
        return out;
    }

    private static void add(Map<String, Long> out, String word, long weight, long shortness) {
        int longest = Math.min(word.length(), MAX_PREFIX);
        for (int n = MIN_PREFIX; n <= longest; n++) {
            long whole = n == longest ? 50 : 0;
            long score = (weight + whole) * 1000 + shortness;
            out.merge(word.substring(0, n), score, Math::max);
        }
    }

    /**
     * The index terms a query looks up: its words (cut to {@link #MAX_PREFIX}), without repeats,
     * without those shorter than {@link #MIN_PREFIX}, at most {@link #MAX_QUERY_WORDS}. Empty when
     * nothing searchable is left.
     */
    public static List<String> query(String q) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String w : words(q)) {
            if (w.length() >= MIN_PREFIX && out.size() < MAX_QUERY_WORDS) {
                out.add(w.length() > MAX_PREFIX ? w.substring(0, MAX_PREFIX) : w);
            }
        }
        return new ArrayList<>(out);
    }
}
