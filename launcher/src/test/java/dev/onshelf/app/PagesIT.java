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

/** The pages are served with their own CSP; the API keeps its strict one. */
@ExtendWith(RealServices.class)
@Timeout(60)
class PagesIT {

    @Test
    void pagesAndTheirHeaders(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "pages-gateway", Map.of())) {
            Http http = node.http();
            // the shopper page and the staff app, with a CSP for their own scripts and no inline code
            for (String path : new String[] {"/", "/staff/"}) {
                HttpResponse<String> page = http.get(path);
                assertThat(page.statusCode()).as(path).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
                String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
                assertThat(csp).contains("script-src 'self'", "style-src 'self'", "connect-src 'self'",
                    "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "*");
                assertThat(page.body()).contains("<script type=\"module\" src=").doesNotContain("<script>", "style=");
                assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            }
            assertThat(http.get("/shop.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(http.get("/staff/manifest.webmanifest").headers().firstValue("Content-Type"))
                .hasValue("application/manifest+json");
            HttpResponse<String> sw = http.get("/staff/sw.js");
            assertThat(sw.statusCode()).isEqualTo(200);
            // a revalidation is a 304
            String etag = sw.headers().firstValue("ETag").orElseThrow();
            assertThat(http.send("GET", "/staff/sw.js", null, "If-None-Match", etag).statusCode()).isEqualTo(304);
            // the API keeps its strict policy; unknown paths and other methods are problems
            assertThat(http.get("/v1/stores").headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'none'; frame-ancestors 'none'");
            HttpResponse<String> missing = http.get("/staff/nothing.js");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(http.send("POST", "/", "{}").statusCode()).isIn(404, 405);
            assertThat(http.get("/").headers().firstValue("X-Frame-Options")).hasValue("DENY");
            // a browser that takes gzip gets the scripts gzipped; a small JSON answer goes as it is (ApiVerticle)
            assertThat(http.send("GET", "/shop.js", null, "Accept-Encoding", "gzip").headers()
                .firstValue("Content-Encoding")).hasValue("gzip");
            HttpResponse<String> small = http.send("GET", "/v1/stores/nowhere/products/4006381333931", null,
                "Accept-Encoding", "gzip");
            assertThat(small.body().length()).isLessThan(1024);
            assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
        }
    }

    @Test
    void theShopperPageMayBeFramedByTheRetailersOwnSites(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "pages-embed-gateway",
                Map.of("ONSHELF_CORS_ORIGINS", "https://shop.example.com"))) {
            HttpResponse<String> shop = node.http().get("/");
            assertThat(shop.headers().firstValue("Content-Security-Policy").orElseThrow())
                .endsWith("frame-ancestors 'self' https://shop.example.com");
            assertThat(shop.headers().firstValue("X-Frame-Options")).isEmpty();
            HttpResponse<String> staff = node.http().get("/staff/");
            assertThat(staff.headers().firstValue("Content-Security-Policy").orElseThrow()).endsWith("frame-ancestors 'none'");
            assertThat(staff.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        }
    }
}
