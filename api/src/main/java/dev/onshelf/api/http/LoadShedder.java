package dev.onshelf.api.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Sheds load before it queues: when this event loop already has {@code max} API requests in
 * progress (typically because Redis has slowed down), a new one is answered 503 with Retry-After at
 * once instead of waiting behind the others until its timeout. One instance per event loop, so the
 * counter needs no synchronisation. Streams (SSE) call {@link #release} once they start, as they are
 * bounded on their own.
 */
final class LoadShedder {
    private static final String HELD = "onshelf.shed.held";
    private final int max;
    private int pending;

    LoadShedder(int max) {
        this.max = max;
    }

    void handle(RoutingContext ctx) {
        if (pending >= max) {
            throw new ProblemException(503, "http:overloaded", "Service overloaded",
                "too many requests are in progress on this server; retry shortly");
        }
        pending++;
        ctx.put(HELD, this);
        ctx.addEndHandler(v -> release(ctx));
        ctx.next();
    }

    int pending() {
        return pending;
    }

    static void release(RoutingContext ctx) {
        LoadShedder shedder = ctx.get(HELD);
        if (shedder != null) {
            ctx.remove(HELD);
            shedder.pending--;
        }
    }
}
