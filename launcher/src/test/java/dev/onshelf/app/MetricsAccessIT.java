package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** /metrics is not public, and none of its series is named after something a client chose. */
@ExtendWith(RealServices.class)
@Timeout(60)
class MetricsAccessIT {
    private static final String METRICS_TOKEN = "metrics-token-0123456789";

    @Test
    void withATokenMetricsNeedIt(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "metrics-gateway",
            Map.of("ONSHELF_METRICS_TOKEN", METRICS_TOKEN))) {
            assertThat(node.http().get("/metrics").statusCode()).isEqualTo(401);
            assertThat(node.http().send("GET", "/metrics", null, "Authorization", "Bearer not-the-token").statusCode())
                .isEqualTo(401);
            HttpResponse<String> ok = node.http().send("GET", "/metrics", null, "Authorization", "Bearer " + METRICS_TOKEN);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("onshelf_gateway_events_received_total");
        }
    }

    @Test
    void withoutATokenOnlyLocalClientsMayRead(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to call from");
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "metrics-gateway-2",
            Map.of("ONSHELF_HTTP_HOST", "0.0.0.0"))) {
            // the same port, reached over the machine's own network address rather than loopback
            HttpResponse<String> remote = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + external.get().getHostAddress() + ":" + node.port() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(remote.statusCode()).isEqualTo(403);
            assertThat(new JsonObject(remote.body()).getString("code")).isEqualTo("auth:metrics.local_only");
            assertThat(node.http().get("/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void noSeriesIsNamedAfterACallbackOrAMadeUpMethod(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "metrics-gateway-3",
            Map.of("ONSHELF_WEBHOOK_ALLOW_PRIVATE", "true"))) {
            node.http().admin("/v1/admin/stores/MT1", "{\"name\": \"MT1\", \"lat\": 1, \"lon\": 1}");
            node.http().admin("/v1/admin/stores/MT1/devices/mt1-mat", "{\"kind\": \"shelf\"}");
            publish(mosquitto.port(), 1, 0);
            String port = Integer.toString(receiver.getAddress().getPort());
            assertThat(node.http().send("POST", "/v1/subscriptions", "{\"storeId\": \"MT1\", \"gtin\": \"4006381333931\", "
                + "\"callbackUrl\": \"http://127.0.0.1:" + port + "/hook\"}").statusCode()).isEqualTo(201);
            publish(mosquitto.port(), 2, 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
            for (String method : new String[] {"PROBEA", "PROBEB", "PROBEC"}) {
                node.http().send(method, "/v1/stores", null);
            }
            String metrics = node.http().get("/metrics").body();
            assertThat(metrics).doesNotContain(":" + port).doesNotContain("PROBEA").doesNotContain("PROBEC")
                .contains("vertx_http_server_requests_total");
        } finally {
            receiver.stop(0);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private static void publish(int mqtt, int seq, int count) {
        MosquittoPub.publish(mqtt, "onshelf/v1/stores/MT1/shelf/mt1-mat", "{\"eventId\": \"m" + seq + "\", \"seq\": " + seq
            + ", \"ts\": \"" + Instant.now() + "\", \"gtin\": \"4006381333931\", \"count\": " + count + "}");
    }
}
