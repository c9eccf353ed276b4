package dev.onshelf.gateway.ingest;

import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.AlertSink;
import dev.onshelf.core.ingest.DeadLetter;
import dev.onshelf.core.ingest.EventSink;
import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.RejectReason;
import dev.onshelf.core.model.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message's way in: decode (pure) → apply (one atomic Redis call) → done. The returned stage
 * completes when the message may be acknowledged to the broker: its effect is durable, or it was a
 * duplicate, or it was refused and dead-lettered. A transient failure (Redis unreachable) is retried
 * with backoff, in arrival order ({@link OrderedApplier}), and never completes the stage: an
 * unacknowledged message is never dropped. Must be called on the executor's (event-loop) thread.
 */
public final class IngestPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

    private final EventCodec codec;
    private final EventSink sink;
    private final OrderedApplier applier;
    private final AlertSink alerts;
    private final IngestMetrics metrics;
    private final LongSupplier clock;
    private final Executor executor;

    public IngestPipeline(EventCodec codec, EventSink sink, AlertSink alerts, IngestMetrics metrics,
                          LongSupplier clock, Executor executor) {
        this.codec = codec;
        this.sink = sink;
        this.applier = new OrderedApplier(sink, executor, metrics);
        this.alerts = alerts;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = executor;
    }

    public CompletionStage<Void> handle(String topic, byte[] payload) {
        metrics.received();
        return process(topic, payload).whenComplete((v, e) -> metrics.done());
    }

    private CompletionStage<Void> process(String topic, byte[] payload) {
        long now = clock.getAsLong();
        Event event;
        try {
            event = codec.decode(topic, payload, now);
        } catch (ValidationException e) {
            return reject(topic, payload, e.reason(), e.detail(), now);
        }
        long started = System.nanoTime();
        return applier.apply(event).thenCompose(result -> {
            metrics.applied(result.outcome(), System.nanoTime() - started);
            if (result.outcome() == ApplyResult.Outcome.REJECTED) {
                return reject(topic, payload, result.reason(), registryDetail(result.reason()), now);
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("event {} [store: {}, source: {}, seq: {}]", result.outcome(), event.store(), event.source(),
                    event instanceof dev.onshelf.core.model.FeedEvent f ? f.seq()
                        : event instanceof dev.onshelf.core.model.ShelfEvent sh ? sh.seq() : 0);
            }
            return result.hasAlerts() ? publishAlerts(event, result) : CompletableFuture.completedStage(null);
        });
    }

    /** Alerts go out before the event is acknowledged: a crash in between redelivers nothing twice,
     *  and the alert stays in the store's alert stream in Redis either way. */
    private CompletionStage<Void> publishAlerts(Event event, ApplyResult result) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (ApplyResult.Change change : result.changes()) {
            for (AlertType type : change.alerts()) {
                metrics.alerted(type);
                sent.add(alerts.publish(event.store(), change.gtin(), type, event.ts()).toCompletableFuture()
                    .exceptionally(e -> {
                        LOG.warn("alert not published [store: {}, type: {}, error: {}]", event.store(), type.code(),
                            e.toString());
                        return null;
                    }));
            }
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Void> reject(String topic, byte[] payload, RejectReason reason, String detail, long now) {
        metrics.rejected(reason);
        LOG.debug("rejected event [topic: {}, reason: {}, detail: {}]", topic, reason.code(), detail);
        DeadLetter letter = DeadLetter.of(topic, reason, detail, now, payload);
        return withRetry(() -> sink.deadLetter(letter), 0);
    }

    private static String registryDetail(RejectReason reason) {
        return switch (reason) {
            case STORE_UNKNOWN -> "store is not registered";
            case DEVICE_UNREGISTERED -> "device is not registered to this store";
            case DEVICE_FOREIGN_STORE -> "device is registered to another store";
            case DEVICE_WRONG_KIND -> "device is registered for another kind of topic";
            case STORE_ERROR -> "the store could not apply the event (script error); see the logs";
            default -> reason.code();
        };
    }

    private <T> CompletionStage<T> withRetry(java.util.function.Supplier<CompletionStage<T>> attempt, int tries) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt.get().whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            long backoff = Backoff.delayMillis(tries);
            metrics.retried();
            if (tries == 0 || tries % 20 == 0) {
                LOG.warn("store unavailable, retrying in {} ms [attempt: {}, error: {}]", backoff, tries + 1,
                    error.toString());
            }
            Executor later = CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS, executor);
            CompletableFuture.runAsync(() -> { }, later)
                .thenCompose(v -> withRetry(attempt, tries + 1))
                .whenComplete((v, e) -> {
                    if (e == null) {
                        result.complete(v);
                    } else {
                        result.completeExceptionally(e);
                    }
                });
        });
        return result;
    }
}
