package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests are validated against /openapi.yaml before any handler runs: each refusal is a
 * problem naming the parameter or body field and the rule it breaks, with a stable code.
 */
@ExtendWith(RealServices.class)
@Timeout(60)
class RequestValidationIT {
    private static TestNode node;

    @BeforeAll
    static void start(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        node = TestNode.start(redis.url(), mosquitto.url(), "validation-gateway", Map.of());
        node.http().admin("/v1/admin/stores/RV1", "{\"name\": \"RV1\", \"lat\": 48.1, \"lon\": 11.6}");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static JsonObject problem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return new JsonObject(r.body());
    }

    @Test
    void queryParametersAreCheckedAgainstTheirSchemas() {
        JsonObject tooFarNorth = problem(node.http().get("/v1/products/4006381333931/nearby?lat=90&lon=11"), 400);
        assertThat(tooFarNorth.getString("code")).isEqualTo("request:lat.invalid");
        assertThat(tooFarNorth.getString("detail")).contains("lat").contains("85.05");
        assertThat(problem(node.http().get("/v1/products/4006381333931/nearby?lon=11"), 400).getString("code"))
            .isEqualTo("request:lat.missing");
        assertThat(problem(node.http().get("/v1/products/4006381333931/nearby?lat=48&lon=11&limit=2.5"), 400)
            .getString("code")).isEqualTo("request:limit.invalid");
        assertThat(problem(node.http().get("/v1/stores/RV1/products"), 400).getString("code"))
            .isEqualTo("request:gtins.missing");
        assertThat(node.http().get("/v1/products/4006381333931/nearby?lat=48.1&lon=11.6&radiusKm=5").statusCode())
            .isEqualTo(200);
    }

    @Test
    void identifiersKeepTheirDomainCodesAndMessages() {
        JsonObject letters = problem(node.http().get("/v1/stores/RV1/products/abc"), 400);
        assertThat(letters.getString("code")).isEqualTo("availability:gtin.invalid");
        assertThat(letters.getString("detail")).contains("8, 12, 13 or 14 digits");
        JsonObject checkDigit = problem(node.http().get("/v1/stores/RV1/products/4006381333932"), 400);
        assertThat(checkDigit.getString("code")).isEqualTo("availability:gtin.invalid");
        assertThat(problem(node.http().send("GET", "/v1/stores/RV1/changes", null, "Last-Event-ID", "yesterday"), 400)
            .getString("code")).isEqualTo("request:lastEventId.invalid");
    }

    @Test
    void staffEndpointsSayWhenTheServerHasNoStaffKey() {
        JsonObject p = problem(node.http().send("GET", "/v1/staff/stores/RV1/gaps", null, "Authorization", "Bearer x"), 501);
        assertThat(p.getString("code")).isEqualTo("auth:staff.not_configured");
        assertThat(p.getString("detail")).contains("ONSHELF_STAFF_JWT_SECRET");
    }

    @Test
    void bodiesAreCheckedAgainstTheirSchemas() {
        assertThat(problem(node.http().send("POST", "/v1/subscriptions", null), 400).getString("code"))
            .isEqualTo("request:body.missing");
        assertThat(problem(node.http().send("POST", "/v1/subscriptions", "storeId=RV1", "Content-Type", "text/plain"), 415)
            .getString("code")).isEqualTo("request:content_type.unsupported");
        JsonObject wrongType = problem(node.http().send("PUT", "/v1/admin/stores/RV2", "{\"name\": \"RV2\", "
            + "\"lat\": \"north\", \"lon\": 11}", "Authorization", "Bearer " + TestNode.TOKEN), 400);
        assertThat(wrongType.getString("code")).isEqualTo("registry:lat.invalid");
        assertThat(wrongType.getString("detail")).contains("lat").doesNotContain("app:///");
        JsonObject missing = problem(node.http().send("PUT", "/v1/admin/stores/RV2", "{\"name\": \"RV2\", \"lon\": 11}",
            "Authorization", "Bearer " + TestNode.TOKEN), 400);
        assertThat(missing.getString("code")).isEqualTo("registry:lat.invalid");
        assertThat(missing.getString("detail")).contains("lat");
        JsonObject badUrl = problem(node.http().send("POST", "/v1/subscriptions", "{\"storeId\": \"RV1\", "
            + "\"gtin\": \"4006381333931\", \"callbackUrl\": 42}"), 400);
        assertThat(badUrl.getString("code")).isEqualTo("request:callbackUrl.invalid");
        assertThat(problem(node.http().send("POST", "/v1/subscriptions", "{not json"), 400).getString("code"))
            .isEqualTo("request:body.invalid");
    }
}
