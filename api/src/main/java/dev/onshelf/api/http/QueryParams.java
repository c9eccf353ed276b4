package dev.onshelf.api.http;

import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Query parameters and headers, parsed without the request: strings in, typed values out, or a 400
 * problem ({@link ProblemException}, or the model's {@code ValidationException} for a bad GTIN or
 * store id) naming the parameter. Pure, so it is fuzzed on its own ({@code QueryParamsFuzzTest}).
 */
public final class QueryParams {
    /** Most items one list parameter may name (a basket, stores to compare, products to watch). */
    public static final int MAX_ITEMS = 50;
    private static final Pattern CHANGE_ID = Pattern.compile("\\d{1,18}-\\d{1,18}");  // fits a long

    private QueryParams() {
    }

    /** A required comma-separated list: at most {@link #MAX_ITEMS}; values equal once parsed appear once. */
    public static <T> List<T> list(String param, String raw, Function<String, T> parse) {
        if (raw == null || raw.isBlank()) {
            throw ProblemException.badRequest("request:" + param + ".missing", param + " is required: a comma-separated list");
        }
        return optionalList(param, raw, parse);
    }

    /** An optional comma-separated list: empty when absent. */
    public static <T> List<T> optionalList(String param, String raw, Function<String, T> parse) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        LinkedHashSet<String> values = new LinkedHashSet<>();
        for (String v : raw.split(",", -1)) {
            values.add(v.trim());
            if (values.size() > MAX_ITEMS) {
                throw ProblemException.badRequest("request:" + param + ".too_many", "at most " + MAX_ITEMS + " " + param);
            }
        }
        LinkedHashSet<T> out = new LinkedHashSet<>();
        for (String v : values) {
            out.add(parse.apply(v));  // "4006381333931" and "04006381333931" are one GTIN
        }
        return List.copyOf(out);
    }

    public static List<Gtin> gtins(String raw) {
        return list("gtins", raw, Gtin::parse);
    }

    public static List<StoreId> stores(String raw) {
        return list("stores", raw, StoreId::new);
    }

    /** A decimal number from {@code min} to {@code max}; {@code fallback} when absent (null: required). */
    public static double number(String param, String raw, Double fallback, double min, double max) {
        if (raw == null) {
            if (fallback == null) {
                throw ProblemException.badRequest("request:" + param + ".missing", param + " is required");
            }
            return fallback;
        }
        try {
            double v = Double.parseDouble(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("request:" + param + ".invalid", param + " must be a number from " + min
            + " to " + max);
    }

    /** A change-feed id ({@code Last-Event-ID}), or null when absent. */
    public static String changeId(String raw) {
        if (raw != null && !CHANGE_ID.matcher(raw).matches()) {
            throw ProblemException.badRequest("request:lastEventId.invalid",
                "Last-Event-ID must be a change id like 1732270530123-0");
        }
        return raw;
    }
}
