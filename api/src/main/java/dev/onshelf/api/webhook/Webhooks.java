package dev.onshelf.api.webhook;

import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.ingest.AlertSink;
import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-in-stock webhooks: when a product comes back on the shelf in a store, every subscription for
 * it gets one signed POST ({@code X-OnShelf-Signature: sha256=<HMAC-SHA256 of the body with the
 * subscription's secret>}) and is removed (one-shot: claimed before the call, so two gateways never
 * both call). A delivery is tried 3 times; if all fail, the subscription is put back for next time,
 * until it has failed {@link WebhookLimits#maxFailures()} deliveries: then it is dropped. An expired
 * subscription is dropped unsent. Each call is made by {@link CallbackClient}: checked addresses only,
 * no redirects, at most {@link WebhookLimits#deliveriesPerHostPerMinute()} calls a minute to a host
 * (and to an address); a delivery over that is put back as it was, for the next time.
 */
public final class Webhooks implements AlertSink {
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private static final int ATTEMPTS = 3;
    public static final String DELIVERY_DURATION = "onshelf.webhook.delivery.duration";
    private final Vertx vertx;
    private final Context context;
    private final CallbackClient client;
    private final RegistryStore registry;
    private final WebhookLimits limits;
    private final Map<String, Timer> deliveries = new HashMap<>();

    /**
     * {@code allowPrivate}: callbacks may reach loopback and private addresses (on-premise, tests).
     * Each delivery is timed, its 3 attempts together, by outcome: delivered, failed, or deferred
     * (rate limit), in {@value #DELIVERY_DURATION}.
     */
    public Webhooks(Vertx vertx, RegistryStore registry, boolean allowPrivate, WebhookLimits limits,
                    MeterRegistry metrics) {
        for (String outcome : List.of("delivered", "failed", "deferred")) {
            deliveries.put(outcome, Timer.builder(DELIVERY_DURATION).tag("outcome", outcome)
                .description("back-in-stock webhook deliveries (all attempts of one) by outcome").register(metrics));
        }
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.limits = limits;
        this.registry = registry;
        this.client = new CallbackClient(vertx, allowPrivate, limits.deliveriesPerHostPerMinute());
    }

    @Override
    public CompletionStage<Void> publish(StoreId store, String gtin, AlertType type, long ts) {
        if (type != AlertType.BACK_IN_STOCK) {
            return CompletableFuture.completedStage(null);
        }
        Gtin g = new Gtin(gtin);
        // delivery happens in the background: the triggering event's acknowledgement does not wait for it
        registry.subscriptions(store, g).thenAccept(subs -> context.runOnContext(v -> deliverAll(store, g, ts, subs)));
        return CompletableFuture.completedStage(null);
    }

    private void deliverAll(StoreId store, Gtin gtin, long ts, Map<String, String> subs) {
        long now = System.currentTimeMillis();
        subs.forEach((id, json) -> {
            JsonObject sub = new JsonObject(json);
            // claim it first (one-shot, and only one gateway delivers)
            Future<Boolean> claim = Future.fromCompletionStage(registry.deleteSubscription(store, gtin, id), context);
            if (sub.getLong("expiresAt", Long.MAX_VALUE) <= now) {
                claim.compose(claimed -> claimed ? SubscriptionHandler.unindex(registry, id, sub, context)
                    : Future.succeededFuture())
                    .onSuccess(x -> LOG.debug("webhook subscription expired [subscription: {}]", id));
                return;
            }
            String body = new JsonObject().put("type", "back_in_stock").put("subscriptionId", id)
                .put("storeId", store.value()).put("gtin", gtin.value()).put("ts", Instant.ofEpochMilli(ts).toString())
                .encode();
            claim.compose(claimed -> claimed
                    ? timed(deliver(sub.getString("url"), body, signature(sub.getString("secret"), body), ATTEMPTS))
                        .compose(ok -> SubscriptionHandler.unindex(registry, id, sub, context))
                        .recover(e -> failed(store, gtin, id, sub, e))
                    : Future.succeededFuture())
                .onFailure(e -> LOG.warn("webhook bookkeeping failed [subscription: {}, error: {}]", id, e.toString()));
        });
    }

    /** Puts a subscription back after a failed or deferred delivery, or drops it after too many failures. */
    private Future<Void> failed(StoreId store, Gtin gtin, String id, JsonObject sub, Throwable e) {
        long keepUntil = System.currentTimeMillis() + limits.ttl().toMillis();
        if (e instanceof CallbackClient.Deferred) {
            LOG.debug("webhook deferred, kept for the next time [subscription: {}, reason: {}]", id, e.getMessage());
            return Future.fromCompletionStage(registry.putSubscription(store, gtin, id, sub.encode(), keepUntil), context)
                .mapEmpty();
        }
        int failures = sub.getInteger("failures", 0) + 1;
        if (failures >= limits.maxFailures()) {
            LOG.warn("webhook dropped after {} failed deliveries [subscription: {}, error: {}]", failures, id, e.toString());
            return SubscriptionHandler.unindex(registry, id, sub, context);
        }
        LOG.warn("webhook not delivered, kept for the next time [subscription: {}, failures: {}, error: {}]", id,
            failures, e.toString());
        JsonObject next = sub.copy().put("failures", failures);
        if (!next.containsKey("expiresAt")) {
            next.put("expiresAt", keepUntil);
        }
        return Future.fromCompletionStage(registry.putSubscription(store, gtin, id, next.encode(), keepUntil), context)
            .mapEmpty();
    }

    private Future<Void> timed(Future<Void> delivery) {
        long started = System.nanoTime();
        return delivery.andThen(done -> deliveries.get(done.succeeded() ? "delivered"
                : done.cause() instanceof CallbackClient.Deferred ? "deferred" : "failed")
            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    }

    private Future<Void> deliver(String url, String body, String signature, int attemptsLeft) {
        return client.post(url, Buffer.buffer(body), Map.of("Content-Type", "application/json",
                "X-OnShelf-Signature", "sha256=" + signature, "User-Agent", "OnShelf-Webhooks/1"))
            .compose(status -> status / 100 == 2 ? Future.<Void>succeededFuture()
                : Future.failedFuture("HTTP " + status))
            .recover(e -> attemptsLeft <= 1 || e instanceof CallbackClient.Deferred ? Future.failedFuture(e)
                : Future.<Void>future(p -> vertx.setTimer(500L * (ATTEMPTS - attemptsLeft + 1), t -> p.complete()))
                    .compose(x -> deliver(url, body, signature, attemptsLeft - 1)));
    }

    /** HMAC-SHA256 of the body with the subscription's secret, hex: what a receiver recomputes. */
    public static String signature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Both sinks: MQTT first (its acknowledgement gates the event's), webhooks in the background. */
    public static AlertSink both(AlertSink first, AlertSink second) {
        return (store, gtin, type, ts) -> {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            all.add(first.publish(store, gtin, type, ts).toCompletableFuture());
            all.add(second.publish(store, gtin, type, ts).toCompletableFuture());
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        };
    }
}
