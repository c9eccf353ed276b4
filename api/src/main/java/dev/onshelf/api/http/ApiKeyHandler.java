package dev.onshelf.api.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The operator's API keys ({@code /v1/admin/api-keys}): issue one (the key is in that answer and
 * nowhere else: Redis keeps its SHA-256), list them without secrets, revoke one. This process knows of
 * a change before it answers; the others when the change is published (pub/sub, {@link ApiKeys}).
 */
final class ApiKeyHandler {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final ApiKeys keys;

    ApiKeyHandler(ApiKeys keys) {
        this.keys = keys;
    }

    void create(RoutingContext ctx) {
        JsonObject body = Requests.jsonObjectOrNull(ctx);
        if (body == null) {
            throw ProblemException.badRequest("request:body.invalid", "the body must be a JSON object");
        }
        String name = body.getValue("name") instanceof String s && !s.isBlank() && s.length() <= 100 ? s : null;
        if (name == null) {
            throw ProblemException.badRequest("apikey:name.invalid", "name must be a string of 1 to 100 characters");
        }
        Object rate = body.getValue("ratePerSecond");
        if (rate != null && !(rate instanceof Integer || rate instanceof Long)
            || rate != null && (((Number) rate).longValue() < 1 || ((Number) rate).longValue() > 1_000_000)) {
            throw ProblemException.badRequest("apikey:rate.invalid",
                "ratePerSecond must be an integer from 1 to 1000000, or absent for the configured rate");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "onshelf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[8];
        RANDOM.nextBytes(idBytes);
        ApiKeys.Key issued = new ApiKeys.Key(HexFormat.of().formatHex(idBytes), name,
            rate == null ? 0 : ((Number) rate).longValue(), Instant.now().toString());
        String record = issued.json().put("hash", ApiKeys.hash(key)).encode();
        Future.fromCompletionStage(keys.store().put(issued.id(), record), ctx.vertx().getOrCreateContext())
            .compose(x -> Future.fromCompletionStage(keys.reload(), ctx.vertx().getOrCreateContext()))
            .onSuccess(x -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                .putHeader("Location", "/v1/admin/api-keys/" + issued.id())
                .putHeader("Cache-Control", "no-store")
                .end(issued.json().put("key", key).encode()))
            .onFailure(ctx::fail);
    }

    void list(RoutingContext ctx) {
        Future.fromCompletionStage(keys.reload(), ctx.vertx().getOrCreateContext())
            .onSuccess(x -> {
                JsonArray items = new JsonArray();
                keys.known().values().forEach(k -> items.add(k.json()));
                ctx.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("items", items).encode());
            })
            .onFailure(ctx::fail);
    }

    void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Future.fromCompletionStage(keys.store().delete(id), ctx.vertx().getOrCreateContext())
            .compose(existed -> Future.fromCompletionStage(keys.reload(), ctx.vertx().getOrCreateContext())
                .map(existed))
            .onSuccess(existed -> {
                if (!existed) {
                    ctx.fail(new ProblemException(404, "apikey:unknown", "Unknown API key",
                        "there is no API key with id " + id));
                    return;
                }
                ctx.response().setStatusCode(204).end();
            })
            .onFailure(ctx::fail);
    }
}
