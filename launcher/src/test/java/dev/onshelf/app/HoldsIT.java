package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisTarget;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Click-and-collect holds end to end against real Redis and Mosquitto: made atomically against what is
 * salable (racing from several connections), seen in every answer as salable, expiring by themselves,
 * surviving a restart, collected as one sale through the pipeline, idempotent, listed for staff.
 */
@ExtendWith(RealServices.class)
@Timeout(240)
class HoldsIT {
    private static final String SECRET = "staff-secret-for-holds-0123456789abcdef";
    private static final String S = "HLD1";
    private static final AtomicInteger PRODUCTS = new AtomicInteger();
    private static RedisTarget redis;
    private static MosquittoProcess mosquitto;
    private static TestNode node;
    private static Map<String, String> env;

    @BeforeAll
    static void start(RedisTarget r, MosquittoProcess m) throws Exception {
        redis = r;
        mosquitto = m;
        env = Map.of("ONSHELF_STAFF_JWT_SECRET", SECRET, "ONSHELF_RATE_LIMIT_PER_SECOND", "100000");
        node = TestNode.start(redis, mosquitto.url(), "holds-gateway", env);
        assertThat(node.http().admin("/v1/admin/stores/" + S, "{\"name\": \"Holds\", \"lat\": 41.0, \"lon\": -4.0}")
            .statusCode()).isBetween(200, 201);
    }

