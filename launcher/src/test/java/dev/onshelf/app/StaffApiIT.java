package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Staff with handheld scanners: JWT scoped to stores, gap list, counts through the event path, devices. */
@ExtendWith(RealServices.class)
@Timeout(120)
class StaffApiIT {
    private static final String SECRET = "staff-secret-for-tests-0123456789abcdef";
    private static TestNode node;
    private static Http http;
    private static int mqtt;

    @BeforeAll
    static void start(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        mqtt = mosquitto.port();
        node = TestNode.start(redis.url(), mosquitto.url(), "staff-gateway", Map.of("ONSHELF_STAFF_JWT_SECRET", SECRET));
        http = node.http();
        http.admin("/v1/admin/stores/ST1", "{\"name\": \"ST1\", \"lat\": 40.0, \"lon\": -3.0}");
        http.admin("/v1/admin/stores/ST1/devices/st1-mat", "{\"kind\": \"shelf\"}");
        http.admin("/v1/admin/stores/ST1/devices/st1-till", "{\"kind\": \"feed\"}");
        http.admin("/v1/admin/stores/ST1/devices/st1-silent", "{\"kind\": \"shelf\"}");
        String now = Instant.now().toString();
        MosquittoPub.publish(mqtt, "onshelf/v1/stores/ST1/status/st1-mat",
            "{\"state\": \"online\", \"heartbeatSeconds\": 60, \"ts\": \"" + now + "\"}");
        // phantom: books say 9, shelf empty; empty: nothing anywhere; low: 2 units; fine: 10 units
        MosquittoPub.publish(mqtt, "onshelf/v1/stores/ST1/feed/st1-till", "{\"eventId\": \"c1\", \"seq\": 1, \"ts\": \""
            + now + "\", \"type\": \"COUNT\", \"gtin\": \"4006381333931\", \"qty\": 9}");
        MosquittoPub.publish(mqtt, "onshelf/v1/stores/ST1/shelf/st1-mat", "{\"eventId\": \"r1\", \"seq\": 1, \"ts\": \""
            + now + "\", \"readings\": [{\"gtin\": \"4006381333931\", \"count\": 0, \"location\": \"A12-3\"},"
            + " {\"gtin\": \"96385074\", \"count\": 0},"
            + " {\"gtin\": \"036000291452\", \"count\": 2}, {\"gtin\": \"10012345678902\", \"count\": 10}]}");
        // seq 3 after seq 1: one message lost upstream
        MosquittoPub.publish(mqtt, "onshelf/v1/stores/ST1/shelf/st1-mat", "{\"eventId\": \"r3\", \"seq\": 3, \"ts\": \""
            + Instant.now() + "\", \"gtin\": \"10012345678902\", \"count\": 10}");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            HttpResponse<String> r = get("/v1/staff/stores/ST1/devices", token(List.of("ST1"), 60));
            return r.statusCode() == 200 && r.body().contains("\"highestSeq\":3");
        });
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static String token(List<String> stores, long validSeconds) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("alice")
            .claim("stores", stores).expirationTime(new Date(System.currentTimeMillis() + validSeconds * 1000)).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    static HttpResponse<String> get(String path, String token) {
        return http.send("GET", path, null, "Authorization", "Bearer " + token);
    }

    static HttpResponse<String> post(String path, String token, String json) {
        return http.send("POST", path, json, "Authorization", "Bearer " + token);
    }

    @Test
    void onlyAValidTokenForThisStoreGetsIn() throws Exception {
        assertThat(new JsonObject(http.get("/v1/staff/stores/ST1/gaps").body()).getString("code"))
            .isEqualTo("auth:token.missing");
        assertThat(get("/v1/staff/stores/ST1/gaps", "not-a-jwt").statusCode()).isEqualTo(401);
        String forged = token(List.of("ST1"), 60);
        forged = forged.substring(0, forged.length() - 2) + (forged.endsWith("A") ? "BB" : "AA");
        assertThat(new JsonObject(get("/v1/staff/stores/ST1/gaps", forged).body()).getString("code"))
            .isEqualTo("auth:token.invalid");
        assertThat(new JsonObject(get("/v1/staff/stores/ST1/gaps", token(List.of("ST1"), -60)).body()).getString("code"))
            .isEqualTo("auth:token.expired");
        HttpResponse<String> other = get("/v1/staff/stores/ST1/gaps", token(List.of("ST2"), 60));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(other.body()).getString("code")).isEqualTo("auth:store.forbidden");
        assertThat(new JsonObject(get("/v1/staff/stores/ST1/gaps", signed(new JWTClaimsSet.Builder()
            .claim("stores", List.of("ST1")).build())).body()).getString("code")).isEqualTo("auth:token.no_expiry");
        assertThat(new JsonObject(get("/v1/staff/stores/ST1/gaps", signed(new JWTClaimsSet.Builder()
            .claim("stores", "ST1").expirationTime(new Date(System.currentTimeMillis() + 60_000)).build())).body())
            .getString("detail")).contains("must be an array");
    }

    private static String signed(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Test
    void theGapListPutsPhantomStockAndEmptyShelvesBeforeLowOnes() throws Exception {
        HttpResponse<String> r = get("/v1/staff/stores/ST1/gaps", token(List.of("ST1"), 60));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonArray items = new JsonObject(r.body()).getJsonArray("items");
        assertThat(items.stream().map(o -> ((JsonObject) o).getString("gap") + ":" + ((JsonObject) o).getString("gtin")))
            .containsExactly("phantom:04006381333931", "empty:00000096385074", "low:00036000291452");
        assertThat(items.getJsonObject(0).getJsonArray("locations")).as("where to restock").containsExactly("A12-3");
    }

    @Test
    void aHandheldCountGoesThroughTheEventPathAndAppliesAtOnce() throws Exception {
        String t = token(List.of("ST1"), 60);
        HttpResponse<String> r = post("/v1/staff/stores/ST1/counts", t, "{\"gtin\": \"036000291452\", \"qty\": 14}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(new JsonObject(r.body()).getLong("bookCount")).isEqualTo(14);
        assertThat(new JsonObject(r.body()).getString("countedBy")).isEqualTo("alice");
        assertThat(http.getJson("/v1/stores/ST1/products/036000291452").getLong("bookCount")).isEqualTo(14);
        HttpResponse<String> bad = post("/v1/staff/stores/ST1/counts", t, "{\"gtin\": \"036000291452\", \"qty\": -1}");
        assertThat(new JsonObject(bad.body()).getString("code")).isEqualTo("request:qty.invalid");
        HttpResponse<String> badGtin = post("/v1/staff/stores/ST1/counts", t, "{\"gtin\": \"036000291453\", \"qty\": 1}");
        assertThat(new JsonObject(badGtin.body()).getString("code")).isEqualTo("availability:gtin.invalid");
    }

    @Test
    void aShelfCountStandsForTheShelfUntilASensorReportsSomethingNewer() throws Exception {
        http.admin("/v1/admin/stores/ST2", "{\"name\": \"ST2\", \"lat\": 40.1, \"lon\": -3.1}");
        http.admin("/v1/admin/stores/ST2/devices/st2-mat", "{\"kind\": \"shelf\"}");
        String g = "4006381333931";
        MosquittoPub.publish(mqtt, "onshelf/v1/stores/ST2/shelf/st2-mat", "{\"eventId\": \"m1\", \"seq\": 1, \"ts\": \""
            + Instant.now().minusSeconds(2) + "\", \"gtin\": \"" + g + "\", \"count\": 6, \"location\": \"A1\"}");
        await().atMost(Duration.ofSeconds(5)).until(() ->
            Integer.valueOf(6).equals(http.getJson("/v1/stores/ST2/products/" + g).getInteger("shelfCount")));
        String t = token(List.of("ST2"), 60);

        // the mat says 6, the person sees an empty shelf (the mat is miscalibrated, or a shelf was cleared)
        JsonObject counted = new JsonObject(post("/v1/staff/stores/ST2/counts", t, "{\"gtin\": \"" + g
            + "\", \"shelfQty\": 0}").body());
        assertThat(counted.getBoolean("onShelf")).isFalse();
        assertThat(counted.getInteger("shelfCount")).isZero();
        assertThat(counted.getString("confidence")).isEqualTo("high");
        assertThat(http.getJson("/v1/stores/ST2/products/" + g).getBoolean("onShelf")).isFalse();

        // a newer sensor reading takes over again
        MosquittoPub.publish(mqtt, "onshelf/v1/stores/ST2/shelf/st2-mat", "{\"eventId\": \"m2\", \"seq\": 2, \"ts\": \""
            + Instant.now().plusMillis(50) + "\", \"gtin\": \"" + g + "\", \"count\": 5, \"location\": \"A1\"}");
        await().atMost(Duration.ofSeconds(5)).until(() ->
            Integer.valueOf(5).equals(http.getJson("/v1/stores/ST2/products/" + g).getInteger("shelfCount")));

        // both counts at once
        JsonObject both = new JsonObject(post("/v1/staff/stores/ST2/counts", t, "{\"gtin\": \"" + g
            + "\", \"qty\": 20, \"shelfQty\": 3}").body());
        assertThat(both.getLong("bookCount")).isEqualTo(20);
        assertThat(both.getInteger("shelfCount")).isEqualTo(3);

        HttpResponse<String> neither = post("/v1/staff/stores/ST2/counts", t, "{\"gtin\": \"" + g + "\"}");
        assertThat(neither.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(neither.body()).getString("code")).isEqualTo("request:qty.missing");
        HttpResponse<String> text = post("/v1/staff/stores/ST2/counts", t, "{\"gtin\": \"" + g + "\", \"shelfQty\": \"3\"}");
        assertThat(new JsonObject(text.body()).getString("code")).isEqualTo("request:shelfQty.invalid");
    }

    @Test
    void aHandheldCountTakesTheOnePipelineAndARetryChangesNothing() throws Exception {
        http.admin("/v1/admin/stores/ST3", "{\"name\": \"ST3\", \"lat\": 40.0, \"lon\": -3.0}");
        String t = token(List.of("ST3"), 60);
        String g = "10012345678902";
        post("/v1/staff/stores/ST3/counts", t, "{\"gtin\": \"" + g + "\", \"shelfQty\": 10}");
        Process handheld = MosquittoPub.connectWithWill(mqtt, "handheld-alerts", "onshelf/v1/stores/ST3/alerts",
            "handheld/will", "bye");
        try {
            java.io.BufferedReader alerts = new java.io.BufferedReader(
                new java.io.InputStreamReader(handheld.getInputStream(), StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(10)).until(() -> {  // subscribed once a first alert arrives
                post("/v1/staff/stores/ST3/counts", t, "{\"gtin\": \"96385074\", \"shelfQty\": 1}");
                post("/v1/staff/stores/ST3/counts", t, "{\"gtin\": \"96385074\", \"shelfQty\": 0}");
                return alerts.ready();
            });
            HttpResponse<String> first = http.send("POST", "/v1/staff/stores/ST3/counts",
                "{\"gtin\": \"" + g + "\", \"qty\": 30, \"shelfQty\": 0}", "Authorization", "Bearer " + t,
                "Idempotency-Key", "hh7-0001");
            assertThat(first.statusCode()).isEqualTo(201);
            // the MQTT alert of a staff count, as of a device's event
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                while (alerts.ready()) {
                    String line = alerts.readLine();
                    if (line.contains("\"gtin\":\"" + g + "\"") && line.contains("shelf.empty")) {
                        return true;
                    }
                }
                return false;
            });
            post("/v1/staff/stores/ST3/counts", t, "{\"gtin\": \"" + g + "\", \"qty\": 40}");  // a later count
            HttpResponse<String> retry = http.send("POST", "/v1/staff/stores/ST3/counts",
                "{\"gtin\": \"" + g + "\", \"qty\": 30, \"shelfQty\": 0}", "Authorization", "Bearer " + t,
                "Idempotency-Key", "hh7-0001");
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            assertThat(new JsonObject(retry.body()).getLong("bookCount")).as("the retry changed nothing").isEqualTo(40);
            HttpResponse<String> reused = http.send("POST", "/v1/staff/stores/ST3/counts",
                "{\"gtin\": \"" + g + "\", \"qty\": 31}", "Authorization", "Bearer " + t,
                "Idempotency-Key", "hh7-0001");
            assertThat(reused.statusCode()).as(reused.body()).isEqualTo(422);
            HttpResponse<String> badKey = http.send("POST", "/v1/staff/stores/ST3/counts",
                "{\"gtin\": \"" + g + "\", \"qty\": 1}", "Authorization", "Bearer " + t, "Idempotency-Key", "a b");
            assertThat(badKey.statusCode()).isEqualTo(400);
        } finally {
            handheld.destroyForcibly();
        }
    }

    @Test
    void aDeviceKilledMidSessionGoesOfflineByItsWillThoughTheWillIsStampedBeforeItsOnline() throws Exception {
        http.admin("/v1/admin/stores/ST3", "{\"name\": \"ST3\", \"lat\": 40.0, \"lon\": -3.0}");
        http.admin("/v1/admin/stores/ST3/devices/st3-will", "{\"kind\": \"shelf\"}");
        String t = token(List.of("ST3"), 60);
        Instant connectedAt = Instant.now();
        // the device stamps its will at CONNECT, then says it is online a moment later
        Process device = MosquittoPub.connectWithWill(mqtt, "st3-will", "onshelf/v1/stores/ST3/alerts",
            "onshelf/v1/stores/ST3/status/st3-will", "{\"state\": \"offline\", \"ts\": \"" + connectedAt + "\"}");
        try {
            MosquittoPub.retain(mqtt, "onshelf/v1/stores/ST3/status/st3-will",
                "{\"state\": \"online\", \"heartbeatSeconds\": 3600, \"ts\": \"" + connectedAt.plusMillis(5) + "\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> "online".equals(deviceState(t, "st3-will")));
        } finally {
            device.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);  // SIGKILL
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "offline".equals(deviceState(t, "st3-will")));
    }

    private static String deviceState(String token, String device) {
        JsonArray items = new JsonObject(get("/v1/staff/stores/ST3/devices", token).body()).getJsonArray("items");
        return items.stream().map(o -> (JsonObject) o).filter(o -> device.equals(o.getString("deviceId")))
            .map(o -> o.getString("state")).findFirst().orElse(null);
    }

    @Test
    void theDeviceFleetShowsStateLastSeenAndSequenceGaps() throws Exception {
        JsonArray items = new JsonObject(get("/v1/staff/stores/ST1/devices", token(List.of("ST1"), 60)).body())
            .getJsonArray("items");
        JsonObject mat = items.stream().map(JsonObject.class::cast).filter(d -> d.getString("deviceId").equals("st1-mat"))
            .findFirst().orElseThrow();
        assertThat(mat.getString("state")).isEqualTo("online");
        assertThat(mat.getLong("sequenceGaps")).isEqualTo(1);
        assertThat(mat.getString("lastSeen")).isNotNull();
        JsonObject silent = items.stream().map(JsonObject.class::cast)
            .filter(d -> d.getString("deviceId").equals("st1-silent")).findFirst().orElseThrow();
        assertThat(silent.getString("state")).isEqualTo("unknown");
        // the staff's own counts appear as the store's handheld, without sequence figures
        post("/v1/staff/stores/ST1/counts", token(List.of("ST1"), 60), "{\"gtin\": \"96385074\", \"qty\": 0}");
        JsonObject handheld = new JsonObject(get("/v1/staff/stores/ST1/devices", token(List.of("ST1"), 60)).body())
            .getJsonArray("items").stream().map(JsonObject.class::cast)
            .filter(d -> d.getString("deviceId").equals("~handheld")).findFirst().orElseThrow();
        assertThat(handheld.getString("kind")).isEqualTo("handheld");
        assertThat(handheld.getValue("sequenceGaps")).isNull();
    }
}
