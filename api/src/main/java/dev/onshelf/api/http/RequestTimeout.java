package dev.onshelf.api.http;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;

/**
 * Fails a request with 503 (a problem with Retry-After) if it is not answered in time. A request whose
 * response has started (Server-Sent Events stream, once they begin) is left alone.
 *
 * <p>No timer per request: the timeout is the same for every request, so arrival order is deadline
 * order, and requests wait in a queue that one periodic sweep per event loop reads from its head (a
 * timer set and cancelled per request cost more than the rest of the lookup's routing). A request
 * fails between 1 and 1.25 timeouts after it arrived. Answered requests leave the queue's head as new
 * ones arrive, so the queue holds what arrived since the oldest request still in progress. One
 * instance per event loop (the router is built per verticle): no locking.
 */
final class RequestTimeout {
    private final long nanos;
    private final long periodMillis;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private boolean sweeping;

    private record Waiting(RoutingContext ctx, long deadline) {
        boolean answered() {
            return ctx.response().ended() || ctx.response().headWritten() || ctx.response().closed();
        }
    }

    RequestTimeout(long millis) {
        this.nanos = millis * 1_000_000L;
        this.periodMillis = Math.max(1, millis / 4);
    }

    void handle(RoutingContext ctx) {
        if (!sweeping) {  // the first request: the sweep runs on this event loop from now on
            sweeping = true;
            ctx.vertx().setPeriodic(periodMillis, t -> sweep(System.nanoTime()));
        }
        Waiting head;
        while ((head = queue.peekFirst()) != null && head.answered()) {
            queue.pollFirst();
        }
        queue.addLast(new Waiting(ctx, System.nanoTime() + nanos));
        ctx.next();
    }

    /** Fails every request past its deadline still unanswered; drops the answered ones from the head. */
    void sweep(long now) {
        Waiting head;
        while ((head = queue.peekFirst()) != null) {
            if (head.answered()) {
                queue.pollFirst();
            } else if (now - head.deadline >= 0) {
                queue.pollFirst();
                head.ctx.fail(503);
            } else {
                return;
            }
        }
    }

    /** Requests in the queue (answered ones behind one still in progress included). */
    int queued() {
        return queue.size();
    }
}
