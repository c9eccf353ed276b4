package dev.onshelf.benchmarks;

import dev.onshelf.core.availability.AvailabilityPolicy;
import dev.onshelf.core.availability.AvailabilityRules;
import dev.onshelf.core.availability.ProductState;
import dev.onshelf.core.availability.Slot;
import dev.onshelf.core.availability.SourceHealth;
import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.core.rules.StoreLedger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure per-event and per-request work: decoding and validating an MQTT payload, applying an
 * event to the Java model of the rules, and computing an answer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {
    private static final String SHELF_TOPIC = "onshelf/v1/stores/0421/shelf/mat-07";
    private static final String FEED_TOPIC = "onshelf/v1/stores/0421/feed/till-3";
    private final EventCodec codec = new EventCodec();
    private final AvailabilityRules rules = new AvailabilityRules(AvailabilityPolicy.DEFAULT);
    private byte[] shelf;
    private byte[] feed;
    private long now;
    private StoreLedger ledger;
    private long seq;
    private ProductState state;
    private Map<String, SourceHealth> health;

    @Setup
    public void setup() {
        now = System.currentTimeMillis();
        shelf = ("{\"eventId\": \"3f1c\", \"seq\": 1042, \"ts\": \"2026-11-22T10:15:30.123Z\", \"gtin\": \"4006381333931\","
            + " \"count\": 4, \"capacity\": 12, \"location\": \"A12-3\"}").getBytes(StandardCharsets.UTF_8);
        feed = ("{\"eventId\": \"9a0b\", \"seq\": 77, \"ts\": \"2026-11-22T10:15:31.002Z\", \"type\": \"SALE\","
            + " \"gtin\": \"4006381333931\", \"qty\": 2}").getBytes(StandardCharsets.UTF_8);
        ledger = new StoreLedger(ApplyParams.DEFAULT);
        state = new ProductState(List.of(new Slot("mat-07", "A12-3", 4, 12, now - 60_000),
            new Slot("mat-08", "A12-4", 2, 12, now - 30_000)), 11L, now - 120_000, now - 3_600_000);
        health = Map.of("mat-07", new SourceHealth(true, 60, now - 600_000, now - 10_000),
            "mat-08", new SourceHealth(true, 60, now - 600_000, now - 5_000));
    }

    @Benchmark
    public Event decodeShelfReading() {
        return codec.decode(SHELF_TOPIC, shelf, now);
    }

    @Benchmark
    public Event decodeFeedEvent() {
        return codec.decode(FEED_TOPIC, feed, now);
    }

    @Benchmark
    public StoreLedger.Result applySaleToRules() {
        seq++;
        return ledger.apply(new FeedEvent(new StoreId("0421"), new DeviceId("till-3"), "e" + seq, seq, now + seq,
            EventType.SALE, Gtin.parse("4006381333931"), 1), now + seq);
    }

    @Benchmark
    public Object evaluateAnswer() {
        return rules.evaluate(state, health, now);
    }
}
