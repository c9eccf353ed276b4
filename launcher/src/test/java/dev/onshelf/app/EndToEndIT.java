package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisTarget;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole slice against real Mosquitto and real Redis: a device registered over the admin API
 * publishes with mosquitto_pub, and a shopper's GET reads the answer back.
 */
@ExtendWith(RealServices.class)
@Timeout(120)
class EndToEndIT {
    private static TestNode node;
    private static Http http;
    private static int mqttPort;

    @BeforeAll
    static void start(RedisTarget redis, MosquittoProcess mosquitto) throws Exception {
        mqttPort = mosquitto.port();
        node = TestNode.start(redis, mosquitto.url(), "e2e-gateway", Map.of());
        http = node.http();
        assertThat(http.admin("/v1/admin/stores/S1", "{\"name\": \"Test store\", \"lat\": 51.5, \"lon\": -0.12}")
            .statusCode()).isIn(200, 201);
        assertThat(http.admin("/v1/admin/stores/S1/devices/mat-1", "{\"kind\": \"shelf\"}").statusCode()).isIn(200, 201);
        assertThat(http.admin("/v1/admin/stores/S1/devices/till-1", "{\"kind\": \"feed\"}").statusCode()).isIn(200, 201);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static String reading(int seq, int count) {
        return "{\"eventId\": \"r" + seq + "\", \"seq\": " + seq + ", \"ts\": \"" + Instant.now() + "\", "
            + "\"gtin\": \"4006381333931\", \"count\": " + count + ", \"capacity\": 12, \"location\": \"A12-3\"}";
    }

    @Test
    void aPublishedReadingBecomesTheAnswerAndAnEmptyShelfFlipsIt() {
        // given a registered shelf mat, when it publishes 4 units
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/S1/shelf/mat-1", reading(1, 4));
        // then a shopper sees them within a second
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            JsonObject a = http.getJson("/v1/stores/S1/products/4006381333931");
            assertThat(a.getBoolean("onShelf")).isTrue();
            assertThat(a.getInteger("shelfCount")).isEqualTo(4);
        });
        JsonObject a = http.getJson("/v1/stores/S1/products/4006381333931");
        assertThat(a.getString("storeId")).isEqualTo("S1");
        assertThat(a.getString("gtin")).isEqualTo("04006381333931");
        assertThat(a.getString("availability")).isEqualTo("InStock");
        assertThat(a.getString("confidence")).isEqualTo("high");
        assertThat(a.getString("asOf")).isNotNull();

