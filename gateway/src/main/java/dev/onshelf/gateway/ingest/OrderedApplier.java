package dev.onshelf.gateway.ingest;

import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.EventSink;
import dev.onshelf.core.ingest.StoreFencedException;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.StoreId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * pipelined on the one connection, so they are applied in the order they were sent; at most
 * {@link #BATCHES_IN_FLIGHT} are unanswered at once (a backlog waits here, not in the connection).
 *
 * <p><b>Fenced</b> ({@link #fence}): the applier knows, per store, the Redis server process it applies
 * that store's events on, and every call names it; a Redis that is another process (restarted, or a
 * replica promoted: either may have lost writes it answered) refuses the batch whole
 * ({@link StoreFencedException}), as does a call whose stores disagree. Each refused store then learns
 * the process and its events applied in the last {@code keepMillis} are applied again, <b>before
 * anything newer of it</b>: a write the store lost comes back in its place, and no later event (a
 * device's next numbering, say) is applied ahead of it. Retried later instead, it would be applied after
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
    /**
     * Batches sent and not answered yet, at most {@link #BATCHES_IN_FLIGHT}: enough that Redis always
     * has the next one, few enough that none waits behind the others long (unbounded, a backlog of
     * 50,000 messages queued ~800 script calls on the connection, the last of them past the command
     * timeout: the gateway took its own backlog for an outage and backed off; bench, 2026-11-29).
     * Events wait in {@code collecting} meanwhile, so the batches grow towards maxBatch under load.
     */
    static final int BATCHES_IN_FLIGHT = 4;
    private int outstanding;
    /** Holding, with nothing left to retry but batches still unanswered: the last answer resumes the drain. */
    private boolean drainWaiting;
    private long arrivals;
    private boolean holding;
    private int attempt;
    /** When fenced: per store, the server process its events are applied on. */
    private final Map<StoreId, String> processOf = new HashMap<>();
    /** How long applied events are kept to be applied again; 0: not fenced. */
    private long keepMillis;
    private LongSupplier clock;
    /** What was applied in the last keepMillis, oldest first (kept only when fenced). */
    private final ArrayDeque<Applied> applied = new ArrayDeque<>();

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

    /**
     * Sends what was collected, in batches of at most maxBatch, while fewer than {@link #BATCHES_IN_FLIGHT}
     * are unanswered (the rest waits here, and goes as the answers come); held instead while the store is down.
     */
    private void flush() {
        while (!collecting.isEmpty() && (holding || outstanding < BATCHES_IN_FLIGHT)) {
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

    /**
     * One batch to the store. Each event applied is done (and kept for the fence) as soon as its own
     * answer comes: a status event's answer waits for the health PUBLISH that follows the script, and on
     * a cluster each store's call answers on its own, so the batch's other events must not wait for it
     * (kept late, an event applied on a Redis that then restarted would miss being applied again in its
     * place). The failures, and the window, are taken once every answer is in, together.
     */
    private void dispatch(List<Held> batch) {
        outstanding++;
        List<CompletableFuture<ApplyResult>> results = applyAll(batch).stream()
            .map(CompletionStage::toCompletableFuture).toList();
        for (int i = 0; i < batch.size(); i++) {
            Held h = batch.get(i);
            results.get(i).thenAccept(result -> loop.execute(() -> {
                h.done().complete(result);
                keep(h);
            }));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> loop.execute(() -> {
            outstanding--;
            Throwable first = null;
            boolean atFence = false;
            for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<ApplyResult> r = results.get(i);
                if (r.isCompletedExceptionally()) {
                    Throwable error = errorOf(r);
                    atFence |= hold(batch.get(i), error);
                    first = first == null ? error : first;
                }
            }
            if (first != null && !holding) {
                holding = true;
                attempt = 0;
                if (atFence) {  // not an outage: at once, with what the fence held again first
                    loop.execute(this::drain);
                } else {
                    LOG.warn("store unavailable: holding events and retrying in order [error: {}]", first.toString());
                    retryLater();
                }
            }
            flush();  // what waited for this answer (held instead, if the store is down)
            if (holding && outstanding == 0 && drainWaiting) {
                drainWaiting = false;  // the last batch sent before the outage has answered: the retry goes on
                drain();
            }
        }));
    }

    /** The error a stage completed with (it has completed exceptionally). */
    private static Throwable errorOf(CompletableFuture<?> failed) {
        return failed.handle((x, error) -> error).join();
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
     * A failed event is held for its retry. If the store refused it at the fence, naming a process its
     * store was not known on: the store learns it, and its events applied in the last keepMillis are
     * held again, each in its arrival place (before the refused one and everything newer of the store).
     * True if it was refused at the fence (to be retried at once, not after a backoff).
     */
    private boolean hold(Held h, Throwable error) {
        held.add(h);
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        if (!(cause instanceof StoreFencedException refused)) {
            return false;
        }
        StoreId store = h.event().store();
        String was = processOf.put(store, refused.process());
        if (refused.process().equals(was)) {
            return true;  // learnt from an earlier event of the batch, or refused because its call's stores disagreed
        }
        int again = 0;
        for (java.util.Iterator<Applied> i = applied.iterator(); i.hasNext(); ) {
            Held a = i.next().held();
            if (a.event().store().equals(store)) {  // results given already: applied again, the outcome goes nowhere
                held.add(new Held(a.arrival(), a.event(), a.by(), new CompletableFuture<>()));
                i.remove();
                again++;
            }
        }
        if (was != null) {
            LOG.warn("the store's Redis is a server process not applied on before (restarted, or failed over), "
                + "which may have lost writes it answered: applying again, in order and before anything newer, "
                + "the store's events applied in the last {} ms [store: {}, process: {}, events: {}]", keepMillis,
                store, refused.process(), again);
        }
        return true;
    }

    /** A store's process, for apply.lua's fence (none until learnt: its first call is refused and teaches it). */
    private String processOf(StoreId store) {
        return processOf.getOrDefault(store, StoreFencedException.NO_PROCESS);
    }

    /** One store call for the batch (counted); a sink that throws fails each event, to be held and retried. */
    private List<CompletionStage<ApplyResult>> applyAll(List<Held> batch) {
        metrics.batch(batch.size());
        try {
            List<EventSink.Write> writes = batch.stream().map(h -> new EventSink.Write(h.event(), h.by())).toList();
            return keepMillis > 0 ? sink.applyAll(writes, this::processOf) : sink.applyAll(writes);
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
        if (held.isEmpty() && outstanding > 0) {
            // batches sent before the outage are not all answered: one may still fail, and its events must
            // be retried before anything newer goes (on a cluster another master may answer late)
            drainWaiting = true;
            return;
        }
        drainWaiting = false;
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
                    outage |= !hold(batch.get(i), errorOf(r));
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
