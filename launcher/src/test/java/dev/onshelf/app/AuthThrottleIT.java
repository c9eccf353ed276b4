package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.api.http.AuthThrottle;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Guessing admin tokens and staff JWTs is throttled per address; staff routes are rate-limited. */
@ExtendWith(RealServices.class)
@Timeout(60)
class AuthThrottleIT {
    private static final String STAFF_SECRET = "staff-secret-for-throttle-tests-0123456789";

    @Test
    void failedAdminAuthenticationIsThrottledPerAddress(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "throttle-gateway", Map.of())) {
            // given the allowance of wrong tokens, spent
            for (int i = 0; i < AuthThrottle.FAILURES; i++) {
                HttpResponse<String> r = node.http().put("/v1/admin/stores/TH1", "{\"name\": \"x\", \"lat\": 1, \"lon\": 1}",
                    "wrong-token-" + i);
                assertThat(r.statusCode()).isEqualTo(401);
            }
            // when the address tries again, even with the right token
            HttpResponse<String> wrong = node.http().put("/v1/admin/stores/TH1", "{\"name\": \"x\", \"lat\": 1, \"lon\": 1}",
                "wrong-token-again");
            HttpResponse<String> right = node.http().adminGet("/v1/admin/deadletters?limit=1");
            // then it is told to wait
            for (HttpResponse<String> r : List.of(wrong, right)) {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("auth:throttled");
                assertThat(r.headers().firstValue("Retry-After")).hasValue("6");
            }
            // while public reads from the same address are not affected
            assertThat(node.http().get("/v1/stores").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void failedStaffAuthenticationIsThrottledAndStaffRoutesAreRateLimited(RedisProcess redis, MosquittoProcess mosquitto)
        throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "throttle-gateway-2",
            Map.of("ONSHELF_STAFF_JWT_SECRET", STAFF_SECRET, "ONSHELF_RATE_LIMIT_PER_SECOND", "5"))) {
            node.http().admin("/v1/admin/stores/TH2", "{\"name\": \"TH2\", \"lat\": 1, \"lon\": 1}");
            String token = Main.demoStaffToken(STAFF_SECRET, List.of("TH2"));
            // given a handheld within its rate
            assertThat(staff(node, token).statusCode()).isEqualTo(200);
            // when it goes over its rate
            int limited = 0;
            for (int i = 0; i < 20; i++) {
                if (staff(node, token).statusCode() == 429) {
                    limited++;
                }
            }
            // then it is limited like any client
            assertThat(limited).isPositive();
        }
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "throttle-gateway-3",
            Map.of("ONSHELF_STAFF_JWT_SECRET", STAFF_SECRET))) {
            node.http().admin("/v1/admin/stores/TH3", "{\"name\": \"TH3\", \"lat\": 1, \"lon\": 1}");
            String forged = Main.demoStaffToken("not-the-secret-but-as-long-as-it-0123456789", List.of("TH3"));
            for (int i = 0; i < AuthThrottle.FAILURES; i++) {
                assertThat(staff(node, forged, "TH3").statusCode()).isEqualTo(401);
            }
            HttpResponse<String> throttled = staff(node, Main.demoStaffToken(STAFF_SECRET, List.of("TH3")), "TH3");
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(new JsonObject(throttled.body()).getString("code")).isEqualTo("auth:throttled");
        }
    }

    private static HttpResponse<String> staff(TestNode node, String token) {
        return staff(node, token, "TH2");
    }

    private static HttpResponse<String> staff(TestNode node, String token, String store) {
        return node.http().send("GET", "/v1/staff/stores/" + store + "/devices", null, "Authorization", "Bearer " + token);
    }
}
