package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.availability.SourceHealth;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reads take registration and device health from a snapshot held in the process; a status applied
 * shows at once, in this process directly and in others through pub/sub, never by waiting for the
 * snapshot to age (the readers' clocks stand still here).
 */
@ExtendWith(RealServices.class)
class StoreSnapshotsIT {
    private static final long T0 = 1_800_000_000_000L;
    private static final Gtin GTIN = Gtin.parse("4006381333931");
    private static RedisConnector redis;
    private static RegistryStore registry;
    private final AtomicLong now = new AtomicLong(T0);
    private StoreId s;
    private DeviceId mat;

    @BeforeAll
    static void connect(RedisProcess server) {
        redis = new RedisConnector(server.url(), Duration.ofSeconds(5));
        registry = new RegistryStore(redis.connection().async());
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void freshStore() throws Exception {
        s = new StoreId("snap-" + UUID.randomUUID().toString().substring(0, 8));
        mat = new DeviceId(s + "-mat");
        await(registry.putStore(s, "Test", 51.5, -0.1));
        await(registry.putDevice(s, mat, DeviceKind.SHELF));
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private SourceHealth health(RedisAvailabilityStore store) throws Exception {
        return await(store.read(s, GTIN)).health().get(mat.value());
    }

    @Test
    void anOfflineAppliedInThisProcessShowsInTheNextRead() throws Exception {
        // given the API's store and the ingest's store sharing the process's snapshots (as Node wires them)
        StoreSnapshots snapshots = new StoreSnapshots(redis.connection().async(), now::get);
        RedisAvailabilityStore api = new RedisAvailabilityStore(redis.connection().async(), now::get,
            ApplyParams.DEFAULT, snapshots);
        RedisAvailabilityStore ingest = new RedisAvailabilityStore(redis.connection().async(), now::get,
            ApplyParams.DEFAULT, snapshots);
        await(ingest.apply(new StatusEvent(s, mat, T0, true, 60)));
        await(ingest.apply(new ShelfEvent(s, mat, "r1", 1, T0, List.of(new Reading(GTIN, 4, 12, "A1")))));
        assertThat(health(api).online()).isTrue();
        // when the device's will (offline) is applied
        await(ingest.apply(new StatusEvent(s, mat, T0 + 1, false, 60)));
        // then the very next read says so
        assertThat(health(api).online()).isFalse();
        // and online again likewise
        await(ingest.apply(new StatusEvent(s, mat, T0 + 2, true, 60)));
        assertThat(health(api).online()).isTrue();
    }

    @Test
    void anOfflineAppliedByAnotherProcessShowsWhenItsMessageArrives() throws Exception {
        // given an API process following health changes, whose snapshot never ages (its clock stands still)
        StoreSnapshots snapshots = new StoreSnapshots(redis.connection().async(), () -> T0);
        await(snapshots.followChanges(redis.connectPubSub()));
        RedisAvailabilityStore api = new RedisAvailabilityStore(redis.connection().async(), () -> T0,
            ApplyParams.DEFAULT, snapshots);
        RedisAvailabilityStore gateway = new RedisAvailabilityStore(redis.connection().async(), now::get,
            ApplyParams.DEFAULT);
        await(gateway.apply(new StatusEvent(s, mat, T0, true, 60)));
        await(gateway.apply(new ShelfEvent(s, mat, "r1", 1, T0, List.of(new Reading(GTIN, 4, 12, "A1")))));
        assertThat(health(api).online()).isTrue();
        // when the gateway applies the device's will
        await(gateway.apply(new StatusEvent(s, mat, T0 + 1, false, 60)));
        // then the API process reads it as soon as the published change reaches it
        Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
            .until(() -> !health(api).online());
    }

    @Test
    void lastSeenIsJudgedAsOfTheSnapshot() throws Exception {
        // given a device heard from at T0 with a 10 s heartbeat, and a snapshot taken then
        RedisAvailabilityStore store = new RedisAvailabilityStore(redis.connection().async(), now::get,
            ApplyParams.DEFAULT);
        await(store.apply(new StatusEvent(s, mat, T0, true, 10)));
        await(store.apply(new ShelfEvent(s, mat, "r1", 1, T0, List.of(new Reading(GTIN, 4, 12, "A1")))));
        assertThat(health(store).lastSeen()).isEqualTo(T0);
        // when time passes within the snapshot's age, then silence is judged as of the snapshot
        now.set(T0 + StoreSnapshots.MAX_AGE_MILLIS - 1);
        assertThat(health(store).stale(now.get(), 3)).isFalse();
        assertThat(health(store).lastSeen()).isEqualTo(T0 + StoreSnapshots.MAX_AGE_MILLIS - 1);
        // and past it a new snapshot is taken: lastSeen as Redis has it
        now.set(T0 + 31_000);
        assertThat(health(store).lastSeen()).isEqualTo(T0);
        assertThat(health(store).stale(now.get(), 3)).isTrue();
    }

    @Test
    void anUnknownStoreIsAskedAgainSoARegistrationShowsAtOnce() throws Exception {
        // given a store not registered yet
        RedisAvailabilityStore store = new RedisAvailabilityStore(redis.connection().async(), now::get,
            ApplyParams.DEFAULT);
        StoreId later = new StoreId("snap-later-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(await(store.read(later, GTIN)).storeKnown()).isFalse();
        // when it is registered, then the next read knows it
        await(registry.putStore(later, "Later", 51.5, -0.1));
        assertThat(await(store.read(later, GTIN)).storeKnown()).isTrue();
    }
}
