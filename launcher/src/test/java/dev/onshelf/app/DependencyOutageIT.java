package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our own Redis and Mosquitto, stopped and restarted under a running node: readiness follows the
 * dependencies, reads fail fast with 503 while Redis is away, and a message the broker accepted
 * while Redis was away is applied once Redis is back (it was never acknowledged before that).
 */
@Timeout(180)
class DependencyOutageIT {
    private static final RedisProcess REDIS = new RedisProcess(true);
    private static final MosquittoProcess MOSQUITTO = new MosquittoProcess();
    private static TestNode node;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        REDIS.start();
        MOSQUITTO.start();
        node = TestNode.start(REDIS.url(), MOSQUITTO.url(), "outage-gateway", Map.of("ONSHELF_REDIS_TIMEOUT_MS", "500"));
        http = node.http();
        http.admin("/v1/admin/stores/S1", "{\"name\": \"Test\", \"lat\": 51.5, \"lon\": -0.12}");
        http.admin("/v1/admin/stores/S1/devices/till-1", "{\"kind\": \"feed\"}");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        MOSQUITTO.close();
        REDIS.close();
    }

    @Test
    void redisAwayMeansNotReadyAndFast503sAndNothingLost() {
        // given Redis stops
        REDIS.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> http.get("/health/ready").statusCode() == 503);
        // then a read fails fast with 503 and Retry-After, not a hang
        long started = System.nanoTime();
        HttpResponse<String> r = http.get("/v1/stores/S1/products/96385074");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("service:unavailable");

        // when the till publishes while Redis is away (the broker accepts it; we must not ack it yet)
        MosquittoPub.publish(MOSQUITTO.port(), "onshelf/v1/stores/S1/feed/till-1",
            "{\"eventId\": \"c1\", \"seq\": 1, \"ts\": \"" + Instant.now() + "\", \"type\": \"COUNT\", "
                + "\"gtin\": \"96385074\", \"qty\": 9}");

        // and Redis comes back (with its AOF)
        REDIS.start();

        // then everything recovers by itself and the count is applied
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(http.getJson("/v1/stores/S1/products/96385074").getLong("bookCount")).isEqualTo(9));
    }

    @Test
    void brokerAwayMeansNotReadyUntilItIsBack() {
        MOSQUITTO.stop();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> r = http.get("/health/ready");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(r.body()).getString("mqtt")).isEqualTo("DOWN");
        });
        MOSQUITTO.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/health/ready").statusCode() == 200);
    }
}
