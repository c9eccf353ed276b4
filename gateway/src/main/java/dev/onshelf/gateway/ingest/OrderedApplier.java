package dev.onshelf.gateway.ingest;

import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.EventSink;
import dev.onshelf.core.model.Event;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies events, and when the store fails (Redis unreachable or too slow) holds them and retries
 * them <b>in arrival order</b>: no newer event overtakes an older one that failed. Independent
 * retries would let new events race ahead of old ones by more than the exactly-once window, and the
 * old ones would then be taken for replays and dropped. Confined to one event-loop thread.
 */
final class OrderedApplier {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedApplier.class);

    private final EventSink sink;
    private final Executor loop;
    private final IngestMetrics metrics;
    private final PriorityQueue<Held> held = new PriorityQueue<>(Comparator.comparingLong(Held::arrival));
    private long arrivals;
    private boolean holding;
    private int attempt;

    OrderedApplier(EventSink sink, Executor loop, IngestMetrics metrics) {
        this.sink = sink;
        this.loop = loop;
        this.metrics = metrics;
    }

    private record Held(long arrival, Event event, Attribution by, CompletableFuture<ApplyResult> done) {
    }

    /** Must be called on the loop thread; completes when the event's effect is durable (or refused). */
    CompletionStage<ApplyResult> apply(Event event, Attribution by) {
        Held h = new Held(arrivals++, event, by, new CompletableFuture<>());
        if (holding) {
            held.add(h);
        } else {
            dispatch(h);
        }
        return h.done();
    }

    private void dispatch(Held h) {
        sink.apply(h.event(), h.by()).whenComplete((result, error) -> loop.execute(() -> {
            if (error == null) {
                h.done().complete(result);
                return;
            }
            held.add(h);
            if (!holding) {
                holding = true;
                attempt = 0;
                LOG.warn("store unavailable: holding events and retrying in order [error: {}]", error.toString());
                retryLater();
            }
        }));
    }

    private void retryLater() {
        long backoff = Backoff.delayMillis(attempt++);
        metrics.retried();
        CompletableFuture.runAsync(this::drain, CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS, loop));
    }

    /** Applies the held events one at a time, oldest first; back to normal when none is left. */
    private void drain() {
        Held h = held.peek();
        if (h == null) {
            holding = false;
            LOG.info("store available again: resumed");
            return;
        }
        sink.apply(h.event(), h.by()).whenComplete((result, error) -> loop.execute(() -> {
            if (error != null) {
                if (attempt % 20 == 0) {
                    LOG.warn("store still unavailable [held: {}, attempt: {}, error: {}]", held.size(), attempt,
                        error.toString());
                }
                retryLater();
                return;
            }
            held.poll();
            h.done().complete(result);
            drain();
        }));
    }
}
