package dev.onshelf.api.webhook;

import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.api.http.ProblemException;
import dev.onshelf.api.http.Requests;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * {@code POST /v1/subscriptions} {storeId, gtin, callbackUrl}: be told once, by a signed webhook,
 * when the product is back on the shelf in that store; the answer carries the id and the secret
 * (shown once) that signs deliveries. {@code DELETE /v1/subscriptions/{id}} cancels.
 * Callbacks to any non-public address ({@link CallbackAddresses}) are refused unless allowed (tests,
 * on-premise); deliveries check again, each time.
 */
public final class SubscriptionHandler {
    private final RegistryStore registry;
    private final boolean allowPrivate;
    private final SecureRandom random = new SecureRandom();

    public SubscriptionHandler(RegistryStore registry, boolean allowPrivate) {
        this.registry = registry;
        this.allowPrivate = allowPrivate;
    }

    public void create(RoutingContext ctx) {
        JsonObject body = Requests.jsonObjectOrNull(ctx);
        if (body == null || !(body.getValue("storeId") instanceof String s) || !(body.getValue("gtin") instanceof String g)
            || !(body.getValue("callbackUrl") instanceof String url)) {
            throw ProblemException.badRequest("request:body.invalid",
                "the body must be {\"storeId\": ..., \"gtin\": ..., \"callbackUrl\": \"https://...\"}");
        }
        StoreId store = new StoreId(s);
        Gtin gtin = Gtin.parse(g);
        byte[] key = new byte[32];
        random.nextBytes(key);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        String id = store.value() + ":" + gtin.value() + ":" + UUID.randomUUID();
        // resolving the callback's host may block: not on the event loop
        ctx.vertx().<Void>executeBlocking(() -> {
            checkCallback(url);
            return null;
        })
            .compose(ok -> Future.fromCompletionStage(registry.store(store), ctx.vertx().getOrCreateContext()))
            .compose(known -> known.isEmpty()
                ? Future.failedFuture(ProblemException.unknownStore(store))
                : Future.fromCompletionStage(registry.putSubscription(store, gtin, id,
                    new JsonObject().put("url", url).put("secret", secret).encode()), ctx.vertx().getOrCreateContext()))
            .onSuccess(x -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                .putHeader("Location", "/v1/subscriptions/" + id)
                .end(new JsonObject().put("id", id).put("storeId", store.value()).put("gtin", gtin.value())
                    .put("callbackUrl", url).put("secret", secret).encode()))
            .onFailure(ctx::fail);
    }

    public void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String[] parts = id.split(":");
        if (parts.length != 3) {
            throw ProblemException.badRequest("request:id.invalid", "not a subscription id");
        }
        Future.fromCompletionStage(registry.deleteSubscription(new StoreId(parts[0]), Gtin.parse(parts[1]), id),
                ctx.vertx().getOrCreateContext())
            .onSuccess(existed -> {
                if (existed) {
                    ctx.response().setStatusCode(204).end();
                } else {
                    ctx.fail(new ProblemException(404, "subscription:not_found", "Not found", "no subscription " + id));
                }
            })
            .onFailure(ctx::fail);
    }

    private void checkCallback(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw ProblemException.badRequest("subscription:callback.invalid", "callbackUrl is not a URL");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw ProblemException.badRequest("subscription:callback.invalid", "callbackUrl must be an http(s) URL");
        }
        try {
            CallbackAddresses.resolve(uri.getHost(), allowPrivate);
        } catch (CallbackAddresses.Refused e) {
            throw ProblemException.badRequest("subscription:callback.private",
                "callbackUrl must point at a public address (not loopback, private, link-local or reserved)");
        } catch (UnknownHostException e) {
            throw ProblemException.badRequest("subscription:callback.unresolvable", "callbackUrl's host does not resolve");
        }
    }
}
