package dev.onshelf.api.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * CORS for the origins the operator lists (ONSHELF_CORS_ORIGINS): a retailer's own site may read the
 * shopper answers, follow change streams, subscribe to webhooks and call the staff API with a bearer
 * token ({@code Authorization}) and an {@code Idempotency-Key}. Any other origin gets no CORS header
 * at all (its browser keeps the answer from it), and requests without an Origin, or from this server's
 * own pages, pass untouched. No credentials mode: tokens travel in headers, never in cookies. The admin
 * API is not offered to browsers (no PUT): its token does not belong in a web page.
 */
final class Cors {
    static final String METHODS = "GET, POST, DELETE";
    static final String HEADERS = "Authorization, Content-Type, Idempotency-Key, If-None-Match, Last-Event-ID, X-API-Key";
    static final String EXPOSED = "ETag, Location, Retry-After, X-RateLimit-Remaining";
    static final String MAX_AGE_SECONDS = "600";
    private final Set<String> origins;

    Cors(List<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    void handle(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        HttpServerResponse response = ctx.response();
        response.headers().add("Vary", "Origin");  // answers differ by origin: caches must keep them apart
        if (origin == null || !origins.contains(origin)) {
            ctx.next();
            return;
        }
        response.putHeader("Access-Control-Allow-Origin", origin);
        if (ctx.request().method() == HttpMethod.OPTIONS
                && ctx.request().getHeader("Access-Control-Request-Method") != null) {
            response.putHeader("Access-Control-Allow-Methods", METHODS)
                .putHeader("Access-Control-Allow-Headers", HEADERS)
                .putHeader("Access-Control-Max-Age", MAX_AGE_SECONDS)
                .setStatusCode(204)
                .end();
            return;
        }
        response.putHeader("Access-Control-Expose-Headers", EXPOSED);
        ctx.next();
    }
}
