package dev.onshelf.aggregator.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.onshelf.core.availability.AvailabilityRules;
import dev.onshelf.core.holds.Hold;
import dev.onshelf.core.holds.HoldOutcome;
import dev.onshelf.core.holds.HoldRequest;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Click-and-collect holds in Redis (layout in {@link Keys}). A hold is made by one script
 * ({@code hold_create.lua}) that checks, atomically, that the product's value is the one judged here
 * and that its holdable units minus the units already held cover the request; expiry is applied
 * whenever holds are counted, so no timer is needed for correctness, and {@link #sweep} only collects
 * the garbage. Asynchronous only.
 */
public final class HoldStore {
    /** How many times a hold is judged again when readings keep changing the product meanwhile. */
    static final int ATTEMPTS = 4;
    /** Holds deleted per store per sweep call, and stores swept per sweep. */
    static final int SWEEP_BATCH = 500;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final RedisAvailabilityStore products;
    private final AvailabilityRules rules;
    private final LuaScript create = LuaScript.fromClasspath("hold_create.lua");
    private final LuaScript release = LuaScript.fromClasspath("hold_release.lua");
    private final LuaScript sweep = LuaScript.fromClasspath("hold_sweep.lua");
    private final ObjectMapper json = new ObjectMapper();

    public HoldStore(RedisClusterAsyncCommands<String, String> redis, RedisAvailabilityStore products,
                     AvailabilityRules rules) {
        this.redis = redis;
        this.products = products;
        this.rules = rules;
    }

    /**
     * Holds {@code request} under {@code key} (the client's Idempotency-Key) as hold {@code id}, judged at
     * {@code now}: the product's holdable units ({@link AvailabilityRules#holdable}, the fresh shelf units)
     * minus what running holds keep must cover it.
     */
    public CompletionStage<HoldOutcome> create(StoreId store, HoldRequest request, String key, String id, long now) {
        return attempt(store, request, key, id, now, 1);
    }

    private CompletionStage<HoldOutcome> attempt(StoreId store, HoldRequest request, String key, String id, long now,
                                                 int attempt) {
        Gtin gtin = request.gtin();
        return products.readExact(store, gtin).thenCompose(read -> {
            ProductView view = read.getKey();
            if (!view.storeKnown()) {
                return CompletableFuture.completedStage(HoldOutcome.of(HoldOutcome.Kind.STORE_UNKNOWN));
            }
            Integer units = rules.holdable(view.state(), view.health(), now);
            long expiresAt = now + request.ttlSeconds() * 1000L;
            Hold hold = new Hold(id, store, gtin, request.qty(), expiresAt, now, false);
            String bucket = Keys.bucket(store, gtin);
            String[] keys = {bucket, Keys.holds(store), Keys.holdsByExpiry(store), Keys.holdKey(store, key)};
            return create.run(redis, keys, Long.toString(now), Keys.productField(gtin), Keys.heldField(gtin),
                    read.getValue() == null ? "" : sha1(read.getValue()), Integer.toString(units == null ? -1 : units),
                    Integer.toString(request.qty()), Long.toString(expiresAt), id, request.fingerprint(),
                    Long.toString(Attribution.HTTP_IDEMPOTENCY_SECONDS), record(hold),
                    Integer.toString(HoldRequest.MAX_HOLDS_PER_PRODUCT))
                .thenCompose(reply -> {
                    String outcome = (String) reply.get(0);
                    return switch (outcome) {
                        case "created" -> created(store, bucket, expiresAt)
                            .thenApply(x -> new HoldOutcome(HoldOutcome.Kind.CREATED, hold, 0));
                        case "replay" -> CompletableFuture.completedStage(
                            new HoldOutcome(HoldOutcome.Kind.REPLAYED, parse(store, (String) reply.get(1), false), 0));
                        case "mismatch" -> CompletableFuture.completedStage(HoldOutcome.of(HoldOutcome.Kind.KEY_MISMATCH));
                        case "unknown" -> CompletableFuture.completedStage(HoldOutcome.of(HoldOutcome.Kind.SHELF_UNKNOWN));
                        case "insufficient" -> CompletableFuture.completedStage(new HoldOutcome(
                            HoldOutcome.Kind.INSUFFICIENT, null, ((Number) reply.get(1)).longValue()));
                        case "full" -> CompletableFuture.completedStage(HoldOutcome.of(HoldOutcome.Kind.TOO_MANY));
                        case "changed" -> attempt < ATTEMPTS ? attempt(store, request, key, id, now, attempt + 1)
                            : CompletableFuture.completedStage(HoldOutcome.of(HoldOutcome.Kind.BUSY));
                        default -> throw new IllegalStateException("unexpected hold_create.lua outcome: " + outcome);
                    };
                });
        });
    }

    /** A hold made: this process's near cache drops the bucket, and the sweep learns of the store. */
    private CompletionStage<Void> created(StoreId store, String bucket, long expiresAt) {
        changed(bucket);
        return redis.zadd(Keys.HOLDS_DUE, ZAddArgs.Builder.lt(), (double) expiresAt, store.value())
            .thenApply(n -> null);
    }

    private void changed(String bucket) {
        if (products.near() != null) {
            products.near().changed(List.of(bucket));
        }
    }

    /**
     * The hold, running (not past its expiry at {@code now}) or collected (remembered a day); empty when
     * there is no such hold, or it was released or has run out.
     */
    public CompletionStage<Optional<Hold>> get(StoreId store, String id, long now) {
        CompletionStage<String> running = redis.hget(Keys.holds(store), id);
        CompletionStage<String> collected = redis.get(Keys.collected(store, id));
        return running.thenCombine(collected, (r, c) -> {
            if (r != null) {
                Hold hold = parse(store, r, false);
                return hold.runningAt(now) ? Optional.of(hold) : Optional.<Hold>empty();
            }
            return c == null ? Optional.<Hold>empty() : Optional.of(parse(store, c, true));
        });
    }

    /** Every hold of the store running at {@code now}, soonest to expire first (the staff's pick list). */
    public CompletionStage<List<Hold>> running(StoreId store, long now) {
        return redis.hvals(Keys.holds(store)).thenApply(records -> {
            List<Hold> out = new ArrayList<>();
            for (String r : records) {
                Hold hold = parse(store, r, false);
                if (hold.runningAt(now)) {
                    out.add(hold);
                }
            }
            out.sort(Comparator.comparingLong(Hold::expiresAt).thenComparing(Hold::id));
            return out;
        });
    }

    /**
     * Ends a running hold and gives its units back: {@code collected} after its sale went through (then
     * remembered a day, so a second collect sells nothing), else released. Empty when there was no
     * running hold (gone, or past its expiry: cleaned up now).
     */
    public CompletionStage<Optional<Hold>> end(StoreId store, String id, boolean collected, long now) {
        return redis.hget(Keys.holds(store), id).thenCompose(r -> {
            if (r == null) {
                return CompletableFuture.completedStage(Optional.<Hold>empty());
            }
            Hold hold = parse(store, r, false);
            String bucket = Keys.bucket(store, hold.gtin());
            return release.run(redis, new String[] {Keys.holds(store), Keys.holdsByExpiry(store), bucket,
                    Keys.collected(store, id)}, id, Long.toString(now), Keys.heldField(hold.gtin()),
                    collected ? "collect" : "release", Long.toString(Attribution.HTTP_IDEMPOTENCY_SECONDS))
                .thenApply(reply -> {
                    changed(bucket);
                    return "ended".equals(reply.get(0)) ? Optional.of(collected ? hold.asCollected() : hold)
                        : Optional.<Hold>empty();
                });
        });
    }

    /**
     * Deletes the holds past their expiry in the stores due (at most {@value #SWEEP_BATCH} stores, each
     * up to {@value #SWEEP_BATCH} holds per call) and re-files each store by its next expiry. Returns how
     * many holds it deleted. Garbage collection only: expired holds count for nothing anyway.
     */
    public CompletionStage<Long> sweep(long now) {
        return redis.zrangebyscore(Keys.HOLDS_DUE, io.lettuce.core.Range.create(Double.NEGATIVE_INFINITY, (double) now),
                io.lettuce.core.Limit.create(0, SWEEP_BATCH))
            .thenCompose(stores -> {
                List<CompletableFuture<Long>> each = new ArrayList<>();
                for (String s : stores) {
                    StoreId store = new StoreId(s);
                    each.add(sweep.run(redis, new String[] {Keys.holds(store), Keys.holdsByExpiry(store)},
                            Long.toString(now), Integer.toString(SWEEP_BATCH))
                        .thenCompose(reply -> {
                            long deleted = ((Number) reply.get(0)).longValue();
                            long next = ((Number) reply.get(1)).longValue();
                            CompletionStage<Long> filed = next < 0 ? redis.zrem(Keys.HOLDS_DUE, s)
                                : redis.zadd(Keys.HOLDS_DUE, (double) next, s);
                            return filed.thenApply(x -> deleted);
                        }).toCompletableFuture());
                }
                return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                    .thenApply(v -> each.stream().mapToLong(CompletableFuture::join).sum());
            });
    }

    /** The hold's record as kept in onshelf:{S}:holds (and its idempotency and collected keys). */
    private static String record(Hold hold) {
        String entry = hold.expiresAt() + ":" + hold.qty();
        return "{\"id\":\"" + hold.id() + "\",\"gtin\":\"" + hold.gtin().value() + "\",\"qty\":" + hold.qty()
            + ",\"expiresAt\":" + hold.expiresAt() + ",\"createdAt\":" + hold.createdAt() + ",\"entry\":\"" + entry
            + "\",\"bucket\":\"" + Keys.bucket(hold.store(), hold.gtin()) + "\",\"field\":\""
            + Keys.heldField(hold.gtin()) + "\"}";
    }

    private Hold parse(StoreId store, String record, boolean collected) {
        try {
            JsonNode n = json.readTree(record);
            return new Hold(n.get("id").asText(), store, new Gtin(n.get("gtin").asText()), n.get("qty").asInt(),
                n.get("expiresAt").asLong(), n.get("createdAt").asLong(), collected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
