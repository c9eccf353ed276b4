package dev.onshelf.api.http;

import dev.onshelf.aggregator.redis.RateWindows;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-client rate limiting for public reads and writes: a token bucket (Bucket4j) per client
 * ({@link ClientIdentity}: an issued API key, else the address), holding {@code perSecond} requests and
 * refilled at {@code perSecond} a second (an issued key may have its own rate). Over the limit: 429
 * {@code http:rate_limited} with {@code Retry-After}.
 * <p>
 * <b>Per client per process</b>: one instance per process, shared by every event loop through Vert.x's
 * local map, so the limit does not grow with the number of event loops. With {@code windows} (
 * {@code ONSHELF_RATE_LIMIT_SHARED}) it is also <b>per client across every API process</b>: a request
 * the local bucket admits is counted in the client's one-second window in Redis ({@link RateWindows}),
 * one round trip, and refused past the rate. If Redis cannot count, the local bucket alone decides.
 * Idle buckets are forgotten by {@link #evictIdle()}.
 */
public final class RateLimiter implements Shareable {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    private record Limited(Bucket bucket, long capacity) {
    }

    private final long perSecond;
    private final ClientIdentity identity;
    private final RateWindows windows;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Limited> buckets = new ConcurrentHashMap<>();

    private RateLimiter(long perSecond, ClientIdentity identity, RateWindows windows, LongSupplier clock) {
        this.perSecond = perSecond;
        this.identity = identity;
        this.windows = windows;
        this.clock = clock;
    }

    /** The process's limiter ({@code windows} null: per process only). */
    public static RateLimiter shared(Vertx vertx, long perSecond, ClientIdentity identity, RateWindows windows,
                                     LongSupplier clock) {
        LocalMap<String, RateLimiter> map = vertx.sharedData().getLocalMap("onshelf.rate.limiter");
        RateLimiter fresh = new RateLimiter(perSecond, identity, windows, clock);
        RateLimiter prior = map.putIfAbsent("public", fresh);
        return prior != null ? prior : fresh;
    }

    public void handle(RoutingContext ctx) {
        ClientIdentity.Client client = identity.of(ctx);
        long rate = client.ratePerSecond() > 0 ? client.ratePerSecond() : perSecond;
        // a key's own rate is part of its bucket's name: a changed rate starts a new bucket
        String name = client.ratePerSecond() > 0 ? client.id() + "/" + rate : client.id();
        Limited limited = buckets.get(name);  // the usual case: no capturing lambda, no bin lock
        if (limited == null) {
            limited = buckets.computeIfAbsent(name, k -> new Limited(Bucket.builder()
                .addLimit(limit -> limit.capacity(rate).refillGreedy(rate, Duration.ofSeconds(1))).build(), rate));
        }
        ConsumptionProbe probe = limited.bucket().tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw refuse(ctx, rate, Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
        }
        if (windows == null) {
            ctx.response().putHeader("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            // a body must wait for its reader, which comes after this answer (it resumes the request)
            request.pause();
            ctx.addEndHandler(v -> {
                if (!request.isEnded()) {
                    request.resume();
                }
            });
        }
        Future.fromCompletionStage(windows.hit(client.id(), clock.getAsLong()), ctx.vertx().getOrCreateContext())
            .onComplete(counted -> {
                if (ctx.response().ended()) {
                    return;  // timed out meanwhile
                }
                if (counted.failed()) {
                    LOG.debug("shared rate window not counted [error: {}]", counted.cause().toString());
                    ctx.next();
                } else if (counted.result() > rate) {
                    ctx.fail(refuse(ctx, rate, 1));
                } else {
                    ctx.response().putHeader("X-RateLimit-Remaining", Long.toString(rate - counted.result()));
                    ctx.next();
                }
            });
    }

    private ProblemException refuse(RoutingContext ctx, long rate, long seconds) {
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        return new ProblemException(429, "http:rate_limited", "Too many requests",
            "more than " + rate + " requests a second from this client ("
                + (windows == null ? "per server process" : "across all servers") + "); retry after " + seconds + " s");
    }

    /** Drops buckets that have refilled completely: their clients have gone quiet. */
    public void evictIdle() {
        buckets.entrySet().removeIf(e -> e.getValue().bucket().getAvailableTokens() >= e.getValue().capacity());
    }
}
