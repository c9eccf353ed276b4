package dev.onshelf.simulators.bench;

import dev.onshelf.aggregator.redis.CoalescingFlusher;
import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.aggregator.redis.ReplicaWait;
import dev.onshelf.aggregator.redis.StoreSnapshots;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.ingest.EventSink;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.testkit.RedisClusterProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What {@code ONSHELF_REDIS_WAIT_REPLICAS=1} costs on the apply path: the same stream of sales applied
 * on a local Redis Cluster (three masters, a replica each; cluster-node-timeout 5 s) through {@link RedisAvailabilityStore}, with
 * WAIT and without, alternately in the same run (A B B A ...). Batches of one store, a fixed number in flight (as the
 * ingest pipelines them); per batch the time from the call to its results.
 */
public final class ReplicaWaitBench {
    /** {@code firstFailure}: why the first event that was not applied failed ("" if none). */
    public record Figures(String mode, int events, double eventsPerSecond, double p50Ms, double p99Ms, long failed,
                          String firstFailure) {
    }

    private static final int STORES = 6;
    private static final int PRODUCTS = 20;

    private ReplicaWaitBench() {
    }

    /** The median of each figure over the measurements of one mode. */
    public static Figures median(List<Figures> all, String mode) {
        List<Figures> of = all.stream().filter(f -> f.mode().equals(mode)).toList();
        return new Figures(mode + " (median of " + of.size() + ")", of.stream().mapToInt(Figures::events).sum(),
            median(of.stream().mapToDouble(Figures::eventsPerSecond).toArray()),
            median(of.stream().mapToDouble(Figures::p50Ms).toArray()),
            median(of.stream().mapToDouble(Figures::p99Ms).toArray()), of.stream().mapToLong(Figures::failed).sum(),
            of.stream().map(Figures::firstFailure).filter(f -> !f.isEmpty()).findFirst().orElse(""));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    public static List<Figures> run(int events, int batch, int inFlight, int rounds) throws Exception {
        List<Figures> out = new ArrayList<>();
        try (RedisClusterProcess cluster = new RedisClusterProcess(5_000).start();
             RedisConnector redis = new RedisConnector("redis://" + cluster.nodes().get(0).address(),
                 List.of(cluster.nodesSetting().split(",")), Duration.ofSeconds(5))) {
            RegistryStore registry = new RegistryStore(redis.async());
            for (int s = 0; s < STORES; s++) {
                StoreId store = new StoreId("W" + s);
                registry.putStore(store, "W" + s, 50, s).toCompletableFuture().get(5, TimeUnit.SECONDS);
                registry.putDevice(store, new DeviceId("W" + s + "-till"), DeviceKind.FEED).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            }
            long[] seqs = new long[STORES];
            ReplicaWait on = new ReplicaWait(1, 1_000);
            for (int r = 0; r < rounds; r++) {
                // A B, then B A: a drift in the machine's load (it is shared) weighs on both alike
                for (ReplicaWait wait : r % 2 == 0 ? List.of(ReplicaWait.NONE, on) : List.of(on, ReplicaWait.NONE)) {
                    RedisAvailabilityStore store = new RedisAvailabilityStore(redis.async(), System::currentTimeMillis,
                        ApplyParams.DEFAULT, CoalescingFlusher.none(),
                        new StoreSnapshots(redis.async(), System::currentTimeMillis), null, wait);
                    out.add(measure(store, wait.on() ? "WAIT 1" : "no WAIT", seqs, events, batch, inFlight));
                }
            }
        }
        return out;
    }

    private static Figures measure(RedisAvailabilityStore store, String mode, long[] seqs, int events, int batch,
                                   int inFlight) throws Exception {
        Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(30), 3);
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>("");
        List<CompletableFuture<?>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int sent = 0, b = 0; sent < events; sent += batch, b++) {
            int s = b % STORES;
            StoreId id = new StoreId("W" + s);
            DeviceId till = new DeviceId("W" + s + "-till");
            List<EventSink.Write> writes = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                long seq = ++seqs[s];
                Gtin gtin = Gtin.fromBody(String.format("050123459%04d", (int) (seq % PRODUCTS)));
                writes.add(new EventSink.Write(new FeedEvent(id, till, "e" + seq, seq, System.currentTimeMillis(),
                    EventType.RECEIPT, gtin, 1), Attribution.NONE));
            }
            slots.acquire();
            long t0 = System.nanoTime();
            List<CompletableFuture<ApplyResult>> results = store.applyAll(writes).stream()
                .map(java.util.concurrent.CompletionStage::toCompletableFuture).toList();
            all.add(CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
                latency.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
                results.forEach(r -> {
                    String why = r.isCompletedExceptionally() ? r.handle((x, error) -> String.valueOf(error)).join()
                        : r.join().outcome() != ApplyResult.Outcome.APPLIED ? r.join().toString() : null;
                    if (why != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet("", why);
                    }
                });
                slots.release();
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(5, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Figures(mode, events, events / seconds, latency.getValueAtPercentile(50) / 1000.0,
            latency.getValueAtPercentile(99) / 1000.0, failed.get(), firstFailure.get());
    }
}
