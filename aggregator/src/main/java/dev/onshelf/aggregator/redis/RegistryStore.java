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
 * The store and device registry. A device is the pair (store, device id): each store's own
 * {@code devices} hash is the registry, and what the apply script checks on every event; every store
 * may have its own {@code till-1}. Deleting a store or a device ({@link StoreDeletion},
 * {@code device_delete.lua}) is atomic against the events in flight. Dead letters: {@link DeadLetters}.
 */
public final class RegistryStore {
    public enum DeviceOutcome { CREATED, UPDATED, STORE_UNKNOWN }

    private final RedisClusterAsyncCommands<String, String> redis;
    private final LuaScript devicePut = LuaScript.fromClasspath("device_put.lua");
    private final LuaScript deviceDelete = LuaScript.fromClasspath("device_delete.lua");

    private final DeadLetters deadLetters;
    private final StoreDeletion deletion;

    public RegistryStore(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
        this.deadLetters = new DeadLetters(redis);
        this.deletion = new StoreDeletion(redis);
    }

    /** The stores' dead letters (listed and replayed by the admin API). */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /** Deletes a store and everything kept of it ({@link StoreDeletion}); false if it was not registered. */
    public CompletionStage<Boolean> deleteStore(StoreId store) {
        return deletion.delete(store);
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

    /** Registers a device in its store (atomically against the store's deletion: {@code device_put.lua}). */
    public CompletionStage<DeviceOutcome> putDevice(StoreId store, DeviceId device, DeviceKind kind) {
        return devicePut.run(redis, new String[] {Keys.store(store), Keys.devices(store)}, device.value(), kind.wire())
            .thenApply(r -> switch (((Number) r.get(0)).intValue()) {
                case -1 -> DeviceOutcome.STORE_UNKNOWN;
                case 1 -> DeviceOutcome.CREATED;
                default -> DeviceOutcome.UPDATED;
            });
    }

    /**
     * Deletes a device of a store ({@code device_delete.lua}: its registration, its health written
     * offline; its ledger kept) and tells every process to drop its snapshot of the store's health.
     * Completes with false if the device was not registered (nothing changed).
     */
    public CompletionStage<Boolean> deleteDevice(StoreId store, DeviceId device, long now) {
        return deviceDelete.run(redis, new String[] {Keys.devices(store), Keys.health(store)}, device.value(),
                Long.toString(now))
            .thenCompose(r -> ((Number) r.get(0)).intValue() == 0 ? CompletableFuture.completedStage(false)
                : redis.publish(Keys.healthChanged(store), store.value()).thenApply(n -> true));
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

    /** Registered stores within {@code radiusKm} of a point, nearest first, with their distance in km. */
    public CompletionStage<List<GeoWithin<String>>> nearby(double lat, double lon, double radiusKm, int count) {
        return redis.geosearch(Keys.GEO, GeoSearch.fromCoordinates(lon, lat), GeoSearch.byRadius(radiusKm,
            GeoArgs.Unit.km), new GeoArgs().withDistance().withCount(count).asc());
    }

    /** The newest dead letters whose store cannot be told (the global stream). */
    public CompletionStage<List<StreamMessage<String, String>>> deadLetters(int limit) {
        return redis.xrevrange(Keys.DEAD_LETTER, Range.create("-", "+"), Limit.from(limit));
    }
}
