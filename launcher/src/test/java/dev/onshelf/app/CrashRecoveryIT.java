package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import dev.onshelf.simulators.mqtt.Publisher;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RedisProcess;
import dev.onshelf.testkit.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing lost, nothing counted twice: while a till streams QoS 1 sales, the OnShelf process is
 * killed with SIGKILL mid-batch and restarted, Redis (AOF, fsync always) is killed with SIGKILL and
 * restarted from its append-only file, Redis is stopped and restarted, and the broker is restarted
 * (persistent sessions). Afterwards every product's book is exactly what the acknowledged events say.
 */
@Timeout(240)
class CrashRecoveryIT {
    private static final StoreId STORE = new StoreId("crash");
    private static final int PRODUCTS = 10;
    private static final int SALES = 3000;
    /**
     * {@code appendfsync always}: under {@code everysec} Redis 7.0 may reply before a postponed AOF
     * write and lose acknowledged writes to a SIGKILL (RELIABILITY.md); TortureIT measured it. What
     * these tests hold is OnShelf's own exactness, not Redis's fsync policy.
     */
    private final RedisProcess redis = new RedisProcess("always", "");
    private final MosquittoProcess mosquitto = new MosquittoProcess();
    private Process onshelf;

    @AfterEach
    void stop() {
        if (onshelf != null) {
            onshelf.destroyForcibly();
        }
        mosquitto.close();
        redis.close();
    }

    private int httpPort;

