package dev.onshelf.api.http;

import io.github.bucket4j.Bucket;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing of admin tokens and staff JWTs: each client address may fail authentication
 * {@link #FAILURES} times, then one more time every {@link #WINDOW}/{@value #FAILURES}; past that,
 * its attempts are answered 429 {@code auth:throttled} with Retry-After without being checked (even
 * a right token: the address waits). One instance per process and realm, shared by every event loop
 * through Vert.x's local map, so the bound does not grow with the number of event loops.
 */
public final class AuthThrottle implements Shareable {
    public static final int FAILURES = 10;
    public static final Duration WINDOW = Duration.ofMinutes(1);
    private final ConcurrentHashMap<String, Bucket> failures = new ConcurrentHashMap<>();

    private AuthThrottle() {
    }

    /** The process's throttle for {@code realm} ("admin", "staff"). */
    public static AuthThrottle shared(Vertx vertx, String realm) {
        LocalMap<String, AuthThrottle> map = vertx.sharedData().getLocalMap("onshelf.auth.throttle");
        AuthThrottle fresh = new AuthThrottle();
        AuthThrottle prior = map.putIfAbsent(realm, fresh);
        return prior != null ? prior : fresh;
    }

    /**
     * {@code authenticate}, refused at once for an address that failed too often; its 401s are counted.
     * The address is the client's ({@link ClientIdentity#address}: through trusted proxies).
     */
    public Handler<RoutingContext> guard(ClientIdentity identity, Handler<RoutingContext> authenticate) {
        return ctx -> {
            String address = identity.address(ctx.request());
            Bucket bucket = failures.get(address);
            if (bucket != null && bucket.getAvailableTokens() <= 0) {
                long seconds = Math.max(1, WINDOW.toSeconds() / FAILURES);
                ctx.response().putHeader("Retry-After", Long.toString(seconds));
                throw new ProblemException(429, "auth:throttled", "Too many requests",
                    "too many failed authentications from this address; retry after " + seconds + " s");
            }
            try {
                authenticate.handle(ctx);
            } catch (ProblemException e) {
                if (e.status() == 401) {
                    failures.computeIfAbsent(address, a -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(FAILURES).refillGreedy(FAILURES, WINDOW)).build())
                        .tryConsume(1);
                }
                throw e;
            }
        };
    }

    /** Forgets addresses whose failures have all expired. */
    public void evictIdle() {
        failures.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= FAILURES);
    }
}
