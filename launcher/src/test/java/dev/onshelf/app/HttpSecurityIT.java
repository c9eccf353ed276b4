package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
            HttpResponse<String> r = node.http().get("/v1/stores/SEC1/products/4006381333931");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(r.headers().firstValue("Content-Security-Policy")).isPresent();
            assertThat(node.http().get("/nothing").headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> allowed = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.port() + "/v1/stores/SEC1/products/4006381333931"))
                .header("Origin", "https://shop.example.com").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.com");
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.port() + "/v1/stores/SEC1/products/4006381333931"))
                .header("Origin", "https://evil.example.net").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }
}
