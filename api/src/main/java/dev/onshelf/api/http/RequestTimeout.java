package dev.onshelf.api.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Fails a request with 503 (a problem with Retry-After) if it is not answered in time. Long-lived
 * responses (Server-Sent Events) call {@link #cancel} once they start streaming.
 */
final class RequestTimeout {
    private static final String TIMER = "onshelf.timeout.timer";
    private final long millis;

    RequestTimeout(long millis) {
        this.millis = millis;
    }

    void handle(RoutingContext ctx) {
        long timer = ctx.vertx().setTimer(millis, t -> {
            if (!ctx.response().ended() && !ctx.response().headWritten()) {
                ctx.fail(503);
            }
        });
        ctx.put(TIMER, timer);
        ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
        ctx.next();
    }

    static void cancel(RoutingContext ctx) {
        Long timer = ctx.get(TIMER);
        if (timer != null) {
            ctx.vertx().cancelTimer(timer);
        }
    }
}
