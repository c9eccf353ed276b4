package dev.onshelf.simulators.bench;

import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.testkit.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis memory per (store, product) pair with everything a store keeps, at a realistic mix: each
 * store has {@value #PRODUCTS_PER_STORE} products and {@value #DEVICES} devices, {@value #MATS}
 * shelf mats each covering a share of the products (one in twenty products also sits on a second
 * mat, a promotion end) and {@value #FEEDS} feed sources (tills, goods-in, handhelds). A dedicated
 * redis-server is filled through the real apply script: every device says it is online; every mat
 * reports its slots twice (25 readings per message); every product gets a COUNT, and three in ten a
 * sale after it (a delta kept for a late COUNT). The change feed and the alert stream are then at
 * their caps and every source has a ledger. {@code used_memory} grows by this much per pair.
 * {@code main} prints the figure with a per-key-kind breakdown of one store.
 */
final class MemoryBench {
    static final int PRODUCTS_PER_STORE = 10_000;
    static final int MATS = 40;
    static final int FEEDS = 10;
    static final int DEVICES = MATS + FEEDS;
    private static final int READINGS_PER_MESSAGE = 25;
    private static final int WINDOW = 2000;

    private MemoryBench() {
    }

    /**
     * {@code java ... MemoryBench [pairs [changeFeedMax]]}: the figure alone, with a breakdown of one store;
     * the change feed at the default cap unless given ({@code ONSHELF_CHANGE_FEED_MAX}'s meaning).
     */
    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        ApplyParams params = args.length > 1 ? ApplyParams.DEFAULT.withChangeFeedMax(Integer.parseInt(args[1]))
            : ApplyParams.DEFAULT;
        Map<String, Long> breakdown = new LinkedHashMap<>();
        double bytes = bytesPerPair(pairs, params, breakdown);
        System.out.printf("memory: %.1f bytes per (store, product), %,d pairs, change feed cap %,d%n", bytes, pairs,
            params.changeFeedMax());
        Long cpu = breakdown.remove("cpu ns/event");
        System.out.printf("redis cpu: %.1f us per event (used_cpu_sys + used_cpu_user over the fill)%n", cpu / 1000.0);
        breakdown.forEach((kind, b) -> System.out.printf("  %-10s %10d bytes  %6.1f per product%n", kind, b,
            b / (double) PRODUCTS_PER_STORE));
    }

    static double bytesPerPair(int pairs) throws Exception {
        return bytesPerPair(pairs, ApplyParams.DEFAULT, new LinkedHashMap<>());
    }

    static double bytesPerPair(int pairs, ApplyParams params, Map<String, Long> breakdown) throws Exception {
        try (RedisProcess server = new RedisProcess(); RedisConnector redis = connect(server)) {
            int stores = Math.max(1, pairs / PRODUCTS_PER_STORE);
            RegistryStore registry = new RegistryStore(redis.connection().async());
            for (int s = 0; s < stores; s++) {
                StoreId store = store(s);
                registry.putStore(store, "m", 0, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
                for (int d = 0; d < DEVICES; d++) {
                    registry.putDevice(store, device(s, d), d < MATS ? DeviceKind.SHELF : DeviceKind.FEED)
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            }
            long before = usedMemory(redis);
            double cpuBefore = cpuSeconds(redis);
            long now = System.currentTimeMillis();
            RedisAvailabilityStore store = new RedisAvailabilityStore(redis.connection().async(), () -> now, params);
            Load load = new Load(store, now - 3_600_000);
            List<Gtin> gtins = Workload.gtins(PRODUCTS_PER_STORE);
            for (int s = 0; s < stores; s++) {
                fill(load, s, gtins);
            }
            load.drain();
            double perPair = (usedMemory(redis) - before) / (double) ((long) stores * PRODUCTS_PER_STORE);
            breakdown.put("cpu ns/event", Math.round((cpuSeconds(redis) - cpuBefore) * 1e9 / load.events()));
            breakdown.putAll(breakdown(redis, store(0)));
            return perPair;
        }
    }

    private static void fill(Load load, int s, List<Gtin> gtins) throws InterruptedException {
        StoreId id = store(s);
        for (int d = 0; d < DEVICES; d++) {
            load.send(new StatusEvent(id, device(s, d), load.tick(), true, 60));
        }
        SplittableRandom random = new SplittableRandom(s);
        for (int round = 0; round < 2; round++) {
            for (int m = 0; m < MATS; m++) {
                List<Reading> batch = new ArrayList<>();
                for (int p = 0; p < gtins.size(); p++) {
                    String location = location(p, m);
                    if (location != null) {
                        batch.add(new Reading(gtins.get(p), random.nextInt(21), 20, location));
                    }
                    if (batch.size() == READINGS_PER_MESSAGE || (p == gtins.size() - 1 && !batch.isEmpty())) {
                        load.send(new ShelfEvent(id, device(s, m), load.id(), load.seq(s, m), load.tick(), batch));
                        batch = new ArrayList<>();
                    }
                }
            }
            if (round == 0) {
                for (int p = 0; p < gtins.size(); p++) {
                    int f = MATS + p % FEEDS;
                    load.send(new FeedEvent(id, device(s, f), load.id(), load.seq(s, f), load.tick(), EventType.COUNT,
                        gtins.get(p), random.nextInt(60)));
                }
                for (int p = 0; p < gtins.size(); p++) {
                    if (random.nextInt(10) < 3) {
                        int f = MATS + random.nextInt(FEEDS);
                        load.send(new FeedEvent(id, device(s, f), load.id(), load.seq(s, f), load.tick(), EventType.SALE,
                            gtins.get(p), 1 + random.nextInt(2)));
                    }
                }
            }
        }
    }

    /** Where mat {@code m} holds product {@code p} ("aisle-bay-shelf-position"), or null if it does not. */
    private static String location(int p, int m) {
        int share = PRODUCTS_PER_STORE / MATS;
        if (p / share == m) {
            int at = p % share;
            return String.format("A%02d-B%d-S%d-P%02d", m / 2, at / 50, (at / 10) % 5, at % 10);
        }
        if (p % 20 == 7 && (p * 7) % MATS == m) {  // one in twenty also on a promotion end
            return String.format("END%02d-P%02d", m, p % 100);
        }
        return null;
    }

    private static StoreId store(int s) {
        return new StoreId("mem-" + s);
    }

    private static DeviceId device(int s, int d) {
        return new DeviceId(d < MATS ? "mem-" + s + "-mat-" + d : "mem-" + s + "-feed-" + (d - MATS));
    }

    /** Sends events through the apply script with a bounded window; counts failures. */
    private static final class Load {
        private final RedisAvailabilityStore store;
        private final Semaphore window = new Semaphore(WINDOW);
        private final AtomicLong failed = new AtomicLong();
        private final Map<Long, Long> seqs = new java.util.HashMap<>();
        private long ts;
        private long ids;
        private long sent;

        Load(RedisAvailabilityStore store, long startTs) {
            this.store = store;
            this.ts = startTs;
        }

        long tick() {
            return ++ts;
        }

        String id() {
            return "e" + ++ids;
        }

        long seq(int s, int d) {
            return seqs.merge((long) s * DEVICES + d, 1L, Long::sum);
        }

        long events() {
            return sent;
        }

        void send(Event e) throws InterruptedException {
            sent++;
            window.acquire();
            store.apply(e).whenComplete((r, error) -> {
                if (error != null || r.outcome() == ApplyResult.Outcome.REJECTED) {
                    failed.incrementAndGet();
                }
                window.release();
            });
        }

        void drain() throws InterruptedException {
            if (!window.tryAcquire(WINDOW, 300, TimeUnit.SECONDS)) {
                throw new IllegalStateException("memory load did not finish");
            }
            window.release(WINDOW);
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " events of the memory load were refused");
            }
        }
    }

    /** MEMORY USAGE of one store's keys, summed by kind (products, ledgers, change feed, ...). */
    private static Map<String, Long> breakdown(RedisConnector redis, StoreId store) throws Exception {
        var commands = redis.connection().async();
        Map<String, Long> out = new LinkedHashMap<>();
        String prefix = "onshelf:{" + store.value() + "}:";
        List<String> keys = commands.keys(prefix + "*").toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (String key : keys) {
            String rest = key.substring(prefix.length());
            String kind = rest.startsWith("p:") ? "products" : rest.contains(":") ? rest.substring(0, rest.indexOf(':'))
                : rest;
            Long used = commands.memoryUsage(key).toCompletableFuture().get(10, TimeUnit.SECONDS);
            out.merge(kind, used == null ? 0 : used, Long::sum);
        }
        out.put("total", out.values().stream().mapToLong(Long::longValue).sum());
        return out;
    }

    private static RedisConnector connect(RedisProcess server) {
        server.start();
        return new RedisConnector(server.url(), Duration.ofSeconds(30));
    }

    /** Redis's CPU time so far (used_cpu_sys + used_cpu_user), seconds. */
    private static double cpuSeconds(RedisConnector redis) throws Exception {
        String info = redis.connection().async().info("cpu").toCompletableFuture().get(10, TimeUnit.SECONDS);
        double sum = 0;
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                sum += Double.parseDouble(line.substring(line.indexOf(':') + 1));
            }
        }
        return sum;
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
