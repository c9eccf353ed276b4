package dev.onshelf.api.http;

import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.availability.AvailabilityRules;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;

/**
 * The shoppers' reads: one product in one store, a basket in one store, one product across stores,
 * and stores nearby that have it on the shelf. Reads are cacheable for a second and answer 304 to
 * a matching {@code If-None-Match}. Exact unit counts only when the operator shows them ({@code counts}).
 */
final class AvailabilityHandler {
    static final int MAX_ITEMS = QueryParams.MAX_ITEMS;
    private final RedisAvailabilityStore store;
    private final RegistryStore registry;
    private final AvailabilityRules rules;
    private final LongSupplier clock;
    private final ProductNames names;
    private final boolean counts;

    AvailabilityHandler(RedisAvailabilityStore store, RegistryStore registry, AvailabilityRules rules,
                        LongSupplier clock, ProductNames names, boolean counts) {
        this.names = names;
        this.counts = counts;
        this.store = store;
        this.registry = registry;
        this.rules = rules;
        this.clock = clock;
    }

    private Future<JsonObject> answer(RoutingContext ctx, StoreId storeId, Gtin gtin) {
        return Future.fromCompletionStage(store.read(storeId, gtin), ctx.vertx().getOrCreateContext())
            .compose(view -> view.storeKnown() ? Future.succeededFuture(view)
                : Future.failedFuture(ProblemException.unknownStore(storeId)))
            .map(view -> AvailabilityJson.forPublic(storeId, gtin, rules.evaluate(view.state(), view.health(),
                clock.getAsLong()), counts))
            .compose(json -> names.named(ctx.vertx().getOrCreateContext(), json));
    }

    void lookup(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        Gtin gtin = Gtin.parse(ctx.pathParam("gtin"));
        answer(ctx, storeId, gtin).onSuccess(json -> send(ctx, json)).onFailure(ctx::fail);
    }

    /** {@code GET /v1/stores/{store}/products?gtins=a,b,c}: a basket in one store. */
    void basket(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        List<Gtin> gtins = QueryParams.gtins(ctx.request().getParam("gtins"));
        List<Future<JsonObject>> reads = new ArrayList<>();
        gtins.forEach(g -> reads.add(answer(ctx, storeId, g)));
        Future.all(reads).onSuccess(all -> send(ctx, new JsonObject().put("storeId", storeId.value())
            .put("items", new JsonArray(all.list())))).onFailure(ctx::fail);
    }

    /** {@code GET /v1/products/{gtin}/availability?stores=s1,s2}: one product in many stores. */
    void acrossStores(RoutingContext ctx) {
        Gtin gtin = Gtin.parse(ctx.pathParam("gtin"));
        List<StoreId> stores = QueryParams.stores(ctx.request().getParam("stores"));
        List<Future<JsonObject>> reads = new ArrayList<>();
        stores.forEach(s -> reads.add(answer(ctx, s, gtin)));
        Future.all(reads).onSuccess(all -> send(ctx, new JsonObject().put("gtin", gtin.value())
            .put("items", new JsonArray(all.list())))).onFailure(ctx::fail);
    }

    /** {@code GET /v1/products/{gtin}/nearby?lat&lon&radiusKm&limit}: nearest stores with it on the shelf. */
    void nearby(RoutingContext ctx) {
        Gtin gtin = Gtin.parse(ctx.pathParam("gtin"));
        double lat = QueryParams.number("lat", ctx.request().getParam("lat"), null, -85.05, 85.05);
        double lon = QueryParams.number("lon", ctx.request().getParam("lon"), null, -180, 180);
        double radius = QueryParams.number("radiusKm", ctx.request().getParam("radiusKm"), 5.0, 0.1, 100);
        int limit = (int) QueryParams.number("limit", ctx.request().getParam("limit"), 10.0, 1, MAX_ITEMS);
        Future.fromCompletionStage(registry.nearby(lat, lon, radius, MAX_ITEMS * 4), ctx.vertx().getOrCreateContext())
            .compose(found -> {
                List<Future<JsonObject>> reads = new ArrayList<>();
                found.forEach(w -> reads.add(answer(ctx, new StoreId(w.getMember()), gtin)
                    .map(a -> a.put("distanceKm", Math.round(w.getDistance() * 1000) / 1000.0))));
                return Future.all(reads);
            })
            .onSuccess(all -> {
                JsonArray items = new JsonArray();
                for (JsonObject a : all.<JsonObject>list()) {
                    if (Boolean.TRUE.equals(a.getValue("onShelf")) && items.size() < limit) {
                        items.add(a);
                    }
                }
                send(ctx, new JsonObject().put("gtin", gtin.value()).put("lat", lat).put("lon", lon)
                    .put("radiusKm", radius).put("items", items));
            })
            .onFailure(ctx::fail);
    }

