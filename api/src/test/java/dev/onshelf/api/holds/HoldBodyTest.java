package dev.onshelf.api.holds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onshelf.api.http.ProblemException;
import dev.onshelf.core.holds.HoldRequest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A hold's body is refused with the code that names its field, without the OpenAPI validation. */
class HoldBodyTest {
    private static String code(JsonObject body) {
        try {
            HoldsHandler.request(body);
            return null;
        } catch (ProblemException e) {
            return e.code();
        }
    }

    @Test
    void eachBadFieldHasItsOwnCode() {
        assertThat(code(null)).isEqualTo("request:body.invalid");
        assertThat(code(new JsonObject().put("qty", 1))).isEqualTo("request:body.invalid");
        JsonObject good = new JsonObject().put("gtin", "4006381333931").put("qty", 2).put("ttlSeconds", 60);
        assertThat(code(good.copy().put("qty", 0))).isEqualTo("request:qty.invalid");
        assertThat(code(good.copy().put("qty", "2"))).isEqualTo("request:qty.invalid");
        assertThat(code(good.copy().put("qty", HoldRequest.MAX_QTY + 1))).isEqualTo("request:qty.invalid");
        assertThat(code(good.copy().remove("ttlSeconds") == null ? good : good.copy().putNull("ttlSeconds")))
            .isEqualTo("request:ttlSeconds.invalid");
        assertThat(code(good.copy().put("ttlSeconds", HoldRequest.MAX_TTL_SECONDS + 1)))
            .isEqualTo("request:ttlSeconds.invalid");
        assertThatThrownBy(() -> HoldsHandler.request(good.copy().put("gtin", "4006381333932")))
            .hasMessageContaining("check digit");
        HoldRequest ok = HoldsHandler.request(good);
        assertThat(ok.qty()).isEqualTo(2);
        assertThat(ok.ttlSeconds()).isEqualTo(60);
        assertThat(ok.gtin().value()).isEqualTo("04006381333931");
    }
}
