package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.onshelf.api.webhook.Webhooks;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Back-in-stock: a shopper's webhook is called once, signed, when the product returns to the shelf. */
@ExtendWith(RealServices.class)
@Timeout(60)
class WebhookIT {

    @Test
    void aSubscriberIsToldOnceSignedWhenTheProductIsBack(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        // given a shopper's endpoint
        BlockingQueue<String[]> calls = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            calls.add(new String[] {new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                exchange.getRequestHeaders().getFirst("X-OnShelf-Signature")});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "webhook-gateway",
            Map.of("ONSHELF_WEBHOOK_ALLOW_PRIVATE", "true"))) {
            node.http().admin("/v1/admin/stores/WH1", "{\"name\": \"WH1\", \"lat\": 41.4, \"lon\": 2.17}");
            node.http().admin("/v1/admin/stores/WH1/devices/wh1-mat", "{\"kind\": \"shelf\"}");
            publish(mosquitto.port(), 1, 0);  // the shelf is empty
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            HttpResponse<String> created = node.http().send("POST", "/v1/subscriptions",
                "{\"storeId\": \"WH1\", \"gtin\": \"4006381333931\", \"callbackUrl\": \"" + hook + "\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            JsonObject sub = new JsonObject(created.body());

            // when it comes back on the shelf
            publish(mosquitto.port(), 2, 6);

            // then one signed call arrives
            String[] call = calls.poll(10, TimeUnit.SECONDS);
            assertThat(call).as("a webhook call within 10 s").isNotNull();
            JsonObject body = new JsonObject(call[0]);
            assertThat(body.getString("type")).isEqualTo("back_in_stock");
            assertThat(body.getString("gtin")).isEqualTo("04006381333931");
            assertThat(call[1]).isEqualTo("sha256=" + Webhooks.signature(sub.getString("secret"), call[0]));
            // and the one-shot subscription is gone: emptied and back again, nobody is called
            HttpResponse<String> deleted = node.http().send("DELETE", "/v1/subscriptions/" + sub.getString("id"), null);
            assertThat(deleted.statusCode()).isEqualTo(404);
            publish(mosquitto.port(), 3, 0);
            publish(mosquitto.port(), 4, 5);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                Integer.valueOf(5).equals(node.http().getJson("/v1/stores/WH1/products/4006381333931").getInteger("shelfCount")));
            assertThat(calls.poll(1, TimeUnit.SECONDS)).as("no call after the subscription was used").isNull();
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void callbacksMustBeHttpAndNotPrivateByDefault(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "webhook-gateway-2", Map.of())) {
            node.http().admin("/v1/admin/stores/WH2", "{\"name\": \"WH2\", \"lat\": 41.4, \"lon\": 2.17}");
            assertThat(new JsonObject(node.http().send("POST", "/v1/subscriptions",
                "{\"storeId\": \"WH2\", \"gtin\": \"4006381333931\", \"callbackUrl\": \"http://127.0.0.1:9/x\"}").body())
                .getString("code")).isEqualTo("subscription:callback.private");
            assertThat(new JsonObject(node.http().send("POST", "/v1/subscriptions",
                "{\"storeId\": \"WH2\", \"gtin\": \"4006381333931\", \"callbackUrl\": \"ftp://example.com/x\"}").body())
                .getString("code")).isEqualTo("subscription:callback.invalid");
            assertThat(new JsonObject(node.http().send("POST", "/v1/subscriptions",
                "{\"storeId\": \"NOPE\", \"gtin\": \"4006381333931\", \"callbackUrl\": \"http://10.1.2.3/x\"}").body())
                .getString("code")).isEqualTo("subscription:callback.private");
        }
    }

    private static void publish(int mqtt, int seq, int count) {
        MosquittoPub.publish(mqtt, "onshelf/v1/stores/WH1/shelf/wh1-mat", "{\"eventId\": \"w" + seq + "\", \"seq\": " + seq
            + ", \"ts\": \"" + Instant.now() + "\", \"gtin\": \"4006381333931\", \"count\": " + count + "}");
    }
}
