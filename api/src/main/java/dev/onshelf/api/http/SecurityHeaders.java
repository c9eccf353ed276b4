package dev.onshelf.api.http;

import io.vertx.ext.web.RoutingContext;

/** Standard security headers on every answer: no sniffing, no framing, no referrer, nothing to run. */
final class SecurityHeaders {
    private SecurityHeaders() {
    }

    static void handle(RoutingContext ctx) {
        ctx.response()
            .putHeader("X-Content-Type-Options", "nosniff")
            .putHeader("X-Frame-Options", "DENY")
            .putHeader("Referrer-Policy", "no-referrer")
            .putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        if (ctx.request().isSSL()) {
            ctx.response().putHeader("Strict-Transport-Security", "max-age=31536000");
        }
        ctx.next();
    }
}