    /** Starts the gateway as its own process and waits until it is subscribed (ready). */
    private Process startOnShelf() throws IOException {
        Path jar = Path.of("target", "onshelf.jar");
        assertThat(jar).as("the runnable jar (mvn package builds it before the ITs)").exists();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", jar.toString(), "gateway")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                Files.createDirectories(Path.of("target", "crash-it")).resolve("onshelf.log").toFile()));
        pb.environment().put("ONSHELF_MQTT_URL", mosquitto.url());
        pb.environment().put("ONSHELF_REDIS_URL", redis.url());
        httpPort = ServiceProcess.freePort();
        pb.environment().put("ONSHELF_HTTP_PORT", Integer.toString(httpPort));
        pb.environment().put("ONSHELF_HTTP_HOST", "127.0.0.1");
        pb.environment().put("ONSHELF_MQTT_CLIENT_ID", "crash-gateway");  // the same persistent session
        pb.environment().put("ONSHELF_REDIS_TIMEOUT_MS", "500");
        Process p = pb.start();
        Http http = new Http(httpPort, "");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> http.get("/health/ready").statusCode() == 200);
        return p;
    }

    private final List<Gtin> gtins = new ArrayList<>();
    private final EventCodec codec = new EventCodec();
    private static final String TOPIC = "onshelf/v1/stores/crash/feed/crash-till";
    /** How long the till re-sends a publish the broker does not acknowledge (Publisher.publishUntilAcked). */
    private static final Duration DEVICE_RETRY = Duration.ofSeconds(60);

    /** Redis and the broker up, the store and its till registered, OnShelf running. */
    private void startEverything() throws Exception {
        redis.start();
        mosquitto.start();
        for (int p = 0; p < PRODUCTS; p++) {
            gtins.add(Gtin.fromBody(String.format("050123459%04d", p)));
        }
        try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
            RegistryStore registry = new RegistryStore(c.connection().async());
            registry.putStore(STORE, "Crash", 51, 0).toCompletableFuture().get(5, TimeUnit.SECONDS);
            registry.putDevice(STORE, new DeviceId("crash-till"), DeviceKind.FEED).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        }
        onshelf = startOnShelf();
    }

    @Test
    void killsAndRestartsLoseNothingAndCountNothingTwice() throws Exception {
        startEverything();
        long t0 = System.currentTimeMillis() - 600_000;
        try (Publisher till = Publisher.connect(mosquitto.url(), "crash-till")) {
            long seq = 0;
            for (Gtin g : gtins) {
                seq++;
                till.publishUntilAcked(TOPIC, codec.encodeFeed("c" + seq, seq, t0 + seq, EventType.COUNT, g, 10_000),
                    DEVICE_RETRY);
            }
            for (int i = 0; i < SALES; i++) {
                if (i == 800) {
                    onshelf.destroyForcibly().waitFor(10, TimeUnit.SECONDS);  // SIGKILL mid-batch
                }
                if (i == 1200) {
                    onshelf = startOnShelf();
                }
                if (i == 1500) {
                    redis.kill();  // SIGKILL: only what Redis wrote to its AOF survives
                }
                if (i == 1650) {
                    redis.start();
                }
                if (i == 1800) {
                    redis.stop();
                }
                if (i == 2000) {
                    redis.start();
                }
                if (i == 2400) {
                    mosquitto.stop();
                    mosquitto.start();
                }
                seq++;
                Gtin g = gtins.get(i % PRODUCTS);
                till.publishUntilAcked(TOPIC, codec.encodeFeed("s" + seq, seq, t0 + seq, EventType.SALE, g, 1),
                    DEVICE_RETRY);
            }
        }
        assertBooks(10_000 - SALES / PRODUCTS, PRODUCTS + SALES);
    }

    /**
     * Redis killed with SIGKILL twice while a till streams sales as fast as the broker takes them
     * (32 unacknowledged publishes at a time), so that the gateway has work in flight at each kill.
     * Redis restarts from its append-only file ({@code appendfsync always}, see {@link #redis}).
     */
    @Test
    void redisKilledUnderFullLoadLosesNothing() throws Exception {
        startEverything();
        int sales = 20_000;
        long t0 = System.currentTimeMillis() - 600_000;
        List<byte[]> events = new ArrayList<>();
        long seq = 0;
        for (Gtin g : gtins) {
            seq++;
            events.add(codec.encodeFeed("c" + seq, seq, t0 + seq, EventType.COUNT, g, 100_000));
        }
        for (int i = 0; i < sales; i++) {
            seq++;
            events.add(codec.encodeFeed("s" + seq, seq, t0 + seq, EventType.SALE, gtins.get(i % PRODUCTS), 1));
        }
        int window = 32;  // well inside the exactly-once window (64): retries reorder at most this far
        try (Publisher till = Publisher.connect(mosquitto.url(), "crash-till")) {
            for (int from = 0; from < events.size(); from += window) {
                if (from == 5_024 || from == 12_000) {
                    redis.kill();
                }
                if (from == 6_016 || from == 13_024) {
                    redis.start();
                }
                publishWindowUntilAcked(till, events.subList(from, Math.min(events.size(), from + window)));
            }
        }
        assertBooks(100_000 - sales / PRODUCTS, PRODUCTS + sales);
    }

    private void assertBooks(long expected, long highestSeq) throws Exception {
        try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
            RedisAvailabilityStore store = new RedisAvailabilityStore(c.connection().async(), System::currentTimeMillis,
                ApplyParams.DEFAULT);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (Gtin g : gtins) {
                    assertThat(store.read(STORE, g).toCompletableFuture().get(5, TimeUnit.SECONDS).state().book())
                        .as("book of %s (till: %s; gateway: %s)", g, store.sourceStats(STORE, "crash-till")
                            .toCompletableFuture().get(5, TimeUnit.SECONDS), counters()).isEqualTo(expected);
                }
            });
            assertThat(store.sourceStats(STORE, "crash-till").toCompletableFuture().get(5, TimeUnit.SECONDS).highestSeq())
                .isEqualTo(highestSeq);
        }
    }

    /** Publishes a window of events at once; the ones the broker did not acknowledge are sent again, in order. */
    private static void publishWindowUntilAcked(Publisher p, List<byte[]> window) throws InterruptedException {
        List<java.util.concurrent.CompletableFuture<Void>> acks = new ArrayList<>();
        for (byte[] e : window) {
            acks.add(p.publish(TOPIC, e).toCompletableFuture());
        }
        for (int i = 0; i < window.size(); i++) {
            try {
                acks.get(i).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.publishUntilAcked(TOPIC, window.get(i), DEVICE_RETRY);
            }
        }
    }

    /** The gateway's own counters, for the failure message. */
    private String counters() {
        return new Http(httpPort, "").get("/metrics").body().lines()
            .filter(l -> l.startsWith("onshelf_") && !l.endsWith(" 0.0") && (l.contains("_count{") || l.contains("_total")))
            .collect(java.util.stream.Collectors.joining("; "));
    }
}
