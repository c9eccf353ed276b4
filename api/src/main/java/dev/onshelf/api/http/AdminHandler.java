package dev.onshelf.api.http;

import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.feed.Pickup;
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
 * The registry (stores, devices) and the dead-letter list, behind {@code Authorization: Bearer} with
 * the admin token (compared in constant time).
 */
final class AdminHandler {
    private final RegistryStore registry;
    private final RedisAvailabilityStore availability;
    private final byte[] token;

    AdminHandler(RegistryStore registry, RedisAvailabilityStore availability, String adminToken) {
        this.registry = registry;
        this.availability = availability;
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
        DeviceId device = new DeviceId(ctx.pathParam("device"));
        Object kindValue = body(ctx).getValue("kind");
        if (!(kindValue instanceof String)) {
            throw ProblemException.badRequest("registry:kind.invalid", "kind must be 'shelf' or 'feed'");
        }
        DeviceKind kind = DeviceKind.parse((String) kindValue);
        Future.fromCompletionStage(registry.putDevice(store, device, kind), ctx.vertx().getOrCreateContext())
            .onSuccess(outcome -> {
                switch (outcome) {
                    case STORE_UNKNOWN -> ctx.fail(ProblemException.unknownStore(store));
                    case OTHER_STORE -> ctx.fail(new ProblemException(409, "registry:device.conflict",
                        "Device belongs to another store", "device " + device + " is registered to another store"));
                    default -> ctx.response().setStatusCode(outcome == RegistryStore.DeviceOutcome.CREATED ? 201 : 200)
                        .putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("storeId", store.value()).put("deviceId", device.value())
                            .put("kind", kind.wire()).encode());
                }
            })
            .onFailure(ctx::fail);
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

    void deadLetters(RoutingContext ctx) {
        int limit = 100;
        String given = ctx.request().getParam("limit");
        if (given != null) {
            try {
                limit = Integer.parseInt(given);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                throw ProblemException.badRequest("request:limit.invalid", "limit must be an integer from 1 to 1000");
            }
        }
        Future.fromCompletionStage(registry.deadLetters(limit), ctx.vertx().getOrCreateContext())
            .onSuccess(list -> {
                JsonArray items = new JsonArray();
                list.forEach(m -> items.add(new JsonObject().put("id", m.getId()).put("topic", m.getBody().get("topic"))
                    .put("reason", m.getBody().get("reason")).put("detail", m.getBody().get("detail"))
                    .put("receivedAt", java.time.Instant.ofEpochMilli(Long.parseLong(m.getBody().get("at"))).toString())
                    .put("payload", m.getBody().get("payload"))));
                ctx.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("items", items).encode());
            })
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
