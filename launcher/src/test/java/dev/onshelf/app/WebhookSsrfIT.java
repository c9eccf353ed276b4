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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhooks cannot be turned against the server's own network: redirects are not followed, every
 * address is checked at every delivery (not once at subscription time), every non-public range is
 * refused at subscription time.
 */
@ExtendWith(RealServices.class)
@Timeout(60)
class WebhookSsrfIT {
    private static final String GTIN = "4006381333931";

    @Test
    void aRedirectIsNotFollowed(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        // given a loopback-only service the attacker wants to reach, and the attacker's callback redirecting to it
        AtomicInteger internalCalls = new AtomicInteger();
        HttpServer internal = listener(exchange -> internalCalls.incrementAndGet(), 204, null);
        AtomicInteger callbackCalls = new AtomicInteger();
        HttpServer callback = listener(exchange -> callbackCalls.incrementAndGet(), 303,
            "http://127.0.0.1:" + internal.getAddress().getPort() + "/admin/delete-everything");
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "ssrf-gateway",
            Map.of("ONSHELF_WEBHOOK_ALLOW_PRIVATE", "true"))) {
            register(node, "SR1");
            publish(mosquitto.port(), "SR1", 1, 0);
            HttpResponse<String> created = node.http().send("POST", "/v1/subscriptions", "{\"storeId\": \"SR1\", \"gtin\": \""
                + GTIN + "\", \"callbackUrl\": \"http://127.0.0.1:" + callback.getAddress().getPort() + "/hook\"}");
            assertThat(created.statusCode()).isEqualTo(201);

            // when the product is back
            publish(mosquitto.port(), "SR1", 2, 6);

            // then the callback is tried (a 303 is not a success, so it is tried again) and the redirect never followed
            await().atMost(Duration.ofSeconds(15)).until(() -> callbackCalls.get() >= 2);
            assertThat(internalCalls.get()).as("requests that reached the loopback-only service").isZero();
        } finally {
            callback.stop(0);
            internal.stop(0);
        }
    }

    @Test
    void everyDeliveryChecksTheAddressAgain(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        // given a subscription whose host pointed somewhere public when it was made and now resolves to loopback
        // (DNS rebinding; written straight into the registry, as the API would refuse it today)
        AtomicInteger calls = new AtomicInteger();
        HttpServer internal = listener(exchange -> calls.incrementAndGet(), 204, null);
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "ssrf-gateway-2", Map.of())) {
            register(node, "SR2");
            publish(mosquitto.port(), "SR2", 1, 0);
            String url = "http://localhost:" + internal.getAddress().getPort() + "/hook";
            node.node().registry().putSubscription(new StoreId("SR2"), Gtin.parse(GTIN), "SR2:" + GTIN + ":rebound",
                new JsonObject().put("url", url).put("secret", "s").encode()).toCompletableFuture().get(5, TimeUnit.SECONDS);

            // when the product is back
            publish(mosquitto.port(), "SR2", 2, 6);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                Integer.valueOf(6).equals(node.http().getJson("/v1/stores/SR2/products/" + GTIN).getInteger("shelfCount")));

            // then the loopback service is never called
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 0);
        } finally {
            internal.stop(0);
        }
    }

    @Test
    void nonPublicRangesAreRefusedAtSubscription(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "ssrf-gateway-3", Map.of())) {
            register(node, "SR3");
            for (String target : new String[] {"http://[fd00:ec2::254]/latest/meta-data", "http://100.64.0.1/x",
                "http://[::127.0.0.1]:8080/x", "http://[::ffff:127.0.0.1]/x", "http://[fe80::1]/x", "http://0.0.0.0/x",
                "http://224.0.0.1/x", "http://192.0.2.1/x", "http://198.18.0.1/x", "http://255.255.255.255/x",
                "http://[ff02::1]/x", "http://169.254.169.254/latest/meta-data"}) {
                HttpResponse<String> r = node.http().send("POST", "/v1/subscriptions", "{\"storeId\": \"SR3\", \"gtin\": \""
                    + GTIN + "\", \"callbackUrl\": \"" + target + "\"}");
                assertThat(r.statusCode()).as(target).isEqualTo(400);
                assertThat(new JsonObject(r.body()).getString("code")).as(target).isEqualTo("subscription:callback.private");
            }
        }
    }

    private static HttpServer listener(java.util.function.Consumer<com.sun.net.httpserver.HttpExchange> onCall, int status,
                                       String location) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            onCall.accept(exchange);
            exchange.getRequestBody().readAllBytes();
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void register(TestNode node, String store) {
        node.http().admin("/v1/admin/stores/" + store, "{\"name\": \"" + store + "\", \"lat\": 41.4, \"lon\": 2.17}");
        node.http().admin("/v1/admin/stores/" + store + "/devices/" + store.toLowerCase() + "-mat", "{\"kind\": \"shelf\"}");
    }

    private static void publish(int mqtt, String store, int seq, int count) {
        MosquittoPub.publish(mqtt, "onshelf/v1/stores/" + store + "/shelf/" + store.toLowerCase() + "-mat",
            "{\"eventId\": \"" + store + seq + "\", \"seq\": " + seq + ", \"ts\": \"" + Instant.now()
                + "\", \"gtin\": \"" + GTIN + "\", \"count\": " + count + "}");
    }
}
