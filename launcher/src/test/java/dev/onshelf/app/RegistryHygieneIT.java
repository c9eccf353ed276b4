package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.onshelf.aggregator.redis.Keys;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.sync.RedisCommands;
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

/**
 * Registry hygiene against real Mosquitto and Redis: dead letters kept per store and replayed through
 * the exactly-once path, devices and stores deleted with nothing brought back by a late event, and
 * the staff handheld's source apart from a device of any name.
 */
@ExtendWith(RealServices.class)
@Timeout(120)
class RegistryHygieneIT {
    private static final String SECRET = "staff-secret-for-registry-tests-0123456789";
    private static final String GTIN = "4006381333931";
    private static TestNode node;
    private static Http http;
    private static int mqttPort;
    private static RedisConnector redis;

    @BeforeAll
    static void start(RedisProcess redisProcess, MosquittoProcess mosquitto) throws Exception {
        mqttPort = mosquitto.port();
        node = TestNode.start(redisProcess.url(), mosquitto.url(), "hygiene-gateway",
            Map.of("ONSHELF_STAFF_JWT_SECRET", SECRET));
        http = node.http();
        redis = new RedisConnector(redisProcess.url(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static void store(String id) {
        assertThat(http.admin("/v1/admin/stores/" + id, "{\"name\": \"" + id + "\", \"lat\": 51.5, \"lon\": -0.12}")
            .statusCode()).isEqualTo(201);
    }

    private static void device(String store, String id, String kind) {
        assertThat(http.admin("/v1/admin/stores/" + store + "/devices/" + id, "{\"kind\": \"" + kind + "\"}").statusCode())
            .isEqualTo(201);
    }

    private static HttpResponse<String> admin(String method, String path) {
        return http.send(method, path, null, "Authorization", "Bearer " + TestNode.TOKEN);
    }

    private static String feed(String eventId, int seq, String type, int qty, String gtin) {
        return "{\"eventId\": \"" + eventId + "\", \"seq\": " + seq + ", \"ts\": \"" + Instant.now()
            + "\", \"type\": \"" + type + "\", \"gtin\": \"" + gtin + "\", \"qty\": " + qty + "}";
    }

    private static String reading(String eventId, int seq, int count) {
        return "{\"eventId\": \"" + eventId + "\", \"seq\": " + seq + ", \"ts\": \"" + Instant.now()
            + "\", \"gtin\": \"" + GTIN + "\", \"count\": " + count + ", \"location\": \"A1\"}";
    }

    private static JsonArray letters(String store) {
        HttpResponse<String> r = http.adminGet("/v1/admin/stores/" + store + "/deadletters?limit=100");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getJsonArray("items");
    }

    private static JsonObject replay(String store) {
        HttpResponse<String> r = admin("POST", "/v1/admin/stores/" + store + "/deadletters/replay");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private static Long book(String store) {
        return http.getJson("/v1/stores/" + store + "/products/" + GTIN).getLong("bookCount");
    }

    private static List<String> keysOf(String store) {
        return redis.connection().sync().scan(ScanArgs.Builder.matches(Keys.everyKeyOf(new StoreId(store))).limit(10_000))
            .getKeys();
    }

    @Test
    void aStoresDeadLettersAreItsOwnAndReplayingThemAppliesEachOnceHoweverOftenItIsDone() {
        // given a store whose till is not registered yet, when the till sells and counts
        store("RH1");
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH1/feed/till-9", feed("c1", 1, "COUNT", 7, GTIN));
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH1/feed/till-9", feed("s1", 2, "SALE", 2, GTIN));
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH1/feed/till-9", feed("bad", 3, "SALE", 1, "4006381333932"));
        // and a message arrives for a store that is not registered at all
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH1-NOPE/feed/till-9", feed("n1", 1, "SALE", 1, GTIN));
        // then the store keeps its three refused messages, each with its reason, and the stranger's is global
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(letters("RH1")).hasSize(3));
        assertThat(letters("RH1").stream().map(JsonObject.class::cast).map(l -> l.getString("reason")))
            .containsExactly("gtin.invalid", "device.unregistered", "device.unregistered");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(new JsonObject(
                http.adminGet("/v1/admin/deadletters?limit=1000").body()).getJsonArray("items").stream()
            .map(JsonObject.class::cast).map(l -> l.getString("topic")))
            .contains("onshelf/v1/stores/RH1-NOPE/feed/till-9")
            .doesNotContain("onshelf/v1/stores/RH1/feed/till-9"));
        assertThat(book("RH1")).isNull();

        // when the till is registered and the store's dead letters replayed
        device("RH1", "till-9", "feed");
        JsonObject first = replay("RH1");
        // then the count and the sale are applied, in order, and leave the list; the bad GTIN stays
        assertThat(first.getJsonArray("items").stream().map(JsonObject.class::cast)
            .map(i -> i.getString("outcome") + ":" + i.getString("reason") + ":" + i.getBoolean("removed")))
            .containsExactly("applied:null:true", "applied:null:true", "rejected:gtin.invalid:false");
        assertThat(first.getLong("replayed")).isEqualTo(2);
        assertThat(book("RH1")).isEqualTo(5);
        assertThat(letters("RH1")).singleElement()
            .satisfies(l -> assertThat(((JsonObject) l).getString("reason")).isEqualTo("gtin.invalid"));

        // when a letter already replayed is there again (a crash between its apply and its removal) and
        // the store's dead letters are replayed twice more
        JsonObject sale = first.getJsonArray("items").getJsonObject(1);
        redis.connection().sync().xadd(Keys.deadLetters(new StoreId("RH1")), Map.of("topic", sale.getString("topic"),
            "reason", "device.unregistered", "detail", "again", "at", Long.toString(System.currentTimeMillis()),
            "payload", feed("s1", 2, "SALE", 2, GTIN)));
        JsonObject second = replay("RH1");
        JsonObject third = replay("RH1");
        // then the sale is a duplicate: nothing is applied twice
        assertThat(second.getJsonArray("items").stream().map(JsonObject.class::cast).map(i -> i.getString("outcome")))
            .containsExactly("rejected", "duplicate");
        assertThat(third.getJsonArray("items").stream().map(JsonObject.class::cast).map(i -> i.getString("outcome")))
            .containsExactly("rejected");
        assertThat(book("RH1")).isEqualTo(5);
        assertThat(http.get("/metrics").body()).containsPattern("onshelf_gateway_events_received_total\\{channel=\"replay\"\\} [1-9]");

        // and bad requests are specific problems that change nothing
        assertThat(new JsonObject(admin("POST", "/v1/admin/stores/RH1/deadletters/replay?after=x").body())
            .getString("code")).isEqualTo("request:after.invalid");
        HttpResponse<String> unknown = admin("POST", "/v1/admin/stores/RH1-NOPE/deadletters/replay");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknown.body()).getString("code")).isEqualTo("registry:store.unknown");
        assertThat(book("RH1")).isEqualTo(5);
    }

