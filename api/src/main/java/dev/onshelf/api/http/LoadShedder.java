package dev.onshelf.api.http;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sheds load before it queues: when the process already has {@code max} API requests in progress
 * (typically because Redis has slowed down), a new one is answered 503 with Retry-After at once
 * instead of waiting behind the others until its timeout. <b>Per process</b>, not per client: the
 * requests in progress all wait on the process's one Redis connection, so the bound is the process's,
 * and it does not grow with the number of event loops (one instance shared through Vert.x's local
 * map; one atomic increment and decrement per request). Streams (SSE) call {@link #release} once they
 * start, as they are bounded on their own.
 */
final class LoadShedder implements Shareable {
    private static final String HELD = "onshelf.shed.held";
    private final int max;
    private final AtomicInteger pending = new AtomicInteger();

    private LoadShedder(int max) {
        this.max = max;
    }

    /** API requests in progress in this process (what the shedder bounds), registered once. */
    static final String IN_PROGRESS = "onshelf.api.requests.in.progress";

    /** The process's shedder; its count of requests in progress is the gauge {@value #IN_PROGRESS}. */
    static LoadShedder shared(Vertx vertx, int max, io.micrometer.core.instrument.MeterRegistry metrics) {
        LocalMap<String, LoadShedder> map = vertx.sharedData().getLocalMap("onshelf.load.shedder");
        LoadShedder fresh = new LoadShedder(max);
        LoadShedder prior = map.putIfAbsent("api", fresh);
        if (prior != null) {
            return prior;
        }
        io.micrometer.core.instrument.Gauge.builder(IN_PROGRESS, fresh.pending, AtomicInteger::get)
            .description("API requests in progress (change streams only until they start), bounded by "
                + "ONSHELF_MAX_PENDING_REQUESTS").register(metrics);
        return fresh;
    }

    void handle(RoutingContext ctx) {
        if (pending.incrementAndGet() > max) {
            pending.decrementAndGet();
            throw new ProblemException(503, "http:overloaded", "Service overloaded",
                "too many requests are in progress on this server; retry shortly");
        }
        ctx.put(HELD, this);
        ctx.addEndHandler(v -> release(ctx));
        ctx.next();
    }

    int pending() {
        return pending.get();
    }

    static void release(RoutingContext ctx) {
        LoadShedder shedder = ctx.get(HELD);
        if (shedder != null) {
            ctx.remove(HELD);
            shedder.pending.decrementAndGet();
        }
    }
}
