package dev.onshelf.gateway.ingest;

import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.EventSink;
import dev.onshelf.core.ingest.StoreFencedException;
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
import java.util.function.LongSupplier;
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
 * <p><b>Fenced</b> ({@link #fence}): every call names the store processes this applier has applied on,
 * and a Redis that is not one of them (restarted, or a replica promoted: either may have lost writes
 * it answered) refuses the batch whole ({@link StoreFencedException}). The applier then learns the new
 * process and applies again, <b>before anything newer</b>, every event it applied in the last
 * {@code keepMillis}: a write the store lost comes back in its place, and no later event (a device's
 * next numbering, say) is applied ahead of it. Retried later instead, it would be applied after
 * events newer than it, which a source without a session id cannot always tell apart from its own
 * next boot (docs/semantics.md §1). The events applied again are recognised as duplicates where the
 * store kept them.
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
    /** The store processes applied on, comma-separated, for apply.lua's fence; "" no fence. */
    private String fence = "";
    private long keepMillis;
    private LongSupplier clock;
    /** What was applied in the last keepMillis, oldest first (kept only when fenced). */
    private final ArrayDeque<Applied> applied = new ArrayDeque<>();
    /** Events applied again because the store was a new process (for tests and the log). */
    private long reapplied;

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

    private record Applied(Held held, long at) {
    }

    /** A process id no store has: the first call is refused, and the fence learns the store's. */
    private static final String NONE_YET = "-";
    /** Store processes a fence names at most (a cluster's masters and their successors). */
    private static final int FENCE_MAX = 32;

    /**
     * Turns the fence on (see the class comment): events applied in the last {@code keepMillis} are
     * applied again, first, on a new store process. Before the first event.
     */
    void fence(long keepMillis, LongSupplier clock) {
        if (keepMillis <= 0) {
            throw new IllegalArgumentException("keepMillis must be positive: " + keepMillis);
        }
        this.keepMillis = keepMillis;
        this.clock = clock;
        this.fence = NONE_YET;
    }

    long reapplied() {
        return reapplied;
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
                    keep(h);
                    return;
                }
                boolean fenced = hold(h, error);
                if (!holding) {
                    holding = true;
                    attempt = 0;
                    if (fenced) {  // not an outage: at once, with what the fence held again first
                        loop.execute(this::drain);
                    } else {
                        LOG.warn("store unavailable: holding events and retrying in order [error: {}]", error.toString());
                        retryLater();
                    }
                }
            }));
        }
    }

    /** Applied: kept for keepMillis when fenced, to be applied again on a new store process. */
    private void keep(Held h) {
        if (keepMillis == 0) {
            return;
        }
        long now = clock.getAsLong();
        applied.addLast(new Applied(h, now));
        while (now - applied.peekFirst().at() > keepMillis) {
            applied.pollFirst();
        }
    }

    /**
     * A failed event is held for its retry; if the store refused it as a process the fence does not
     * know, the fence learns it and everything applied in the last keepMillis is held again with it,
     * each in its arrival place (before it and everything newer). True if it was refused at the fence
     * (to be retried at once, not after a backoff).
     */
    private boolean hold(Held h, Throwable error) {
        held.add(h);
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        if (!(cause instanceof StoreFencedException fenced)) {
            return false;
        }
        if (knows(fenced.process())) {
            return true;
        }
        int again = applied.size();
        for (Applied a : applied) {  // their results were given: applied again, the outcome goes nowhere
            held.add(new Held(a.held().arrival(), a.held().event(), a.held().by(), new CompletableFuture<>()));
        }
        applied.clear();
        reapplied += again;
        if (!fence.equals(NONE_YET)) {
            LOG.warn("the store is a server process not applied on before (restarted, or failed over), which may "
                + "have lost writes it answered: applying again, in order and before anything newer, the events "
                + "applied in the last {} ms [process: {}, events: {}]", keepMillis, fenced.process(), again);
        }
        List<String> known = new ArrayList<>(fence.equals(NONE_YET) ? List.of() : List.of(fence.split(",")));
        known.add(fenced.process());
        fence = String.join(",", known.subList(Math.max(0, known.size() - FENCE_MAX), known.size()));
        return true;
    }

    private boolean knows(String process) {
        for (String p : fence.split(",")) {
            if (p.equals(process)) {
                return true;
            }
        }
        return false;
    }

    /** One store call for the batch (counted); a sink that throws fails each event, to be held and retried. */
    private List<CompletionStage<ApplyResult>> applyAll(List<Held> batch) {
        metrics.batch(batch.size());
        try {
            List<EventSink.Write> writes = batch.stream().map(h -> new EventSink.Write(h.event(), h.by())).toList();
            return fence.isEmpty() ? sink.applyAll(writes) : sink.applyAll(writes, fence);
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
            boolean outage = false;
            for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<ApplyResult> r = all.get(i);
                if (r.isCompletedExceptionally()) {
                    outage |= !hold(batch.get(i), r.handle((x, e) -> e).join());
                    failed = true;
                } else {
                    batch.get(i).done().complete(r.getNow(null));  // all are done here: nothing waits
                    keep(batch.get(i));
                }
            }
            if (failed && !outage) {  // refused at the fence, which has learned the process: at once
                drain();
                return;
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
