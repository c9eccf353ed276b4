package dev.onshelf.api.http;

import dev.onshelf.core.availability.Availability;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The public JSON shape of one availability answer (the contract in openapi.yaml). */
public final class AvailabilityJson {
    private AvailabilityJson() {
    }

    public static JsonObject of(StoreId store, Gtin gtin, Availability a) {
        return new JsonObject()
            .put("storeId", store.value())
            .put("gtin", gtin.value())
            .put("onShelf", a.onShelf())
            .put("availability", a.availability() == null ? null : a.availability().name())
            .put("shelfCount", a.shelfCount())
            .put("bookCount", a.bookCount())
            .put("confidence", a.confidence().wire())
            .put("asOf", time(a.asOf()))
            .put("shelfAsOf", time(a.shelfAsOf()))
            .put("bookAsOf", time(a.bookAsOf()));
    }

    private static String time(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
    }
}
