package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.aggregator.redis.Keys;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A store written by versions before 2026-11-29 (products under their 14-digit GTIN as the field, some
 * in the 1,024 buckets of before the packed value) is read and written correctly once a node has started.
 */
@ExtendWith(RealServices.class)
@Timeout(60)
class LayoutMigrationIT {
    private static final StoreId STORE = new StoreId("LM1");

    @Test
    void anOldLayoutStoreIsReadAndWrittenAfterTheNodeStarts(RedisProcess redis, MosquittoProcess mosquitto)
        throws Exception {
        // given a registered store whose products were stored by older versions
        long now = System.currentTimeMillis();
        Gtin inToday = Gtin.parse("4006381333931");      // 04006381333931 in today's bucket
        Gtin inOld = oldBucketOnly();                     // 0501234... in an old bucket (>= 256)
        Gtin indicator = Gtin.fromBody("1400638133393");  // a GTIN-14 with no leading zero: one field in both layouts
        String oldBucket = "onshelf:{" + STORE.value() + "}:p:"
            + Long.parseLong(inOld.value().substring(0, 13)) % 1024;
        try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
            RegistryStore registry = new RegistryStore(c.connection().async());
            registry.putStore(STORE, "LM1", 48.85, 2.35).toCompletableFuture().get(5, TimeUnit.SECONDS);
            registry.putDevice(STORE, new DeviceId("lm1-till"), DeviceKind.FEED).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
            var sync = c.connection().sync();
            sync.hset(Keys.bucket(STORE, inToday), inToday.value(), book(20, now));
            sync.hset(oldBucket, inOld.value(), book(7, now));
            sync.hset(Keys.bucket(STORE, indicator), indicator.value(), book(3, now));
        }

        // when a node starts
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "migration-gateway", Map.of())) {
            // then every product reads as it was stored
            assertThat(node.http().getJson("/v1/stores/LM1/products/4006381333931").getLong("bookCount")).isEqualTo(20);
            assertThat(node.http().getJson("/v1/stores/LM1/products/" + inOld.value()).getLong("bookCount")).isEqualTo(7);
            assertThat(node.http().getJson("/v1/stores/LM1/products/" + indicator.value()).getLong("bookCount"))
                .isEqualTo(3);
            // and a sale is applied to the stored product, not to a new one
            MosquittoPub.publish(mosquitto.port(), "onshelf/v1/stores/LM1/feed/lm1-till", "{\"eventId\": \"lm1\", \"seq\": 1, "
                + "\"ts\": \"" + Instant.ofEpochMilli(now + 1) + "\", \"type\": \"SALE\", \"gtin\": \"4006381333931\", \"qty\": 1}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                node.http().getJson("/v1/stores/LM1/products/4006381333931").getLong("bookCount")).isEqualTo(19));
        }
        // and the old fields and buckets are gone
        try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
            var sync = c.connection().sync();
            assertThat(sync.hexists(Keys.bucket(STORE, inToday), inToday.value())).isFalse();
            assertThat(sync.hexists(Keys.bucket(STORE, inToday), "4006381333931")).isTrue();
            assertThat(sync.exists(oldBucket)).isZero();
            assertThat(sync.hexists(Keys.bucket(STORE, inOld), Keys.field(inOld))).isTrue();
        }
    }

    /** A product whose old bucket (of 1,024) is not one of today's 256. */
    private static Gtin oldBucketOnly() {
        for (int i = 0; ; i++) {
            Gtin g = Gtin.fromBody(String.format("05012345%05d", i));
            if (Long.parseLong(g.value().substring(0, 13)) % 1024 >= Keys.BUCKETS) {
                return g;
            }
        }
    }

    /** A value as versions before the packed one wrote it (JSON): book stock counted at {@code ts}. */
    private static String book(long units, long ts) {
        return "{\"s\":{},\"b\":" + units + ",\"bt\":" + ts + ",\"ct\":" + ts + ",\"l\":[]}";
    }
}
