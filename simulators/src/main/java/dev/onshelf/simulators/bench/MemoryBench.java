package dev.onshelf.simulators.bench;

import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.testkit.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Redis memory per (store, product) pair: a dedicated redis-server is filled through the real apply
 * script with one shelf reading and one COUNT per pair, and used_memory grows by this much per pair.
 */
final class MemoryBench {
    private static final int PRODUCTS_PER_STORE = 10_000;

    private MemoryBench() {
    }

    static double bytesPerPair(int pairs) throws Exception {
        try (RedisProcess server = new RedisProcess(); RedisConnector redis = connect(server)) {
            int stores = Math.max(1, pairs / PRODUCTS_PER_STORE);
            RegistryStore registry = new RegistryStore(redis.connection().async());
            for (int s = 0; s < stores; s++) {
                StoreId store = new StoreId("mem-" + s);
                registry.putStore(store, "m", 0, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
                registry.putDevice(store, new DeviceId("mem-" + s + "-mat"), DeviceKind.SHELF).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
                registry.putDevice(store, new DeviceId("mem-" + s + "-till"), DeviceKind.FEED).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            }
            long before = usedMemory(redis);
            long now = System.currentTimeMillis();
            RedisAvailabilityStore store = new RedisAvailabilityStore(redis.connection().async(), () -> now,
                ApplyParams.DEFAULT);
            List<Gtin> gtins = Workload.gtins(PRODUCTS_PER_STORE);
            Semaphore window = new Semaphore(2000);
            long seq = 0;
            for (int s = 0; s < stores; s++) {
                StoreId id = new StoreId("mem-" + s);
                List<Reading> batch = new ArrayList<>();
                for (int p = 0; p < gtins.size(); p++) {
                    batch.add(new Reading(gtins.get(p), p % 20, 24, "A" + (p % 100)));
                    if (batch.size() == 500) {
                        window.acquire();
                        seq++;
                        store.apply(new ShelfEvent(id, new DeviceId("mem-" + s + "-mat"), "r" + seq, seq, now - 1000 + seq,
                            batch)).whenComplete((r, e) -> window.release());
                        batch = new ArrayList<>();
                    }
                    window.acquire();
                    seq++;
                    store.apply(new FeedEvent(id, new DeviceId("mem-" + s + "-till"), "c" + seq, seq, now - 1000 + seq,
                        EventType.COUNT, gtins.get(p), 30)).whenComplete((r, e) -> window.release());
                }
            }
            if (!window.tryAcquire(2000, 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("memory load did not finish");
            }
            return (usedMemory(redis) - before) / (double) ((long) stores * PRODUCTS_PER_STORE);
        }
    }

    private static RedisConnector connect(RedisProcess server) {
        server.start();
        return new RedisConnector(server.url(), Duration.ofSeconds(30));
    }

    private static long usedMemory(RedisConnector redis) throws Exception {
        String info = redis.connection().async().info("memory").toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        throw new IllegalStateException("no used_memory in INFO");
    }
}
