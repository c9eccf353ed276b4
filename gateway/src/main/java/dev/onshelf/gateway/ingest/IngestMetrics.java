package dev.onshelf.gateway.ingest;

import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The gateway's meters. Tags only from small fixed sets: outcome, reason. */
public final class IngestMetrics {
    public static final String RECEIVED = "onshelf.gateway.events.received";
    public static final String REJECTED = "onshelf.gateway.events.rejected";
    public static final String RETRIES = "onshelf.gateway.store.retries";
    public static final String APPLY_DURATION = "onshelf.aggregator.apply.duration";
    public static final String ALERTS = "onshelf.aggregator.alerts";
    public static final String IN_FLIGHT = "onshelf.gateway.events.inflight";
    public static final String IN_FLIGHT_MAX = "onshelf.gateway.events.inflight.max";

    public static final String BATCH = "onshelf.aggregator.apply.batch";
    public static final String LEDGER_BOUND = "onshelf.aggregator.ledger.bound";
    /** Device status messages applied, by state: a device's will (offline) counts when it drops off. */
    public static final String DEVICE_STATUS = "onshelf.gateway.device.status";

    /** Where a write came in: a device over MQTT, or a person over HTTP (staff counts). */
    /** MQTT messages, HTTP writes, and dead letters replayed by an operator. */
    public enum Channel { MQTT, HTTP, REPLAY }

    private final Map<Channel, Counter> received = new EnumMap<>(Channel.class);
    private final Counter ledgerBound;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger inFlightMax = new java.util.concurrent.atomic.AtomicInteger();
    private final Counter retries;
    private final Counter online;
    private final Counter offline;
    private final io.micrometer.core.instrument.DistributionSummary batch;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Map<ApplyResult.Outcome, Timer> applied = new EnumMap<>(ApplyResult.Outcome.class);
    private final Map<AlertType, Counter> alerts = new EnumMap<>(AlertType.class);

    public IngestMetrics(MeterRegistry registry) {
        for (Channel c : Channel.values()) {
            received.put(c, Counter.builder(RECEIVED).tag("channel", c.name().toLowerCase(java.util.Locale.ROOT))
                .description("writes received: MQTT messages, HTTP writes and dead letters replayed").register(registry));
        }
        ledgerBound = Counter.builder(LEDGER_BOUND)
            .description("events whose source ledger reached a bound and forgot something (see the device list)")
            .register(registry);
        io.micrometer.core.instrument.Gauge.builder(IN_FLIGHT, inFlight, java.util.concurrent.atomic.AtomicInteger::get)
            .description("messages received and not yet acknowledged (bounded by the receive maximum)")
            .register(registry);
        io.micrometer.core.instrument.Gauge.builder(IN_FLIGHT_MAX, inFlightMax, java.util.concurrent.atomic.AtomicInteger::get)
            .description("the most messages ever in flight at once").register(registry);
        batch = io.micrometer.core.instrument.DistributionSummary.builder(BATCH).baseUnit("events")
            .description("events applied per store call (one script call per batch)").register(registry);
        online = Counter.builder(DEVICE_STATUS).tag("state", "online")
            .description("device status messages applied, by the state they report").register(registry);
        offline = Counter.builder(DEVICE_STATUS).tag("state", "offline")
            .description("device status messages applied, by the state they report").register(registry);
        retries = Counter.builder(RETRIES).description("store calls retried after a failure").register(registry);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, Counter.builder(REJECTED).tag("reason", r.code())
                .description("messages refused and dead-lettered").register(registry));
        }
        for (AlertType t : AlertType.values()) {
            alerts.put(t, Counter.builder(ALERTS).tag("type", t.code()).description("restock alerts raised")
                .register(registry));
        }
        for (ApplyResult.Outcome o : ApplyResult.Outcome.values()) {
            applied.put(o, Timer.builder(APPLY_DURATION).tag("outcome", o.name().toLowerCase(java.util.Locale.ROOT))
                .description("time to apply one event in Redis").register(registry));
        }
    }

    void received(Channel channel) {
        received.get(channel).increment();
        inFlightMax.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void done() {
        inFlight.decrementAndGet();
    }

    void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    void applied(ApplyResult.Outcome outcome, long nanos) {
        applied.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    void alerted(AlertType type) {
        alerts.get(type).increment();
    }

    void ledgerBound() {
        ledgerBound.increment();
    }

    void batch(int events) {
        batch.record(events);
    }

    void deviceStatus(boolean isOnline) {
        (isOnline ? online : offline).increment();
    }

    void retried() {
        retries.increment();
    }
}
