package dev.onshelf.aggregator.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onshelf.core.model.StoreId;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Deletes a store and everything OnShelf keeps of it, in three steps each safe to repeat:
 * <ol>
 *   <li>{@code store_delete.lua}: every key of a fixed name at once (registration, devices, ledgers,
 *   health, alerts, change feed, audit, device table, holds, dead letters, products). From then on
 *   every event for the store is refused ({@code store.unknown}, into the global dead letters) before
 *   it writes anything: nothing of the store comes back.</li>
 *   <li>The global indexes: the store list, the map, the hold sweep's index.</li>
 *   <li>Its keys of variable names, found with SCAN (idempotency records, hold keys, collected holds:
 *   all expire within a day; back-in-stock subscriptions, whose entries in the per-client and
 *   per-host caps are removed first).</li>
 * </ol>
 * A crash part-way leaves the store in the store list (step 2 not done), so a second DELETE finishes
 * it; or only keys that expire.
 */
public final class StoreDeletion {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RedisClusterAsyncCommands<String, String> redis;
    private final LuaScript fixed = LuaScript.fromClasspath("store_delete.lua");

    public StoreDeletion(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Completes with false if the store is neither registered nor listed (nothing to delete). */
    public CompletionStage<Boolean> delete(StoreId store) {
        CompletionStage<Long> exists = redis.exists(Keys.store(store));
        CompletionStage<Boolean> listed = redis.sismember(Keys.STORES, store.value());
        return exists.thenCombine(listed, (e, l) -> e > 0 || l).thenCompose(known -> !known
            ? CompletableFuture.completedStage(false)
            : fixed.run(redis, Keys.fixedKeys(store))
                .thenCompose(x -> redis.srem(Keys.STORES, store.value()))
                .thenCompose(x -> redis.zrem(Keys.GEO, store.value()))
                .thenCompose(x -> redis.zrem(Keys.HOLDS_DUE, store.value()))
                .thenCompose(x -> sweep(store, ScanCursor.INITIAL))
                .thenCompose(x -> redis.publish(Keys.healthChanged(store), store.value()))
                .thenApply(x -> true));
    }

    private CompletionStage<Void> sweep(StoreId store, ScanCursor cursor) {
        return redis.scan(cursor, ScanArgs.Builder.matches(Keys.everyKeyOf(store)).limit(1000))
            .thenCompose(page -> {
                List<CompletableFuture<?>> each = new ArrayList<>();
                for (String key : page.getKeys()) {
                    each.add((key.contains(":subs:") ? unindexSubscriptions(key) : CompletableFuture.completedStage(null))
                        .thenCompose(x -> redis.unlink(key)).toCompletableFuture());
                }
                return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                    .thenCompose(v -> finished(page) ? CompletableFuture.<Void>completedStage(null) : sweep(store, page));
            });
    }

    private static boolean finished(KeyScanCursor<String> page) {
        return page.isFinished();
    }

    /** A product's subscriptions leave their client's and their callback host's caps. */
    private CompletionStage<Void> unindexSubscriptions(String key) {
        return redis.hgetall(key).thenCompose(subs -> {
            List<CompletableFuture<?>> each = new ArrayList<>();
            for (Map.Entry<String, String> s : subs.entrySet()) {
                JsonNode json;
                try {
                    json = JSON.readTree(s.getValue());
                } catch (IOException e) {
                    continue;  // not ours to read: the key goes anyway, its index entries expire
                }
                if (json.hasNonNull("client")) {
                    each.add(redis.zrem(Keys.subscriptionsByClient(json.get("client").asText()), s.getKey())
                        .toCompletableFuture());
                }
                if (json.hasNonNull("host")) {
                    each.add(redis.zrem(Keys.subscriptionsByHost(json.get("host").asText()), s.getKey())
                        .toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
        });
    }
}
