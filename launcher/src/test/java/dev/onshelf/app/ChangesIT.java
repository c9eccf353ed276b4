package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Server-Sent Events of a store's changes: live, filtered by product, and resumed with Last-Event-ID. */
@ExtendWith(RealServices.class)
@Timeout(60)
class ChangesIT {
    private static final String A = "4006381333931";
    private static final String B = "96385074";
    private static TestNode node;
    private static int mqtt;
    private static int seq;
    private static String redisUrl;

    @BeforeAll
    static void start(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        mqtt = mosquitto.port();
        redisUrl = redis.url();
        node = TestNode.start(redis.url(), mosquitto.url(), "changes-gateway", Map.of());
        node.http().admin("/v1/admin/stores/CH1", "{\"name\": \"CH1\", \"lat\": 48.85, \"lon\": 2.35}");
        node.http().admin("/v1/admin/stores/CH1/devices/ch1-mat", "{\"kind\": \"shelf\"}");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void reading(String gtin, int count) {
        seq++;
        MosquittoPub.publish(mqtt, "onshelf/v1/stores/CH1/shelf/ch1-mat", "{\"eventId\": \"c" + seq + "\", \"seq\": " + seq
            + ", \"ts\": \"" + Instant.now() + "\", \"gtin\": \"" + gtin + "\", \"count\": " + count + "}");
    }

    /** An SSE client: events (id + data) arrive on a queue; the stream is open once the first comment is read. */
    private record Sse(CompletableFuture<HttpResponse<Stream<String>>> response, BlockingQueue<String[]> events) {
        static Sse open(String path, String lastEventId) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path));
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
            CompletableFuture<Void> opened = new CompletableFuture<>();
            CompletableFuture<HttpResponse<Stream<String>>> response = HttpClient.newHttpClient()
                .sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(r -> {
                String[] current = new String[2];
                r.body().forEach(line -> {
                    if (line.startsWith(": change stream")) {
                        opened.complete(null);
                    } else if (line.startsWith("id: ")) {
                        current[0] = line.substring(4);
                    } else if (line.startsWith("event: ")) {
                        current[1] = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        events.add(new String[] {current[0], line.substring(6), current[1]});
                    }
                });
            });
            opened.get(10, TimeUnit.SECONDS);
            return new Sse(response, events);
        }

        JsonObject next() throws InterruptedException {
            String[] e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return new JsonObject(e[1]).put("_id", e[0]).put("_event", e[2]);
        }

        void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }

    @Test
    void changesStreamLiveFilteredAndResumable() throws Exception {
        // given a client watching product A only
        Sse watch = Sse.open("/v1/stores/CH1/changes?gtins=" + A, null);
        // when B changes, then A
        reading(B, 3);
        reading(A, 4);
        // then only A's change arrives, with its new answer
        JsonObject first = watch.next();
        assertThat(first.getString("gtin")).isEqualTo("0" + A);
        assertThat(first.getInteger("shelfCount")).isEqualTo(4);
        assertThat(first.getBoolean("onShelf")).isTrue();
        watch.close();

        // when A empties while the client is away
        reading(A, 0);
        // then reconnecting with Last-Event-ID delivers what it missed
        Sse resumed = Sse.open("/v1/stores/CH1/changes?gtins=" + A, first.getString("_id"));
        JsonObject missed = resumed.next();
        assertThat(missed.getBoolean("onShelf")).isFalse();
        assertThat(missed.getString("_id")).isGreaterThan(first.getString("_id"));
        resumed.close();
    }

    @Test
    void aClientResumingFromBeyondTheKeptHistoryIsToldToReread() throws Exception {
        reading(B, 5);
        Sse watch = Sse.open("/v1/stores/CH1/changes?gtins=" + B, null);
        reading(B, 6);
        String seen = watch.next().getString("_id");
        watch.close();
        reading(B, 7);
        reading(B, 8);
        try (dev.onshelf.aggregator.redis.RedisConnector c = new dev.onshelf.aggregator.redis.RedisConnector(redisUrl,
            Duration.ofSeconds(5))) {
            String key = dev.onshelf.aggregator.redis.Keys.changes(new dev.onshelf.core.model.StoreId("CH1"));
            await().atMost(Duration.ofSeconds(5)).until(() ->  // the two changes after the one seen are in the feed
                Integer.valueOf(8).equals(node.http().getJson("/v1/stores/CH1/products/" + B).getInteger("shelfCount")));
            c.connection().sync().xtrim(key, 1);  // the bound of the kept history, reached early
        }
        Sse resumed = Sse.open("/v1/stores/CH1/changes?gtins=" + B, seen);
        JsonObject reset = resumed.next();
        assertThat(reset.getString("_event")).isEqualTo("reset");
        assertThat(reset.getString("reason")).isEqualTo("history.truncated");
        JsonObject current = resumed.next();
        assertThat(current.getInteger("shelfCount")).isEqualTo(8);
        resumed.close();
        // resuming from the newest id needs no reset
        Sse upToDate = Sse.open("/v1/stores/CH1/changes?gtins=" + B, current.getString("_id"));
        reading(B, 9);
        assertThat(upToDate.next().getString("_event")).isEqualTo("availability");
        upToDate.close();
    }

    @Test
    void aBadResumeIdIsAProblem() {
        assertThat(new JsonObject(node.http().get("/v1/stores/CH1/changes?lastEventId=yesterday").body()).getString("code"))
            .isEqualTo("request:lastEventId.invalid");
    }
}
