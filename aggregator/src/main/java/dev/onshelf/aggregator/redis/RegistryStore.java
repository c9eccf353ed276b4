package dev.onshelf.aggregator.redis;

import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.lettuce.core.GeoArgs;
import io.lettuce.core.GeoSearch;
import io.lettuce.core.GeoWithin;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The store and device registry, and the dead-letter stream. A device belongs to exactly one store:
 * the global {@code onshelf:devices} index says which; the store's own {@code devices} hash is what
 * the apply script checks on every event.
 */
public final class RegistryStore {
    public enum DeviceOutcome { CREATED, UPDATED, STORE_UNKNOWN, OTHER_STORE }

    private final RedisClusterAsyncCommands<String, String> redis;

    public RegistryStore(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Creates or replaces a store; completes with true if it was new. */
    public CompletionStage<Boolean> putStore(StoreId store, String name, double lat, double lon) {
        String key = Keys.store(store);
        return redis.exists(key)
            .thenCompose(existed -> redis.hset(key, Map.of("name", name, "lat", Double.toString(lat),
                    "lon", Double.toString(lon)))
                .thenCompose(n -> redis.sadd(Keys.STORES, store.value()))
                .thenCompose(n -> redis.geoadd(Keys.GEO, lon, lat, store.value()))
                .thenApply(n -> existed == 0));
    }

    /**
     * Sets a store's click-and-collect settings for the local inventory feed (fields {@code pickupMethod},
     * {@code pickupSla} of its hash); a null clears one. Values are checked by the caller.
     */
    public CompletionStage<Void> putPickup(StoreId store, String method, String sla) {
        String key = Keys.store(store);
        CompletionStage<?> m = method == null ? redis.hdel(key, "pickupMethod") : redis.hset(key, "pickupMethod", method);
        CompletionStage<?> s = sla == null ? redis.hdel(key, "pickupSla") : redis.hset(key, "pickupSla", sla);
        return m.thenCombine(s, (a, b) -> null);
    }

    public CompletionStage<Optional<Map<String, String>>> store(StoreId store) {
        return redis.hgetall(Keys.store(store)).thenApply(m -> m.isEmpty() ? Optional.empty() : Optional.of(m));
    }

    public CompletionStage<DeviceOutcome> putDevice(StoreId store, DeviceId device, DeviceKind kind) {
        return redis.exists(Keys.store(store)).thenCompose(known -> {
            if (known == 0) {
                return CompletableFuture.completedStage(DeviceOutcome.STORE_UNKNOWN);
            }
            return redis.hsetnx(Keys.DEVICES, device.value(), store.value())
                .thenCompose(set -> redis.hget(Keys.DEVICES, device.value()))
                .thenCompose(owner -> {
                    if (!store.value().equals(owner)) {
                        return CompletableFuture.completedStage(DeviceOutcome.OTHER_STORE);
                    }
                    return redis.hset(Keys.devices(store), device.value(), kind.wire())
                        .thenApply(created -> created ? DeviceOutcome.CREATED : DeviceOutcome.UPDATED);
                });
        });
    }

    /** Adds a back-in-stock webhook subscription (value: JSON with url and secret). */
    public CompletionStage<Boolean> putSubscription(StoreId store, Gtin gtin, String id, String json) {
        return redis.hset(Keys.subscriptions(store, gtin), id, json);
    }

    /**
     * Adds (or puts back) a subscription; the hash is kept until {@code keepUntil} (ms), which must be
     * at least the expiry of every subscription in it (now + the subscription lifetime is).
     */
    public CompletionStage<Boolean> putSubscription(StoreId store, Gtin gtin, String id, String json, long keepUntil) {
        String key = Keys.subscriptions(store, gtin);
        return redis.hset(key, id, json).thenCompose(created -> redis.pexpireat(key, keepUntil).thenApply(x -> created));
    }

    public CompletionStage<Optional<String>> subscription(StoreId store, Gtin gtin, String id) {
        return redis.hget(Keys.subscriptions(store, gtin), id).thenApply(Optional::ofNullable);
    }

    /** How many subscriptions of an index ({@link Keys#subscriptionsByClient}, ...) are live at {@code now}. */
    public CompletionStage<Long> liveSubscriptions(String index, long now) {
        return redis.zremrangebyscore(index, Range.create(Double.NEGATIVE_INFINITY, (double) now))
            .thenCompose(dropped -> redis.zcard(index));
    }

    /**
     * Counts a subscription in an index until it expires; the index lives as long as its newest entry
     * (subscriptions all live equally long, so the one added last expires last).
     */
    public CompletionStage<Void> indexSubscription(String index, String id, long expiresAt) {
        return redis.zadd(index, (double) expiresAt, id).thenCompose(n -> redis.pexpireat(index, expiresAt))
            .thenApply(x -> null);
    }

    public CompletionStage<Void> unindexSubscription(String index, String id) {
        return redis.zrem(index, id).thenApply(x -> null);
    }

    public CompletionStage<Map<String, String>> subscriptions(StoreId store, Gtin gtin) {
        return redis.hgetall(Keys.subscriptions(store, gtin));
    }

    /** Completes with true if the subscription existed. */
    public CompletionStage<Boolean> deleteSubscription(StoreId store, Gtin gtin, String id) {
        return redis.hdel(Keys.subscriptions(store, gtin), id).thenApply(n -> n > 0);
    }

    /** Every registered store code. */
    public CompletionStage<java.util.Set<String>> stores() {
        return redis.smembers(Keys.STORES);
    }

    /** A store's registered devices and their kinds. */
    public CompletionStage<Map<String, String>> devices(StoreId store) {
        return redis.hgetall(Keys.devices(store));
    }

    /** The store a device is registered to, if any. */
    public CompletionStage<Optional<String>> ownerOf(DeviceId device) {
        return redis.hget(Keys.DEVICES, device.value()).thenApply(Optional::ofNullable);
    }

    /** Registered stores within {@code radiusKm} of a point, nearest first, with their distance in km. */
    public CompletionStage<List<GeoWithin<String>>> nearby(double lat, double lon, double radiusKm, int count) {
        return redis.geosearch(Keys.GEO, GeoSearch.fromCoordinates(lon, lat), GeoSearch.byRadius(radiusKm,
            GeoArgs.Unit.km), new GeoArgs().withDistance().withCount(count).asc());
    }

    public CompletionStage<List<StreamMessage<String, String>>> deadLetters(int limit) {
        return redis.xrevrange(Keys.DEAD_LETTER, Range.create("-", "+"), Limit.from(limit));
    }
}
