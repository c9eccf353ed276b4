package dev.onshelf.aggregator.redis;

import dev.onshelf.core.ingest.DeadLetter;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.model.Topic;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Refused messages, kept for operators: a registered store's in its own capped stream
 * ({@link Keys#deadLetters(StoreId)}, written by {@code deadletter.lua} only while the store is
 * registered), the rest (no store can be told from the topic, or the store is not registered) in the
 * global one ({@link Keys#DEAD_LETTER}). Two commands at most, each in one slot.
 */
public final class DeadLetters {
    private final RedisClusterAsyncCommands<String, String> redis;
    private final Runnable issued;
    private final LuaScript keep = LuaScript.fromClasspath("deadletter.lua");

    public DeadLetters(RedisClusterAsyncCommands<String, String> redis, Runnable issued) {
        this.redis = redis;
        this.issued = issued;
    }

    public DeadLetters(RedisClusterAsyncCommands<String, String> redis) {
        this(redis, () -> { });
    }

    /** Keeps a refused message in its store's stream, or the global one; completes with where it went (null: global). */
    public CompletionStage<StoreId> add(DeadLetter letter) {
        return add(Topic.storeOf(letter.topic()), fields(letter));
    }

    private CompletionStage<StoreId> add(StoreId store, Map<String, String> body) {
        if (store == null) {
            return global(body).thenApply(id -> null);
        }
        List<String> args = new ArrayList<>(1 + body.size() * 2);
        args.add(Long.toString(Keys.DEAD_LETTERS_PER_STORE));
        body.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return keep.run(redis, issued, new String[] {Keys.store(store), Keys.deadLetters(store)}, args.toArray(String[]::new))
            .thenCompose(r -> ((Number) r.get(0)).intValue() == 1 ? CompletableFuture.completedStage(store)
                : global(body).thenApply(id -> null));
    }

    private CompletionStage<String> global(Map<String, String> body) {
        CompletionStage<String> added = redis.xadd(Keys.DEAD_LETTER,
            XAddArgs.Builder.maxlen(Keys.DEAD_LETTERS_GLOBAL).approximateTrimming(), body);
        issued.run();
        return added;
    }

    private static Map<String, String> fields(DeadLetter letter) {
        Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("topic", letter.topic());
        body.put("reason", letter.reason().code());
        body.put("detail", letter.detail());
        body.put("at", Long.toString(letter.receivedAt()));
        body.put("payload", letter.payload());
        return body;
    }

    /** A store's newest dead letters, newest first. */
    public CompletionStage<List<StreamMessage<String, String>>> newest(StoreId store, int limit) {
        return redis.xrevrange(Keys.deadLetters(store), Range.create("-", "+"), Limit.from(limit));
    }

    /** A store's oldest dead letters after {@code afterId} (exclusive; null: from the first), oldest first. */
    public CompletionStage<List<StreamMessage<String, String>>> oldest(StoreId store, String afterId, int limit) {
        return redis.xrange(Keys.deadLetters(store), Range.create(afterId == null ? "-" : "(" + afterId, "+"),
            Limit.from(limit));
    }

    /** Drops one of a store's dead letters (replayed); completes with true if it was there. */
    public CompletionStage<Boolean> remove(StoreId store, String id) {
        return redis.xdel(Keys.deadLetters(store), id).thenApply(n -> n > 0);
    }

    /**
     * Layout migration (node start, idempotent): the global stream of versions before 2026-11-29 held
     * every refused message; those of a registered store move to the store's own stream (where they can
     * be replayed). Those of no registered store stay. Completes with how many moved.
     */
    public CompletionStage<Long> moveGlobalToStores() {
        return movePage("-", 0);
    }

    private CompletionStage<Long> movePage(String from, long moved) {
        return redis.xrange(Keys.DEAD_LETTER, Range.create(from, "+"), Limit.from(500)).thenCompose(page -> {
            if (page.isEmpty()) {
                return CompletableFuture.completedStage(moved);
            }
            List<CompletableFuture<Integer>> each = new ArrayList<>(page.size());
            for (StreamMessage<String, String> m : page) {
                StoreId store = Topic.storeOf(m.getBody().get("topic"));
                if (store == null) {
                    continue;
                }
                List<String> args = new ArrayList<>();
                args.add(Long.toString(Keys.DEAD_LETTERS_PER_STORE));
                m.getBody().forEach((k, v) -> {
                    args.add(k);
                    args.add(v);
                });
                each.add(keep.run(redis, new String[] {Keys.store(store), Keys.deadLetters(store)},
                        args.toArray(String[]::new))
                    .thenCompose(r -> ((Number) r.get(0)).intValue() == 1
                        ? redis.xdel(Keys.DEAD_LETTER, m.getId()).thenApply(n -> 1) : CompletableFuture.completedStage(0))
                    .toCompletableFuture());
            }
            String last = page.get(page.size() - 1).getId();
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenCompose(v -> {
                    long n = moved + each.stream().mapToInt(CompletableFuture::join).sum();
                    return page.size() < 500 ? CompletableFuture.completedStage(n) : movePage("(" + last, n);
                });
        });
    }
}
