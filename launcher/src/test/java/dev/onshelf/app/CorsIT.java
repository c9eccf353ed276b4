package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.onshelf.testkit.ChromeDriverProcess;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CORS (issue 12 item 4): a configured origin — a retailer's own site — may call the shopper API and
 * the staff API with {@code Authorization} and {@code Idempotency-Key}; any other origin gets no CORS
 * header; the server's own pages are not affected. Preflights by hand, then from a real page in Chromium.
 */
@ExtendWith(RealServices.class)
@Timeout(120)
class CorsIT {
    private static final String SECRET = "cors-it-staff-secret-0123456789abcdefgh";
    private static final String GTIN = "04006381333931";

    @Test
    void configuredOriginsMayCallTheShopperAndStaffApiOthersGetNothing(RedisProcess redis, MosquittoProcess mosquitto)
            throws Exception {
        // the retailer's site: a plain page on another port of this machine
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>shop</title><p>the retailer's site</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        site.start();
        String shop = "http://127.0.0.1:" + site.getAddress().getPort();
        // the same server by another name is another origin, not configured
        String stranger = "http://localhost:" + site.getAddress().getPort();
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "cors-gateway",
                Map.of("ONSHELF_CORS_ORIGINS", shop, "ONSHELF_STAFF_JWT_SECRET", SECRET));
             ChromeDriverProcess driver = (ChromeDriverProcess) new ChromeDriverProcess().start()) {
            Http http = node.http();
            String api = "http://127.0.0.1:" + node.port();
            String token = Main.demoStaffToken(SECRET, List.of("CORS1"));
            http.admin("/v1/admin/stores/CORS1", "{\"name\": \"Cors Street\", \"lat\": 1, \"lon\": 1}");
            String counts = "/v1/staff/stores/CORS1/counts";

            // when the configured origin asks before a staff count, it may send the token and the key
            HttpResponse<String> preflight = http.send("OPTIONS", counts, null, "Origin", shop,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(shop);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
                .contains("GET", "POST", "DELETE").doesNotContain("PUT");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
                .contains("authorization", "idempotency-key", "content-type", "if-none-match", "last-event-id",
                    "x-api-key");
            assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
            // and another origin's preflight gets no CORS header at all
            HttpResponse<String> refused = http.send("OPTIONS", counts, null, "Origin", stranger,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");
            assertThat(refused.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
            // an answer to the configured origin names it and shows the headers a page needs
            HttpResponse<String> read = http.send("GET", "/v1/stores/CORS1/products/" + GTIN, null, "Origin", shop);
            assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(shop);
            assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("ETag", "Retry-After", "X-RateLimit-Remaining");
            assertThat(read.headers().allValues("Vary")).contains("Origin");
            // the server's own pages send their own origin on a POST: not a cross-origin call, not refused
            assertThat(http.send("POST", counts, "{\"gtin\": \"" + GTIN + "\", \"qty\": 3}", "Origin", api,
                "Authorization", "Bearer " + token).statusCode()).isEqualTo(201);

            try (Browser browser = new Browser(driver.url(), Files.createTempDirectory("chromium-cors"), 800, 600)) {
                // when a page of the retailer's site counts with a staff token, the browser lets it through
                browser.open(shop + "/");
                Object counted = browser.scriptAsync("fetch('" + api + counts + "', {method: 'POST', headers: {"
                    + "'Authorization': 'Bearer " + token + "', 'Idempotency-Key': 'cors-1', "
                    + "'Content-Type': 'application/json'}, body: JSON.stringify({gtin: '" + GTIN + "', qty: 5})})"
                    + ".then((r) => r.json().then((j) => done({status: r.status, bookCount: j.bookCount})))"
                    + ".catch((e) => done({error: String(e)}))");
                JsonObject answer = (JsonObject) counted;
                assertThat(answer.getInteger("status")).as(answer.encode()).isEqualTo(201);
                assertThat(answer.getInteger("bookCount")).isEqualTo(5);
                // and reads an answer with its ETag
                Object etag = browser.scriptAsync("fetch('" + api + "/v1/stores/CORS1/products/" + GTIN + "')"
                    + ".then((r) => done(r.headers.get('ETag'))).catch((e) => done('error: ' + e))");
                assertThat(String.valueOf(etag)).startsWith("W/\"");
                // when a page of another origin tries the same, the browser refuses it
                browser.open(stranger + "/");
                Object blocked = browser.scriptAsync("fetch('" + api + "/v1/stores/CORS1/products/" + GTIN + "')"
                    + ".then((r) => done('read ' + r.status)).catch((e) => done('blocked: ' + e))");
                assertThat(String.valueOf(blocked)).startsWith("blocked:");
            }
        } finally {
            site.stop(0);
        }
    }
}
