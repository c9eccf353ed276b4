package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.onshelf.aggregator.redis.Keys;
import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.ingest.ApplyResult;
import dev.onshelf.core.ingest.Attribution;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A registry written by versions before 2026-11-29 (a global device index, the staff handheld's and
 * EPCIS's sources as devices named hh-<store> and epcis-<store>, every dead letter in one global
 * stream) is in today's layout once a node has started, and exactly-once holds across the move.
 */
@ExtendWith(RealServices.class)
@Timeout(60)
class RegistryMigrationIT {
    private static final String SECRET = "staff-secret-for-migration-tests-0123456789";
    private static final StoreId STORE = new StoreId("RM1");
    private static final Gtin GTIN = Gtin.parse("4006381333931");

    @Test
    void anOldRegistryIsMovedIntoTodaysLayoutWhenANodeStarts(RedisProcess redis, MosquittoProcess mosquitto)
        throws Exception {
        // given a store as older versions left it: a staff count applied under hh-RM1 (its event id as the
        // handheld built it: "staff-qty-" + who + ":" + Idempotency-Key), EPCIS registered as epcis-RM1,
        // the global device index, and dead letters of this store and of no store in the global stream
        long now = System.currentTimeMillis();
        try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
            RegistryStore registry = new RegistryStore(c.connection().async());
            RedisAvailabilityStore store = new RedisAvailabilityStore(c.connection().async(), System::currentTimeMillis,
                ApplyParams.DEFAULT);
            registry.putStore(STORE, "RM1", 48.85, 2.35).toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (String d : new String[] {"hh-RM1", "epcis-RM1", "rm1-till"}) {
                registry.putDevice(STORE, new DeviceId(d), DeviceKind.FEED).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            ApplyResult old = store.apply(new FeedEvent(STORE, new DeviceId("hh-RM1"), "staff-qty-carol:k1", 0, now,
                EventType.COUNT, GTIN, 12), Attribution.NONE).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(old.outcome()).isEqualTo(ApplyResult.Outcome.APPLIED);
            RedisCommands<String, String> sync = c.connection().sync();
            sync.hset("onshelf:devices", Map.of("rm1-till", "RM1", "hh-RM1", "RM1"));
            for (String topic : new String[] {"onshelf/v1/stores/RM1/feed/rm1-ghost", "onshelf/v1/stores/RM1-NONE/feed/x",
                "rm1/not/a/topic"}) {
                sync.xadd(Keys.DEAD_LETTER, Map.of("topic", topic, "reason", "device.unregistered", "detail", "old",
                    "at", Long.toString(now), "payload", "{\"eventId\": \"rm1-old\"}"));
            }
        }

        // when a node starts
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "registry-migration-gateway",
            Map.of("ONSHELF_STAFF_JWT_SECRET", SECRET));
             RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
            RedisCommands<String, String> sync = c.connection().sync();
            // then the handheld's and EPCIS's registration, ledger and health are under their own ids
            assertThat(sync.hgetall(Keys.devices(STORE))).containsOnlyKeys("~handheld", "~epcis", "rm1-till");
            // (the ledger with its epochs' ids, Keys.sourceIdsField)
            assertThat(sync.hkeys(Keys.sources(STORE))).containsExactlyInAnyOrder("~handheld",
                Keys.sourceIdsField("~handheld"));
            assertThat(sync.hkeys(Keys.health(STORE))).containsExactly("~handheld");
            // and the global device index is gone
            assertThat(sync.exists("onshelf:devices")).isZero();
            // and the store's dead letter is in its own stream; the others stay global
            assertThat(new JsonObject(node.http().adminGet("/v1/admin/stores/RM1/deadletters").body())
                .getJsonArray("items").stream().map(JsonObject.class::cast).map(l -> l.getString("topic")))
                .containsExactly("onshelf/v1/stores/RM1/feed/rm1-ghost");
            List<String> global = sync.xrange(Keys.DEAD_LETTER, Range.create("-", "+")).stream()
                .map(m -> m.getBody().get("topic")).toList();
            assertThat(global).contains("onshelf/v1/stores/RM1-NONE/feed/x", "rm1/not/a/topic")
                .doesNotContain("onshelf/v1/stores/RM1/feed/rm1-ghost");

            // and the same count retried by the handheld after the move is recognised, not applied again
            HttpResponse<String> retried = node.http().send("POST", "/v1/staff/stores/RM1/counts",
                "{\"gtin\": \"" + GTIN.value() + "\", \"qty\": 12}", "Authorization", "Bearer " + staffToken("carol"),
                "Idempotency-Key", "k1");
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(node.http().getJson("/v1/stores/RM1/products/" + GTIN.value()).getLong("bookCount")).isEqualTo(12);
        }

        // and a second start changes nothing (idempotent)
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "registry-migration-gateway", Map.of());
             RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
            assertThat(c.connection().sync().hgetall(Keys.devices(STORE))).containsOnlyKeys("~handheld", "~epcis", "rm1-till");
            assertThat(new JsonObject(node.http().adminGet("/v1/admin/stores/RM1/deadletters").body())
                .getJsonArray("items")).hasSize(1);
        }
    }

    private static String staffToken(String who) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(who)
            .claim("stores", List.of(STORE.value())).expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
