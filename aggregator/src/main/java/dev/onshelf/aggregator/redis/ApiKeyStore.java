package dev.onshelf.aggregator.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The API keys the operator issued ({@code onshelf:apikeys}: id -> JSON with the key's SHA-256, never
 * the key), and the channel that tells every API process a key was issued or revoked.
 */
public final class ApiKeyStore {
    private final RedisClusterAsyncCommands<String, String> redis;

    public ApiKeyStore(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Every issued key: id -> its JSON. */
    public CompletionStage<Map<String, String>> all() {
        return redis.hgetall(Keys.API_KEYS);
    }

    /** Stores a new key's record and tells the other processes. */
    public CompletionStage<Void> put(String id, String json) {
        return redis.hset(Keys.API_KEYS, id, json)
            .thenCompose(x -> redis.publish(Keys.API_KEYS_CHANGED, id))
            .thenApply(x -> null);
    }

    /** Revokes a key; completes with false if there was none by that id. */
    public CompletionStage<Boolean> delete(String id) {
        return redis.hdel(Keys.API_KEYS, id)
            .thenCompose(n -> redis.publish(Keys.API_KEYS_CHANGED, id).thenApply(x -> n > 0));
    }

    /**
     * Calls {@code changed} whenever a key was issued or revoked anywhere, and whenever the subscription
     * (re)starts (whatever was published meanwhile was missed).
     */
    public static CompletionStage<Void> followChanges(StatefulRedisPubSubConnection<String, String> pubsub,
                                                      Runnable changed) {
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (Keys.API_KEYS_CHANGED.equals(channel)) {
                    changed.run();
                }
            }

            @Override
            public void subscribed(String channel, long count) {
                if (Keys.API_KEYS_CHANGED.equals(channel)) {
                    changed.run();
                }
            }
        });
        return pubsub.async().subscribe(Keys.API_KEYS_CHANGED).thenApply(x -> null);
    }
}
