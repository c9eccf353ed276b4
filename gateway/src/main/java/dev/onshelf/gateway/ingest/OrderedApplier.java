package dev.onshelf.gateway.ingest;

import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.EventSink;
import dev.onshelf.core.model.Event;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies events in batches, and when the store fails (Redis unreachable or too slow) holds them and
 * retries them <b>in arrival order</b>: no newer event overtakes an older one that failed.
 *
 * <p>Batches: the events handed over in one event-loop turn (a burst from the broker) go to the
 * store together, at most {@code maxBatch} per call, once that turn is over ({@link EventSink#applyAll}:
 * for Redis one script call, which reads a source's ledger and a product once for the batch). A
 * batch of one is what a lone event costs today; {@code maxBatch} 1 turns batching off. Batches are
 * pipelined on the one connection, so they are applied in the order they were sent.
 *
 * <p>Confined to one event-loop thread.
 */
final class OrderedApplier {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedApplier.class);

    private final EventSink sink;
    private final Executor loop;
    private final IngestMetrics metrics;
    private final int maxBatch;
    private final PriorityQueue<Held> held = new PriorityQueue<>(Comparator.comparingLong(Held::arrival));
    private final ArrayDeque<Held> collecting = new ArrayDeque<>();
    private boolean flushScheduled;
    private long arrivals;
    private boolean holding;
    private int attempt;

    OrderedApplier(EventSink sink, Executor loop, IngestMetrics metrics, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.sink = sink;
        this.loop = loop;
        this.metrics = metrics;
        this.maxBatch = maxBatch;
    }

    private record Held(long arrival, Event event, Attribution by, CompletableFuture<ApplyResult> done) {
    }

    /** Must be called on the loop thread; completes when the event's effect is durable (or refused). */
    CompletionStage<ApplyResult> apply(Event event, Attribution by) {
        Held h = new Held(arrivals++, event, by, new CompletableFuture<>());
        if (holding) {
            held.add(h);
            return h.done();
        }
        collecting.add(h);
        if (collecting.size() >= maxBatch) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(this::flushScheduled);
        }
        return h.done();
    }

    private void flushScheduled() {
        flushScheduled = false;
        flush();
    }

    /** Sends what was collected, in batches of at most maxBatch (held instead while the store is down). */
    private void flush() {
        while (!collecting.isEmpty()) {
            List<Held> batch = new ArrayList<>(Math.min(maxBatch, collecting.size()));
            while (batch.size() < maxBatch && !collecting.isEmpty()) {
                batch.add(collecting.poll());
            }
            if (holding) {
                held.addAll(batch);
            } else {
                dispatch(batch);
            }
        }
    }

    private void dispatch(List<Held> batch) {
        List<CompletionStage<ApplyResult>> results = applyAll(batch);
        for (int i = 0; i < batch.size(); i++) {
            Held h = batch.get(i);
            results.get(i).whenComplete((result, error) -> loop.execute(() -> {
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
    }

    /** One store call for the batch (counted); a sink that throws fails each event, to be held and retried. */
    private List<CompletionStage<ApplyResult>> applyAll(List<Held> batch) {
        metrics.batch(batch.size());
        try {
            return sink.applyAll(batch.stream().map(h -> new EventSink.Write(h.event(), h.by())).toList());
        } catch (RuntimeException e) {
            List<CompletionStage<ApplyResult>> failed = new ArrayList<>();
            batch.forEach(h -> failed.add(CompletableFuture.failedStage(e)));
            return failed;
        }
    }

    private void retryLater() {
        long backoff = Backoff.delayMillis(attempt++);
        metrics.retried();
        CompletableFuture.runAsync(this::drain, CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS, loop));
    }

    /**
     * Applies the held events oldest first, a batch at a time (the next only once the one before is
     * durable); back to normal when none is left.
     */
    private void drain() {
        if (held.isEmpty()) {
            holding = false;
            LOG.info("store available again: resumed");
            flush();
            return;
        }
        List<Held> batch = new ArrayList<>();
        while (batch.size() < maxBatch && !held.isEmpty()) {
            batch.add(held.poll());
        }
        List<CompletableFuture<ApplyResult>> all = applyAll(batch).stream()
            .map(CompletionStage::toCompletableFuture).toList();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((v, error) -> loop.execute(() -> {
            boolean failed = false;
            for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<ApplyResult> r = all.get(i);
                if (r.isCompletedExceptionally()) {
                    held.add(batch.get(i));
                    failed = true;
                } else {
                    batch.get(i).done().complete(r.getNow(null));  // all are done here: nothing waits
                }
            }
            if (failed) {
                if (attempt % 20 == 0) {
                    LOG.warn("store still unavailable [held: {}, attempt: {}, error: {}]", held.size(), attempt,
                        String.valueOf(error));
                }
                retryLater();
                return;
            }
            drain();
        }));
    }
}
