package dev.onshelf.api.http;

import dev.onshelf.aggregator.redis.CatalogStore;
import dev.onshelf.core.catalog.Product;
import dev.onshelf.core.model.Gtin;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Puts the catalogue's name, brand and size into answers about a product. Entries are cached for
 * {@link #TTL_MILLIS} (present or absent) in one map shared by the process's event loops, so a
 * popular product costs no extra Redis call; this process's own admin writes drop the entry at once,
 * another process's show within the TTL. The map is bounded: past {@link #MAX_ENTRIES} it starts over.
 */
public final class ProductNames {
    static final long TTL_MILLIS = 10_000;
    static final int MAX_ENTRIES = 50_000;

    private record Entry(Optional<Product> product, long until) {
    }

    private final CatalogStore catalog;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public ProductNames(CatalogStore catalog, LongSupplier clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    public CatalogStore catalog() {
        return catalog;
    }

    /** Forgets a product (after this process changed it). */
    public void forget(Gtin gtin) {
        cache.remove(gtin.value());
    }

    public Future<Optional<Product>> product(Context context, Gtin gtin) {
        if (catalog == null) {
            return Future.succeededFuture(Optional.empty());
        }
        long now = clock.getAsLong();
        Entry hit = cache.get(gtin.value());
        if (hit != null && hit.until() > now) {
            return Future.succeededFuture(hit.product());
        }
        return Future.fromCompletionStage(catalog.get(gtin), context).onSuccess(p -> {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(gtin.value(), new Entry(p, now + TTL_MILLIS));
        });
    }

    /** The answer with name, brand and size added where the catalogue has them (gtin read from the answer). */
    public Future<JsonObject> named(Context context, JsonObject answer) {
        return product(context, new Gtin(answer.getString("gtin"))).map(p -> {
            p.ifPresent(found -> put(answer, found));
            return answer;
        });
    }

    public Future<List<JsonObject>> named(Context context, List<JsonObject> answers) {
        List<Future<JsonObject>> all = new ArrayList<>();
        answers.forEach(a -> all.add(named(context, a)));
        return Future.all(all).map(f -> answers);
    }

    static JsonObject put(JsonObject json, Product p) {
        json.put("name", p.name());
        if (p.brand() != null) {
            json.put("brand", p.brand());
        }
        if (p.size() != null) {
            json.put("size", p.size());
        }
        return json;
    }

    static JsonObject json(Product p) {
        JsonObject json = put(new JsonObject().put("gtin", p.gtin().value()), p);
        if (p.category() != null) {
            json.put("category", p.category());
        }
        if (p.imageUrl() != null) {
            json.put("imageUrl", p.imageUrl());
        }
        return json;
    }
}
