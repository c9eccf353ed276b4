package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adversarial sequences published with the real mosquitto_pub, as a device outside our code base
 * would: duplicates, reorders, a restart, a delta older than a count, every kind of bad input, and a
 * device's MQTT will. The final state is what a careful person computes by hand, and valid events
 * after the bad ones are still served.
 */
@ExtendWith(RealServices.class)
@Timeout(120)
class AdversarialIT {
    private static final String GTIN = "4006381333931";
    private static final long T = System.currentTimeMillis() - 60_000;
    private static TestNode node;
    private static Http http;
    private static int port;

    @BeforeAll
    static void start(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        port = mosquitto.port();
        node = TestNode.start(redis.url(), mosquitto.url(), "adversarial-gateway", Map.of());
        http = node.http();
        http.admin("/v1/admin/stores/A1", "{\"name\": \"A1\", \"lat\": 51.5, \"lon\": -0.12}");
        http.admin("/v1/admin/stores/A2", "{\"name\": \"A2\", \"lat\": 51.4, \"lon\": -0.1}");
        http.admin("/v1/admin/stores/A1/devices/a1-mat", "{\"kind\": \"shelf\"}");
        http.admin("/v1/admin/stores/A1/devices/a1-till", "{\"kind\": \"feed\"}");
        // each test numbers its own devices: a device's seqs only go up (or start again at 1 on a reboot)
        http.admin("/v1/admin/stores/A1/devices/a1-willmat", "{\"kind\": \"shelf\"}");
        http.admin("/v1/admin/stores/A1/devices/a1-willtill", "{\"kind\": \"feed\"}");
        http.admin("/v1/admin/stores/A1/devices/a1-alertmat", "{\"kind\": \"shelf\"}");
        http.admin("/v1/admin/stores/A2/devices/a2-mat", "{\"kind\": \"shelf\"}");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static String at(long offsetMillis) {
        return Instant.ofEpochMilli(T + offsetMillis).toString();
    }

    private static void feed(int seq, long offset, String type, String qty) {
        MosquittoPub.publish(port, "onshelf/v1/stores/A1/feed/a1-till", "{\"eventId\": \"f" + seq + "\", \"seq\": " + seq
            + ", \"ts\": \"" + at(offset) + "\", \"type\": \"" + type + "\", \"gtin\": \"" + GTIN + "\", \"qty\": " + qty + "}");
    }

    private static void shelf(String topic, int seq, long offset, String count) {
        MosquittoPub.publish(port, topic, "{\"eventId\": \"r" + seq + "-" + offset + "\", \"seq\": " + seq
            + ", \"ts\": \"" + at(offset) + "\", \"gtin\": \"" + GTIN + "\", \"count\": " + count + ", \"location\": \"A\"}");
    }

    private static long rejected(String reason) {
        String metrics = http.get("/metrics").body();
        java.util.regex.Matcher m = java.util.regex.Pattern
            .compile("onshelf_gateway_events_rejected_total\\{reason=\"" + java.util.regex.Pattern.quote(reason)
                + "\"\\} ([0-9.]+)").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void adversarialSequencesEndInTheStateComputedByHand(@TempDir Path dir) throws Exception {
        String mat = "onshelf/v1/stores/A1/shelf/a1-mat";
        // the books: a COUNT, then a receipt older than the count arrives late (already in it)
        feed(2, 2_000, "COUNT", "20");
        feed(1, 1_000, "RECEIPT", "10");
        // a sale delivered twice
        feed(3, 3_000, "SALE", "3");
        feed(3, 3_000, "SALE", "3");
        // seq 5 overtakes seq 4
        feed(5, 6_000, "SALE", "2");
        feed(4, 5_000, "SALE", "1");
        // the shelf: a newer reading, then an older one arriving late
        shelf(mat, 10, 10_000, "5");
        shelf(mat, 9, 9_000, "9");
        // the mat restarts: its numbering starts again at 1
        shelf(mat, 1, 20_000, "4");

        // every kind of bad input
        MosquittoPub.publish(port, mat, "{\"eventId\": \"x\", \"seq\": ");
        MosquittoPub.publish(port, mat, "{\"eventId\": \"x\", \"seq\": 50, \"ts\": \"" + at(21_000)
            + "\", \"gtin\": \"4006381333932\", \"count\": 1}");
        shelf(mat, 51, 21_000, "-1");
        shelf(mat, 52, 21_000, "1000000");
        MosquittoPub.publish(port, "onshelf/v1/stores/A1/feed/a1-till", "{\"eventId\": \"x\", \"seq\": 60, \"ts\": \""
            + at(21_000) + "\", \"type\": \"STEAL\", \"gtin\": \"" + GTIN + "\", \"qty\": 1}");
        shelf("onshelf/v1/stores/NOPE/shelf/a1-mat", 53, 21_000, "1");
        shelf("onshelf/v1/stores/A1/shelf/stranger", 1, 21_000, "1");
        shelf("onshelf/v1/stores/A1/shelf/a2-mat", 1, 21_000, "0");
        MosquittoPub.publish(port, mat, "{\"storeId\": \"A2\", \"eventId\": \"x\", \"seq\": 54, \"ts\": \""
            + at(21_000) + "\", \"gtin\": \"" + GTIN + "\", \"count\": 0}");
        MosquittoPub.publish(port, mat, "{\"eventId\": \"x\", \"seq\": 55, \"ts\": \""
            + Instant.now().plusSeconds(3600) + "\", \"gtin\": \"" + GTIN + "\", \"count\": 0}");
        Path big = dir.resolve("big.json");
        Files.writeString(big, "{\"eventId\": \"x\", \"seq\": 56, \"pad\": \"" + "x".repeat(70_000) + "\"}");
        Process p = new ProcessBuilder("mosquitto_pub", "-p", Integer.toString(port), "-V", "mqttv5", "-q", "1",
            "-t", mat, "-f", big.toString()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

        // and a valid sale after all of them
        feed(6, 30_000, "SALE", "1");

        // then: book = 20 - 3 - 1 - 2 - 1 = 13; shelf = 4 (restart applied, late older reading ignored)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonObject a = http.getJson("/v1/stores/A1/products/" + GTIN);
            assertThat(a.getLong("bookCount")).isEqualTo(13);
            assertThat(a.getInteger("shelfCount")).isEqualTo(4);
            assertThat(a.getBoolean("onShelf")).isTrue();
            assertThat(a.getString("confidence")).isEqualTo("high");
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(rejected("json.malformed")).isGreaterThanOrEqualTo(1);
            assertThat(rejected("gtin.invalid")).isGreaterThanOrEqualTo(1);
            assertThat(rejected("quantity.out_of_range")).isGreaterThanOrEqualTo(2);
            assertThat(rejected("type.unknown")).isGreaterThanOrEqualTo(1);
            assertThat(rejected("store.unknown")).isGreaterThanOrEqualTo(1);
            assertThat(rejected("device.unregistered")).isGreaterThanOrEqualTo(1);
            // (A2's mat on A1's topic is, for A1, a device it does not have: device.unregistered)
            assertThat(rejected("topic.mismatch")).isGreaterThanOrEqualTo(1);
            assertThat(rejected("timestamp.future")).isGreaterThanOrEqualTo(1);
            assertThat(rejected("payload.too_large")).isGreaterThanOrEqualTo(1);
        });
        // and store A2 was never touched by the foreign device's message
        assertThat(http.getJson("/v1/stores/A2/products/" + GTIN).getString("confidence")).isEqualTo("none");
    }

    @Test
    void aDevicesWillMakesItsReadingsStaleAtOnce() throws Exception {
        // given a fresh reading of 7 units and a till count of 11
        String status = "onshelf/v1/stores/A1/status/a1-willmat";
        String gtin = "96385074";
        MosquittoPub.publish(port, "onshelf/v1/stores/A1/shelf/a1-willmat", "{\"eventId\": \"w1\", \"seq\": 1, \"ts\": \""
            + Instant.now() + "\", \"gtin\": \"" + gtin + "\", \"count\": 7}");
        MosquittoPub.publish(port, "onshelf/v1/stores/A1/feed/a1-willtill", "{\"eventId\": \"w2\", \"seq\": 1, \"ts\": \""
            + Instant.now() + "\", \"type\": \"COUNT\", \"gtin\": \"" + gtin + "\", \"qty\": 11}");
        await().atMost(Duration.ofSeconds(5)).until(() ->
            "high".equals(http.getJson("/v1/stores/A1/products/" + gtin).getString("confidence")));
        // when the device (connected with its will, proven by receiving a retained ping) dies
        MosquittoPub.retain(port, "test/adversarial/ping", "ping");
        Process device = new ProcessBuilder("mosquitto_sub", "-p", Integer.toString(port), "-V", "mqttv5",
            "-t", "test/adversarial/ping", "--will-topic", status, "--will-qos", "1", "--will-retain",
            "--will-payload", "{\"state\": \"offline\", \"ts\": \"" + Instant.now() + "\"}").start();
        assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(device.getInputStream())).readLine())
            .isEqualTo("ping");
        device.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        // then the shelf reading no longer counts: the answer rests on the books, with medium confidence
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonObject a = http.getJson("/v1/stores/A1/products/" + gtin);
            assertThat(a.getString("confidence")).isEqualTo("medium");
            assertThat(a.getLong("bookCount")).isEqualTo(11);
        });
    }

    @Test
    void alertsArePublishedOncePerTransitionNotOncePerEvent() throws Exception {
        // given a handheld listening on the store's alerts topic
        MosquittoPub.retain(port, "test/adversarial/alerts-ready", "ready");
        Process handheld = new ProcessBuilder("mosquitto_sub", "-p", Integer.toString(port), "-V", "mqttv5", "-q", "1",
            "-t", "test/adversarial/alerts-ready", "-t", "onshelf/v1/stores/A1/alerts").start();
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(handheld.getInputStream()));
        try {
            assertThat(lines.readLine()).isEqualTo("ready");
            // when a shelf goes 12 -> 0 -> 0 -> 0 -> 6 units
            String gtin = "036000291452";
            int seq = 0;
            for (int units : new int[] {12, 0, 0, 0, 6}) {
                seq++;
                MosquittoPub.publish(port, "onshelf/v1/stores/A1/shelf/a1-alertmat", "{\"eventId\": \"al" + seq
                    + "\", \"seq\": " + seq + ", \"ts\": \"" + Instant.now() + "\", \"gtin\": \"" + gtin
                    + "\", \"location\": \"C\", \"count\": " + units + "}");
            }
            // then exactly one "empty" and one "back in stock" alert, in that order
            java.util.List<String> types = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (types.size() < 2 && System.nanoTime() < deadline) {
                String line = lines.readLine();
                JsonObject alert = new JsonObject(line);
                if (alert.getString("gtin").equals("00036000291452")) {
                    types.add(alert.getString("type"));
                }
            }
            assertThat(types).containsExactly("shelf.empty", "shelf.back_in_stock");
            // and no further alert for that product after the last event was applied
            await().atMost(Duration.ofSeconds(5)).until(() ->
                http.getJson("/v1/stores/A1/products/036000291452").getInteger("shelfCount") == 6);
            MosquittoPub.publish(port, "onshelf/v1/stores/A1/alerts", "{\"gtin\": \"marker\"}");
            assertThat(new JsonObject(lines.readLine()).getString("gtin")).isEqualTo("marker");
        } finally {
            handheld.destroyForcibly();
        }
    }
}
