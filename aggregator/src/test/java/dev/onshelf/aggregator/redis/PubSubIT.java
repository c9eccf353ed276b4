package dev.onshelf.aggregator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisTarget;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two pub/sub channels between processes, each process with its own connector: an API key issued
 * by one process reaches another, and a device's health applied by one drops another's snapshot. On a
 * single Redis here, on a Redis Cluster in {@link PubSubClusterIT} (a publish on one node reaches a
 * subscriber connected to another).
 */
@ExtendWith(RealServices.class)
@Timeout(60)
class PubSubIT {
    private static final long T0 = 1_800_000_000_000L;
    private static final Gtin GTIN = Gtin.parse("4006381333931");

    static RedisConnector connect(RedisTarget redis) {
        return new RedisConnector(redis.url(), redis.isCluster() ? List.of(redis.clusterNodes().split(",")) : List.of(),
            Duration.ofSeconds(5));
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void anApiKeyIssuedByOneProcessReachesAnother(RedisTarget redis) throws Exception {
        try (RedisConnector issuer = connect(redis); RedisConnector follower = connect(redis)) {
            // given a process following key changes (told once when its subscription starts)
            AtomicInteger told = new AtomicInteger();
            await(ApiKeyStore.followChanges(follower.connectPubSub(), told::incrementAndGet));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> told.get() >= 1);
            int before = told.get();
            // when another process issues a key
            await(new ApiKeyStore(issuer.async()).put("pubsub-" + UUID.randomUUID(), "{}"));
            // then the follower is told
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> told.get() > before);
        }
    }

    @Test
    void aHealthChangeAppliedByOneProcessDropsAnothersSnapshot(RedisTarget redis) throws Exception {
        try (RedisConnector gatewayProcess = connect(redis); RedisConnector apiProcess = connect(redis)) {
            StoreId s = new StoreId("pubsub-" + UUID.randomUUID().toString().substring(0, 8));
            DeviceId mat = new DeviceId(s + "-mat");
            RegistryStore registry = new RegistryStore(gatewayProcess.async());
            await(registry.putStore(s, "PubSub", 51, 0));
            await(registry.putDevice(s, mat, DeviceKind.SHELF));
            // given an API process whose snapshot never ages (its clock stands still), following changes
            StoreSnapshots snapshots = new StoreSnapshots(apiProcess.async(), () -> T0);
            await(snapshots.followChanges(apiProcess.connectPubSub()));
            RedisAvailabilityStore api = new RedisAvailabilityStore(apiProcess.async(), () -> T0, ApplyParams.DEFAULT,
                snapshots);
            RedisAvailabilityStore gateway = new RedisAvailabilityStore(gatewayProcess.async(), () -> T0,
                ApplyParams.DEFAULT);
            await(gateway.apply(new StatusEvent(s, mat, T0, true, 60)));
            await(gateway.apply(new ShelfEvent(s, mat, "r1", 1, T0, List.of(new Reading(GTIN, 4, 12, "A1")))));
            Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> await(api.read(s, GTIN)).health().get(mat.value()).online());
            // when the gateway process applies the device's will
            await(gateway.apply(new StatusEvent(s, mat, T0 + 1, false, 60)));
            // then the API process reads it as soon as the published change reaches it
            Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> !await(api.read(s, GTIN)).health().get(mat.value()).online());
        }
    }
}
