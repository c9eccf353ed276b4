package dev.onshelf.api.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** Standard security headers on every answer: no sniffing, no framing, no referrer, nothing to run. */
final class SecurityHeaders {
    private SecurityHeaders() {
    }

    private static final CharSequence NOSNIFF_NAME = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence FRAME_NAME = HttpHeaders.createOptimized("X-Frame-Options");
    private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");
    private static final CharSequence REFERRER_NAME = HttpHeaders.createOptimized("Referrer-Policy");
    private static final CharSequence NO_REFERRER = HttpHeaders.createOptimized("no-referrer");
    private static final CharSequence CSP_NAME = HttpHeaders.createOptimized("Content-Security-Policy");
    private static final CharSequence CSP = HttpHeaders.createOptimized("default-src 'none'; frame-ancestors 'none'");

    /** (The names and values are made once, as Netty's pre-encoded ASCII strings.) */
    static void handle(RoutingContext ctx) {
        ctx.response()
            .putHeader(NOSNIFF_NAME, NOSNIFF)
            .putHeader(FRAME_NAME, DENY)
            .putHeader(REFERRER_NAME, NO_REFERRER)
            .putHeader(CSP_NAME, CSP);
        if (ctx.request().isSSL()) {
            ctx.response().putHeader("Strict-Transport-Security", "max-age=31536000");
        }
        ctx.next();
    }
}
