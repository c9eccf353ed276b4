package dev.onshelf.simulators.bench;

import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.EventSink;
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
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis's side of ingest alone, for working on the apply script: the ingest bench's workload (S stores
 * of P products, M mats and a till each; 70% single shelf readings, 30% sales) applied through the real
 * script in batches of B events, a few batches in flight as the gateway keeps them, against a dedicated
 * redis-server with AOF (everysec) as the bench's. Prints Redis's CPU per event (its own {@code INFO
 * cpu}, so what else the machine does hardly matters) and the script's calls.
 * {@code java ... ApplyBench [events [batch [maxDeltas]]]}. A development tool: the bench's ingest figure is the
 * end-to-end one.
 */
final class ApplyBench {
    private static final int STORES = 20;
    private static final int PRODUCTS = 250;
    private static final int MATS = 10;
    private static final int IN_FLIGHT = 4;

    private ApplyBench() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        // ONSHELF_APPLY_BENCH_REDIS: a redis-server of one's own (under a profiler, say) instead of a fresh one
        String external = System.getenv("ONSHELF_APPLY_BENCH_REDIS");
        RedisProcess server = external == null ? started(new RedisProcess(true)) : null;
        String url = external != null ? external : server.url();
        try (RedisConnector redis = new RedisConnector(url, Duration.ofSeconds(30))) {
            RegistryStore registry = new RegistryStore(redis.connection().async());
            for (int s = 0; s < STORES; s++) {
                StoreId store = store(s);
                registry.putStore(store, "b", 0, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
                for (int m = 0; m <= MATS; m++) {
                    registry.putDevice(store, device(s, m), m < MATS ? DeviceKind.SHELF : DeviceKind.FEED)
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
            }
            // the script's clock moves a millisecond every 10 events, as at 10,000 events/s: what it does by
            // time (a device's lastSeen) is the same however fast Redis runs, under a profiler too
            Source source = new Source(System.currentTimeMillis() - 600_000);
            ApplyParams d = ApplyParams.DEFAULT;
            ApplyParams params = args.length > 2 ? new ApplyParams(d.recentIds(), d.deltaHorizonMs(),
                Integer.parseInt(args[2]), d.lowStockUnits(), d.shelfFreshMs(), d.changeFeedMax()) : d;
            RedisAvailabilityStore store = new RedisAvailabilityStore(redis.connection().async(), source::now, params);
            var cmd = redis.connection().async();
            // ONSHELF_APPLY_BENCH_FENCE=1: every call behind the gateway's fence (apply.lua's INFO server)
            String fence = System.getenv("ONSHELF_APPLY_BENCH_FENCE") == null ? ""
                : RedisInfo.text(cmd.info("server").toCompletableFuture().get(10, TimeUnit.SECONDS), "run_id");
            run(store, source, events / 4, batch, fence);  // the script cached, every product with state
            cmd.configResetstat().toCompletableFuture().get(10, TimeUnit.SECONDS);
            // no automatic rewrite while measuring: the AOF's growth is what the events wrote
            cmd.configSet("auto-aof-rewrite-percentage", "0").toCompletableFuture().get(10, TimeUnit.SECONDS);
            double cpu0 = RedisInfo.parse(cmd.info("cpu").toCompletableFuture().get(10, TimeUnit.SECONDS)).cpuSeconds();
            long aof0 = RedisInfo.field(cmd.info("persistence").toCompletableFuture().get(10, TimeUnit.SECONDS),
                "aof_current_size");
            long t0 = System.nanoTime();
            run(store, source, events, batch, fence);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = RedisInfo.parse(cmd.info("cpu").toCompletableFuture().get(10, TimeUnit.SECONDS)).cpuSeconds()
                - cpu0;
            long aof = RedisInfo.field(cmd.info("persistence").toCompletableFuture().get(10, TimeUnit.SECONDS),
                "aof_current_size") - aof0;
            System.out.printf("apply%s: %,d events in batches of %d: Redis CPU %.1f µs per event (%.1f s CPU in %.1f s;"
                + " %,.0f events/s); AOF %.0f bytes per event%n", fence.isEmpty() ? "" : " (fenced)", events, batch, cpu * 1e6 / events, cpu, wall,
                events / wall, aof / (double) events);
            for (String line : cmd.info("commandstats").toCompletableFuture().get(10, TimeUnit.SECONDS).split("\r\n")) {
                if (line.startsWith("cmdstat_")) {
                    System.out.println("  " + line);
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        System.exit(0);
    }

    private static void run(EventSink store, Source source, int events, int batch, String fence)
        throws InterruptedException {
        Semaphore window = new Semaphore(IN_FLIGHT);
        AtomicLong refused = new AtomicLong();
        for (int sent = 0; sent < events; sent += batch) {
            List<EventSink.Write> writes = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                writes.add(new EventSink.Write(source.next(), Attribution.NONE));
            }
            window.acquire();
            CompletableFuture.allOf(store.applyAll(writes, fence).stream().map(stage -> stage.thenAccept(r -> {
                if (r.outcome() != ApplyResult.Outcome.APPLIED) {
                    refused.incrementAndGet();
                }
            }).toCompletableFuture()).toArray(CompletableFuture[]::new)).whenComplete((x, e) -> window.release());
        }
        if (!window.tryAcquire(IN_FLIGHT, 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the batches did not finish");
        }
        if (refused.get() > 0) {
            throw new IllegalStateException(refused.get() + " events were not applied");
        }
    }

    /** The ingest bench's events (Workload's mix), as decoded events. */
    private static final class Source {
        private final List<Gtin> gtins = Workload.gtins(PRODUCTS);
        private final long[][] seqs = new long[STORES][MATS + 1];
        private final SplittableRandom random = new SplittableRandom(7);
        private final long start;
        private long ts;

        Source(long startTs) {
            this.start = startTs;
            this.ts = startTs;
        }

        synchronized long now() {
            return start + (ts - start) / 10;
        }

        synchronized dev.onshelf.core.model.Event next() {
            int s = random.nextInt(STORES);
            int p = random.nextInt(PRODUCTS);
            if (random.nextInt(10) < 7) {
                int m = p % MATS;
                long seq = ++seqs[s][m];
                return new ShelfEvent(store(s), device(s, m), "e" + seq, seq, ++ts,
                    List.of(new Reading(gtins.get(p), random.nextInt(25), 24, "A" + p)));
            }
            long seq = ++seqs[s][MATS];
            return new FeedEvent(store(s), device(s, MATS), "e" + seq, seq, ++ts, EventType.SALE, gtins.get(p), 1);
        }
    }

    private static StoreId store(int s) {
        return new StoreId("bench-" + s);
    }

    private static DeviceId device(int s, int m) {
        return new DeviceId(m < MATS ? "bench-" + s + "-mat-" + m : "bench-" + s + "-till");
    }

    private static RedisProcess started(RedisProcess server) {
        server.start();
        return server;
    }
}