    /** If-None-Match by weak comparison (RFC 9110 13.1.2): W/ prefixes ignored; "*" matches. */
    static boolean notModified(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    /** {@code GET /v1/stores}: every registered store with its name and position (at most 1,000). */
    void stores(RoutingContext ctx) {
        Future.fromCompletionStage(registry.stores(), ctx.vertx().getOrCreateContext())
            .compose(ids -> {
                List<String> sorted = ids.stream().sorted().limit(1_000).toList();
                List<Future<JsonObject>> infos = new ArrayList<>();
                sorted.forEach(id -> infos.add(storeInfo(ctx, new StoreId(id))));
                return Future.all(infos);
            })
            .onSuccess(all -> {
                JsonArray items = new JsonArray();
                all.<JsonObject>list().stream().filter(java.util.Objects::nonNull).forEach(items::add);
                send(ctx, new JsonObject().put("items", items));
            })
            .onFailure(ctx::fail);
    }

    /** {@code GET /v1/stores/{store}}: one store; 404 when it is not registered. */
    void store(RoutingContext ctx) {
        StoreId storeId = new StoreId(ctx.pathParam("store"));
        storeInfo(ctx, storeId).onSuccess(info -> {
            if (info == null) {
                ctx.fail(ProblemException.unknownStore(storeId));
            } else {
                send(ctx, info);
            }
        }).onFailure(ctx::fail);
    }

    private Future<JsonObject> storeInfo(RoutingContext ctx, StoreId storeId) {
        return Future.fromCompletionStage(registry.store(storeId), ctx.vertx().getOrCreateContext())
            .map(found -> found.map(m -> new JsonObject().put("storeId", storeId.value()).put("name", m.get("name"))
                .put("lat", Double.valueOf(m.get("lat"))).put("lon", Double.valueOf(m.get("lon")))).orElse(null));
    }

    private static final CharSequence ETAG = io.vertx.core.http.HttpHeaders.createOptimized("ETag");
    private static final CharSequence CACHE_CONTROL = io.vertx.core.http.HttpHeaders.CACHE_CONTROL;
    private static final CharSequence ONE_SECOND = io.vertx.core.http.HttpHeaders.createOptimized("public, max-age=1");
    private static final CharSequence CONTENT_TYPE = io.vertx.core.http.HttpHeaders.CONTENT_TYPE;
    private static final CharSequence JSON = io.vertx.core.http.HttpHeaders.createOptimized("application/json");

    /**
     * JSON with a short public cache lifetime and a weak ETag; 304 when the client has it already.
     * The answer is encoded once, straight into the buffer that is sent (the ETag is the CRC of it).
     */
    static void send(RoutingContext ctx, JsonObject json) {
        io.vertx.core.buffer.Buffer body = json.toBuffer();
        CRC32 crc = new CRC32();
        crc.update(body.getBytes());
        String etag = "W/\"" + Long.toHexString(crc.getValue()) + "\"";
        ctx.response().putHeader(ETAG, etag).putHeader(CACHE_CONTROL, ONE_SECOND);
        if (notModified(ctx.request().getHeader("If-None-Match"), etag)) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        ctx.response().putHeader(CONTENT_TYPE, JSON).end(body);
    }
}
