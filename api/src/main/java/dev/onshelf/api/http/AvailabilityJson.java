package dev.onshelf.api.http;

import dev.onshelf.core.availability.Availability;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.json.JsonObject;

/** The public JSON shape of one availability answer (the contract in openapi.yaml). */
public final class AvailabilityJson {
    private AvailabilityJson() {
    }

    /**
     * The fields that give exact unit counts: left out of public answers when the operator hides them
     * (ONSHELF_PUBLIC_COUNTS=false); the words ({@code availability}) still say "only a few left".
     */
    static final java.util.List<String> EXACT_COUNTS = java.util.List.of("shelfCount", "bookCount", "salable");

    /** The answer as the public (unauthenticated) API gives it: without exact counts unless {@code counts}. */
    static JsonObject forPublic(StoreId store, Gtin gtin, Availability a, boolean counts) {
        JsonObject json = of(store, gtin, a);
        if (!counts) {
            EXACT_COUNTS.forEach(json::remove);
        }
        return json;
    }

    /** The whole answer, counts included (staff). */
    public static JsonObject of(StoreId store, Gtin gtin, Availability a) {
        return new JsonObject()
            .put("storeId", store.value())
            .put("gtin", gtin.value())
            .put("onShelf", a.onShelf())
            .put("availability", a.availability() == null ? null : a.availability().name())
            .put("shelfCount", a.shelfCount())
            .put("bookCount", a.bookCount())
            .put("salable", a.salable())
            .put("confidence", a.confidence().wire())
            .put("asOf", time(a.asOf()))
            .put("shelfAsOf", time(a.shelfAsOf()))
            .put("bookAsOf", time(a.bookAsOf()));
    }

    private static String time(long millis) {
        return millis <= 0 ? null : IsoTimes.format(millis);
    }
}
