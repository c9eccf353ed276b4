package dev.onshelf.api.http;

import dev.onshelf.aggregator.redis.ApiKeyStore;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys the operator issued, as this process knows them: by the SHA-256 of the key, reloaded
 * from Redis ({@link ApiKeyStore}) when any process issues or revokes one (pub/sub), when the
 * subscription (re)starts, and periodically. A lookup is a hash and a map read, never a Redis call.
 * One instance per process.
 */
public final class ApiKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    /** Longer than any key we issue (48 characters): a longer header is not hashed at all. */
    static final int MAX_KEY_LENGTH = 128;

    /** An issued key (the secret itself is not kept); {@code ratePerSecond} 0: the configured rate. */
    public record Key(String id, String name, long ratePerSecond, String createdAt) {
        JsonObject json() {
            JsonObject o = new JsonObject().put("id", id).put("name", name).put("createdAt", createdAt);
            return ratePerSecond > 0 ? o.put("ratePerSecond", ratePerSecond) : o;
        }
    }

    private final ApiKeyStore store;
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private volatile Map<String, Key> byHash = Map.of();

    public ApiKeys(ApiKeyStore store) {
        this.store = store;
    }

    ApiKeyStore store() {
        return store;
    }

    /** Reads every issued key from Redis; a reload that finishes after a later one is dropped. */
    public CompletionStage<Void> reload() {
        long generation = started.incrementAndGet();
        return store.all().thenAccept(records -> {
            Map<String, Key> fresh = new HashMap<>();
            records.forEach((id, json) -> {
                try {
                    JsonObject o = new JsonObject(json);
                    fresh.put(o.getString("hash"), new Key(id, o.getString("name"),
                        o.getLong("ratePerSecond", 0L), o.getString("createdAt")));
                } catch (RuntimeException e) {
                    LOG.warn("ignored an unreadable API key record [id: {}, error: {}]", id, e.toString());
                }
            });
            synchronized (this) {
                if (generation > applied.get()) {
                    applied.set(generation);
                    byHash = Map.copyOf(fresh);
                }
            }
        });
    }

    /** The issued key {@code presented} is, or null (none, unknown, revoked). */
    public Key find(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > MAX_KEY_LENGTH || byHash.isEmpty()) {
            return null;
        }
        return byHash.get(hash(presented));
    }

    /** Every issued key, by id. */
    Map<String, Key> known() {
        Map<String, Key> out = new java.util.TreeMap<>();
        byHash.values().forEach(k -> out.put(k.id(), k));
        return out;
    }

    /** The SHA-256 of a key, in hex: what is stored in its place. */
    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
