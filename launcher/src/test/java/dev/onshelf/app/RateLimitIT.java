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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServices.class)
@Timeout(60)
class RateLimitIT {
    private static final String LOOKUP = "/v1/stores/RL1/products/4006381333931";

    @Test
    void aClientOverItsRateIsToldToRetryLater(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "ratelimit-gateway",
            Map.of("ONSHELF_RATE_LIMIT_PER_SECOND", "5"))) {
            node.http().admin("/v1/admin/stores/RL1", "{\"name\": \"RL1\", \"lat\": 1, \"lon\": 1}");
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> limited = null;
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> r = node.http().get(LOOKUP);
                statuses.add(r.statusCode());
                if (r.statusCode() == 429) {
                    limited = r;
                }
            }
            assertThat(statuses.subList(0, 5)).containsOnly(200);
            assertThat(statuses).contains(429);
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
            assertThat(new JsonObject(limited.body()).getString("code")).isEqualTo("http:rate_limited");
            // operations endpoints are not limited
            assertThat(node.http().get("/health/live").statusCode()).isEqualTo(200);
        }
    }

    /**
     * The finding of issue 14: 400 requests from one address, 32 connections at a time, spread over
     * every event loop. The limit is per client per process, so at most the bucket (50) plus what
     * refills while the burst runs (50 a second) is admitted, whatever loop a connection landed on.
     */
    @Test
    void aBurstOverManyConnectionsIsLimitedAtTheConfiguredRate(RedisProcess redis, MosquittoProcess mosquitto)
            throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "ratelimit-burst",
            Map.of("ONSHELF_RATE_LIMIT_PER_SECOND", "50"))) {
            node.http().admin("/v1/admin/stores/RL1", "{\"name\": \"RL1\", \"lat\": 1, \"lon\": 1}");
            Burst burst = burst(List.of(node.port()), 400, 32, new String[0]);
            assertThat(burst.limited).as("429s in the burst").isPositive();
            assertThat(burst.ok).as("admitted at least the bucket").isGreaterThanOrEqualTo(50);
            assertThat(burst.ok).as("admitted in %s ms at 50/s", burst.millis)
                .isLessThanOrEqualTo(allowed(50, burst.millis));
            assertThat(burst.ok + burst.limited).isEqualTo(400L);
        }
    }

    /** What a token bucket of {@code rate} with a refill of {@code rate} a second admits at most in a run. */
    static long allowed(long rate, long millis) {
        return rate + (rate * millis + 999) / 1000;
    }

    record Burst(long ok, long limited, long millis, List<HttpResponse<String>> refused) {
    }

    /** {@code total} lookups over {@code parallel} connections, round robin over the ports. */
    static Burst burst(List<Integer> ports, int total, int parallel, String[] headers) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                int port = ports.get(i % ports.size());
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + LOOKUP))
                    .timeout(Duration.ofSeconds(10));
                for (int h = 0; h + 1 < headers.length; h += 2) {
                    b.header(headers[h], headers[h + 1]);
                }
                HttpRequest request = b.build();
                answers.add(pool.submit(() -> client.send(request, HttpResponse.BodyHandlers.ofString())));
            }
            long ok = 0;
            long limited = 0;
            List<HttpResponse<String>> refused = new ArrayList<>();
            for (Future<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    ok++;
                } else if (r.statusCode() == 429) {
                    limited++;
                    refused.add(r);
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (HttpResponse<String> r : refused) {
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("http:rate_limited");
            }
            return new Burst(ok, limited, millis, refused);
        } finally {
            pool.shutdownNow();
        }
    }
}