    /** A connection to the test's Redis, either kind. */
    private static RedisConnector connect() {
        return new RedisConnector(redis.url(), redis.isCluster() ? List.of(redis.clusterNodes().split(",")) : List.of(),
            Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A GTIN-13 of its own for each use (a valid check digit). */
    private static String newGtin() {
        String body = "400638" + String.format("%06d", 500_000 + PRODUCTS.incrementAndGet());
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (body.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return body + (10 - sum % 10) % 10;
    }

    private static String token() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("bob")
            .claim("stores", List.of(S)).expirationTime(new Date(System.currentTimeMillis() + 600_000)).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** A staff count: the book (qty) and the shelf (shelfQty, fresh for 15 minutes). */
    private static void count(String gtin, int book, int shelf) throws Exception {
        HttpResponse<String> r = node.http().send("POST", "/v1/staff/stores/" + S + "/counts",
            "{\"gtin\": \"" + gtin + "\", \"qty\": " + book + ", \"shelfQty\": " + shelf + "}",
            "Authorization", "Bearer " + token());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static HttpResponse<String> hold(Http http, String gtin, int qty, int ttl, String key) {
        return http.send("POST", "/v1/stores/" + S + "/holds",
            "{\"gtin\": \"" + gtin + "\", \"qty\": " + qty + ", \"ttlSeconds\": " + ttl + "}", "Idempotency-Key", key);
    }

    private static JsonObject lookup(String gtin) {
        return node.http().getJson("/v1/stores/" + S + "/products/" + gtin);
    }

    private static String code(HttpResponse<String> r) {
        return new JsonObject(r.body()).getString("code");
    }

    @Test
    void aHoldIsMadeReadAndReleasedAndEveryAnswerSaysWhatIsSalable() throws Exception {
        // given: 5 on the shelf, 12 in the books
        String gtin = newGtin();
        count(gtin, 12, 5);
        assertThat(lookup(gtin).getInteger("salable")).isEqualTo(5);
        // when: 3 are held
        HttpResponse<String> made = hold(node.http(), gtin, 3, 600, UUID.randomUUID().toString());
        // then: 201 with its id, expiry and Location
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonObject hold = new JsonObject(made.body());
        String id = hold.getString("id");
        assertThat(hold.getString("state")).isEqualTo("held");
        assertThat(hold.getInteger("qty")).isEqualTo(3);
        assertThat(Instant.parse(hold.getString("expiresAt"))).isAfter(Instant.now().plusSeconds(590));
        assertThat(made.headers().firstValue("Location")).hasValue("/v1/stores/" + S + "/holds/" + id);
        assertThat(node.http().getJson("/v1/stores/" + S + "/holds/" + id).getString("gtin")).endsWith(gtin);
        // and every answer about the product says 2 salable, shelf and books unchanged
        JsonObject answer = lookup(gtin);
        assertThat(answer.getInteger("salable")).isEqualTo(2);
        assertThat(answer.getInteger("shelfCount")).isEqualTo(5);
        assertThat(answer.getString("availability")).isEqualTo("LimitedAvailability");
        assertThat(node.http().getJson("/v1/stores/" + S + "/products?gtins=" + gtin).getJsonArray("items")
            .getJsonObject(0).getInteger("salable")).isEqualTo(2);
        assertThat(node.http().getJson("/v1/products/" + gtin + "/availability?stores=" + S).getJsonArray("items")
            .getJsonObject(0).getInteger("salable")).isEqualTo(2);
        assertThat(new JsonObject(node.http().send("GET", "/v1/staff/stores/" + S + "/products/" + gtin, null,
            "Authorization", "Bearer " + token()).body()).getInteger("salable")).isEqualTo(2);
        JsonObject row = node.http().getJson("/v1/stores/" + S + "/local-inventory?format=json").getJsonArray("items")
            .stream().map(JsonObject.class::cast).filter(o -> o.getString("id").endsWith(gtin)).findFirst().orElseThrow();
        assertThat(row.getInteger("quantity")).as("the feed's quantity is what is salable").isEqualTo(2);
        // and more than is salable is refused, saying how many are
        HttpResponse<String> tooMany = hold(node.http(), gtin, 3, 600, UUID.randomUUID().toString());
        assertThat(tooMany.statusCode()).isEqualTo(409);
        assertThat(code(tooMany)).isEqualTo("holds:insufficient");
        assertThat(new JsonObject(tooMany.body()).getInteger("salable")).isEqualTo(2);
        // when: released
        assertThat(node.http().send("DELETE", "/v1/stores/" + S + "/holds/" + id, null).statusCode()).isEqualTo(204);
        // then: gone, and all 5 salable again
        HttpResponse<String> gone = node.http().get("/v1/stores/" + S + "/holds/" + id);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(code(gone)).isEqualTo("holds:hold.unknown");
        assertThat(node.http().send("DELETE", "/v1/stores/" + S + "/holds/" + id, null).statusCode()).isEqualTo(404);
        assertThat(lookup(gtin).getInteger("salable")).isEqualTo(5);
        assertThat(lookup(gtin).getString("availability")).isEqualTo("InStock");
    }

    @Test
    void twoHoldsRacingForTheLastUnitFromSeveralConnectionsExactlyOneWins() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < 6; round++) {
                // given: one unit on the shelf (and a fresh answer that says so)
                String gtin = newGtin();
                count(gtin, 3, 1);
                // when: racers, each on its own connection, hold it at once
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    Http own = new Http(node.port(), TestNode.TOKEN);
                    Callable<HttpResponse<String>> race = () -> {
                        go.await();
                        return hold(own, gtin, 1, 600, UUID.randomUUID().toString());
                    };
                    answers.add(pool.submit(race));
                }
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<HttpResponse<String>> a : answers) {
                    HttpResponse<String> r = a.get();
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 409) {
                        assertThat(code(r)).isEqualTo("holds:insufficient");
                    }
                }
                // then: exactly one 201, the others 409, and nothing salable is left
                assertThat(statuses).as("round " + round).containsOnly(201, 409);
                assertThat(statuses.stream().filter(s -> s == 201).count()).as("round " + round).isEqualTo(1);
                JsonObject answer = lookup(gtin);
                assertThat(answer.getInteger("salable")).isZero();
                assertThat(answer.getBoolean("onShelf")).as("a new shopper finds nothing to take").isFalse();
                assertThat(answer.getString("availability")).isEqualTo("OutOfStock");
                assertThat(answer.getInteger("shelfCount")).as("the unit is still on the shelf").isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHoldRunsOutByItselfAndTheSweepDeletesIt() throws Exception {
        // given: 4 on the shelf, 3 held for 2 seconds
        String gtin = newGtin();
        count(gtin, 4, 4);
        HttpResponse<String> made = hold(node.http(), gtin, 3, 2, UUID.randomUUID().toString());
        assertThat(made.statusCode()).isEqualTo(201);
        String id = new JsonObject(made.body()).getString("id");
        assertThat(lookup(gtin).getInteger("salable")).isEqualTo(1);
        // then: it stops counting at its expiry, whatever deletes it
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
            .until(() -> lookup(gtin).getInteger("salable") == 4);
        assertThat(node.http().get("/v1/stores/" + S + "/holds/" + id).statusCode()).isEqualTo(404);
        // and the sweep deletes it and its held units from Redis
        try (RedisConnector c = connect()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> c.sync().hget("onshelf:{" + S + "}:holds", id) == null
                    && c.sync().zscore("onshelf:{" + S + "}:holds:exp", id) == null);
        }
    }

