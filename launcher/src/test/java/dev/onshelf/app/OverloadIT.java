package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Overload sheds at once instead of queueing: while Redis is stalled, requests beyond what the process
 * may have in progress are answered 503 + Retry-After immediately; the ones admitted are
 * answered when Redis is back, and operations endpoints are never shed.
 */
@ExtendWith(RealServices.class)
@Timeout(60)
class OverloadIT {

    @Test
    void requestsBeyondTheBoundAreShedAtOnce(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "overload-gateway", Map.of(
            "ONSHELF_MAX_PENDING_REQUESTS", "4", "ONSHELF_REQUEST_TIMEOUT_MS", "20000",
            "ONSHELF_RATE_LIMIT_PER_SECOND", "100000", "ONSHELF_REDIS_TIMEOUT_MS", "10000"))) {
            node.http().admin("/v1/admin/stores/OV1", "{\"name\": \"OV1\", \"lat\": 1, \"lon\": 1}");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            redis.stallNow(4);
            long start = System.nanoTime();
            List<CompletableFuture<long[]>> answers = new ArrayList<>();
            List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 40; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                    + "/v1/stores/OV1/products/4006381333931")).timeout(Duration.ofSeconds(30)).build();
                answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                    if (r.statusCode() == 503) {
                        bodies.add(r.body() + " Retry-After=" + r.headers().firstValue("Retry-After").orElse("none"));
                    }
                    return new long[] {r.statusCode(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)};
                }));
            }
            assertThat(node.http().get("/health/live").statusCode()).isEqualTo(200);
            List<long[]> done = new ArrayList<>();
            for (CompletableFuture<long[]> a : answers) {
                done.add(a.get(30, TimeUnit.SECONDS));
            }
            long shed = done.stream().filter(a -> a[0] == 503).count();
            long served = done.stream().filter(a -> a[0] == 200).count();
            // four in progress per process, whatever event loop each connection landed on
            assertThat(served).as("admitted and answered after the stall; shed: %s", bodies).isBetween(1L, 4L);
            assertThat(shed + served).isEqualTo(40);
            assertThat(done.stream().filter(a -> a[0] == 503).mapToLong(a -> a[1]).max().orElseThrow())
                .as("shed answers come before the 4 s stall is over (ms)").isLessThan(3_000);
            assertThat(bodies).allSatisfy(b -> assertThat(b).contains("\"code\":\"http:overloaded\"")
                .contains("Retry-After=1"));
            assertThat(new JsonObject(node.http().get("/v1/stores/OV1/products/4006381333931").body())
                .getString("gtin")).isEqualTo("04006381333931");
        }
    }
}
