package dev.onshelf.aggregator.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletionStage;

/**
 * Request counts per client in fixed windows of one second, in Redis, so that every API process counts
 * against the same number ({@code ONSHELF_RATE_LIMIT_SHARED}). One script call per request: INCR, and
 * PEXPIRE on the window's first request. A fixed window lets a client send up to twice the rate across
 * a window's edge; that is the price of one round trip.
 */
public final class RateWindows {
    /** How long a window's key outlives the window's start (ms): the window, and a margin for clock skew. */
    static final long KEY_LIFETIME_MILLIS = 2_000;
    private static final LuaScript SCRIPT = LuaScript.fromClasspath("rate_window.lua");
    private final RedisClusterAsyncCommands<String, String> redis;

    public RateWindows(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    /** Counts one request of {@code client} in the window of {@code nowMillis}; completes with the window's count. */
    public CompletionStage<Long> hit(String client, long nowMillis) {
        return SCRIPT.run(redis, new String[] {Keys.rateWindow(client, nowMillis / 1000)},
                Long.toString(KEY_LIFETIME_MILLIS))
            .thenApply(out -> (Long) out.get(0));
    }
}
