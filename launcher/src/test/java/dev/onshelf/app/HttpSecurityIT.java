package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Security headers on every answer; CORS only for the configured shopper-site origin. */
@ExtendWith(RealServices.class)
@Timeout(60)
class HttpSecurityIT {

    @Test
    void headersAndCors(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "security-gateway",
            Map.of("ONSHELF_CORS_ORIGINS", "https://shop.example.com"))) {
            node.http().admin("/v1/admin/stores/SEC1", "{\"name\": \"SEC1\", \"lat\": 1, \"lon\": 1}");
            HttpResponse<String> r = node.http().get("/v1/stores/SEC1/products/4006381333931");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(r.headers().firstValue("Content-Security-Policy")).isPresent();
            assertThat(node.http().get("/nothing").headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

            String product = "/v1/stores/SEC1/products/4006381333931";
            HttpResponse<String> allowed = node.http().send("GET", product, null, "Origin", "https://shop.example.com");
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.com");
            // another origin gets no CORS header: its browser keeps the answer from its page (CorsIT)
            HttpResponse<String> other = node.http().send("GET", product, null, "Origin", "https://evil.example.net");
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }
}
