package dev.onshelf.gateway.ingest;

import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.AlertSink;
import dev.onshelf.core.ingest.DeadLetter;
import dev.onshelf.core.ingest.EventSink;
import dev.onshelf.core.ingest.RefusalSink;
import dev.onshelf.core.ingest.Writes;
import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.Numbered;
import dev.onshelf.core.model.RejectReason;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.Topic;
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
 * Every write's one way in, MQTT or HTTP: decode (pure) → apply (one atomic Redis call for the
 * writes of one event-loop turn, see {@link OrderedApplier}) → alerts and
 * back-in-stock webhooks → done, with dead letters for what is refused and metrics for all. The
 * returned stage completes when the write may be acknowledged (to the broker, or the HTTP client):
 * its effect is durable, or it was a duplicate, or it was refused and dead-lettered. A transient
 * failure (Redis unreachable) is retried with backoff, in arrival order ({@link OrderedApplier}), and
 * never completes the stage: an unacknowledged message is never dropped. {@link #handle} must be
 * called on the executor's (event-loop) thread; {@link #submit} may be called from any thread.
 */
public final class IngestPipeline implements Writes {
    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

    private final EventCodec codec;
    private final EventSink sink;
    private final OrderedApplier applier;
    private final AlertSink alerts;
    private final IngestMetrics metrics;
    private final LongSupplier clock;
    private final Executor executor;
    private final RefusalSink refusals;

    /** Events per store call at most (see {@link OrderedApplier}); 1: one call per event. */
    public static final int DEFAULT_BATCH = 64;

    public IngestPipeline(EventCodec codec, EventSink sink, AlertSink alerts, IngestMetrics metrics,
                          LongSupplier clock, Executor executor) {
        this(codec, sink, alerts, metrics, clock, executor, DEFAULT_BATCH);
    }

    public IngestPipeline(EventCodec codec, EventSink sink, AlertSink alerts, IngestMetrics metrics,
                          LongSupplier clock, Executor executor, int maxBatch) {
        this(codec, sink, alerts, RefusalSink.NONE, metrics, clock, executor, maxBatch);
    }

    /** {@code refusals}: where a device is told why its MQTT message was refused (its error topic). */
    public IngestPipeline(EventCodec codec, EventSink sink, AlertSink alerts, RefusalSink refusals,
                          IngestMetrics metrics, LongSupplier clock, Executor executor, int maxBatch) {
        this.refusals = refusals;
        this.codec = codec;
        this.sink = sink;
        this.applier = new OrderedApplier(sink, executor, metrics, maxBatch);
        this.alerts = alerts;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = executor;
    }

    /**
     * Fences the store (OrderedApplier): on a Redis that restarted or failed over, what was applied in
     * the last {@code keepMillis} is applied again, in order, before anything newer. Before the first
     * event; meant with a durability horizon ({@code ONSHELF_MQTT_ACK_HORIZON_MS}), whose
     * not-yet-acknowledged events it must cover.
     */
    public IngestPipeline fenceStore(long keepMillis) {
        applier.fence(keepMillis, clock);
        return this;
    }

    /** An MQTT message. */
    public CompletionStage<Void> handle(String topic, byte[] payload) {
        metrics.received(IngestMetrics.Channel.MQTT);
        return process(topic, payload).whenComplete((v, e) -> metrics.done());
    }

    /**
     * A write made over HTTP (a staff count), built by the API: the same apply, alerts, webhooks,
     * dead letters and metrics as a device's event. Completes on the pipeline's thread with what the
     * store did; a refusal is dead-lettered under {@code http:<store>/<source>}.
     */
    @Override
    public CompletionStage<ApplyResult> submit(Event event, Attribution by) {
        return onPipeline(IngestMetrics.Channel.HTTP, () -> apply(event, by, "http:" + event.store() + "/" + event.source(),
            () -> event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), clock.getAsLong(), true));
    }

    /** Runs {@code work} on the pipeline's thread, counted on {@code channel}; its outcome, or its failure. */
    private CompletionStage<ApplyResult> onPipeline(IngestMetrics.Channel channel,
                                                    java.util.function.Supplier<CompletionStage<ApplyResult>> work) {
        CompletableFuture<ApplyResult> result = new CompletableFuture<>();
        executor.execute(() -> {
            metrics.received(channel);
            CompletionStage<ApplyResult> applied;
            try {
                applied = work.get();
            } catch (RuntimeException e) {
                applied = CompletableFuture.failedStage(e);
            }
            applied.whenComplete((r, e) -> {
                metrics.done();
                if (e == null) {
                    result.complete(r);
                } else {
                    result.completeExceptionally(e);
                }
            });
        });
        return result;
    }

    /**
     * A dead letter replayed: decoded and applied as an MQTT message is, on the pipeline's thread; a
     * refusal is only reported (see {@link Writes#replay}).
     */
    @Override
    public CompletionStage<ApplyResult> replay(String topic, byte[] payload) {
        return onPipeline(IngestMetrics.Channel.REPLAY, () -> {
            long now = clock.getAsLong();
            try {
                return apply(codec.decode(topic, payload, now), Attribution.NONE, topic, () -> payload, now, false);
            } catch (ValidationException e) {
                return CompletableFuture.completedStage(ApplyResult.rejected(e.reason()));
            }
        });
    }

    private CompletionStage<Void> process(String topic, byte[] payload) {
        long now = clock.getAsLong();
        Event event;
        try {
            event = codec.decode(topic, payload, now);
        } catch (ValidationException e) {
            return reject(topic, payload, codec.eventIdOf(payload), e.reason(), e.detail(), now);
        }
        return apply(event, Attribution.NONE, topic, () -> payload, now, true).thenApply(r -> null);
    }

    /** {@code keepRefused}: a refusal is dead-lettered (and its device told); false for a replay. */
    private CompletionStage<ApplyResult> apply(Event event, Attribution by, String topic,
                                               java.util.function.Supplier<byte[]> payload, long now,
                                               boolean keepRefused) {
        long started = System.nanoTime();
        return applier.apply(event, by).thenCompose(result -> {
            metrics.applied(result.outcome(), System.nanoTime() - started);
            if (event instanceof StatusEvent status && result.outcome() == ApplyResult.Outcome.APPLIED) {
                metrics.deviceStatus(status.online());
            }
            if (result.ledgerBound()) {
                metrics.ledgerBound();
                LOG.warn("source ledger reached its bound and forgot part of its history; see the device list "
                    + "[store: {}, source: {}, outcome: {}]", event.store(), event.source(), result.outcome());
            }
            if (result.outcome() == ApplyResult.Outcome.REJECTED) {
                if (result.reason() == RejectReason.SEQ_FORGOTTEN) {
                    metrics.ledgerBound();
                    LOG.warn("event of a part of its source's history no longer kept: refused and dead-lettered "
                        + "[store: {}, source: {}]", event.store(), event.source());
                }
                if (!keepRefused) {
                    metrics.rejected(result.reason());
                    return CompletableFuture.completedStage(result);
                }
                return reject(topic, payload.get(), event instanceof Numbered n ? n.eventId() : null, result.reason(),
                    registryDetail(result.reason()), now).thenApply(v -> result);
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("event {} [store: {}, source: {}, seq: {}]", result.outcome(), event.store(), event.source(),
                    event instanceof Numbered n ? n.seq() : 0);
            }
            return (result.hasAlerts() ? publishAlerts(event, result) : CompletableFuture.<Void>completedStage(null))
                .thenApply(v -> result);
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

    /**
     * A refused message: counted, dead-lettered (in its store's stream, or the global one), and, when
     * it came on a device's topic, its device told on its error topic. Telling is best effort and not
     * waited for (a broker slow to take it never holds back acknowledgements); the dead letter is.
     */
    private CompletionStage<Void> reject(String topic, byte[] payload, String eventId, RejectReason reason,
                                         String detail, long now) {
        metrics.rejected(reason);
        LOG.debug("rejected event [topic: {}, reason: {}, detail: {}]", topic, reason.code(), detail);
        DeadLetter letter = DeadLetter.of(topic, reason, detail, now, payload);
        Topic from = Topic.lenient(topic);
        if (from != null) {
            tell(from, eventId, reason, detail);
        }
        return withRetry(() -> sink.deadLetter(letter), 0);
    }

    private void tell(Topic from, String eventId, RejectReason reason, String detail) {
        CompletionStage<Void> told;
        try {
            told = refusals.refused(from.store(), from.device(), eventId, reason, detail);
        } catch (RuntimeException e) {
            told = CompletableFuture.failedStage(e);
        }
        told.whenComplete((v, e) -> {
            if (e != null) {
                LOG.debug("device not told of its refused message [store: {}, device: {}, error: {}]", from.store(),
                    from.device(), e.toString());
            }
        });
    }

    private static String registryDetail(RejectReason reason) {
        return switch (reason) {
            case STORE_UNKNOWN -> "store is not registered";
            case DEVICE_UNREGISTERED -> "device is not registered to this store";
            case DEVICE_WRONG_KIND -> "device is registered for another kind of topic";
            case STORE_ERROR -> "the store could not apply the event (script error); see the logs";
            case SEQ_FORGOTTEN -> "the source's ledger cannot tell this event from a replay (a boot or a hole it "
                + "gave up to stay bounded, or a re-stamped retransmission whose id it no longer remembers)";
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
