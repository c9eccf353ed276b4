package dev.onshelf.api.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading request bodies the same way in every handler. */
public final class Requests {
    /** Largest count or quantity a request may carry (the same bound as the MQTT contract's). */
    public static final long MAX_UNITS = 100_000;

    private Requests() {
    }

    /** The body as a JSON object, or null when it is missing or not a JSON object. */
    public static JsonObject jsonObjectOrNull(RoutingContext ctx) {
        try {
            return ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether a JSON value is a whole number of units from 0 to {@link #MAX_UNITS}. */
    public static boolean isUnits(Object v) {
        return (v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0
            && ((Number) v).longValue() <= MAX_UNITS;
    }
}
