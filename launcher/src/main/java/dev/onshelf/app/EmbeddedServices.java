package dev.onshelf.app;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import dev.onshelf.testkit.ServiceProcess;
import redis.embedded.RedisServer;

/**
 * The demo's embedded services: an MQTT 5 broker (HiveMQ CE, embedded, anonymous access on
 * loopback only) and a Redis 7 (the binary shipped inside embedded-redis), each on a free port so a
 * machine already running Mosquitto on 1883 or Redis on 6379 is left alone. Demo only: tests of
 * production paths use real redis-server and mosquitto processes.
 */
final class EmbeddedServices implements AutoCloseable {
    private final RedisServer redis;
    private final EmbeddedHiveMQ broker;
    private final int redisPort;
    private final int mqttPort;

    private EmbeddedServices(RedisServer redis, int redisPort, EmbeddedHiveMQ broker, int mqttPort) {
        this.redis = redis;
        this.redisPort = redisPort;
        this.broker = broker;
        this.mqttPort = mqttPort;
    }

    static EmbeddedServices start() throws Exception {
        int redisPort = ServiceProcess.freePort();
        RedisServer redis = RedisServer.builder().port(redisPort).setting("bind 127.0.0.1")
            .setting("save \"\"").setting("appendonly no").setting("hash-max-listpack-value 256").build();
        redis.start();
        int mqttPort = ServiceProcess.freePort();
        Path home = Files.createTempDirectory("onshelf-demo-broker-");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
            <?xml version="1.0"?>
            <hivemq>
              <listeners>
                <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
              </listeners>
              <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
            </hivemq>
            """.formatted(mqttPort));
        EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder()
            .withConfigurationFolder(conf)
            .withDataFolder(Files.createDirectories(home.resolve("data")))
            .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
            .withEmbeddedExtension(EmbeddedExtension.builder().withId("onshelf-demo-allow-all")
                .withName("allow anonymous on loopback (demo)").withVersion("1").withPriority(0)
                .withStartPriority(1000).withAuthor("OnShelf").withExtensionMain(new AllowAll()).build())
            .withoutLoggingBootstrap()
            .build();
        try {
            broker.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            redis.stop();
            throw e;
        }
        return new EmbeddedServices(redis, redisPort, broker, mqttPort);
    }

    String redisUrl() {
        return "redis://127.0.0.1:" + redisPort;
    }

    String mqttUrl() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    @Override
    public void close() {
        try {
            broker.stop().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // stopping anyway
        }
        redis.stop();
    }

    /** The broker refuses every client unless an authenticator lets it in. */
    private static final class AllowAll implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
            Services.securityRegistry().setAuthenticatorProvider(
                input -> (SimpleAuthenticator) (connect, result) -> result.authenticateSuccessfully());
        }

        @Override
        public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
            // nothing to release
        }
    }
}
