package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The near cache answers repeated lookups without Redis, and never keeps a value Redis has since
 * changed: a write by another process is read as soon as its invalidation arrives, a write by this
 * process at once, a race of reads and writes ends on the last write, and a Redis restart drops
 * everything kept. Real redis-server, client tracking over RESP3.
 */
@ExtendWith(RealServices.class)
class NearCacheIT {
    private static final long T0 = 1_800_000_000_000L;
    private static final Gtin GTIN = Gtin.parse("4006381333931");
    private final AtomicLong now = new AtomicLong(T0);
    private final AtomicLong seq = new AtomicLong();
    private final List<AutoCloseable> open = new ArrayList<>();
    private StoreId s;
    private DeviceId mat;

    @BeforeEach
    void names() {
        s = new StoreId("near-" + UUID.randomUUID().toString().substring(0, 8));
        mat = new DeviceId(s + "-mat");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private RedisConnector connect(String url) {
        RedisConnector c = new RedisConnector(url, Duration.ofSeconds(5));
        open.add(0, c);
        return c;
    }

    private void register(RedisConnector c) throws Exception {
        RegistryStore registry = new RegistryStore(c.connection().async());
        await(registry.putStore(s, "Test", 51.5, -0.1));
        await(registry.putDevice(s, mat, DeviceKind.SHELF));
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void shelf(RedisAvailabilityStore store, Gtin gtin, int count) throws Exception {
        long n = seq.incrementAndGet();
        await(store.apply(new ShelfEvent(s, mat, "r" + n, n, T0 + n, List.of(new Reading(gtin, count, 24, "A1")))));
    }

    private static int count(RedisAvailabilityStore store, StoreId s, Gtin gtin) throws Exception {
        return await(store.read(s, gtin)).state().slots().stream().mapToInt(slot -> slot.count()).sum();
    }

    private NearCache near(RedisConnector c) {
        NearCache near = new NearCache(c.connectAnother(), 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(near::tracking);
        return near;
    }

    /** An API process reading through a near cache, and a gateway process writing, each its own connections. */
    private record TwoProcesses(RedisConnector api, RedisConnector gatewayConnection, NearCache near,
                                RedisAvailabilityStore reads, RedisAvailabilityStore gateway) {
    }

    private TwoProcesses twoProcesses(String url) throws Exception {
        RedisConnector api = connect(url);
        RedisConnector gatewayConnection = connect(url);
        register(gatewayConnection);
        NearCache near = near(api);
        return new TwoProcesses(api, gatewayConnection, near,
            new RedisAvailabilityStore(api.connection().async(), now::get, ApplyParams.DEFAULT, CoalescingFlusher.none(),
                new StoreSnapshots(api.connection().async(), now::get), near),
            new RedisAvailabilityStore(gatewayConnection.connection().async(), now::get, ApplyParams.DEFAULT));
    }

    @Test
    void aRepeatedLookupIsAnsweredWithoutRedisUntilAnotherProcessWrites(RedisProcess redis) throws Exception {
        // given an API process with a near cache, and a gateway process writing
        TwoProcesses p = twoProcesses(redis.url());
        NearCache near = p.near();
        RedisAvailabilityStore reads = p.reads();
        RedisAvailabilityStore gateway = p.gateway();
        shelf(gateway, GTIN, 4);
        // when the product is looked up twice
        assertThat(count(reads, s, GTIN)).isEqualTo(4);
        assertThat(count(reads, s, GTIN)).isEqualTo(4);
        // then Redis was asked once
        assertThat(near.misses()).isEqualTo(1);
        assertThat(near.hits()).isEqualTo(1);
        // and when the gateway writes, the next reads see it as soon as Redis's invalidation arrives
        shelf(gateway, GTIN, 7);
        Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(1))
            .until(() -> count(reads, s, GTIN) == 7);
        assertThat(near.invalidations()).isGreaterThanOrEqualTo(1);
        long misses = near.misses();
        assertThat(count(reads, s, GTIN)).isEqualTo(7);
        assertThat(near.misses()).as("kept again after the re-read").isEqualTo(misses);
    }

    @Test
    void aWriteByThisProcessIsReadByTheVeryNextLookup(RedisProcess redis) throws Exception {
        // given the API's store and the ingest's store sharing the near cache, as Node wires them
        RedisConnector c = connect(redis.url());
        register(c);
        NearCache near = near(c);
        StoreSnapshots snapshots = new StoreSnapshots(c.connection().async(), now::get);
        RedisAvailabilityStore reads = new RedisAvailabilityStore(c.connection().async(), now::get,
            ApplyParams.DEFAULT, CoalescingFlusher.none(), snapshots, near);
        RedisAvailabilityStore ingest = new RedisAvailabilityStore(c.connectAnother().async(), now::get,
            ApplyParams.DEFAULT, CoalescingFlusher.none(), snapshots, near);
        shelf(ingest, GTIN, 4);
        assertThat(count(reads, s, GTIN)).isEqualTo(4);
        assertThat(count(reads, s, GTIN)).isEqualTo(4);
        assertThat(near.hits()).isEqualTo(1);
        for (int n = 5; n < 25; n++) {
            // when this process writes, then the very next lookup reads it: no waiting for Redis's push
            shelf(ingest, GTIN, n);
            assertThat(count(reads, s, GTIN)).isEqualTo(n);
        }
    }

    @Test
    void readsRacingWritesEndOnTheLastWrite(RedisProcess redis) throws Exception {
        // given readers hammering a few products through the near cache while another process writes them
        TwoProcesses p = twoProcesses(redis.url());
        NearCache near = p.near();
        RedisAvailabilityStore reads = p.reads();
        RedisAvailabilityStore gateway = p.gateway();
        List<Gtin> gtins = List.of(GTIN, Gtin.parse("5000112637922"), Gtin.parse("8712345678906"));
        AtomicBoolean writing = new AtomicBoolean(true);
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            readers.add(CompletableFuture.runAsync(() -> {
                while (writing.get()) {
                    for (Gtin g : gtins) {
                        reads.read(s, g).toCompletableFuture().join();
                    }
                }
            }));
        }
        for (int n = 1; n <= 300; n++) {
            shelf(gateway, gtins.get(n % gtins.size()), n);
        }
        writing.set(false);
        CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        // then every product is read with its last write once the invalidations are in, and stays so
        int[] last = {300, 298, 299};  // gtins.get(n % 3) was last written at these n
        for (int i = 0; i < gtins.size(); i++) {
            Gtin g = gtins.get(i);
            int want = last[i];
            Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(1))
                .until(() -> count(reads, s, g) == want);
            for (int k = 0; k < 50; k++) {
                assertThat(count(reads, s, g)).isEqualTo(want);
            }
        }
        assertThat(near.hits()).as("the cache served some of the racing reads").isPositive();
    }

    @Test
    void aRedisRestartDropsWhatWasKept() throws Exception {
        // given a Redis of its own (no AOF: a restart comes back empty) and a value kept
        try (RedisProcess own = new RedisProcess(false)) {
            own.start();
            TwoProcesses p = twoProcesses(own.url());
            NearCache near = p.near();
            RedisAvailabilityStore reads = p.reads();
            RedisAvailabilityStore gateway = p.gateway();
            RedisConnector api = p.api();
            RedisConnector gatewayConnection = p.gatewayConnection();
            shelf(gateway, GTIN, 4);
            assertThat(count(reads, s, GTIN)).isEqualTo(4);
            assertThat(count(reads, s, GTIN)).isEqualTo(4);
            assertThat(near.hits()).isEqualTo(1);
            // when Redis is killed and comes back without that value (no invalidation was ever sent)
            own.kill();
            own.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gatewayConnection.isConnected()
                && api.isConnected() && near.tracking());
            register(gatewayConnection);
            shelf(gateway, GTIN, 2);
            // then the lookup reads what Redis has now, not the value kept before the restart
            Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> count(reads, s, GTIN) == 2);
        }
    }
}
