package dev.onshelf.app;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana {@code label_values(...)} query) selects, for
 * checking them against a live {@code /metrics}. Not a parser: it removes what cannot be a metric name
 * (strings, label matchers, ranges, grouping label lists, Grafana variables, numbers) and keeps the
 * identifiers that are not called as functions and are not keywords. Names are compared as they are:
 * {@code x_bucket} is exported only where x has histogram buckets.
 */
final class PromQlNames {
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern LABEL_LISTS =
        Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern LABEL_VALUES = Pattern.compile(
        "label_values\\(\\s*(?:([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?:\\{[^{}]*})?\\s*,)?\\s*\\w+\\s*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
        "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan");

    private PromQlNames() {
    }

    static Set<String> of(String expr) {
        Set<String> names = new LinkedHashSet<>();
        String s = STRINGS.matcher(expr).replaceAll(" ");
        Matcher labelValues = LABEL_VALUES.matcher(s);
        while (labelValues.find()) {  // Grafana's label_values([metric,] label): the label is not a metric
            if (labelValues.group(1) != null) {
                names.add(labelValues.group(1));
            }
        }
        s = labelValues.replaceAll(" ");
        s = VARIABLES.matcher(s).replaceAll(" ");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGES.matcher(s).replaceAll(" ");
        s = LABEL_LISTS.matcher(s).replaceAll(" ");
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            boolean afterDigit = m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.');
            boolean called = s.substring(m.end()).stripLeading().startsWith("(");
            if (!afterDigit && !called && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }
}
