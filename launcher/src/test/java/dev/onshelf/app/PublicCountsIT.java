package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.core.model.Gtin;
import dev.onshelf.testkit.ChromeDriverProcess;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ONSHELF_PUBLIC_COUNTS=false (issue 12): no public answer — one lookup, a basket, across stores,
 * nearby, the change stream — carries an exact unit count, while staff answers keep them; the shopper
 * page still answers in words, and the staff app still shows the counts.
 */
@ExtendWith(RealServices.class)
@Timeout(120)
class PublicCountsIT {
    private static final String STORE = "PC1";
    private static final String SECRET = "public-counts-it-staff-secret-0123456789";
    private static final Path SHOTS = Path.of("target", "screenshots");

    @Test
    void countsAreHiddenFromThePublicAndKeptForStaff(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        String gtin = Gtin.fromBody("0501234567891").value();
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "public-counts-gateway",
                Map.of("ONSHELF_PUBLIC_COUNTS", "false", "ONSHELF_STAFF_JWT_SECRET", SECRET));
             ChromeDriverProcess driver = (ChromeDriverProcess) new ChromeDriverProcess().start()) {
            Http http = node.http();
            String token = Main.demoStaffToken(SECRET, List.of(STORE));
            // given a store whose shelf mat reads 1 unit (low: at or below the default 2) and books of 7
            http.admin("/v1/admin/stores/" + STORE, "{\"name\": \"Counts Street\", \"lat\": 48.85, \"lon\": 2.35}");
            http.admin("/v1/admin/stores/" + STORE + "/devices/pc-mat", "{\"kind\": \"shelf\"}");
            http.admin("/v1/admin/products/" + gtin, "{\"name\": \"Quincefruit Jam\", \"size\": \"370 g\"}");
            assertThat(http.send("POST", "/v1/staff/stores/" + STORE + "/counts", "{\"gtin\": \"" + gtin
                + "\", \"qty\": 7}", "Authorization", "Bearer " + token).statusCode()).isEqualTo(201);
            Sse changes = Sse.open(node.port(), "/v1/stores/" + STORE + "/changes?gtins=" + gtin);
            shelf(mosquitto, 1, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> "LimitedAvailability".equals(
                http.getJson("/v1/stores/" + STORE + "/products/" + gtin).getString("availability")));

            // then no public answer carries a count, while each still says how it stands in words
            JsonObject one = http.getJson("/v1/stores/" + STORE + "/products/" + gtin);
            assertThat(one.getBoolean("onShelf")).isTrue();
            assertThat(one.getString("confidence")).isEqualTo("high");
            assertThat(one.getString("name")).isEqualTo("Quincefruit Jam");
            assertNoCounts(one);
            assertNoCounts(http.getJson("/v1/stores/" + STORE + "/products?gtins=" + gtin).getJsonArray("items"));
            assertNoCounts(http.getJson("/v1/products/" + gtin + "/availability?stores=" + STORE).getJsonArray("items"));
            JsonArray nearby = http.getJson("/v1/products/" + gtin + "/nearby?lat=48.85&lon=2.35").getJsonArray("items");
            assertThat(nearby).hasSize(1);
            assertNoCounts(nearby);
            JsonObject event = changes.next();
            assertThat(event.getString("gtin")).isEqualTo(gtin);
            assertNoCounts(event);
            changes.close();

            // and staff answers keep the exact counts
            String auth = "Bearer " + token;
            JsonObject staffView = new JsonObject(http.send("GET", "/v1/staff/stores/" + STORE + "/products/" + gtin,
                null, "Authorization", auth).body());
            assertThat(staffView.getInteger("shelfCount")).isEqualTo(1);
            assertThat(staffView.getLong("bookCount")).isEqualTo(7L);
            JsonObject gap = new JsonObject(http.send("GET", "/v1/staff/stores/" + STORE + "/gaps", null,
                "Authorization", auth).body()).getJsonArray("items").getJsonObject(0);
            assertThat(gap.getString("gap")).isEqualTo("low");
            assertThat(gap.getInteger("shelfCount")).isEqualTo(1);
            assertThat(http.send("GET", "/v1/staff/stores/" + STORE + "/products/" + gtin, null).statusCode())
                .as("the staff view needs a staff token").isEqualTo(401);

            try (Browser shopper = new Browser(driver.url(), Files.createTempDirectory("chromium-counts"), 360, 800);
                 Browser staff = new Browser(driver.url(), Files.createTempDirectory("chromium-counts-staff"), 360, 800)) {
                try {
                    // when a shopper looks it up, the page answers in words
                    shopper.open("http://127.0.0.1:" + node.port() + "/");
                    await().atMost(Duration.ofSeconds(15)).until(() ->
                        shopper.find("#store option[value='" + STORE + "']") != null);
                    shopper.click("#store option[value='" + STORE + "']");
                    shopper.type("#q", "quincefruit" + Browser.ENTER);
                    await().atMost(Duration.ofSeconds(15)).until(() -> shopper.text(".verdict").startsWith("Only a few left"));
                    assertThat(shopper.text(".verdict")).isEqualTo("Only a few left on the shelf at Counts Street");
                    shopper.screenshot(SHOTS.resolve("shopper-counts-hidden.png"));
                    // and the staff app still shows the exact counts of a scanned product
                    staff.open("http://127.0.0.1:" + node.port() + "/staff/");
                    await().atMost(Duration.ofSeconds(15)).until(() -> staff.find("#token") != null);
                    staff.type("#token", token + Browser.ENTER);
                    await().atMost(Duration.ofSeconds(15)).until(() -> staff.find("[data-tab=scan]") != null
                        && staff.text("#gaps-list").contains("Quincefruit Jam"));
                    staff.click("[data-tab=scan]");
                    staff.type("#code", gtin + Browser.ENTER);
                    await().atMost(Duration.ofSeconds(15)).until(() -> staff.text("#shelf-count").equals("1"));
                    assertThat(staff.text("#book-count")).isEqualTo("7");
                    // and follows the shelf live, counts included, although the stream carries none
                    shelf(mosquitto, 2, 4);
                    await().atMost(Duration.ofSeconds(15)).until(() -> staff.text("#shelf-count").equals("4"));
                } catch (AssertionError | RuntimeException e) {
                    shopper.screenshot(SHOTS.resolve("failure-counts-shopper.png"));
                    staff.screenshot(SHOTS.resolve("failure-counts-staff.png"));
                    throw new AssertionError("shopper page:\n" + shopper.source() + "\nstaff app:\n" + staff.source(), e);
                }
            }
        }
    }

    private static void assertNoCounts(JsonArray items) {
        assertThat(items).isNotEmpty();
        for (int i = 0; i < items.size(); i++) {
            assertNoCounts(items.getJsonObject(i));
        }
    }

    private static void assertNoCounts(JsonObject answer) {
        assertThat(answer.fieldNames()).as(answer.encode()).doesNotContain("shelfCount", "bookCount");
        assertThat(answer.getString("availability")).isEqualTo("LimitedAvailability");
    }

    private static void shelf(MosquittoProcess mosquitto, int seq, int count) throws Exception {
        MosquittoPub.publish(mosquitto.port(), "onshelf/v1/stores/" + STORE + "/shelf/pc-mat",
            "{\"eventId\": \"pc" + seq + "\", \"seq\": " + seq + ", \"ts\": \"" + Instant.now() + "\", \"gtin\": \""
                + Gtin.fromBody("0501234567891").value() + "\", \"count\": " + count + "}");
    }

    /** A change stream's availability events, as they arrive (open once its first comment is read). */
    private record Sse(HttpResponse<Stream<String>> response, BlockingQueue<String> data) {
        static Sse open(int port, String path) throws Exception {
            HttpResponse<Stream<String>> r = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
            BlockingQueue<String> data = new LinkedBlockingQueue<>();
            BlockingQueue<Boolean> opened = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> r.body().forEach(line -> {
                if (line.startsWith(":")) {
                    opened.offer(true);
                } else if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }), "sse-reader");
            reader.setDaemon(true);
            reader.start();
            assertThat(opened.poll(10, TimeUnit.SECONDS)).as("the stream opens").isNotNull();
            return new Sse(r, data);
        }

        JsonObject next() throws InterruptedException {
            String e = data.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return new JsonObject(e);
        }

        void close() {
            response.body().close();
        }
    }
}
