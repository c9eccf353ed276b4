package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.gateway.ingest.IngestMetrics;
import dev.onshelf.gateway.ingest.IngestPipeline;
import dev.onshelf.testkit.RedisProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis that comes back without writes it had answered (AOF {@code everysec} with a slow disk, then
 * SIGKILL; here its AOF is rolled back by hand), under the durability horizon, which applies those
 * writes again before acknowledging them. The case the crash torture found under heavy load: a till
 * without a session id had rebooted, and the writes lost held the end of its first numbering and the
 * start of its second. Applied again <i>after</i> the second numbering's later sales, the ledger took
 * those sales for the first numbering's, and both numberings' lost sales for duplicates: 200 of 400
 * sales lost here. The pipeline's fence (OrderedApplier) applies them again first, in order.
 */
class LostWritesIT {
    private static final Gtin GTIN = Gtin.parse("4006381333931");
    private static final StoreId STORE = new StoreId("S1");
    private static final String TOPIC = "onshelf/v1/stores/S1/feed/till-1";
    private final RedisProcess redis = new RedisProcess(true);
    private final ExecutorService loop = Executors.newSingleThreadExecutor();
    private final EventCodec codec = new EventCodec();
    private final long t0 = System.currentTimeMillis() - 60_000;
    private RedisConnector connector;

    @AfterEach
    void stop() {
        loop.shutdownNow();
        if (connector != null) {
            connector.close();
        }
        redis.close();
    }

    /** Sale {@code seq} of the till's boot {@code boot} (no session id; boot 2 stamped after boot 1). */
    private byte[] sale(int boot, long seq) {
        return codec.encodeFeed("till-1-b" + boot + "-" + seq, seq, t0 + (boot - 1) * 10_000 + seq, EventType.SALE, GTIN, 1);
    }

    /** Hands the sales to the pipeline on its loop, as the MQTT ingest does, and awaits them all. */
    private void ingest(IngestPipeline pipeline, List<byte[]> sales) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        loop.submit(() -> sales.forEach(p -> done.add(pipeline.handle(TOPIC, p).toCompletableFuture()))).get();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private List<byte[]> sales(int boot, long from, long to) {
        List<byte[]> out = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            out.add(sale(boot, seq));
        }
        return out;
    }

    @Test
    void writesARestartedRedisLostAreAppliedAgainBeforeAnythingNewer() throws Exception {
        redis.start();
        connector = new RedisConnector(redis.url(), Duration.ofSeconds(2));
        RegistryStore registry = new RegistryStore(connector.connection().async());
        registry.putStore(STORE, "Test", 51.5, -0.1).toCompletableFuture().get(5, TimeUnit.SECONDS);
        registry.putDevice(STORE, new DeviceId("till-1"), DeviceKind.FEED).toCompletableFuture().get(5, TimeUnit.SECONDS);
        RedisAvailabilityStore store = new RedisAvailabilityStore(connector.connection().async(),
            System::currentTimeMillis, ApplyParams.DEFAULT);
        IngestPipeline pipeline = new IngestPipeline(codec, store, (s, g, t, ts) -> CompletableFuture.completedStage(null),
            new IngestMetrics(new SimpleMeterRegistry()), System::currentTimeMillis, loop, IngestPipeline.DEFAULT_BATCH)
            .fenceStore(60_000);

        // given the till's first 100 sales applied, and written (the AOF as it is now is kept)
        ingest(pipeline, sales(1, 1, 100));
        Path aof = redis.dir().resolve("appendonlydir");
        Path kept = redis.dir().resolve("aof-kept");
        copy(aof, kept);
        // and then its sales 101-200, a reboot, and its second numbering's sales 1-100, all answered
        ingest(pipeline, sales(1, 101, 200));
        ingest(pipeline, sales(2, 1, 100));
        // when Redis is killed and comes back without those last 200 (a new server process)
        redis.kill();
        delete(aof);
        copy(kept, aof);
        redis.start();
        // and the till's next sales come (what the horizon would apply again is not due yet)
        ingest(pipeline, sales(2, 101, 200));
        // and then the horizon applies again what it had not acknowledged, as it does when it is due
        ingest(pipeline, sales(1, 101, 200));
        ingest(pipeline, sales(2, 1, 100));

        // then every sale counts once: 400
        Long book = store.read(STORE, GTIN).toCompletableFuture().get(5, TimeUnit.SECONDS).state().book();
        assertThat(book).as("book after 400 sales of one unit").isEqualTo(-400L);
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
