package dev.onshelf.core.feed;

import java.util.List;

/**
 * A store's click-and-collect offer as Google's local inventory states it: {@code pickup_method} and
 * {@code pickup_sla}, both optional store settings (set with the store's registration). Google wants
 * the two together unless the method is {@code not_supported}; values are Merchant Center's, in English.
 */
public record Pickup(String method, String sla) {
    public static final Pickup NONE = new Pickup(null, null);
    /** Merchant Center's pickup_method values. */
    public static final List<String> METHODS = List.of("buy", "reserve", "ship_to_store", "not_supported");
    /** Merchant Center's pickup_sla values. */
    public static final List<String> SLAS = List.of("same_day", "next_day", "2-day", "3-day", "4-day", "5-day",
        "6-day", "multi-week");

    public Pickup {
        if (method != null && !METHODS.contains(method)) {
            throw new IllegalArgumentException("pickupMethod must be one of " + METHODS);
        }
        if (sla != null && !SLAS.contains(sla)) {
            throw new IllegalArgumentException("pickupSla must be one of " + SLAS);
        }
        if (sla != null && method == null) {
            throw new IllegalArgumentException("pickupSla needs a pickupMethod");
        }
        if (method != null && sla == null && !method.equals("not_supported")) {
            throw new IllegalArgumentException("pickupMethod " + method + " needs a pickupSla (Merchant Center "
                + "requires both unless the method is not_supported)");
        }
    }

    /** As stored (null or empty strings: not set); values that are no longer valid count as not set. */
    public static Pickup stored(String method, String sla) {
        String m = method == null || method.isEmpty() ? null : method;
        String s = sla == null || sla.isEmpty() ? null : sla;
        try {
            return new Pickup(m, s);
        } catch (IllegalArgumentException e) {
            return NONE;
        }
    }
}
