package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.testkit.ChromeDriverProcess;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API reference at /docs: Swagger UI from its WebJar, served by the API under its own CSP,
 * renders /openapi.yaml grouped by tags in a real headless Chromium with no CSP violation.
 */
@ExtendWith(RealServices.class)
@Timeout(120)
class DocsIT {
    private static final Path SHOTS = Path.of("target", "screenshots");

    @Test
    void theReferenceRendersTheDocumentByTag(RedisProcess redis, MosquittoProcess mosquitto) throws Exception {
        try (TestNode node = TestNode.start(redis.url(), mosquitto.url(), "docs-gateway", Map.of());
             ChromeDriverProcess driver = (ChromeDriverProcess) new ChromeDriverProcess().start()) {
            Http http = node.http();
            // the page and Swagger UI's files come from the API itself, with the reference's own policy
            HttpResponse<String> page = http.get("/docs");
            assertThat(page.statusCode()).isEqualTo(200);
            String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-eval", "*", "http");
            assertThat(page.body()).contains("src=\"/docs/swagger-ui-bundle.js\"").doesNotContain("<script>", "https://");
            HttpResponse<String> bundle = http.get("/docs/swagger-ui-bundle.js");
            assertThat(bundle.statusCode()).isEqualTo(200);
            assertThat(bundle.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(http.get("/docs/swagger-ui.css").statusCode()).isEqualTo(200);
            assertThat(http.get("/v1/stores").headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'none'; frame-ancestors 'none'");

            try (Browser browser = new Browser(driver.url(), Files.createTempDirectory("chromium-docs"), 1280, 900)) {
                try {
                    // when a reader opens /docs, the operations are listed under their tags
                    browser.open("http://127.0.0.1:" + node.port() + "/docs");
                    await().atMost(Duration.ofSeconds(30)).until(() -> browser.find("#operations-tag-operators") != null);
                    for (String tag : new String[] {"shoppers", "catalogue", "staff", "operators", "health"}) {
                        assertThat(browser.find("#operations-tag-" + tag)).as(tag).isNotNull();
                    }
                    assertThat(browser.text("#operations-tag-shoppers")).contains("shoppers");
                    assertThat(browser.find("#operations-shoppers-getAvailability")).isNotNull();
                    assertThat(browser.text(".info .title")).contains("OnShelf API");
                    // and Swagger UI ran under the page's policy without being refused anything
                    assertThat(browser.consoleLog()).doesNotContain("Content Security Policy", "Refused");
                    browser.screenshot(SHOTS.resolve("docs.png"));
                } catch (AssertionError | RuntimeException e) {
                    browser.screenshot(SHOTS.resolve("failure-docs.png"));
                    throw new AssertionError("console:\n" + browser.consoleLog() + "\npage:\n" + browser.source(), e);
                }
            }
        }
    }
}
