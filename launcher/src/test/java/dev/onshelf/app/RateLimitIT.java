package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RealServices.class)
@Timeout(60)
class RateLimitIT {

    @Test
    void aClientOverItsRateIsToldToRetryLater(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "ratelimit-gateway",
            Map.of("ONSHELF_RATE_LIMIT_PER_SECOND", "5"))) {
            node.http().admin("/v1/admin/stores/RL1", "{\"name\": \"RL1\", \"lat\": 1, \"lon\": 1}");
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> limited = null;
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> r = node.http().get("/v1/stores/RL1/products/4006381333931");
                statuses.add(r.statusCode());
                if (r.statusCode() == 429) {
                    limited = r;
                }
            }
            assertThat(statuses.subList(0, 5)).containsOnly(200);
            assertThat(statuses).contains(429);
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
            assertThat(new JsonObject(limited.body()).getString("code")).isEqualTo("http:rate_limited");
            // operations endpoints are not limited
            assertThat(node.http().get("/health/live").statusCode()).isEqualTo(200);
        }
    }
}
