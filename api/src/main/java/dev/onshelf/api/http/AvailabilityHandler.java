package dev.onshelf.api.http;

import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.core.availability.AvailabilityRules;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.function.LongSupplier;

/** {@code GET /v1/stores/{store}/products/{gtin}}: one honest answer. */
final class AvailabilityHandler {
    private final RedisAvailabilityStore store;
    private final AvailabilityRules rules;
    private final LongSupplier clock;

    AvailabilityHandler(RedisAvailabilityStore store, AvailabilityRules rules, LongSupplier clock) {
        this.store = store;
        this.rules = rules;
        this.clock = clock;
    }

    void lookup(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        Gtin gtin = Gtin.parse(ctx.pathParam("gtin"));
        Future.fromCompletionStage(store.read(storeId, gtin), ctx.vertx().getOrCreateContext())
            .map(view -> AvailabilityJson.of(storeId, gtin, rules.evaluate(view.state(), view.health(),
                clock.getAsLong())))
            .onSuccess(json -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "public, max-age=1")
                .end(json.encode()))
            .onFailure(ctx::fail);
    }
}
