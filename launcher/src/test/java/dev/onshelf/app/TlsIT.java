package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RedisProcess;
import dev.onshelf.testkit.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS end to end: a device publishes to the broker's TLS listener, the gateway subscribes over
 * {@code ssl://} trusting only the configured CA, and shoppers read over HTTPS. A broker whose
 * certificate the CA did not sign is refused, and the HTTPS port does not speak plain HTTP.
 */
@Timeout(120)
class TlsIT {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static final int TLS_PORT = ServiceProcess.freePort();
    private static final RedisProcess REDIS = new RedisProcess();
    private static MosquittoProcess mosquitto;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir, "onshelf");
        mosquitto = new MosquittoProcess(String.join("\n", "listener " + TLS_PORT + " 127.0.0.1",
            "cafile " + pki.caCert(), "certfile " + pki.serverCert(), "keyfile " + pki.serverKey()));
        mosquitto.start();
        REDIS.start();
    }

    @AfterAll
    static void stop() {
        mosquitto.close();
        REDIS.close();
    }

    @Test
    void devicesGatewayAndShoppersTalkTls() throws Exception {
        try (TestNode node = TestNode.start(REDIS.url(), "ssl://127.0.0.1:" + TLS_PORT, "tls-gateway", Map.of(
            "ONSHELF_MQTT_TLS_CA_FILE", pki.caCert().toString(),
            "ONSHELF_HTTP_TLS_CERT_FILE", pki.serverCert().toString(),
            "ONSHELF_HTTP_TLS_KEY_FILE", pki.serverKey().toString()))) {
            Http https = new Http(node.port(), TestNode.TOKEN, pki.clientContext());
            assertThat(https.admin("/v1/admin/stores/TLS1", "{\"name\": \"TLS\", \"lat\": 52.5, \"lon\": 13.4}")
                .statusCode()).isBetween(200, 201);
            assertThat(https.admin("/v1/admin/stores/TLS1/devices/tls-mat", "{\"kind\": \"shelf\"}").statusCode())
                .isBetween(200, 201);

            // a device publishes over TLS, verifying the broker against the CA
            Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(TLS_PORT),
                "--cafile", pki.caCert().toString(), "-V", "mqttv5", "-q", "1",
                "-t", "onshelf/v1/stores/TLS1/shelf/tls-mat",
                "-m", "{\"eventId\": \"t1\", \"seq\": 1, \"ts\": \"" + Instant.now()
                    + "\", \"gtin\": \"4006381333931\", \"count\": 7}").redirectErrorStream(true).start();
            assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes())).isZero();

            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> Integer.valueOf(7).equals(
                https.getJson("/v1/stores/TLS1/products/4006381333931").getInteger("shelfCount")));
            assertThat(https.get("/health/ready").statusCode()).isEqualTo(200);

            // the HTTPS port does not answer plain HTTP
            assertThatThrownBy(() -> new Http(node.port(), "").get("/health/live").statusCode())
                .isInstanceOf(java.io.UncheckedIOException.class);
        }
    }

    @Test
    void aBrokerSignedByAnotherCaIsRefused() throws Exception {
        TestPki stranger = TestPki.create(dir, "stranger");
        assertThatThrownBy(() -> TestNode.start(REDIS.url(), "ssl://127.0.0.1:" + TLS_PORT, "tls-stranger",
            Map.of("ONSHELF_MQTT_TLS_CA_FILE", stranger.caCert().toString())).close())
            .hasStackTraceContaining("PKIX path");
    }

    @Test
    void tlsSettingsAreCheckedAtStartUp() {
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_HTTP_TLS_CERT_FILE", pki.serverCert().toString()),
            false)).hasMessageContaining("must be set together");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_MQTT_TLS_CA_FILE", pki.caCert().toString()),
            false)).hasMessageContaining("not ssl://");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_MQTT_URL", "ssl://127.0.0.1:8883",
            "ONSHELF_MQTT_TLS_CA_FILE", dir.resolve("missing.pem").toString()), false))
            .hasMessageContaining("not a readable file");
        assertThat(List.of(pki.caCert(), pki.serverCert(), pki.serverKey())).allMatch(java.nio.file.Files::isReadable);
    }
}
