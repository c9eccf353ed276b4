package dev.onshelf.api.http;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client rate limiting for public reads: a token bucket (Bucket4j) per API key
 * ({@code X-API-Key}) or, without one, per client address; over the limit answers 429 with
 * {@code Retry-After}. Idle buckets are forgotten by {@link #evictIdle()}.
 */
public final class RateLimiter {
    private final long perSecond;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(long perSecond) {
        this.perSecond = perSecond;
    }

    public void handle(RoutingContext ctx) {
        String key = ctx.request().getHeader("X-API-Key");
        if (key == null || key.isBlank()) {
            key = "addr:" + (ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress());
        } else {
            key = "key:" + key;
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(key, k -> Bucket.builder()
            .addLimit(limit -> limit.capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1))).build())
            .tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            ctx.response().putHeader("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
            ctx.next();
            return;
        }
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        throw new ProblemException(429, "http:rate_limited", "Too many requests",
            "more than " + perSecond + " requests a second from this client; retry after " + seconds + " s");
    }

    /** Drops buckets that have refilled completely: their clients have gone quiet. */
    public void evictIdle() {
        buckets.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= perSecond);
    }
}
