package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.availability.ProductState;
import dev.onshelf.core.availability.Slot;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.core.rules.DeltaStream;
import dev.onshelf.core.rules.History;
import dev.onshelf.core.rules.ProductLedger;
import dev.onshelf.core.rules.StoreLedger;
import dev.onshelf.testkit.RedisProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The property of {@code ApplyRulesProperties}, now against the real script in a real redis-server:
 * any faulty delivery of a store's history ends in the reference state, and the script agrees with
 * the Java model of the rules on the settled stock level too.
 */
class ApplyScriptPropertiesIT {
    private static final AtomicInteger STORES = new AtomicInteger();
    private static RedisProcess server;
    private static RedisConnector redis;
    private static RegistryStore registry;

    @BeforeContainer
    static void start() {
        server = new RedisProcess();
        server.start();
        redis = new RedisConnector(server.url(), Duration.ofSeconds(5));
        registry = new RegistryStore(redis.connection().async());
    }

    @AfterContainer
    static void stop() {
        redis.close();
        server.close();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Property(tries = 150)
    void anyFaultyDeliveryEndsInTheTrueState(@ForAll long seed, @ForAll @IntRange(min = 1, max = 50) int length,
                                             @ForAll @IntRange(max = 12) int duplicates,
                                             @ForAll @IntRange(max = 25) int swaps,
                                             @ForAll @IntRange(max = 3) int restarts,
                                             @ForAll boolean sessions) throws Exception {
        StoreId store = new StoreId("prop-" + STORES.incrementAndGet());
        await(registry.putStore(store, "p", 0, 0));
        for (String d : new String[] {"mat-1", "mat-2"}) {
            await(registry.putDevice(store, new DeviceId(d + "-" + store), DeviceKind.SHELF));
        }
        for (String d : new String[] {"till-1", "goods-in"}) {
            await(registry.putDevice(store, new DeviceId(d + "-" + store), DeviceKind.FEED));
        }
        History h = History.generate(store, seed, length, duplicates, swaps, restarts, sessions).withDeviceSuffix("-" + store);
        RedisAvailabilityStore script = new RedisAvailabilityStore(redis.connection().async(), h::end, ApplyParams.DEFAULT);
        StoreLedger model = new StoreLedger(ApplyParams.DEFAULT);
        for (Event e : h.delivered()) {
            ApplyResult.Outcome byScript = await(script.apply(e)).outcome();
            assertThat(byScript).as("outcome of %s", e).isEqualTo(model.apply(e, h.end()).outcome());
            assertLedger(store, e.source().value(), model.source(e.source().value()), "%s", e);
        }
        for (Map.Entry<String, History.Expected> expected : h.reference().entrySet()) {
            ProductState state = await(script.read(store, Gtin.parse(expected.getKey()))).state();
            Map<String, Long> slots = new HashMap<>();
            for (Slot s : state.slots()) {
                slots.put(s.device() + "|" + s.location(), (long) s.count());
            }
            assertThat(slots).as("slots of %s", expected.getKey()).isEqualTo(expected.getValue().slotCounts());
            assertThat(state.book()).as("book of %s", expected.getKey()).isEqualTo(expected.getValue().book());
            ProductLedger p = model.product(expected.getKey());
            assertThat(state.shelfLevel()).as("level of %s", expected.getKey()).isEqualTo(p.level());
        }
    }

    /**
     * The gateway applies what arrives in one event-loop turn as one batch (one script call): any
     * split of a faulty delivery into batches, across stores, gives the outcomes and ledgers of the
     * model applying it one event at a time, and the same products at the end.
     */
    @Property(tries = 60)
    void batchesMeanTheSameAsOneEventAtATime(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int length,
                                             @ForAll @IntRange(max = 12) int duplicates,
                                             @ForAll @IntRange(max = 25) int swaps,
                                             @ForAll @IntRange(max = 3) int restarts,
                                             @ForAll boolean sessions,
                                             @ForAll @IntRange(min = 1, max = 40) int maxBatch) throws Exception {
        List<StoreId> stores = new java.util.ArrayList<>();
        List<History> histories = new java.util.ArrayList<>();
        for (int k = 0; k < 2; k++) {
            StoreId store = new StoreId("batch-" + STORES.incrementAndGet());
            await(registry.putStore(store, "p", 0, 0));
            for (String d : new String[] {"mat-1", "mat-2"}) {
                await(registry.putDevice(store, new DeviceId(d + "-" + store), DeviceKind.SHELF));
            }
            for (String d : new String[] {"till-1", "goods-in"}) {
                await(registry.putDevice(store, new DeviceId(d + "-" + store), DeviceKind.FEED));
            }
            stores.add(store);
            histories.add(History.generate(store, seed + k, length, duplicates, swaps, restarts, sessions)
                .withDeviceSuffix("-" + store));
        }
        long end = Math.max(histories.get(0).end(), histories.get(1).end());
        // the two stores' deliveries interleaved, as they arrive at one gateway
        List<Event> delivered = new java.util.ArrayList<>();
        java.util.Random random = new java.util.Random(seed);
        java.util.Iterator<Event> a = histories.get(0).delivered().iterator();
        java.util.Iterator<Event> b = histories.get(1).delivered().iterator();
        while (a.hasNext() || b.hasNext()) {
            delivered.add(!b.hasNext() || (a.hasNext() && random.nextBoolean()) ? a.next() : b.next());
        }
        RedisAvailabilityStore script = new RedisAvailabilityStore(redis.connection().async(), () -> end,
            ApplyParams.DEFAULT);
        Map<StoreId, StoreLedger> models = Map.of(stores.get(0), new StoreLedger(ApplyParams.DEFAULT),
            stores.get(1), new StoreLedger(ApplyParams.DEFAULT));
        for (int from = 0; from < delivered.size(); ) {
            int to = Math.min(delivered.size(), from + 1 + random.nextInt(maxBatch));
            List<Event> batch = delivered.subList(from, to);
            List<java.util.concurrent.CompletionStage<ApplyResult>> results = script.applyAll(
                batch.stream().map(e -> new dev.onshelf.core.ingest.EventSink.Write(e,
                    dev.onshelf.core.ingest.Attribution.NONE)).toList());
            for (int i = 0; i < batch.size(); i++) {
                Event e = batch.get(i);
                assertThat(await(results.get(i)).outcome()).as("outcome of %s", e)
                    .isEqualTo(models.get(e.store()).apply(e, end).outcome());
            }
            for (Event e : batch) {
                assertLedger(e.store(), e.source().value(), models.get(e.store()).source(e.source().value()),
                    "the batch with %s", e);
            }
            from = to;
        }
        for (int k = 0; k < 2; k++) {
            StoreId store = stores.get(k);
            for (Map.Entry<String, History.Expected> expected : histories.get(k).reference().entrySet()) {
                ProductState state = await(script.read(store, Gtin.parse(expected.getKey()))).state();
                ProductLedger p = models.get(store).product(expected.getKey());
                assertThat(state.book()).as("book of %s", expected.getKey()).isEqualTo(p.book());
                assertThat(state.shelfLevel()).as("level of %s", expected.getKey()).isEqualTo(p.level());
                assertThat(state.book()).as("book of %s", expected.getKey()).isEqualTo(expected.getValue().book());
            }
        }
    }

    /** The tills of ExactlyOnceProperties, against the script: the same outcome and ledger at every step. */
    @Property(tries = 40)
    void everySaleCountsOnceInTheScriptAsInTheModel(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int length,
                                                    @ForAll @IntRange(max = 40) int duplicates,
                                                    @ForAll @IntRange(max = 15) int restamps,
                                                    @ForAll @IntRange(max = 100) int swaps,
                                                    @ForAll @IntRange(min = 1, max = 300) int displacement,
                                                    @ForAll @IntRange(max = 4) int reboots) throws Exception {
        StoreId store = new StoreId("eo-" + STORES.incrementAndGet());
        await(registry.putStore(store, "p", 0, 0));
        for (int t = 0; t < 4; t++) {
            await(registry.putDevice(store, new DeviceId("till-" + t + "-" + store), DeviceKind.FEED));
        }
        await(registry.putDevice(store, new DeviceId("counter-" + store), DeviceKind.FEED));
        DeltaStream stream = DeltaStream.generate(store, "-" + store, seed, length, duplicates, restamps, swaps,
            displacement, reboots);
        RedisAvailabilityStore script = new RedisAvailabilityStore(redis.connection().async(), () -> History.T0,
            ApplyParams.DEFAULT);
        StoreLedger model = new StoreLedger(ApplyParams.DEFAULT);
        FeedEvent count = new FeedEvent(store, new DeviceId("counter-" + store), "count", 1, History.T0 - 1,
            EventType.COUNT, DeltaStream.GTIN, 1_000_000);
        await(script.apply(count));
        model.apply(count, History.T0);
        for (FeedEvent e : stream.delivered()) {
            assertThat(await(script.apply(e)).outcome()).as("outcome of %s", e)
                .isEqualTo(model.apply(e, History.T0).outcome());
            assertLedger(store, e.source().value(), model.source(e.source().value()), "%s", e);
        }
        assertThat(await(script.read(store, DeltaStream.GTIN)).state().book())
            .isEqualTo(model.product(DeltaStream.GTIN.value()).book());
    }

    /** The bounds (fog past MAX_RANGES holes, epochs past 8, forgotten sessions): script and model still agree. */
    @net.jqwik.api.Example
    void atTheBoundsTheScriptAgreesWithTheModel() throws Exception {
        StoreId store = new StoreId("eo-" + STORES.incrementAndGet());
        await(registry.putStore(store, "p", 0, 0));
        DeviceId till = new DeviceId("till-" + store);
        await(registry.putDevice(store, till, DeviceKind.FEED));
        java.util.List<FeedEvent> events = new java.util.ArrayList<>();
        long t = History.T0;
        int holes = dev.onshelf.core.rules.SourceLedger.MAX_RANGES + 12;
        for (long seq = 1; seq <= 2L * holes; seq += 2) {  // past the bound
            events.add(sale(store, till, "h" + seq, seq, t + seq, ""));
        }
        for (long seq = 2; seq <= 20; seq += 2) {  // late: the first in the fog, the rest in kept holes
            events.add(sale(store, till, "h" + seq, seq, t + seq, ""));
        }
        for (int boot = 0; boot < 11; boot++) {  // more boots than kept, clocks starting over
            for (long seq = 1; seq <= 3; seq++) {
                events.add(sale(store, till, "b" + boot + "-" + seq, seq, t + 10 + boot, "boot-" + boot));
            }
        }
        events.add(sale(store, till, "b0-4", 4, t + 9_000, "boot-0"));
        events.add(sale(store, till, "late", 7, t + 5, ""));
        RedisAvailabilityStore script = new RedisAvailabilityStore(redis.connection().async(), () -> History.T0,
            ApplyParams.DEFAULT);
        StoreLedger model = new StoreLedger(ApplyParams.DEFAULT);
        java.util.Set<ApplyResult.Outcome> seen = java.util.EnumSet.noneOf(ApplyResult.Outcome.class);
        for (FeedEvent e : events) {
            ApplyResult.Outcome outcome = await(script.apply(e)).outcome();
            seen.add(outcome);
            assertThat(outcome).as("outcome of %s", e).isEqualTo(model.apply(e, History.T0).outcome());
            assertLedger(store, till.value(), model.source(till.value()), "%s", e);
        }
        assertThat(seen).contains(ApplyResult.Outcome.REJECTED, ApplyResult.Outcome.APPLIED);
    }

    /** The script's stored ledger of a source, both fields (the ledger and its epochs' ids), is the model's. */
    private static void assertLedger(StoreId store, String source, dev.onshelf.core.rules.SourceLedger model,
                                     String as, Object... args) throws Exception {
        assertThat(await(redis.connection().async().hget(Keys.sources(store), source)))
            .as("ledger after " + as, args).isEqualTo(model.encode());
        String ids = await(redis.connection().async().hget(Keys.sources(store), Keys.sourceIdsField(source)));
        assertThat(ids == null ? "" : ids).as("ids after " + as, args).isEqualTo(model.encodeIds());
    }

    private static FeedEvent sale(StoreId store, DeviceId till, String id, long seq, long ts, String session) {
        return new FeedEvent(store, till, id, seq, ts, EventType.SALE, DeltaStream.GTIN, 1, session);
    }
}
