package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.availability.ItemAvailability;
import dev.onshelf.core.availability.ProductState;
import dev.onshelf.core.availability.Slot;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.EventSink;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.ApplyResult.Outcome;
import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.RejectReason;
import dev.onshelf.core.model.ShelfCountEvent;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The apply script and the reads against a real redis-server: exactly-once, order, registry checks. */
@ExtendWith(RealServices.class)
class ApplyScriptIT {
    private static final long T0 = 1_800_000_000_000L;
    private static final Gtin GTIN = Gtin.parse("4006381333931");
    private static RedisConnector redis;
    private static RedisAvailabilityStore store;
    private static RegistryStore registry;
    private static final AtomicLong NOW = new AtomicLong(T0);
    private StoreId s;

    @BeforeAll
    static void connect(RedisProcess server) {
        redis = new RedisConnector(server.url(), Duration.ofSeconds(5));
        store = new RedisAvailabilityStore(redis.connection().async(), NOW::get, ApplyParams.DEFAULT);
        registry = new RegistryStore(redis.connection().async());
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void freshStore() throws Exception {
        s = new StoreId("it-" + UUID.randomUUID().toString().substring(0, 8));
        await(registry.putStore(s, "Test", 51.5, -0.1));
        assertThat(await(registry.putDevice(s, new DeviceId(s + "-mat"), DeviceKind.SHELF)))
            .isEqualTo(RegistryStore.DeviceOutcome.CREATED);
        await(registry.putDevice(s, new DeviceId(s + "-till"), DeviceKind.FEED));
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private ShelfEvent reading(long seq, long ts, int count) {
        return new ShelfEvent(s, new DeviceId(s + "-mat"), "e" + seq, seq, ts, List.of(new Reading(GTIN, count, 12, "A1")));
    }

    private FeedEvent feed(long seq, long ts, EventType type, long qty) {
        return new FeedEvent(s, new DeviceId(s + "-till"), "f" + seq, seq, ts, type, GTIN, qty);
    }

    /** The same event as a device sends it after a reboot: a new event id (the old numbering's ids were used). */
    private static FeedEvent rebooted(FeedEvent e) {
        return new FeedEvent(e.store(), e.source(), "boot2-" + e.eventId(), e.seq(), e.ts(), e.type(), e.gtin(), e.qty());
    }

    private static ShelfEvent rebooted(ShelfEvent e) {
        return new ShelfEvent(e.store(), e.source(), "boot2-" + e.eventId(), e.seq(), e.ts(), e.readings());
    }

    private ApplyResult apply(Event e) throws Exception {
        return await(store.apply(e));
    }

    private ProductState state() throws Exception {
        return await(store.read(s, GTIN)).state();
    }

    @Test
    void behindAFenceABatchAppliesOnlyOnAServerProcessItNames() throws Exception {
        List<EventSink.Write> sale = List.of(new EventSink.Write(feed(1, T0, EventType.SALE, 1), Attribution.NONE));
        // a fence naming another process: refused whole, with this server's run id, and nothing applied
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> await(store.applyAll(sale, "0000").get(0)));
        assertThat(refused).hasCauseInstanceOf(dev.onshelf.core.ingest.StoreFencedException.class);
        String process = ((dev.onshelf.core.ingest.StoreFencedException) refused.getCause()).process();
        assertThat(process).matches("[0-9a-f]{40}");
        assertThat(state().book()).isNull();
        // naming it (among others): applied
        assertThat(await(store.applyAll(sale, "0000," + process).get(0)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(state().book()).isEqualTo(-1L);
    }

    @Test
    void aReadingIsStoredAndReadBackWithItsDevicesHealth() throws Exception {
        assertThat(apply(reading(1, T0, 4)).outcome()).isEqualTo(Outcome.APPLIED);
        ProductView view = await(store.read(s, GTIN));
        assertThat(view.state().slots()).containsExactly(new Slot(s + "-mat", "A1", 4, 12, T0));
        assertThat(view.health()).containsKey(s + "-mat");
        assertThat(view.health().get(s + "-mat").lastSeen()).isEqualTo(NOW.get());
    }

    @Test
    void aBusySourcesLastSeenIsWrittenAQuarterSecondApartButAChangedStatusAtOnce() throws Exception {
        long t = NOW.addAndGet(1_000);
        DeviceId mat = new DeviceId(s + "-mat");
        apply(reading(1, T0, 4));
        NOW.addAndGet(100);  // within 250 ms of the last write: the health stays as written
        apply(reading(2, T0 + 1, 5));
        assertThat(await(store.healthAll(s)).get(mat.value()).lastSeen()).isEqualTo(t);
        long later = NOW.addAndGet(150);  // 250 ms: written
        apply(reading(3, T0 + 2, 6));
        assertThat(await(store.healthAll(s)).get(mat.value()).lastSeen()).isEqualTo(later);
        NOW.addAndGet(10);  // a status that changes the health is written however soon
        assertThat(apply(new StatusEvent(s, mat, T0 + 3, false, 60)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(await(store.healthAll(s)).get(mat.value()).online()).isFalse();
        assertThat(await(store.healthAll(s)).get(mat.value()).lastSeen()).isEqualTo(NOW.get());
    }

    @Test
    void aBatchAppliesInOrderAndAnEventTheScriptCannotApplyIsRefusedAloneWithStoreError() throws Exception {
        // given a product whose stored value is corrupt, and another product in good order
        Gtin other = Gtin.parse("5901234123457");
        await(redis.connection().async().hset(Keys.bucket(s, GTIN), Keys.field(GTIN), "{corrupt"));
        DeviceId mat = new DeviceId(s + "-mat");
        List<EventSink.Write> batch = List.of(
            new EventSink.Write(new ShelfEvent(s, mat, "b1", 1, T0, List.of(new Reading(other, 3, 12, "A2"))),
                Attribution.NONE),
            new EventSink.Write(reading(2, T0 + 1, 5), Attribution.NONE),
            new EventSink.Write(new ShelfEvent(s, mat, "b3", 3, T0 + 2, List.of(new Reading(other, 2, 12, "A2"))),
                Attribution.NONE));

        // when the three are applied as one batch
        List<ApplyResult> results = new java.util.ArrayList<>();
        for (java.util.concurrent.CompletionStage<ApplyResult> r : store.applyAll(batch)) {
            results.add(await(r));
        }

        // then the script's error refuses only the event that touches the corrupt value
        assertThat(results).extracting(ApplyResult::outcome)
            .containsExactly(Outcome.APPLIED, Outcome.REJECTED, Outcome.APPLIED);
        assertThat(results.get(1).reason()).isEqualTo(RejectReason.STORE_ERROR);
        assertThat(await(store.read(s, other)).state().slots()).extracting(Slot::count).containsExactly(2);
        // (seq 2 was not applied: the ledger keeps the hole, so a redelivery after a fix would apply it)
        SourceStats ledger = await(store.sourceStats(s, mat.value()));
        assertThat(ledger.highestSeq()).isEqualTo(3);
        assertThat(ledger.gaps()).isEqualTo(1);
    }

    @Test
    void aLedgerStoredWithItsIdsInlineKeepsThemAndMovesThemToTheirOwnField() throws Exception {
        // given a till's ledger as versions before 2026-11-29 (session 8) stored it: "2|", its epoch's ids
        // inline; a whole-second till, 100 sales stamped T0 (so only the ids tell a re-stamped retry of one of
        // its first sales from a reboot's)
        DeviceId till = new DeviceId(s + "-till");
        dev.onshelf.core.rules.SourceLedger model = new dev.onshelf.core.rules.SourceLedger();
        for (long seq = 1; seq <= 100; seq++) {
            model.admit("f" + seq, "", seq, T0, 64);
        }
        String inline = model.encode().replaceFirst("^3\\|", "2|")
            .replaceFirst(",1-100$", ",#" + model.encodeIds() + ",1-100");
        await(redis.connection().async().hset(Keys.sources(s), till.value(), inline));
        // when sale 2 comes again re-stamped: its id is among the epoch's first, read from the inline text
        assertThat(apply(new FeedEvent(s, till, "f2", 2, T0 + 5, EventType.SALE, GTIN, 1)).outcome())
            .as("the same sale, re-stamped").isEqualTo(Outcome.DUPLICATE);
        // and a new sale is applied: the ledger is written as today's, its ids in their own field
        assertThat(apply(new FeedEvent(s, till, "f101", 101, T0 + 6, EventType.SALE, GTIN, 1)).outcome())
            .isEqualTo(Outcome.APPLIED);
        model.admit("f101", "", 101, T0 + 6, 64);
        assertThat(await(redis.connection().async().hget(Keys.sources(s), till.value()))).isEqualTo(model.encode())
            .startsWith("3|");
        assertThat(await(redis.connection().async().hget(Keys.sources(s), Keys.sourceIdsField(till.value()))))
            .isEqualTo(model.encodeIds()).hasSize(64 * 8);
        // then read from there, sale 3 re-stamped is still that sale, and a reboot's sale 1 a new numbering
        assertThat(apply(new FeedEvent(s, till, "f3", 3, T0 + 7, EventType.SALE, GTIN, 1)).outcome())
            .isEqualTo(Outcome.DUPLICATE);
        assertThat(apply(new FeedEvent(s, till, "boot2-f1", 1, T0 + 8, EventType.SALE, GTIN, 1)).outcome())
            .isEqualTo(Outcome.APPLIED);
        assertThat(await(store.sourceStats(s, till.value())).restarts()).isEqualTo(1);
        // and the device list shows the till once, not its ids as another source
        assertThat(await(store.sourcesAll(s))).containsOnlyKeys(till.value());
    }

    @Test
    void aDuplicateAppliesOnce() throws Exception {
        apply(feed(1, T0, EventType.COUNT, 10));
        assertThat(apply(feed(2, T0 + 1, EventType.SALE, 3)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(apply(feed(2, T0 + 1, EventType.SALE, 3)).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(state().book()).isEqualTo(7);
    }

    @Test
    void aSaleDelayedFarBeyondTheWindowStillCountsOnceAndItsReplayDoesNot() throws Exception {
        apply(feed(1, T0, EventType.COUNT, 1_000));
        // seq 2..101 are held back (an outage upstream); 102..401 arrive first: 300 > the window of 64
        for (long seq = 102; seq <= 401; seq++) {
            assertThat(apply(feed(seq, T0 + seq, EventType.SALE, 1)).outcome()).isEqualTo(Outcome.APPLIED);
        }
        assertThat(await(store.sourceStats(s, s + "-till")).gaps()).isEqualTo(100);
        for (long seq = 2; seq <= 101; seq++) {
            assertThat(apply(feed(seq, T0 + seq, EventType.SALE, 1)).outcome()).as("late seq %d", seq)
                .isEqualTo(Outcome.APPLIED);
        }
        assertThat(state().book()).isEqualTo(1_000 - 400);
        assertThat(await(store.sourceStats(s, s + "-till")).gaps()).isZero();
        // replays of old events, late ones and never-late ones alike, are dropped
        for (long seq : new long[] {2, 50, 101, 102, 200}) {
            assertThat(apply(feed(seq, T0 + seq, EventType.SALE, 1)).outcome()).as("replay of %d", seq)
                .isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(state().book()).isEqualTo(600);
    }

    @Test
    void aRedeliveredSaleOfTheOldNumberingDoesNotFillANewGap() throws Exception {
        apply(feed(1, T0, EventType.COUNT, 1_000));
        for (long seq = 2; seq <= 100; seq++) {
            apply(feed(seq, T0 + seq, EventType.SALE, 1));
        }
        // the restart: its events have ids of their own (the same source and id would be the same event)
        assertThat(apply(rebooted(feed(1, T0 + 200, EventType.SALE, 1))).outcome()).isEqualTo(Outcome.APPLIED);
        for (long seq = 2; seq <= 5; seq++) {
            apply(rebooted(feed(seq, T0 + 199 + seq, EventType.SALE, 1)));
        }
        apply(rebooted(feed(9, T0 + 208, EventType.SALE, 1)));  // 6..8 skipped
        assertThat(state().book()).isEqualTo(1_000 - 99 - 6);
        assertThat(apply(feed(7, T0 + 7, EventType.SALE, 1)).outcome()).as("old seq 7, redelivered")
            .isEqualTo(Outcome.DUPLICATE);
        assertThat(apply(rebooted(feed(7, T0 + 206, EventType.SALE, 1))).outcome()).as("new seq 7, late")
            .isEqualTo(Outcome.APPLIED);
        assertThat(state().book()).isEqualTo(1_000 - 99 - 7);
    }

    /**
     * The script as {@code SourceLedgerTest}'s late retry of the old numbering (two-gateway torture, lost 6):
     * a re-stamped retry held back by a dead gateway, stamped before the reboot's first sale, is not the
     * new numbering's, and the old numbering's late sales still go to the old numbering.
     */
    @Test
    void aLateRetryOfTheOldNumberingIsNotCountedInTheNewOneAndEverySaleOfBothCounts() throws Exception {
        apply(feed(1, T0, EventType.COUNT, 1_000));
        for (long seq = 2; seq <= 95; seq++) {  // 96-100 and a retry of 92 held back at a dead gateway
            apply(feed(seq, T0 + seq, EventType.SALE, 1));
        }
        for (long seq = 1; seq <= 70; seq++) {  // the reboot's numbering, through the other gateway
            assertThat(apply(rebooted(feed(seq, T0 + 200 + seq, EventType.SALE, 1))).outcome()).isEqualTo(Outcome.APPLIED);
        }
        assertThat(apply(feed(92, T0 + 97, EventType.SALE, 1)).outcome()).as("the old 92, re-stamped, late")
            .isNotEqualTo(Outcome.APPLIED);
        for (long seq = 96; seq <= 100; seq++) {
            assertThat(apply(feed(seq, T0 + seq, EventType.SALE, 1)).outcome()).as("the old %d, late", seq)
                .isEqualTo(Outcome.APPLIED);
        }
        for (long seq = 71; seq <= 100; seq++) {
            assertThat(apply(rebooted(feed(seq, T0 + 200 + seq, EventType.SALE, 1))).outcome()).as("the new %d", seq)
                .isEqualTo(Outcome.APPLIED);
        }
        assertThat(state().book()).as("99 sales of the old numbering, 100 of the new").isEqualTo(1_000 - 99 - 100);
    }

    @Test
    void staffEventsAreNumberedByTheStoreSoTwoInOneMillisecondBothCount() throws Exception {
        DeviceId handheld = new DeviceId(s + "-till");
        long ts = T0 + 5_000;
        assertThat(apply(new FeedEvent(s, handheld, "a", 0, ts, EventType.COUNT, GTIN, 10)).outcome())
            .isEqualTo(Outcome.APPLIED);
        assertThat(apply(new ShelfCountEvent(s, handheld, "b", 0, ts, GTIN, 4)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(apply(new ShelfCountEvent(s, handheld, "c", 0, ts + 1, GTIN, 3)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(state().slots()).extracting(Slot::count).containsExactly(3);
        assertThat(await(store.sourceStats(s, s + "-till")).highestSeq()).isEqualTo(3);
    }

    @Test
    void aStaffShelfCountStandsForEverySlotUntilASensorReportsSomethingNewer() throws Exception {
        apply(reading(1, T0 + 1000, 4));
        apply(new ShelfEvent(s, new DeviceId(s + "-mat"), "e2", 2, T0 + 1000, List.of(new Reading(GTIN, 3, 12, "A2"))));
        assertThat(state().slots()).extracting(Slot::count).containsExactlyInAnyOrder(4, 3);
        DeviceId handheld = new DeviceId(s + "-till");
        assertThat(apply(new ShelfCountEvent(s, handheld, "h1", 10, T0 + 500, GTIN, 0)).outcome())
            .as("older than the sensors").isEqualTo(Outcome.STALE);
        assertThat(apply(new ShelfCountEvent(s, handheld, "h2", 11, T0 + 2000, GTIN, 1)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(state().slots()).extracting(Slot::count).containsExactly(1);
        assertThat(state().shelfLevel()).isEqualTo(dev.onshelf.core.availability.ItemAvailability.LimitedAvailability);
        // an older sensor reading changes its slot but not the answer; a newer one takes over
        apply(new ShelfEvent(s, new DeviceId(s + "-mat"), "e3", 3, T0 + 1500, List.of(new Reading(GTIN, 9, 12, "A2"))));
        assertThat(state().slots()).extracting(Slot::count).containsExactly(1);
        apply(new ShelfEvent(s, new DeviceId(s + "-mat"), "e4", 4, T0 + 3000, List.of(new Reading(GTIN, 2, 12, "A1"))));
        assertThat(state().slots()).extracting(Slot::count).containsExactlyInAnyOrder(2, 9);
        assertThat(apply(new ShelfCountEvent(s, new DeviceId(s + "-mat"), "h3", 12, T0 + 4000, GTIN, 5)).reason())
            .as("a shelf device cannot send a staff count").isEqualTo(dev.onshelf.core.model.RejectReason.DEVICE_WRONG_KIND);
    }

    @Test
    void anOlderReadingNeverOverwritesANewerOne() throws Exception {
        apply(reading(2, T0 + 2000, 0));
        assertThat(apply(reading(1, T0 + 1000, 5)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(state().slots()).extracting(Slot::count).containsExactly(0);
    }

    @Test
    void aDeltaBeforeTheLastCountIsAlreadyInIt() throws Exception {
        apply(feed(1, T0 + 5000, EventType.COUNT, 20));
        assertThat(apply(feed(2, T0 + 1000, EventType.SALE, 1)).outcome()).isEqualTo(Outcome.STALE);
        apply(feed(3, T0 + 6000, EventType.SALE, 2));
        assertThat(state().book()).isEqualTo(18);
    }

    @Test
    void aLateCountIsReplayedUnderTheDeltasThatCameAfterIt() throws Exception {
        apply(feed(1, T0, EventType.COUNT, 10));
        apply(feed(3, T0 + 3000, EventType.SALE, 2));      // after the late count: still applies
        apply(feed(4, T0 + 1000, EventType.RECEIPT, 5));   // before the late count: contained in it
        assertThat(state().book()).isEqualTo(13);
        assertThat(apply(feed(2, T0 + 2000, EventType.COUNT, 30)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(state().book()).isEqualTo(28);
        assertThat(state().countTs()).isEqualTo(T0 + 2000);
    }

    @Test
    void aRestartedDeviceStartsAgainFromOneAndItsEventsStillApply() throws Exception {
        apply(reading(1, T0, 4));
        apply(reading(2, T0 + 1000, 3));
        assertThat(apply(rebooted(reading(1, T0 + 60_000, 9))).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(state().slots()).extracting(Slot::count).containsExactly(9);
        assertThat(apply(rebooted(reading(1, T0 + 60_000, 9))).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(apply(rebooted(reading(2, T0 + 61_000, 8))).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(await(store.sourceStats(s, s + "-mat")).restarts()).isEqualTo(1);
    }

    @Test
    void lateEventsInsideTheWindowApplyOnceAndGapsAreCounted() throws Exception {
        apply(feed(1, T0, EventType.COUNT, 10));
        apply(feed(4, T0 + 4000, EventType.SALE, 1));  // 2 and 3 missing
        assertThat(await(store.sourceStats(s, s + "-till")).gaps()).isEqualTo(2);
        assertThat(apply(feed(3, T0 + 3000, EventType.SALE, 1)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(apply(feed(3, T0 + 3000, EventType.SALE, 1)).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(state().book()).isEqualTo(8);
        assertThat(await(store.sourceStats(s, s + "-till")).gaps()).isEqualTo(1);
    }

    @Test
    void unknownStoresAndUnregisteredOrOtherStoresDevicesAreRefusedAndChangeNothing() throws Exception {
        StoreId unknown = new StoreId("nowhere-" + UUID.randomUUID().toString().substring(0, 6));
        ShelfEvent fromNowhere = new ShelfEvent(unknown, new DeviceId("mat-x"), "e", 1, T0, List.of(new Reading(GTIN, 1, 1, "")));
        assertThat(apply(fromNowhere).reason()).isEqualTo(RejectReason.STORE_UNKNOWN);

        ShelfEvent stranger = new ShelfEvent(s, new DeviceId("stranger"), "e", 1, T0, List.of(new Reading(GTIN, 1, 1, "")));
        assertThat(apply(stranger).reason()).isEqualTo(RejectReason.DEVICE_UNREGISTERED);

        // a device of another store is, for this store, a device it does not have
        StoreId other = new StoreId(s.value() + "b");
        await(registry.putStore(other, "Other", 51.0, 0.0));
        await(registry.putDevice(other, new DeviceId(other + "-mat"), DeviceKind.SHELF));
        ShelfEvent foreign = new ShelfEvent(s, new DeviceId(other + "-mat"), "e", 1, T0, List.of(new Reading(GTIN, 1, 1, "")));
        assertThat(apply(foreign).reason()).isEqualTo(RejectReason.DEVICE_UNREGISTERED);

        FeedEvent shelfDeviceOnFeed = new FeedEvent(s, new DeviceId(s + "-mat"), "e", 1, T0, EventType.SALE, GTIN, 1);
        assertThat(apply(shelfDeviceOnFeed).reason()).isEqualTo(RejectReason.DEVICE_WRONG_KIND);
        assertThat(state().isEmpty()).isTrue();
    }

    @Test
    void aDeviceIdIsScopedToItsStoreEachWithItsOwnLedgerAndHealth() throws Exception {
        // given two stores with a device of the same id (and a store that does not exist)
        StoreId other = new StoreId(s.value() + "c");
        await(registry.putStore(other, "Other", 51.0, 0.0));
        DeviceId till = new DeviceId(s + "-till");
        assertThat(await(registry.putDevice(other, till, DeviceKind.FEED))).isEqualTo(RegistryStore.DeviceOutcome.CREATED);
        assertThat(await(registry.putDevice(other, till, DeviceKind.FEED))).isEqualTo(RegistryStore.DeviceOutcome.UPDATED);
        StoreId nope = new StoreId("nope-" + s);
        assertThat(await(registry.putDevice(nope, new DeviceId("x-" + s), DeviceKind.SHELF)))
            .isEqualTo(RegistryStore.DeviceOutcome.STORE_UNKNOWN);
        assertThat(await(redis.connection().async().exists(Keys.devices(nope)))).isZero();

        // when each publishes the same event id and seq (each its own numbering)
        FeedEvent here = new FeedEvent(s, till, "same", 1, T0, EventType.COUNT, GTIN, 10);
        FeedEvent there = new FeedEvent(other, till, "same", 1, T0, EventType.COUNT, GTIN, 3);
        assertThat(apply(here).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(apply(there).outcome()).isEqualTo(Outcome.APPLIED);

        // then each is applied once, in its own store, and each store keeps its own ledger and health
        assertThat(apply(here).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(state().book()).isEqualTo(10);
        assertThat(await(store.read(other, GTIN)).state().book()).isEqualTo(3);
        assertThat(await(store.sourceStats(s, till.value())).highestSeq()).isEqualTo(1);
        assertThat(await(store.sourceStats(other, till.value())).highestSeq()).isEqualTo(1);
        assertThat(await(store.healthAll(other))).containsOnlyKeys(till.value());
    }

    @Test
    void aHundredSalesStampedInOneSecondAndEachDeliveredTwiceCountOnceEach() throws Exception {
        apply(feed(1, T0, EventType.COUNT, 1_000));
        for (int round = 0; round < 2; round++) {
            for (long seq = 2; seq <= 101; seq++) {
                apply(feed(seq, T0 + 1_000, EventType.SALE, 1));
            }
        }
        assertThat(state().book()).isEqualTo(900);
    }

    @Test
    void aSaleRetransmittedWithANewStampIsTheSameSale() throws Exception {
        apply(feed(1, T0, EventType.COUNT, 10));
        apply(feed(2, T0 + 10, EventType.SALE, 1));
        assertThat(apply(feed(2, T0 + 15, EventType.SALE, 1)).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(state().book()).isEqualTo(9);
        assertThat(await(store.sourceStats(s, s + "-till")).restarts()).isZero();
    }

    @Test
    void aWillEndsItsSessionThoughStampedBeforeTheOnlineAndAStaleOneDoesNot() throws Exception {
        DeviceId mat = new DeviceId(s + "-mat");
        // session 1: will stamped at CONNECT (T0), online just after
        apply(new StatusEvent(s, mat, T0 + 5, true, 60));
        assertThat(apply(new StatusEvent(s, mat, T0, false, 0)).outcome()).as("its will").isEqualTo(Outcome.APPLIED);
        assertThat(online(mat)).isFalse();
        assertThat(apply(new StatusEvent(s, mat, T0 + 5, true, 60)).outcome()).as("the online, redelivered")
            .isEqualTo(Outcome.STALE);
        // session 2, then session 1's will once more (a broker redelivering it): it does not end session 2
        apply(new StatusEvent(s, mat, T0 + 1_005, true, 60));
        assertThat(apply(new StatusEvent(s, mat, T0, false, 0)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(online(mat)).isTrue();
        assertThat(apply(new StatusEvent(s, mat, T0 + 1_000, false, 0)).outcome()).as("session 2's will")
            .isEqualTo(Outcome.APPLIED);
        assertThat(online(mat)).isFalse();
    }

    @Test
    void aRedeliveredOnlineDoesNotMoveTheFenceSoTheWillStillEndsTheSession() throws Exception {
        DeviceId mat = new DeviceId(s + "-mat");
        apply(new StatusEvent(s, mat, T0 + 50, false, 0));
        apply(new StatusEvent(s, mat, T0 + 100, true, 3600));
        apply(new StatusEvent(s, mat, T0 + 100, true, 3600));  // retained, sent again on a resubscribe
        assertThat(apply(new StatusEvent(s, mat, T0 + 95, false, 0)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(online(mat)).isFalse();
    }

    @Test
    void withSessionsAWillEndsExactlyItsOwnSession() throws Exception {
        DeviceId mat = new DeviceId(s + "-mat");
        apply(new StatusEvent(s, mat, T0 + 5, true, 60, "boot-1"));
        apply(new StatusEvent(s, mat, T0 + 9_000, true, 60, "boot-2"));
        assertThat(apply(new StatusEvent(s, mat, T0 + 8_000, false, 0, "boot-1")).outcome()).isEqualTo(Outcome.STALE);
        assertThat(online(mat)).isTrue();
        assertThat(apply(new StatusEvent(s, mat, T0 + 8_990, false, 0, "boot-2")).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(online(mat)).isFalse();
    }

    private boolean online(DeviceId device) throws Exception {
        return await(store.healthAll(s)).get(device.value()).online();
    }

    @Test
    void aPersonsWriteIsIdempotentByItsIdAndRecordedWithWhoMadeIt() throws Exception {
        DeviceId handheld = new DeviceId(s + "-till");
        Attribution alice = Attribution.person("alice");
        assertThat(await(store.apply(new FeedEvent(s, handheld, "count-1", 0, T0, EventType.COUNT, GTIN, 10), alice))
            .outcome()).isEqualTo(Outcome.APPLIED);
        for (int i = 0; i < 70; i++) {  // more than the ledger's recent ids
            await(store.apply(new FeedEvent(s, handheld, "other-" + i, 0, T0 + 1 + i, EventType.COUNT, GTIN, 10), alice));
        }
        assertThat(await(store.apply(new FeedEvent(s, handheld, "count-1", 0, T0 + 500, EventType.COUNT, GTIN, 10),
            alice)).outcome()).as("the retried request").isEqualTo(Outcome.DUPLICATE);
        assertThat(state().book()).isEqualTo(10);
        var audit = await(redis.connection().async().xrange(Keys.audit(s), io.lettuce.core.Range.create("-", "+")));
        assertThat(audit).hasSize(71);
        assertThat(audit.get(0).getBody()).containsEntry("who", "alice").containsEntry("eventId", "count-1")
            .containsEntry("qty", "10").containsEntry("outcome", "applied");
        ApplyResult reused = await(store.apply(new FeedEvent(s, handheld, "count-1", 0, T0 + 600, EventType.COUNT,
            Gtin.parse("96385074"), 5), alice));
        assertThat(reused.outcome()).as("the same key for another count").isEqualTo(Outcome.REJECTED);
        assertThat(reused.reason()).isEqualTo(RejectReason.IDEMPOTENCY_MISMATCH);
        assertThat(await(store.apply(new FeedEvent(s, handheld, "count-1", 0, T0 + 700, EventType.COUNT, GTIN, 10),
            Attribution.person("bob"))).outcome()).as("the same key, another person").isEqualTo(Outcome.REJECTED);
    }

    @Test
    void statusIsOrderedByItsOwnTimestamp() throws Exception {
        DeviceId mat = new DeviceId(s + "-mat");
        apply(reading(1, T0, 4));
        assertThat(apply(new StatusEvent(s, mat, T0 + 2000, false, 60)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(apply(new StatusEvent(s, mat, T0 + 1000, true, 60)).outcome()).isEqualTo(Outcome.STALE);
        assertThat(await(store.read(s, GTIN)).health().get(mat.value()).online()).isFalse();
    }

    @Test
    void severalGatewaysApplyingToOneStoreAtOnceLoseNothing(RedisProcess server) throws Exception {
        // given a counted product and four tills, each applied by its own gateway connection
        apply(feed(1, T0, EventType.COUNT, 10_000));
        int gateways = 4;
        int salesEach = 400;
        List<RedisConnector> connections = new java.util.ArrayList<>();
        List<java.util.concurrent.CompletableFuture<ApplyResult>> all = new java.util.ArrayList<>();
        try {
            List<RedisAvailabilityStore> stores = new java.util.ArrayList<>();
            for (int g = 0; g < gateways; g++) {
                await(registry.putDevice(s, new DeviceId(s + "-till" + g), DeviceKind.FEED));
                RedisConnector c = new RedisConnector(server.url(), Duration.ofSeconds(10));
                connections.add(c);
                stores.add(new RedisAvailabilityStore(c.connection().async(), NOW::get, ApplyParams.DEFAULT));
            }
            for (int i = 1; i <= salesEach; i++) {
                for (int g = 0; g < gateways; g++) {
                    // when each till's sale reaches one gateway, and is redelivered to another, all at once
                    FeedEvent sale = new FeedEvent(s, new DeviceId(s + "-till" + g), "s" + i, i, T0 + i,
                        EventType.SALE, GTIN, 1);
                    all.add(stores.get(g).apply(sale).toCompletableFuture());
                    all.add(stores.get((g + 1) % gateways).apply(sale).toCompletableFuture());
                }
            }
            java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
        } finally {
            connections.forEach(RedisConnector::close);
        }
        // then every sale counted exactly once
        assertThat(state().book()).isEqualTo(10_000L - gateways * salesEach);
        assertThat(all.stream().filter(f -> f.join().outcome() == Outcome.APPLIED).count())
            .isEqualTo((long) gateways * salesEach);
    }

    @Test
    void aProductsOwnThresholdOverridesTheDefaultAndTheLevelHasHysteresis() throws Exception {
        // default threshold 2: 5 units are in stock
        apply(reading(1, T0, 5));
        assertThat(state().shelfLevel()).isEqualTo(ItemAvailability.InStock);
        // with this product's threshold at 6, 5 units are low, and it takes 6 + 1 + 3 = 10 to be back in stock
        await(store.setLowStockUnits(s, GTIN, 6));
        assertThat(apply(reading(2, T0 + 1, 5)).changes().get(0).alerts()).containsExactly(AlertType.SHELF_LOW);
        apply(reading(3, T0 + 2, 9));
        assertThat(state().shelfLevel()).isEqualTo(ItemAvailability.LimitedAvailability);
        apply(reading(4, T0 + 3, 10));
        assertThat(state().shelfLevel()).isEqualTo(ItemAvailability.InStock);
        // and the alerts went to the store's alert stream too
        assertThat(redis.connection().sync().xlen(Keys.alerts(s))).isEqualTo(1);
    }

    @Test
    void aBatchAppliesAllItsReadingsAtOnce() throws Exception {
        Gtin other = Gtin.parse("96385074");
        ShelfEvent batch = new ShelfEvent(s, new DeviceId(s + "-mat"), "b", 1, T0,
            List.of(new Reading(GTIN, 3, 12, "A1"), new Reading(other, 0, 6, "A2")));
        assertThat(apply(batch).changedGtins()).containsExactly(GTIN.value(), other.value());
        assertThat(await(store.read(s, other)).state().slots()).extracting(Slot::count).containsExactly(0);
    }

    @Test
    void theAlertStreamKeepsAboutTheLastHundredAlerts() throws Exception {
        // when 500 products are first seen empty (an alert each)
        DeviceId mat = new DeviceId(s + "-mat");
        for (int i = 0; i < 500; i++) {
            Gtin g = Gtin.fromBody(String.format("04006381%05d", i));
            assertThat(apply(new ShelfEvent(s, mat, "e" + i, i + 1, T0 + i, List.of(new Reading(g, 0, 6, "A"))))
                .changes().get(0).alerts()).containsExactly(AlertType.SHELF_EMPTY);
        }
        // then the stream kept about the last 100 of them (whole stream nodes), the newest last, whole
        long kept = redis.connection().sync().xlen(Keys.alerts(s));
        assertThat(kept).isBetween(100L, 200L);
        var last = redis.connection().sync().xrevrange(Keys.alerts(s), io.lettuce.core.Range.create("-", "+"),
            io.lettuce.core.Limit.from(1)).get(0).getBody();
        assertThat(last).containsEntry("type", "shelf.empty")
            .containsEntry("gtin", Keys.field(Gtin.fromBody(String.format("04006381%05d", 499))))
            .containsEntry("shelf", "0").containsEntry("ts", Long.toString(T0 + 499));
    }

    @Test
    void theChangeFeedKeepsAboutItsCapAndItsEntriesNameProductsByField() throws Exception {
        // given a store whose change feed keeps about 100 entries
        RedisAvailabilityStore capped = new RedisAvailabilityStore(redis.connection().async(), NOW::get,
            ApplyParams.DEFAULT.withChangeFeedMax(100));
        DeviceId mat = new DeviceId(s + "-mat");
        // when 500 readings change 500 products
        for (int i = 0; i < 500; i++) {
            Gtin g = Gtin.fromBody(String.format("04006381%05d", i));
            await(capped.apply(new ShelfEvent(s, mat, "f" + i, i + 1, T0 + i, List.of(new Reading(g, 1, 6, "A")))));
        }
        // then the feed was trimmed to about its cap (whole stream nodes of 100 entries) and says so
        long kept = redis.connection().sync().xlen(Keys.changes(s));
        assertThat(kept).isBetween(100L, 200L);
        assertThat(await(capped.keptFrom(s))).isNotEqualTo("0-0");
        // and its entries hold the field (no leading zero), while readers get the 14-digit GTIN
        var last = redis.connection().sync().xrevrange(Keys.changes(s), io.lettuce.core.Range.create("-", "+"),
            io.lettuce.core.Limit.from(1)).get(0);
        Gtin newest = Gtin.fromBody("0400638100499");
        assertThat(last.getBody()).containsEntry("gtin", Keys.field(newest));
        assertThat(await(capped.changesAfter(s, "0-0", 1000))).hasSize((int) kept).last()
            .satisfies(c -> assertThat(c[1]).isEqualTo(newest.value()));
    }
}
