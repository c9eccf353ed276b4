package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who counts as a client for the rate limit: a key the operator issued (stored hashed, listed without
 * its secret, revocable), never a made-up key; and the address, from X-Forwarded-For only when the
 * connection comes from a trusted proxy.
 */
@ExtendWith(RealServices.class)
@Timeout(60)
class ApiKeysIT {
    private static final String LOOKUP = "/v1/stores/AK1/products/4006381333931";

    @Test
    void anIssuedKeyIsAClientOfItsOwnAndAnyOtherKeyIsNot(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "apikeys-1",
            Map.of("ONSHELF_RATE_LIMIT_PER_SECOND", "3"))) {
            Http http = node.http();
            http.admin("/v1/admin/stores/AK1", "{\"name\": \"AK1\", \"lat\": 1, \"lon\": 1}");
            // given: a key issued with a rate of its own
            HttpResponse<String> issued = http.send("POST", "/v1/admin/api-keys",
                "{\"name\": \"partner\", \"ratePerSecond\": 40}", "Authorization", "Bearer " + TestNode.TOKEN);
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
            JsonObject created = new JsonObject(issued.body());
            String key = created.getString("key");
            String id = created.getString("id");
            assertThat(key).startsWith("onshelf_").hasSizeGreaterThan(40);
            assertThat(issued.headers().firstValue("Location")).hasValue("/v1/admin/api-keys/" + id);
            assertThat(created.getLong("ratePerSecond")).isEqualTo(40L);
            // Redis keeps the SHA-256, never the key; the list shows neither
            try (RedisClient client = RedisClient.create(redis.url());
                 StatefulRedisConnection<String, String> c = client.connect()) {
                String stored = c.sync().hget("onshelf:apikeys", id);
                assertThat(stored).doesNotContain(key).contains(sha256(key));
            }
            HttpResponse<String> listed = http.send("GET", "/v1/admin/api-keys", null,
                "Authorization", "Bearer " + TestNode.TOKEN);
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).contains(id, "partner").doesNotContain(key).doesNotContain(sha256(key));

            // when: the address spends its budget (3)
            assertThat(admitted(http, 6)).isBetween(3, 4);  // 3, and 1 refilled if the loop took a third of a second
            // then: a made-up key is the address, already over its limit (as a client of its own it would
            // have 3 at once; the address refills one in a third of a second)
            assertThat(admitted(http, 4, "X-API-Key", "onshelf_made-up-key")).isLessThanOrEqualTo(1);
            // and the issued key has its own budget, at its own rate
            int keyOk = 0;
            HttpResponse<String> keyLimited = null;
            for (int i = 0; i < 60; i++) {
                HttpResponse<String> r = http.send("GET", LOOKUP, null, "X-API-Key", key);
                if (r.statusCode() == 200) {
                    keyOk++;
                } else {
                    keyLimited = r;
                }
            }
            assertThat(keyOk).isGreaterThanOrEqualTo(40);
            assertThat(keyLimited).isNotNull();
            assertThat(new JsonObject(keyLimited.body()).getString("detail")).contains("more than 40 requests");

            // when: the key is revoked, it is the address again
            HttpResponse<String> revoked = http.send("DELETE", "/v1/admin/api-keys/" + id, null,
                "Authorization", "Bearer " + TestNode.TOKEN);
            assertThat(revoked.statusCode()).isEqualTo(204);
            admitted(http, 6);
            assertThat(admitted(http, 4, "X-API-Key", key)).isLessThanOrEqualTo(1);
            HttpResponse<String> again = http.send("DELETE", "/v1/admin/api-keys/" + id, null,
                "Authorization", "Bearer " + TestNode.TOKEN);
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(new JsonObject(again.body()).getString("code")).isEqualTo("apikey:unknown");
            assertThat(http.send("GET", "/v1/admin/api-keys", null, "Authorization", "Bearer " + TestNode.TOKEN)
                .body()).doesNotContain(id);
        }
    }

    @Test
    void badKeyRequestsAreRefusedWithAReason(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "apikeys-2", Map.of())) {
            String auth = "Bearer " + TestNode.TOKEN;
            HttpResponse<String> noName = node.http().send("POST", "/v1/admin/api-keys", "{\"ratePerSecond\": 5}",
                "Authorization", auth);
            assertThat(noName.statusCode()).isEqualTo(400);
            assertThat(noName.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(new JsonObject(noName.body()).getString("code")).startsWith("request:");
            HttpResponse<String> badRate = node.http().send("POST", "/v1/admin/api-keys",
                "{\"name\": \"x\", \"ratePerSecond\": 0}", "Authorization", auth);
            assertThat(badRate.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(badRate.body()).getString("detail")).contains("ratePerSecond");
            HttpResponse<String> badId = node.http().send("DELETE", "/v1/admin/api-keys/nope", null, "Authorization", auth);
            assertThat(badId.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(badId.body()).getString("code")).isEqualTo("request:id.invalid");
            HttpResponse<String> noToken = node.http().send("POST", "/v1/admin/api-keys", "{\"name\": \"x\"}");
            assertThat(noToken.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void forwardedForCountsOnlyFromATrustedProxy(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        // the test's connections come from 127.0.0.1: here the proxy the operator trusts
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "apikeys-3",
            Map.of("ONSHELF_RATE_LIMIT_PER_SECOND", "3", "ONSHELF_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1/32"))) {
            Http http = node.http();
            http.admin("/v1/admin/stores/AK1", "{\"name\": \"AK1\", \"lat\": 1, \"lon\": 1}");
            // given: one client behind the proxy spends its budget, whatever it writes left of its address
            admitted(http, 6, "X-Forwarded-For", "198.51.100.1, 203.0.113.7");
            assertThat(admitted(http, 2, "X-Forwarded-For", "192.0.2.99, 203.0.113.7")
                + admitted(http, 2, "X-Forwarded-For", "203.0.113.7, 10.1.2.3"))  // a second trusted hop
                .as("the right-most address that is not a proxy counts").isLessThanOrEqualTo(1);
            // then: another client behind the same proxy has its own budget, and so has the proxy itself
            assertThat(admitted(http, 3, "X-Forwarded-For", "203.0.113.8")).isEqualTo(3);
            assertThat(admitted(http, 3)).isEqualTo(3);
        }
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "apikeys-4",
            Map.of("ONSHELF_RATE_LIMIT_PER_SECOND", "3"))) {
            // without trusted proxies, X-Forwarded-For is the client's word: it changes nothing
            node.http().admin("/v1/admin/stores/AK1", "{\"name\": \"AK1\", \"lat\": 1, \"lon\": 1}");
            admitted(node.http(), 6, "X-Forwarded-For", "203.0.113.1");
            assertThat(admitted(node.http(), 4, "X-Forwarded-For", "203.0.113.200")).isLessThanOrEqualTo(1);
        }
    }

    /** ONSHELF_PUBLIC_COUNTS=false holds for a partner's key too: a key is a rate, not a staff view. */
    @Test
    void aKeyDoesNotBringCountsBack(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        String secret = "api-keys-it-staff-secret-0123456789abcdef";
        for (boolean publicCounts : new boolean[] {true, false}) {
            try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "apikeys-counts-" + publicCounts,
                Map.of("ONSHELF_PUBLIC_COUNTS", Boolean.toString(publicCounts), "ONSHELF_STAFF_JWT_SECRET", secret))) {
                Http http = node.http();
                // given: book stock of 7, counted by staff
                http.admin("/v1/admin/stores/AK2", "{\"name\": \"AK2\", \"lat\": 1, \"lon\": 1}");
                String staff = "Bearer " + Main.demoStaffToken(secret, java.util.List.of("AK2"));
                HttpResponse<String> counted = http.send("POST", "/v1/staff/stores/AK2/counts",
                    "{\"gtin\": \"4006381333931\", \"qty\": 7}", "Authorization", staff,
                    "Idempotency-Key", "count-" + publicCounts);
                assertThat(counted.statusCode()).as(counted.body()).isIn(200, 201);
                String key = new JsonObject(http.send("POST", "/v1/admin/api-keys", "{\"name\": \"p\"}",
                    "Authorization", "Bearer " + TestNode.TOKEN).body()).getString("key");
                // when: a partner with an issued key looks it up
                JsonObject answer = new JsonObject(http.send("GET", "/v1/stores/AK2/products/4006381333931", null,
                    "X-API-Key", key).body());
                // then: the count is there only when the operator publishes counts
                assertThat(answer.getBoolean("onShelf")).isTrue();
                if (publicCounts) {
                    assertThat(answer.getLong("bookCount")).isEqualTo(7L);
                } else {
                    assertThat(answer.fieldNames()).doesNotContain("bookCount", "shelfCount");
                }
            }
        }
    }

    /** How many of {@code n} lookups in a row (with the header pairs given) were admitted; the others must be 429s. */
    private static int admitted(Http http, int n, String... headers) {
        int ok = 0;
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = http.send("GET", LOOKUP, null, headers);
            assertThat(r.statusCode()).as(r.body()).isIn(200, 429);
            ok += r.statusCode() == 200 ? 1 : 0;
        }
        return ok;
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