    @Test
    void aDeletedDeviceIsRefusedFromThenOnAndItsReadingsStopCounting() {
        // given a mat whose reading is the answer
        store("RH2");
        device("RH2", "mat-1", "shelf");
        device("RH2", "mat-2", "shelf");
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH2/shelf/mat-1", reading("r1", 1, 4));
        await().atMost(Duration.ofSeconds(5)).until(() ->
            "high".equals(http.getJson("/v1/stores/RH2/products/" + GTIN).getString("confidence")));

        // when it is deleted
        assertThat(admin("DELETE", "/v1/admin/stores/RH2/devices/mat-1").statusCode()).isEqualTo(204);
        // then its reading no longer vouches for the shelf
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonObject a = http.getJson("/v1/stores/RH2/products/" + GTIN);
            assertThat(a.getString("confidence")).isNotEqualTo("high");
            assertThat(a.getValue("onShelf")).isNull();
        });
        // and a late event of it is refused, kept in the store's dead letters, and brings nothing back
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH2/shelf/mat-1", reading("r2", 2, 9));
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH2/status/mat-1",
            "{\"state\": \"online\", \"heartbeatSeconds\": 60, \"ts\": \"" + Instant.now() + "\"}");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(letters("RH2")).hasSize(2));
        assertThat(letters("RH2").stream().map(JsonObject.class::cast).map(l -> l.getString("reason")))
            .containsOnly("device.unregistered");
        RedisCommands<String, String> sync = redis.connection().sync();
        assertThat(sync.hget(Keys.devices(new StoreId("RH2")), "mat-1")).isNull();
        assertThat(sync.hget(Keys.health(new StoreId("RH2")), "mat-1")).startsWith("0,");
        assertThat(http.getJson("/v1/stores/RH2/products/" + GTIN).getString("confidence")).isNotEqualTo("high");
        // and the other mat is untouched
        assertThat(sync.hget(Keys.devices(new StoreId("RH2")), "mat-2")).isEqualTo("shelf");

        // and deleting it again, an unknown store or an id no device can have are specific problems
        HttpResponse<String> again = admin("DELETE", "/v1/admin/stores/RH2/devices/mat-1");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(again.body()).getString("code")).isEqualTo("registry:device.unknown");
        assertThat(new JsonObject(admin("DELETE", "/v1/admin/stores/RH2-NOPE/devices/mat-2").body()).getString("code"))
            .isEqualTo("registry:store.unknown");
        HttpResponse<String> internal = admin("DELETE", "/v1/admin/stores/RH2/devices/~handheld");
        assertThat(internal.statusCode()).isEqualTo(400);
        assertThat(sync.hget(Keys.devices(new StoreId("RH2")), "mat-2")).isEqualTo("shelf");
    }

    @Test
    void aDeletedStoreLeavesNoKeyAndALateEventBringsNothingBack() throws Exception {
        // given a store with devices, events, staff counts, a dead letter, a webhook subscription counted
        // in its client's and host's caps, and the hold sweep's index
        store("RH3");
        device("RH3", "till-1", "feed");
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH3/feed/till-1", feed("c1", 1, "COUNT", 9, GTIN));
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH3/feed/till-2", feed("c1", 1, "COUNT", 9, GTIN));
        HttpResponse<String> counted = http.send("POST", "/v1/staff/stores/RH3/counts",
            "{\"gtin\": \"" + GTIN + "\", \"qty\": 12}", "Authorization", "Bearer " + staffToken("RH3"),
            "Idempotency-Key", "k1");
        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(letters("RH3")).hasSize(1));
        RedisCommands<String, String> sync = redis.connection().sync();
        StoreId rh3 = new StoreId("RH3");
        String subs = Keys.subscriptions(rh3, dev.onshelf.core.model.Gtin.parse(GTIN));
        sync.hset(subs, "sub-rh3", "{\"url\": \"https://example.com/x\", \"client\": \"addr:rh3\", \"host\": \"rh3.example\"}");
        long until = System.currentTimeMillis() + 3_600_000;
        sync.zadd(Keys.subscriptionsByClient("addr:rh3"), until, "sub-rh3");
        sync.zadd(Keys.subscriptionsByHost("rh3.example"), until, "sub-rh3");
        sync.zadd(Keys.HOLDS_DUE, until, "RH3");
        assertThat(keysOf("RH3")).hasSizeGreaterThan(5);

        // when it is deleted
        HttpResponse<String> deleted = admin("DELETE", "/v1/admin/stores/RH3");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        // then nothing of it is left, in its slot or in the global indexes
        assertThat(keysOf("RH3")).isEmpty();
        assertThat(sync.sismember(Keys.STORES, "RH3")).isFalse();
        assertThat(sync.geopos(Keys.GEO, "RH3")).containsOnlyNulls();
        assertThat(sync.zscore(Keys.HOLDS_DUE, "RH3")).isNull();
        assertThat(sync.zscore(Keys.subscriptionsByClient("addr:rh3"), "sub-rh3")).isNull();
        assertThat(sync.zscore(Keys.subscriptionsByHost("rh3.example"), "sub-rh3")).isNull();
        assertThat(http.get("/v1/stores/RH3").statusCode()).isEqualTo(404);

        // when a late event, a staff count and a device registration come for it
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH3/feed/till-1", feed("s9", 2, "SALE", 1, GTIN));
        HttpResponse<String> late = http.send("POST", "/v1/staff/stores/RH3/counts",
            "{\"gtin\": \"" + GTIN + "\", \"qty\": 3}", "Authorization", "Bearer " + staffToken("RH3"));
        assertThat(late.statusCode()).as(late.body()).isEqualTo(404);
        assertThat(http.admin("/v1/admin/stores/RH3/devices/till-1", "{\"kind\": \"feed\"}").statusCode()).isEqualTo(404);
        // then each is refused into the global dead letters, and still no key of the store exists
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(new JsonObject(
                http.adminGet("/v1/admin/deadletters?limit=1000").body()).getJsonArray("items").stream()
            .map(JsonObject.class::cast).filter(l -> l.getString("payload").contains("\"s9\"")))
            .singleElement().satisfies(l -> assertThat(l.getString("reason")).isEqualTo("store.unknown")));
        assertThat(keysOf("RH3")).isEmpty();
        // and deleting it again is a 404
        assertThat(new JsonObject(admin("DELETE", "/v1/admin/stores/RH3").body()).getString("code"))
            .isEqualTo("registry:store.unknown");
    }

    @Test
    void staffCountsAreNotADevicesEvenOneNamedAsTheOldHandheld() throws Exception {
        // given a store with a real till named as the handheld's source was named before (hh-<store>)
        store("RH4");
        device("RH4", "hh-RH4", "feed");
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH4/feed/hh-RH4", feed("t1", 1, "COUNT", 20, GTIN));
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH4/feed/hh-RH4", feed("t2", 2, "SALE", 1, GTIN));
        await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(19).equals(book("RH4")));
        // when staff count the product
        HttpResponse<String> counted = http.send("POST", "/v1/staff/stores/RH4/counts",
            "{\"gtin\": \"" + GTIN + "\", \"qty\": 30}", "Authorization", "Bearer " + staffToken("RH4"));
        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(201);
        // then the till and the handheld each have their own ledger
        Map<String, String> ledgers = redis.connection().sync().hgetall(Keys.sources(new StoreId("RH4")));
        ledgers.keySet().removeIf(Keys::isSourceIdsField);
        assertThat(ledgers).containsOnlyKeys("hh-RH4", "~handheld");
        // and the device list tells the handheld from the till
        HttpResponse<String> devices = http.send("GET", "/v1/staff/stores/RH4/devices", null,
            "Authorization", "Bearer " + staffToken("RH4"));
        assertThat(new JsonObject(devices.body()).getJsonArray("items").stream().map(JsonObject.class::cast)
            .map(d -> d.getString("deviceId") + ":" + d.getString("kind") + ":" + d.getValue("highestSeq")))
            .containsExactlyInAnyOrder("hh-RH4:feed:2", "~handheld:handheld:null");
        // and the till's next event is judged by its own ledger alone (seq 3 follows its 2)
        MosquittoPub.publish(mqttPort, "onshelf/v1/stores/RH4/feed/hh-RH4", feed("t3", 3, "SALE", 4, GTIN));
        await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(26).equals(book("RH4")));
    }

    private static String staffToken(String store) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("bob")
            .claim("stores", List.of(store)).expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
