package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Subscribing cannot be turned into an amplifier: subscriptions are capped per client and per callback
 * host, expire, are dropped after repeated failed deliveries, and deliveries to a host are rate-limited.
 */
@ExtendWith(RealServices.class)
@Timeout(90)
class WebhookLimitsIT {
    private static final String GTIN = "4006381333931";
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int answer = 204;
    private HttpServer receiver;
    private String hook;
    private int seq;

    @BeforeEach
    void receiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        receiver.start();
        hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    @Test
    void subscriptionsAreCappedPerClientAndPerHost(MosquittoProcess mosquitto) throws Exception {
        // a Redis of its own: the shared one holds other tests' subscriptions from this same address
        try (RedisProcess redis = new RedisProcess()) {
            redis.start();
            capped(redis, mosquitto);
        }
    }

    private void capped(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = node(redis, mosquitto, "limits-gw-1", "ONSHELF_WEBHOOK_SUBSCRIPTIONS_PER_CLIENT", "3")) {
            register(node, "WL1");
            for (int i = 0; i < 3; i++) {
                assertThat(subscribe(node, "WL1", hook + i).statusCode()).isEqualTo(201);
            }
            HttpResponse<String> over = subscribe(node, "WL1", hook + "x");
            assertThat(over.statusCode()).isEqualTo(429);
            assertThat(new JsonObject(over.body()).getString("code")).isEqualTo("subscription:limit.client");
            // a cancelled one frees its place
            String first = firstId(node, "WL1");
            assertThat(node.http().send("DELETE", "/v1/subscriptions/" + first, null).statusCode()).isEqualTo(204);
            assertThat(subscribe(node, "WL1", hook + "y").statusCode()).isEqualTo(201);
        }
        try (TestNode node = node(redis, mosquitto, "limits-gw-2", "ONSHELF_WEBHOOK_SUBSCRIPTIONS_PER_HOST", "2")) {
            register(node, "WL2");
            assertThat(subscribe(node, "WL2", "http://LOCALHOST:" + receiver.getAddress().getPort() + "/a").statusCode())
                .isEqualTo(201);
            assertThat(subscribe(node, "WL2", "http://localhost:" + receiver.getAddress().getPort() + "/b").statusCode())
                .isEqualTo(201);
            HttpResponse<String> over = subscribe(node, "WL2", "http://localhost:" + receiver.getAddress().getPort() + "/c");
            assertThat(over.statusCode()).isEqualTo(429);
            assertThat(new JsonObject(over.body()).getString("code")).isEqualTo("subscription:limit.host");
        }
    }

    @Test
    void aCallbackThatKeepsFailingIsDropped(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        answer = 500;
        try (TestNode node = node(redis, mosquitto, "limits-gw-3", "ONSHELF_WEBHOOK_MAX_FAILURES", "2")) {
            register(node, "WL3");
            publish(mosquitto, "WL3", 0);
            String id = new JsonObject(subscribe(node, "WL3", hook).body()).getString("id");
            // first failed delivery (3 attempts): kept
            publish(mosquitto, "WL3", 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 3 && subscriptions(node, "WL3").containsKey(id));
            assertThat(new JsonObject(subscriptions(node, "WL3").get(id)).getInteger("failures")).isEqualTo(1);
            // second: dropped
            publish(mosquitto, "WL3", 0);
            publish(mosquitto, "WL3", 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 6);
            await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions(node, "WL3").isEmpty());
            // and never called again
            publish(mosquitto, "WL3", 0);
            publish(mosquitto, "WL3", 5);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> calls.get() == 6);
            assertThat(node.http().send("DELETE", "/v1/subscriptions/" + id, null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void subscriptionsExpire(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = node(redis, mosquitto, "limits-gw-4", "ONSHELF_WEBHOOK_TTL_HOURS", "1")) {
            register(node, "WL4");
            publish(mosquitto, "WL4", 0);
            JsonObject sub = new JsonObject(subscribe(node, "WL4", hook).body());
            Instant expires = Instant.parse(sub.getString("expiresAt"));
            assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
            // given it has expired (its stored expiry moved into the past, as an hour would)
            String id = sub.getString("id");
            JsonObject stored = new JsonObject(subscriptions(node, "WL4").get(id)).put("expiresAt", System.currentTimeMillis() - 1);
            node.node().registry().putSubscription(new StoreId("WL4"), Gtin.parse(GTIN), id, stored.encode())
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
            // when the product is back, nobody is called and the subscription is gone
            publish(mosquitto, "WL4", 5);
            await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions(node, "WL4").isEmpty());
            assertThat(calls.get()).isZero();
        }
    }

    @Test
    void deliveriesToAHostAreRateLimited(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = node(redis, mosquitto, "limits-gw-5", "ONSHELF_WEBHOOK_DELIVERIES_PER_HOST_PER_MINUTE", "2")) {
            register(node, "WL5");
            publish(mosquitto, "WL5", 0);
            for (int i = 0; i < 6; i++) {
                assertThat(subscribe(node, "WL5", hook + i).statusCode()).isEqualTo(201);
            }
            // when one event makes six subscriptions due
            publish(mosquitto, "WL5", 5);
            // then two calls are made this minute and the other four wait for the next time
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 2);
            await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions(node, "WL5").size() == 4);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> calls.get() == 2);
        }
    }

    private TestNode node(RedisProcess redis, MosquittoProcess mosquitto, String id, String key, String value)
        throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("ONSHELF_WEBHOOK_ALLOW_PRIVATE", "true",
            "ONSHELF_RATE_LIMIT_PER_SECOND", "1000", "ONSHELF_WEBHOOK_SUBSCRIPTIONS_PER_CLIENT", "1000"));
        env.put(key, value);
        return TestNode.start(redis.url(), mosquitto.url(), id, env);
    }

    private static void register(TestNode node, String store) {
        node.http().admin("/v1/admin/stores/" + store, "{\"name\": \"" + store + "\", \"lat\": 41.4, \"lon\": 2.17}");
        node.http().admin("/v1/admin/stores/" + store + "/devices/" + store.toLowerCase() + "-mat", "{\"kind\": \"shelf\"}");
    }

    private static HttpResponse<String> subscribe(TestNode node, String store, String url) {
        return node.http().send("POST", "/v1/subscriptions", "{\"storeId\": \"" + store + "\", \"gtin\": \"" + GTIN
            + "\", \"callbackUrl\": \"" + url + "\"}");
    }

    private static Map<String, String> subscriptions(TestNode node, String store) throws Exception {
        return node.node().registry().subscriptions(new StoreId(store), Gtin.parse(GTIN)).toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    }

    private static String firstId(TestNode node, String store) throws Exception {
        return subscriptions(node, store).keySet().iterator().next();
    }

    private void publish(MosquittoProcess mosquitto, String store, int count) {
        seq++;
        MosquittoPub.publish(mosquitto.port(), "onshelf/v1/stores/" + store + "/shelf/" + store.toLowerCase() + "-mat",
            "{\"eventId\": \"" + store + "-" + seq + "\", \"seq\": " + seq + ", \"ts\": \"" + Instant.now()
                + "\", \"gtin\": \"" + GTIN + "\", \"count\": " + count + "}");
    }
}