    @Test
    void collectingSellsOnceThroughThePipelineAndEndsTheHold() throws Exception {
        // given: 6 on the shelf, 10 in the books, 2 held
        String gtin = newGtin();
        count(gtin, 10, 6);
        String id = new JsonObject(hold(node.http(), gtin, 2, 600, UUID.randomUUID().toString()).body()).getString("id");
        // when: collected without a staff token
        HttpResponse<String> anonymous = node.http().send("POST", "/v1/stores/" + S + "/holds/" + id + "/collect", null);
        // then: refused
        assertThat(anonymous.statusCode()).isEqualTo(401);
        // when: staff collect it twice
        HttpResponse<String> first = node.http().send("POST", "/v1/stores/" + S + "/holds/" + id + "/collect", null,
            "Authorization", "Bearer " + token());
        HttpResponse<String> second = node.http().send("POST", "/v1/stores/" + S + "/holds/" + id + "/collect", null,
            "Authorization", "Bearer " + token());
        // then: one sale of 2 through the pipeline (the books 10 -> 8), the second a duplicate
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(new JsonObject(first.body()).getString("sale")).isEqualTo("applied");
        assertThat(new JsonObject(first.body()).getString("state")).isEqualTo("collected");
        assertThat(new JsonObject(first.body()).getString("collectedBy")).isEqualTo("bob");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(second.body()).getString("sale")).isEqualTo("duplicate");
        JsonObject answer = lookup(gtin);
        assertThat(answer.getLong("bookCount")).isEqualTo(8L);
        // and the hold no longer keeps units; it answers as collected, and is off the pick list
        assertThat(answer.getInteger("salable")).isEqualTo(6);
        assertThat(node.http().getJson("/v1/stores/" + S + "/holds/" + id).getString("state")).isEqualTo("collected");
        assertThat(node.http().send("GET", "/v1/staff/stores/" + S + "/holds", null, "Authorization",
            "Bearer " + token()).body()).doesNotContain(id);
        // and the store's audit stream names who collected it
        try (RedisConnector c = connect()) {
            assertThat(c.sync().xrange("onshelf:{" + S + "}:audit", io.lettuce.core.Range.create("-", "+")).stream()
                .filter(m -> ("hold:" + id).equals(m.getBody().get("eventId")))
                .map(m -> m.getBody().get("who")).toList()).containsExactly("bob");
        }
    }

    @Test
    void anIdempotencyKeyReplaysItsHoldAndRefusesAnotherBody() throws Exception {
        String gtin = newGtin();
        count(gtin, 10, 5);
        String key = UUID.randomUUID().toString();
        HttpResponse<String> made = hold(node.http(), gtin, 2, 600, key);
        HttpResponse<String> again = hold(node.http(), gtin, 2, 600, key);
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(again.body()).getString("id")).isEqualTo(new JsonObject(made.body()).getString("id"));
        assertThat(lookup(gtin).getInteger("salable")).as("held once").isEqualTo(3);
        HttpResponse<String> other = hold(node.http(), gtin, 1, 600, key);
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(code(other)).isEqualTo("holds:idempotency_key.reused");
        assertThat(lookup(gtin).getInteger("salable")).isEqualTo(3);
    }

    @Test
    void holdsSurviveARestartAndStaffSeeThemOnThePickList() throws Exception {
        // given: two holds
        String gtin = newGtin();
        count(gtin, 10, 6);
        String late = new JsonObject(hold(node.http(), gtin, 2, 3_600, UUID.randomUUID().toString()).body())
            .getString("id");
        String soon = new JsonObject(hold(node.http(), gtin, 1, 1_800, UUID.randomUUID().toString()).body())
            .getString("id");
        // when: the node restarts
        node.close();
        node = TestNode.start(redis, mosquitto.url(), "holds-gateway", env);
        // then: the holds are there, still counted
        assertThat(node.http().getJson("/v1/stores/" + S + "/holds/" + late).getString("state")).isEqualTo("held");
        assertThat(lookup(gtin).getInteger("salable")).isEqualTo(3);
        // and the pick list shows them with the product's units, soonest first
        HttpResponse<String> picks = node.http().send("GET", "/v1/staff/stores/" + S + "/holds", null,
            "Authorization", "Bearer " + token());
        assertThat(picks.statusCode()).isEqualTo(200);
        List<String> ids = new JsonObject(picks.body()).getJsonArray("items").stream().map(JsonObject.class::cast)
            .filter(o -> o.getString("gtin").endsWith(gtin)).map(o -> o.getString("id") + ":" + o.getInteger("qty"))
            .toList();
        assertThat(ids).containsExactly(soon + ":1", late + ":2");
        assertThat(node.http().get("/v1/staff/stores/" + S + "/holds").statusCode()).as("staff only").isEqualTo(401);
    }

    @Test
    void badRequestsGetSpecificProblems() throws Exception {
        String gtin = newGtin();
        count(gtin, 10, 5);
        Http http = node.http();
        String key = UUID.randomUUID().toString();
        assertThat(code(hold(http, gtin, 0, 600, key))).isEqualTo("request:qty.invalid");
        assertThat(code(hold(http, gtin, 101, 600, key))).isEqualTo("request:qty.invalid");
        assertThat(code(hold(http, gtin, 1, 0, key))).isEqualTo("request:ttlSeconds.invalid");
        assertThat(code(hold(http, gtin, 1, 86_401, key))).isEqualTo("request:ttlSeconds.invalid");
        assertThat(code(hold(http, "4006381333932", 1, 600, key))).isEqualTo("availability:gtin.invalid");
        HttpResponse<String> noKey = http.send("POST", "/v1/stores/" + S + "/holds",
            "{\"gtin\": \"" + gtin + "\", \"qty\": 1, \"ttlSeconds\": 60}");
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(code(noKey)).isEqualTo("request:Idempotency-Key.missing");
        HttpResponse<String> unknownStore = http.send("POST", "/v1/stores/NOPE/holds",
            "{\"gtin\": \"" + gtin + "\", \"qty\": 1, \"ttlSeconds\": 60}", "Idempotency-Key", key);
        assertThat(unknownStore.statusCode()).isEqualTo(404);
        assertThat(code(unknownStore)).isEqualTo("registry:store.unknown");
        // a product the store never reported, and one without a fresh shelf reading: nothing to promise
        HttpResponse<String> never = hold(http, newGtin(), 1, 600, UUID.randomUUID().toString());
        assertThat(never.statusCode()).isEqualTo(409);
        assertThat(code(never)).isEqualTo("holds:shelf.unknown");
        String booksOnly = newGtin();
        assertThat(http.send("POST", "/v1/staff/stores/" + S + "/counts", "{\"gtin\": \"" + booksOnly + "\", \"qty\": 9}",
            "Authorization", "Bearer " + token()).statusCode()).isEqualTo(201);
        assertThat(lookup(booksOnly).getBoolean("onShelf")).isTrue();
        assertThat(code(hold(http, booksOnly, 1, 600, UUID.randomUUID().toString()))).isEqualTo("holds:shelf.unknown");
        HttpResponse<String> unknownHold = http.get("/v1/stores/" + S + "/holds/" + UUID.randomUUID());
        assertThat(unknownHold.statusCode()).isEqualTo(404);
        assertThat(code(unknownHold)).isEqualTo("holds:hold.unknown");
        assertThat(http.get("/v1/stores/" + S + "/holds/not%20an%20id").statusCode()).isEqualTo(400);
        assertThat(code(http.send("POST", "/v1/stores/" + S + "/holds/" + UUID.randomUUID() + "/collect", null,
            "Authorization", "Bearer " + token()))).isEqualTo("holds:hold.unknown");
    }
}
