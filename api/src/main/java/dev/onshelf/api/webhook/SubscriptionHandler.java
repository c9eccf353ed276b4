package dev.onshelf.api.webhook;

import dev.onshelf.aggregator.redis.Keys;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.api.http.ClientIdentity;
import dev.onshelf.api.http.ProblemException;
import dev.onshelf.api.http.Requests;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * {@code POST /v1/subscriptions} {storeId, gtin, callbackUrl}: be told once, by a signed webhook,
 * when the product is back on the shelf in that store; the answer carries the id, the secret (shown
 * once) that signs deliveries, and when the subscription expires. {@code DELETE /v1/subscriptions/{id}}
 * cancels. Callbacks to any non-public address ({@link CallbackAddresses}) are refused unless allowed
 * (tests, on-premise); deliveries check again, each time. A client (its address, through trusted proxies;
 * an IPv6 /64) may hold
 * {@link WebhookLimits#perClient()} live subscriptions and a callback host receive
 * {@link WebhookLimits#perHost()}; past either, 429. The caps are checked, then counted: concurrent
 * requests of one client may overshoot by the requests in flight (they are rate-limited).
 */
public final class SubscriptionHandler {
    private final RegistryStore registry;
    private final boolean allowPrivate;
    private final WebhookLimits limits;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();

    private final ClientIdentity identity;

    public SubscriptionHandler(RegistryStore registry, boolean allowPrivate, WebhookLimits limits, LongSupplier clock,
                               ClientIdentity identity) {
        this.identity = identity;
        this.registry = registry;
        this.allowPrivate = allowPrivate;
        this.limits = limits;
        this.clock = clock;
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
        String client = identity.address(ctx.request());
        long now = clock.getAsLong();
        long expiresAt = now + limits.ttl().toMillis();
        Context context = ctx.vertx().getOrCreateContext();
        // resolving the callback's host may block: not on the event loop
        ctx.vertx().executeBlocking(() -> checkCallback(url))
            .compose(host -> Future.fromCompletionStage(registry.store(store), context)
                .compose(known -> known.isEmpty() ? Future.failedFuture(ProblemException.unknownStore(store))
                    : capped(Keys.subscriptionsByClient(client), now, limits.perClient(), "subscription:limit.client",
                        "this client already has " + limits.perClient() + " live subscriptions", context))
                .compose(ok -> capped(Keys.subscriptionsByHost(host), now, limits.perHost(), "subscription:limit.host",
                    "the callback host already receives " + limits.perHost() + " subscriptions", context))
                .compose(ok -> Future.fromCompletionStage(registry.putSubscription(store, gtin, id,
                    new JsonObject().put("url", url).put("secret", secret).put("client", client).put("host", host)
                        .put("expiresAt", expiresAt).put("failures", 0).encode(), expiresAt), context))
                .compose(ok -> Future.fromCompletionStage(registry.indexSubscription(Keys.subscriptionsByClient(client),
                    id, expiresAt), context))
                .compose(ok -> Future.fromCompletionStage(registry.indexSubscription(Keys.subscriptionsByHost(host),
                    id, expiresAt), context)))
            .onSuccess(x -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                .putHeader("Location", "/v1/subscriptions/" + id)
                .end(new JsonObject().put("id", id).put("storeId", store.value()).put("gtin", gtin.value())
                    .put("callbackUrl", url).put("secret", secret)
                    .put("expiresAt", Instant.ofEpochMilli(expiresAt).toString()).encode()))
            .onFailure(ctx::fail);
    }

    public void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String[] parts = id.split(":");
        if (parts.length != 3) {
            throw ProblemException.badRequest("request:id.invalid", "not a subscription id");
        }
        StoreId store = new StoreId(parts[0]);
        Gtin gtin = Gtin.parse(parts[1]);
        Context context = ctx.vertx().getOrCreateContext();
        Future.fromCompletionStage(registry.subscription(store, gtin, id), context)
            .compose(found -> Future.fromCompletionStage(registry.deleteSubscription(store, gtin, id), context)
                .compose(existed -> existed ? unindex(registry, id, new JsonObject(found.orElse("{}")), context)
                    .map(true) : Future.succeededFuture(false)))
            .onSuccess(existed -> {
                if (existed) {
                    ctx.response().setStatusCode(204).end();
                } else {
                    ctx.fail(new ProblemException(404, "subscription:not_found", "Not found", "no subscription " + id));
                }
            })
            .onFailure(ctx::fail);
    }

    /** Takes a subscription out of its client's and host's counts. */
    static Future<Void> unindex(RegistryStore registry, String id, JsonObject sub, Context context) {
        Future<Void> client = sub.getString("client") == null ? Future.succeededFuture()
            : Future.fromCompletionStage(registry.unindexSubscription(Keys.subscriptionsByClient(sub.getString("client")), id),
                context);
        return client.compose(x -> sub.getString("host") == null ? Future.succeededFuture()
            : Future.fromCompletionStage(registry.unindexSubscription(Keys.subscriptionsByHost(sub.getString("host")), id),
                context));
    }

    private Future<Void> capped(String index, long now, int cap, String code, String detail, Context context) {
        return Future.fromCompletionStage(registry.liveSubscriptions(index, now), context)
            .compose(live -> live < cap ? Future.succeededFuture()
                : Future.failedFuture(new ProblemException(429, code, "Too many subscriptions", detail)));
    }

    /** The callback's host (lower case), once it is known to be an http(s) URL to an allowed address. */
    private String checkCallback(String url) {
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
        return uri.getHost().toLowerCase(java.util.Locale.ROOT);
    }
}
