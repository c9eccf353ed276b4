package dev.onshelf.api.http;

import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.feed.Pickup;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Writes;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The registry (stores, devices: created, replaced, deleted) and the dead letters (a store's, listed
 * and replayed; the global ones, listed), behind {@code Authorization: Bearer} with
 * the admin token (compared in constant time).
 */
final class AdminHandler {
    private final RegistryStore registry;
    private final RedisAvailabilityStore availability;
    private final Writes writes;
    private final java.util.function.LongSupplier clock;
    private final byte[] token;

    AdminHandler(RegistryStore registry, RedisAvailabilityStore availability, Writes writes,
                 java.util.function.LongSupplier clock, String adminToken) {
        this.registry = registry;
        this.availability = availability;
        this.writes = writes;
        this.clock = clock;
        this.token = adminToken.getBytes(StandardCharsets.UTF_8);
    }

    void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw new ProblemException(401, "auth:token.missing", "Unauthorized",
                "this endpoint needs Authorization: Bearer <admin token>");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new ProblemException(401, "auth:token.invalid", "Unauthorized", "the admin token is not valid");
        }
        ctx.next();
    }

    void putStore(RoutingContext ctx) {
        StoreId store = new StoreId(ctx.pathParam("store"));
        JsonObject body = body(ctx);
        String name = body.getValue("name") instanceof String s && !s.isBlank() && s.length() <= 200 ? s : null;
        if (name == null) {
            throw ProblemException.badRequest("registry:name.invalid", "name must be a string of 1 to 200 characters");
        }
        double lat = coordinate(body, "lat", 85.05);
        double lon = coordinate(body, "lon", 180);
        Pickup pickup = pickup(body);
        Future.fromCompletionStage(registry.putStore(store, name, lat, lon), ctx.vertx().getOrCreateContext())
            .compose(created -> Future.fromCompletionStage(registry.putPickup(store, pickup.method(), pickup.sla()),
                ctx.vertx().getOrCreateContext()).map(created))
            .onSuccess(created -> ctx.response().setStatusCode(created ? 201 : 200)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("storeId", store.value()).put("name", name).put("lat", lat)
                    .put("lon", lon).put("pickupMethod", pickup.method()).put("pickupSla", pickup.sla()).encode()))
            .onFailure(ctx::fail);
    }

    /** The store's optional click-and-collect settings (Google local inventory's pickup_method / pickup_sla). */
    private static Pickup pickup(JsonObject body) {
        Object method = body.getValue("pickupMethod");
        Object sla = body.getValue("pickupSla");
        if (method != null && !(method instanceof String) || sla != null && !(sla instanceof String)) {
            throw ProblemException.badRequest("registry:pickup.invalid", "pickupMethod and pickupSla must be strings");
        }
        try {
            return new Pickup((String) method, (String) sla);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("registry:pickup.invalid", e.getMessage());
        }
    }

    void putDevice(RoutingContext ctx) {
        StoreId store = new StoreId(ctx.pathParam("store"));
        DeviceId device = device(ctx);
        Object kindValue = body(ctx).getValue("kind");
        if (!(kindValue instanceof String)) {
            throw ProblemException.badRequest("registry:kind.invalid", "kind must be 'shelf' or 'feed'");
        }
        DeviceKind kind = DeviceKind.parse((String) kindValue);
        Future.fromCompletionStage(registry.putDevice(store, device, kind), ctx.vertx().getOrCreateContext())
            .onSuccess(outcome -> {
                switch (outcome) {
                    case STORE_UNKNOWN -> ctx.fail(ProblemException.unknownStore(store));
                    default -> ctx.response().setStatusCode(outcome == RegistryStore.DeviceOutcome.CREATED ? 201 : 200)
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("storeId", store.value()).put("deviceId", device.value())
                            .put("kind", kind.wire()).encode());
                }
            })
            .onFailure(ctx::fail);
    }

    /** A device id from the path: never one of OnShelf's internal sources ({@code ~handheld}). */
    private static DeviceId device(RoutingContext ctx) {
        try {
            return DeviceId.parse(ctx.pathParam("device"));
        } catch (dev.onshelf.core.model.ValidationException e) {
            throw ProblemException.badRequest("registry:device.invalid", e.detail());
        }
    }

    /**
     * {@code DELETE /v1/admin/stores/{store}/devices/{device}}: 204, or 404 for an unknown store or device.
     * Its later events are refused (device.unregistered) and dead-lettered; see device_delete.lua.
     */
    void deleteDevice(RoutingContext ctx) {
        StoreId store = new StoreId(ctx.pathParam("store"));
        DeviceId device = device(ctx);
        known(ctx, store)
            .compose(x -> on(ctx, registry.deleteDevice(store, device, clock.getAsLong())))
            .onSuccess(deleted -> {
                if (deleted) {
                    ctx.response().setStatusCode(204).end();
                } else {
                    ctx.fail(new ProblemException(404, "registry:device.unknown", "Unknown device",
                        "device " + device + " is not registered to store " + store));
                }
            })
            .onFailure(ctx::fail);
    }

    /** {@code DELETE /v1/admin/stores/{store}}: 204, or 404 if unknown. See StoreDeletion. */
    void deleteStore(RoutingContext ctx) {
        StoreId store = new StoreId(ctx.pathParam("store"));
        on(ctx, registry.deleteStore(store))
            .onSuccess(deleted -> {
                if (deleted) {
                    ctx.response().setStatusCode(204).end();
                } else {
                    ctx.fail(ProblemException.unknownStore(store));
                }
            })
            .onFailure(ctx::fail);
    }

    /** {@code GET /v1/admin/stores/{store}/deadletters?limit=N}: the store's newest refused messages. */
    void storeDeadLetters(RoutingContext ctx) {
        StoreId store = new StoreId(ctx.pathParam("store"));
        int limit = limit(ctx, 100);
        known(ctx, store)
            .compose(x -> on(ctx, registry.deadLetters().newest(store, limit)))
            .onSuccess(list -> json(ctx, new JsonObject().put("storeId", store.value()).put("items", letters(list))))
            .onFailure(ctx::fail);
    }

    /**
     * {@code POST /v1/admin/stores/{store}/deadletters/replay?limit=N&after=ID}: the store's oldest dead
     * letters (after ID), one at a time in order, through the same pipeline and exactly-once ledger as
     * when they came ({@link Writes#replay}). One applied, or found a duplicate or stale, leaves the
     * list; one refused again stays, with its new reason. Writes made over HTTP (topic {@code http:})
     * carry no wire payload and are skipped.
     */
    void replayDeadLetters(RoutingContext ctx) {
        StoreId store = new StoreId(ctx.pathParam("store"));
        int limit = limit(ctx, 100);
        String after = ctx.request().getParam("after");
        if (after != null && !after.matches("[0-9]{1,20}-[0-9]{1,20}")) {
            throw ProblemException.badRequest("request:after.invalid", "after must be a dead letter's id, e.g. 1764417600000-0");
        }
        known(ctx, store)
            .compose(x -> on(ctx, registry.deadLetters().oldest(store, after, limit)))
            .compose(list -> {
                JsonArray items = new JsonArray();
                Future<Void> chain = Future.succeededFuture();
                for (io.lettuce.core.StreamMessage<String, String> m : list) {
                    chain = chain.compose(v -> replayOne(ctx, store, m).map(item -> {
                        items.add(item);
                        return null;
                    }));
                }
                return chain.map(v -> new JsonObject().put("storeId", store.value()).put("items", items)
                    .put("replayed", items.stream().filter(i -> ((JsonObject) i).getBoolean("removed")).count())
                    .put("next", list.isEmpty() ? null : list.get(list.size() - 1).getId()));
            })
            .onSuccess(body -> json(ctx, body))
            .onFailure(ctx::fail);
    }

    private Future<JsonObject> replayOne(RoutingContext ctx, StoreId store, io.lettuce.core.StreamMessage<String, String> m) {
        String topic = m.getBody().get("topic");
        JsonObject item = new JsonObject().put("id", m.getId()).put("topic", topic);
        if (topic == null || !topic.startsWith(dev.onshelf.core.model.Topic.PREFIX)) {
            return Future.succeededFuture(item.put("outcome", "skipped").put("reason", "letter.not_replayable")
                .put("removed", false));
        }
        byte[] payload = String.valueOf(m.getBody().get("payload")).getBytes(StandardCharsets.UTF_8);
        return on(ctx, writes.replay(topic, payload)).compose(r -> {
            item.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT))
                .put("reason", r.reason() == null ? null : r.reason().code());
            if (r.outcome() == ApplyResult.Outcome.REJECTED) {
                return Future.succeededFuture(item.put("removed", false));
            }
            return on(ctx, registry.deadLetters().remove(store, m.getId())).map(x -> item.put("removed", true));
        });
    }

    private Future<Void> known(RoutingContext ctx, StoreId store) {
        return on(ctx, registry.store(store)).compose(found -> found.isEmpty()
            ? Future.failedFuture(ProblemException.unknownStore(store)) : Future.succeededFuture());
    }

    private static <T> Future<T> on(RoutingContext ctx, java.util.concurrent.CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, ctx.vertx().getOrCreateContext());
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }

    private static int limit(RoutingContext ctx, int dflt) {
        String given = ctx.request().getParam("limit");
        if (given == null) {
            return dflt;
        }
        int limit;
        try {
            limit = Integer.parseInt(given);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("request:limit.invalid", "limit must be an integer from 1 to 1000");
        }
        return limit;
    }

    private static JsonArray letters(java.util.List<io.lettuce.core.StreamMessage<String, String>> list) {
        JsonArray items = new JsonArray();
        list.forEach(m -> items.add(new JsonObject().put("id", m.getId()).put("topic", m.getBody().get("topic"))
            .put("reason", m.getBody().get("reason")).put("detail", m.getBody().get("detail"))
            .put("receivedAt", java.time.Instant.ofEpochMilli(Long.parseLong(m.getBody().get("at"))).toString())
            .put("payload", m.getBody().get("payload"))));
        return items;
    }

    void putThreshold(RoutingContext ctx) {
        StoreId store = new StoreId(ctx.pathParam("store"));
        Gtin gtin = Gtin.parse(ctx.pathParam("gtin"));
        Object v = body(ctx).getValue("lowStockUnits");
        if (v != null && !Requests.isUnits(v)) {
            throw ProblemException.badRequest("registry:threshold.invalid",
                "lowStockUnits must be an integer from 0 to 100000, or null to use the default");
        }
        Integer units = v == null ? null : ((Number) v).intValue();
        Future.fromCompletionStage(registry.store(store), ctx.vertx().getOrCreateContext())
            .compose(known -> {
                if (known.isEmpty()) {
                    return Future.failedFuture(ProblemException.unknownStore(store));
                }
                return Future.fromCompletionStage(availability.setLowStockUnits(store, gtin, units),
                    ctx.vertx().getOrCreateContext());
            })
            .onSuccess(x -> ctx.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("storeId", store.value()).put("gtin", gtin.value())
                    .put("lowStockUnits", units).encode()))
            .onFailure(ctx::fail);
    }

    /** {@code GET /v1/admin/deadletters?limit=N}: refused messages whose store cannot be told. */
    void deadLetters(RoutingContext ctx) {
        int limit = limit(ctx, 100);
        on(ctx, registry.deadLetters(limit))
            .onSuccess(list -> json(ctx, new JsonObject().put("items", letters(list))))
            .onFailure(ctx::fail);
    }

    private static JsonObject body(RoutingContext ctx) {
        JsonObject body = Requests.jsonObjectOrNull(ctx);
        if (body == null) {
            throw ProblemException.badRequest("request:body.invalid", "the body must be a JSON object");
        }
        return body;
    }

    private static double coordinate(JsonObject body, String field, double bound) {
        Object v = body.getValue(field);
        if (!(v instanceof Number n) || Double.isNaN(n.doubleValue()) || Math.abs(n.doubleValue()) > bound) {
            throw ProblemException.badRequest("registry:" + field + ".invalid",
                field + " must be a number from -" + bound + " to " + bound);
        }
        return n.doubleValue();
    }
}