        // when the shelf empties
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/S1/shelf/mat-1", reading(2, 0));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            JsonObject b = http.getJson("/v1/stores/S1/products/4006381333931");
            assertThat(b.getBoolean("onShelf")).isFalse();
            assertThat(b.getString("availability")).isEqualTo("OutOfStock");
        });
    }

    @Test
    void aBadMessageIsDeadLetteredAndTheValidOneAfterItStillApplies() {
        // given a till feed, when it publishes a wrong check digit and then a valid count
        String head = "{\"eventId\": \"f%d\", \"seq\": %d, \"ts\": \"" + Instant.now() + "\", \"type\": \"COUNT\", ";
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/S1/feed/till-1",
            head.formatted(1, 1) + "\"gtin\": \"96385075\", \"qty\": 7}");
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/S1/feed/till-1",
            head.formatted(2, 2) + "\"gtin\": \"96385074\", \"qty\": 7}");
        // then the valid one is applied
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
            assertThat(http.getJson("/v1/stores/S1/products/96385074").getLong("bookCount")).isEqualTo(7));
        // and the bad one is listed with its reason in its store's dead letters, and counted
        JsonObject letters = new JsonObject(http.adminGet("/v1/admin/stores/S1/deadletters?limit=10").body());
        assertThat(letters.getJsonArray("items").stream().map(JsonObject.class::cast)
            .filter(l -> l.getString("payload").contains("96385075")).findFirst())
            .hasValueSatisfying(l -> {
                assertThat(l.getString("reason")).isEqualTo("gtin.invalid");
                assertThat(l.getString("topic")).isEqualTo("onshelf/v1/stores/S1/feed/till-1");
            });
        assertThat(http.get("/metrics").body())
            .containsPattern("onshelf_gateway_events_rejected_total\\{reason=\"gtin.invalid\"\\} [1-9]");
    }

    @Test
    void aDeviceOfAnotherStoreCannotPublishForThisOne() {
        assertThat(http.admin("/v1/admin/stores/S2", "{\"name\": \"Other\", \"lat\": 51.4, \"lon\": -0.1}").statusCode())
            .isIn(200, 201);
        assertThat(http.admin("/v1/admin/stores/S2/devices/mat-9", "{\"kind\": \"shelf\"}").statusCode()).isIn(200, 201);
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/S1/shelf/mat-9",
            reading(1, 5).replace("4006381333931", "10012345678902"));
        // then S1 refuses it as a device it does not have (a device is (store, id)), and keeps it
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(new JsonObject(
                http.adminGet("/v1/admin/stores/S1/deadletters?limit=50").body()).getJsonArray("items").stream()
            .map(JsonObject.class::cast).filter(l -> "onshelf/v1/stores/S1/shelf/mat-9".equals(l.getString("topic"))))
            .singleElement().satisfies(l -> assertThat(l.getString("reason")).isEqualTo("device.unregistered")));
        assertThat(http.getJson("/v1/stores/S1/products/10012345678902").getString("confidence")).isEqualTo("none");
    }

    @Test
    void theNearCacheRunsOnASingleRedisOnly(RedisTarget redis) {
        // on a Redis Cluster client tracking is per node: the near cache is off rather than stale
        String metrics = http.get("/metrics").body();
        if (redis.isCluster()) {
            assertThat(metrics).doesNotContain("onshelf_api_nearcache_hits");
        } else {
            assertThat(metrics).contains("onshelf_api_nearcache_hits");
        }
    }

    @Test
    void anUnknownProductIsAnHonestUnknown() {
        JsonObject a = http.getJson("/v1/stores/S1/products/036000291452");
        assertThat(a.containsKey("onShelf")).isTrue();
        assertThat(a.getValue("onShelf")).isNull();
        assertThat(a.getString("confidence")).isEqualTo("none");
    }

    @Test
    void badInputIsAProblem() {
        HttpResponse<String> r = http.get("/v1/stores/S1/products/4006381333932");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject p = new JsonObject(r.body());
        assertThat(p.getString("code")).isEqualTo("availability:gtin.invalid");
        assertThat(p.getString("type")).endsWith("availability:gtin.invalid");
        assertThat(p.getString("detail")).contains("check digit");
        assertThat(new JsonObject(http.get("/v1/stores/bad%20store/products/4006381333931").body()).getString("code"))
            .isEqualTo("availability:store.invalid");
        HttpResponse<String> missing = http.get("/v2/nothing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(missing.body()).getString("code")).isEqualTo("http:not_found");
        HttpResponse<String> wrongMethod = http.send("DELETE", "/v1/stores/S1/products/4006381333931", null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(new JsonObject(wrongMethod.body()).getString("code")).isEqualTo("http:method_not_allowed");
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
        assertThat(http.send("PATCH", "/v1/admin/stores/S1", null, "Authorization", "Bearer " + TestNode.TOKEN).headers()
            .firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow.split(", ?")).containsExactlyInAnyOrder(
                "PUT", "DELETE"));
    }

    @Test
    void theAdminApiNeedsTheToken() {
        HttpResponse<String> none = http.put("/v1/admin/stores/S9", "{\"name\": \"x\", \"lat\": 1, \"lon\": 1}", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(none.body()).getString("code")).isEqualTo("auth:token.missing");
        HttpResponse<String> wrong = http.put("/v1/admin/stores/S9", "{\"name\": \"x\", \"lat\": 1, \"lon\": 1}", "nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> bad = http.admin("/v1/admin/stores/S9", "{\"name\": \"x\", \"lat\": 100, \"lon\": 1}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getString("code")).isEqualTo("registry:lat.invalid");
        HttpResponse<String> noStore = http.admin("/v1/admin/stores/S9/devices/mat-1", "{\"kind\": \"shelf\"}");
        assertThat(noStore.statusCode()).isEqualTo(404);
    }

    @Test
    void operationsEndpointsAnswer() {
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = http.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ready.body()).getString("mqtt")).isEqualTo("UP");
        http.get("/v1/stores/S1/products/4006381333931");
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("onshelf_gateway_events_received_total").contains("vertx_http_server_requests_total");
        String openapi = http.get("/openapi.yaml").body();
        assertThat(openapi).contains("/v1/stores/{store}/products/{gtin}", "/v1/stores/{store}/products:",
            "/v1/products/{gtin}/availability", "/v1/products/{gtin}/nearby", "/v1/stores/{store}/changes", "/v1/staff/stores/{store}/gaps",
            "/v1/staff/stores/{store}/counts", "/v1/staff/stores/{store}/devices", "/v1/admin/stores/{store}/devices/{device}",
            "/v1/admin/stores/{store}/products/{gtin}/threshold", "/v1/admin/deadletters", "/health/ready");
    }
}
