package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RedisProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No secret reaches the logs: the admin token, the staff JWT key, the broker and Redis passwords,
 * bearer tokens that clients send (right or wrong) and a webhook's signing secret, through a start, requests
 * refused and accepted, and a Redis and broker restart (reconnect messages). OnShelf's own loggers
 * run at DEBUG for this test.
 */
@Timeout(120)
class SecretsInLogsIT {
    private static final String ADMIN = "admin-token-SECRET-1-0123456789";
    private static final String STAFF_KEY = "staff-jwt-key-SECRET-2-0123456789abcdef";
    private static final String MQTT_PASSWORD = "mqtt-SECRET-3";
    private static final String REDIS_PASSWORD = "redis-SECRET-4";
    private static final String WRONG_ADMIN = "guessed-admin-SECRET-5-0123456789";

    @Test
    void noSecretIsLogged(@TempDir Path dir) throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("dev.onshelf");
        Level before = ours.getLevel();
        logs.start();
        root.addAppender(logs);
        ours.setLevel(Level.DEBUG);
        Path passwd = dir.resolve("passwd");
        Process pw = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwd.toString(), "gateway", MQTT_PASSWORD)
            .redirectErrorStream(true).start();
        assertThat(pw.waitFor(10, TimeUnit.SECONDS) && pw.exitValue() == 0).as("mosquitto_passwd").isTrue();
        try (RedisProcess redis = new RedisProcess(true, REDIS_PASSWORD);
             MosquittoProcess broker = new MosquittoProcess("password_file " + passwd)) {
            redis.start();
            broker.start();
            try (TestNode node = TestNode.start(redis.url(), broker.url(), "secrets-gateway", Map.of(
                "ONSHELF_ADMIN_TOKEN", ADMIN, "ONSHELF_STAFF_JWT_SECRET", STAFF_KEY,
                "ONSHELF_MQTT_USERNAME", "gateway", "ONSHELF_MQTT_PASSWORD", MQTT_PASSWORD,
                "ONSHELF_WEBHOOK_ALLOW_PRIVATE", "true"))) {
                Http http = node.http();
                assertThat(http.put("/v1/admin/stores/SEC", "{\"name\": \"S\", \"lat\": 1, \"lon\": 1}", WRONG_ADMIN)
                    .statusCode()).isEqualTo(401);
                assertThat(http.put("/v1/admin/stores/SEC", "{\"name\": \"S\", \"lat\": 1, \"lon\": 1}", ADMIN)
                    .statusCode()).isBetween(200, 201);
                String staff = Main.demoStaffToken(STAFF_KEY, List.of("SEC"));
                String forged = Main.demoStaffToken("forged-key-SECRET-7-0123456789abcdefgh", List.of("SEC"));
                assertThat(http.send("GET", "/v1/staff/stores/SEC/gaps", null, "Authorization", "Bearer " + staff)
                    .statusCode()).isEqualTo(200);
                assertThat(http.send("GET", "/v1/staff/stores/SEC/gaps", null, "Authorization", "Bearer " + forged)
                    .statusCode()).isEqualTo(401);
                java.net.http.HttpResponse<String> sub = http.send("POST", "/v1/subscriptions", "{\"storeId\": \"SEC\", "
                    + "\"gtin\": \"4006381333931\", \"callbackUrl\": \"http://127.0.0.1:9/hook\"}");
                assertThat(sub.statusCode()).as(sub.body()).isBetween(200, 201);
                String webhookSecret = new io.vertx.core.json.JsonObject(sub.body()).getString("secret");
                assertThat(webhookSecret).hasSizeGreaterThan(16);

                redis.kill();
                await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/health/ready").statusCode() == 503);
                redis.start();
                broker.stop();
                broker.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/health/ready").statusCode() == 200);
                List<String> secrets = List.of(ADMIN, STAFF_KEY, MQTT_PASSWORD, REDIS_PASSWORD, WRONG_ADMIN,
                    webhookSecret, staff, forged, "SECRET-");
                String all = logs.list.stream().map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                    .collect(Collectors.joining("\n"));
                assertThat(logs.list).as("the test saw the node's logs").hasSizeGreaterThan(5);
                assertThat(all).contains("OnShelf started");
                for (String secret : secrets) {
                    assertThat(all).as("logs must not contain a secret").doesNotContain(secret);
                }
            }
        } finally {
            root.detachAppender(logs);
            ours.setLevel(before);
        }
    }
}
