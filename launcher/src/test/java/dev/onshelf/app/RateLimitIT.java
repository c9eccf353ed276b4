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

    /**
     * Two API processes against one Redis with ONSHELF_RATE_LIMIT_SHARED=true: a client's burst spread
     * over both is counted once, in one-second windows, so at most the rate per window it spanned is
     * admitted (each process alone would admit its own bucket). A key issued on one process is known
     * to the other through pub/sub, and a request body still reaches its handler after the Redis count.
     */
    @Test
    void withASharedLimitTwoProcessesCountOneClientOnce(RedisProcess redis, MosquittoProcess mosquitto)
            throws Exception {
        Map<String, String> env = Map.of("ONSHELF_RATE_LIMIT_PER_SECOND", "20", "ONSHELF_RATE_LIMIT_SHARED", "true");
        try (TestNode a = TestNode.start(redis.url(), mosquitto.url(), "ratelimit-shared-a", env);
             TestNode b = TestNode.start(redis.url(), mosquitto.url(), "ratelimit-shared-b", env)) {
            a.http().admin("/v1/admin/stores/RL1", "{\"name\": \"RL1\", \"lat\": 1, \"lon\": 1}");
            long startSecond = System.currentTimeMillis() / 1000;
            Burst burst = burst(List.of(a.port(), b.port()), 160, 16, new String[0]);
            long windows = System.currentTimeMillis() / 1000 - startSecond + 1;
            assertThat(burst.limited).as("429s in the burst").isPositive();
            assertThat(burst.ok).as("admitted over two processes in %s window(s) at 20/s", windows)
                .isBetween(20L, 20 * windows);
            assertThat(burst.refused).anySatisfy(r -> assertThat(new JsonObject(r.body()).getString("detail"))
                .contains("across all servers"));

            // a key issued on one process is a client on the other as soon as it has heard of it
            HttpResponse<String> issued = a.http().send("POST", "/v1/admin/api-keys",
                "{\"name\": \"partner\", \"ratePerSecond\": 500}", "Authorization", "Bearer " + TestNode.TOKEN);
            String key = new JsonObject(issued.body()).getString("key");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
                HttpResponse<String> r = b.http().send("GET", LOOKUP, null, "X-API-Key", key);
                return r.statusCode() == 200
                    && Long.parseLong(r.headers().firstValue("X-RateLimit-Remaining").orElse("0")) >= 20;
            });

            // a body waits for its reader while Redis counts: the handler sees it (the check digit is wrong)
            HttpResponse<String> posted = b.http().send("POST", "/v1/subscriptions",
                "{\"storeId\": \"RL1\", \"gtin\": \"4006381333932\", \"callbackUrl\": \"https://example.com/h\"}",
                "X-API-Key", key);
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(400);
            assertThat(new JsonObject(posted.body()).getString("code")).isEqualTo("availability:gtin.invalid");
            // and the connection serves the next request
            assertThat(b.http().send("GET", LOOKUP, null, "X-API-Key", key).statusCode()).isEqualTo(200);
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
