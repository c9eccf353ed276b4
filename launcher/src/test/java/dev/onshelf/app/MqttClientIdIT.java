package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped broker configuration ({@code deploy/mosquitto/mosquitto.conf}, with the generated ACL)
 * binds client ids to credentials: a device that connects with the gateway's client id, or another
 * device's, does not take over (and so does not disconnect) that session.
 */
@Timeout(120)
class MqttClientIdIT {
    private static final String GATEWAY_CLIENT_ID = "onshelf-gateway-1";

    @Test
    void aDeviceCannotTakeTheGatewaysOrAnotherDevicesClientId(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            redis.start();
            try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
                RegistryStore registry = new RegistryStore(c.connection().async());
                registry.putStore(new StoreId("CI1"), "CI1", 45, 5).toCompletableFuture().get(5, TimeUnit.SECONDS);
                for (String device : new String[] {"ci1-mat", "ci1-till"}) {
                    registry.putDevice(new StoreId("CI1"), new DeviceId(device),
                        device.endsWith("mat") ? DeviceKind.SHELF : DeviceKind.FEED).toCompletableFuture().get(5, TimeUnit.SECONDS);
                }
                Files.writeString(dir.resolve("acl"), MosquittoAcl.render(registry, List.of(MosquittoAcl.GATEWAY_USER)));
            }
            Path passwd = dir.resolve("passwd");
            passwords(passwd, MosquittoAcl.GATEWAY_USER, "gw-pass", "CI1.ci1-mat", "mat-pass", "CI1.ci1-till", "till-pass");
            try (MosquittoProcess broker = new MosquittoProcess(shippedConfig()
                + "\npassword_file " + passwd + "\nacl_file " + dir.resolve("acl") + "\n")) {
                broker.start();
                // given the gateway's session, with its own credentials, subscribed to the devices' topics
                Client gateway = Client.connect(broker.url(), GATEWAY_CLIENT_ID, MosquittoAcl.GATEWAY_USER, "gw-pass");
                gateway.client.subscribe("onshelf/v1/stores/+/shelf/+", 1).waitForCompletion(5_000);
                // and a device's
                Client mat = Client.connect(broker.url(), "CI1.ci1-mat", "CI1.ci1-mat", "mat-pass");

                // when another device, with its own valid credentials, connects as the gateway and as the mat
                Client asGateway = Client.connect(broker.url(), GATEWAY_CLIENT_ID, "CI1.ci1-till", "till-pass");
                Client asMat = Client.connect(broker.url(), "CI1.ci1-mat", "CI1.ci1-till", "till-pass");

                // then the mat's readings still reach the gateway over the sessions they had
                mat.client.publish("onshelf/v1/stores/CI1/shelf/ci1-mat", "{}".getBytes(StandardCharsets.UTF_8), 1, false)
                    .waitForCompletion(5_000);
                await().atMost(Duration.ofSeconds(5)).until(() -> gateway.received.size() == 1);
                // and neither was ever disconnected
                assertThat(gateway.disconnects).as("gateway disconnects").isEmpty();
                assertThat(mat.disconnects).as("mat disconnects").isEmpty();
                assertThat(gateway.client.isConnected()).isTrue();
                assertThat(mat.client.isConnected()).isTrue();
                for (Client client : new Client[] {asMat, asGateway, mat, gateway}) {
                    client.close();
                }
            }
        }
    }

    @Test
    void theRealGatewayIngestsUnderTheShippedConfigWhileADevicePosesAsIt(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            redis.start();
            try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
                RegistryStore registry = new RegistryStore(c.connection().async());
                registry.putStore(new StoreId("CI2"), "CI2", 45, 5).toCompletableFuture().get(5, TimeUnit.SECONDS);
                registry.putDevice(new StoreId("CI2"), new DeviceId("ci2-mat"), DeviceKind.SHELF)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
                Files.writeString(dir.resolve("acl"), MosquittoAcl.render(registry, List.of(MosquittoAcl.GATEWAY_USER)));
            }
            Path passwd = dir.resolve("passwd");
            passwords(passwd, MosquittoAcl.GATEWAY_USER, "gw-pass", "CI2.ci2-mat", "mat-pass");
            try (MosquittoProcess broker = new MosquittoProcess(shippedConfig()
                + "\npassword_file " + passwd + "\nacl_file " + dir.resolve("acl") + "\n")) {
                broker.start();
                // given OnShelf's gateway with its default client id and its own user
                try (TestNode node = TestNode.start(redis.url(), broker.url(), GATEWAY_CLIENT_ID,
                    java.util.Map.of("ONSHELF_MQTT_USERNAME", MosquittoAcl.GATEWAY_USER, "ONSHELF_MQTT_PASSWORD", "gw-pass"))) {
                    // when the mat connects with the gateway's client id and then the gateway's user name as id
                    Client poser = Client.connect(broker.url(), GATEWAY_CLIENT_ID, "CI2.ci2-mat", "mat-pass");
                    Client poser2 = Client.connect(broker.url(), MosquittoAcl.GATEWAY_USER, "CI2.ci2-mat", "mat-pass");
                    // and publishes a reading
                    poser2.client.publish("onshelf/v1/stores/CI2/shelf/ci2-mat", ("{\"eventId\": \"c1\", \"seq\": 1, "
                        + "\"ts\": \"" + java.time.Instant.now() + "\", \"gtin\": \"4006381333931\", \"count\": 3}")
                        .getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(5_000);
                    // then the gateway, still connected, applies it
                    await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(3).equals(
                        node.http().getJson("/v1/stores/CI2/products/4006381333931").getInteger("shelfCount")));
                    assertThat(node.http().get("/health/ready").statusCode()).isEqualTo(200);
                    poser.close();
                    poser2.close();
                }
            }
        }
    }

    /**
     * The shipped {@code mosquitto.conf} with what belongs to a host left out (listener, file paths,
     * persistence location): the test's broker supplies those; every other directive is as shipped.
     */
    static String shippedConfig() throws Exception {
        Path conf = Path.of("..", "deploy", "mosquitto", "mosquitto.conf");
        return Files.readAllLines(conf).stream().map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .filter(l -> !l.matches("(listener|password_file|acl_file|persistence_location|per_listener_settings"
                + "|certfile|keyfile|cafile)\\b.*"))
            .collect(Collectors.joining("\n"));
    }

    static void passwords(Path file, String... userPassword) throws Exception {
        for (int i = 0; i < userPassword.length; i += 2) {
            List<String> cmd = new ArrayList<>(List.of("mosquitto_passwd", "-b"));
            if (i == 0) {
                cmd.add("-c");
            }
            cmd.addAll(List.of(file.toString(), userPassword[i], userPassword[i + 1]));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("mosquitto_passwd for %s", userPassword[i]).isZero();
        }
    }

    /** A Paho MQTT 5 client that records what it receives and every disconnection. */
    private static final class Client implements MqttCallback {
        final MqttAsyncClient client;
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<String> disconnects = new CopyOnWriteArrayList<>();

        private Client(MqttAsyncClient client) {
            this.client = client;
        }

        static Client connect(String url, String clientId, String user, String password) throws MqttException {
            Client c = new Client(new MqttAsyncClient(url, clientId, new MemoryPersistence()));
            c.client.setCallback(c);
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setUserName(user);
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
            o.setCleanStart(true);
            o.setAutomaticReconnect(false);
            c.client.connect(o).waitForCompletion(5_000);
            return c;
        }

        void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(topic);
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
            disconnects.add(String.valueOf(r.getReturnCode()) + " " + r.getReasonString());
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
        }

        @Override
        public void deliveryComplete(IMqttToken t) {
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
        }

        @Override
        public void authPacketArrived(int code, MqttProperties p) {
        }
    }
}
