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
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped broker set-up: per-device credentials (user {@code <store>.<device>}) and the ACL
 * generated from the registry. A device credential of one store cannot change another store's
 * availability, nor impersonate another device, even one of the same id in another store; a device
 * reads its own error topic and no other; the gateway still gets every legitimate event.
 */
@Timeout(120)
class DeviceAclIT {
    private static final String[][] USERS = {{"onshelf-gateway", "gw-pass"}, {"AC1.ac1-mat", "ac1-pass"},
        {"AC2.ac2-mat", "ac2-pass"}, {"AC1.till-1", "t1-pass"}, {"AC2.till-1", "t2-pass"}};

    /** Two stores, each with its mat and its own till-1, the ACL from the registry and a password per user. */
    private static RegistryStore registered(RedisConnector c, Path dir) throws Exception {
        RegistryStore registry = new RegistryStore(c.connection().async());
        for (String s : new String[] {"AC1", "AC2"}) {
            registry.putStore(new StoreId(s), s, 45, 5).toCompletableFuture().get(5, TimeUnit.SECONDS);
            registry.putDevice(new StoreId(s), new DeviceId(s.toLowerCase() + "-mat"), DeviceKind.SHELF)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(registry.putDevice(new StoreId(s), new DeviceId("till-1"), DeviceKind.FEED)
                .toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(RegistryStore.DeviceOutcome.CREATED);
        }
        Files.writeString(dir.resolve("acl"), MosquittoAcl.render(registry, List.of("onshelf-gateway")));
        // (while devices move to <store>.<device>: a bare-id user only for an id one store alone has)
        String legacy = MosquittoAcl.render(registry, List.of("onshelf-gateway"), true);
        assertThat(legacy.lines()).contains("user ac1-mat", "user AC1.ac1-mat", "user AC1.till-1", "user AC2.till-1")
            .doesNotContain("user till-1");
        Path passwd = dir.resolve("passwd");
        for (int i = 0; i < USERS.length; i++) {
            List<String> cmd = new java.util.ArrayList<>(List.of("mosquitto_passwd", "-b"));
            if (i == 0) {
                cmd.add("-c");  // create the file with the first user
            }
            cmd.addAll(List.of(passwd.toString(), USERS[i][0], USERS[i][1]));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("mosquitto_passwd for %s", USERS[i][0]).isZero();
        }
        return registry;
    }

    private static String brokerConfig(Path dir) {
        return "password_file " + dir.resolve("passwd") + "\nacl_file " + dir.resolve("acl");
    }

    private static TestNode node(RedisProcess redis, MosquittoProcess broker, String clientId) throws Exception {
        return TestNode.start(redis.url(), broker.url(), clientId, Map.of("ONSHELF_MQTT_USERNAME", "onshelf-gateway",
            "ONSHELF_MQTT_PASSWORD", "gw-pass", "ONSHELF_MQTT_DEVICE_ERRORS", "true"));
    }

    @Test
    void aDeviceOfOneStoreCannotPublishForAnother(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            redis.start();
            try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
                registered(c, dir);
            }
            try (MosquittoProcess broker = new MosquittoProcess(brokerConfig(dir))) {
                broker.start();
                try (TestNode node = node(redis, broker, "acl-gateway")) {
                    // when AC1's mat publishes for AC2 (as itself, and posing as AC2's mat), and without credentials
                    publish(broker.port(), "AC1.ac1-mat", "ac1-pass", "onshelf/v1/stores/AC2/shelf/ac1-mat", reading(1));
                    publish(broker.port(), "AC1.ac1-mat", "ac1-pass", "onshelf/v1/stores/AC2/shelf/ac2-mat", reading(2));
                    publish(broker.port(), null, null, "onshelf/v1/stores/AC2/shelf/ac2-mat", reading(3));
                    // and under its bare id, the user name of versions before per-store ids (not in the ACL)
                    publish(broker.port(), "ac1-mat", "ac1-pass", "onshelf/v1/stores/AC1/shelf/ac1-mat", reading(5));
                    // and then on its own topic
                    publish(broker.port(), "AC1.ac1-mat", "ac1-pass", "onshelf/v1/stores/AC1/shelf/ac1-mat", reading(4));
                    // then its own reading is applied
                    await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(4).equals(
                        node.http().getJson("/v1/stores/AC1/products/4006381333931").getInteger("shelfCount")));
                    // and nothing else reached the gateway: the broker refused it
                    assertThat(node.http().getJson("/v1/stores/AC2/products/4006381333931").getString("confidence"))
                        .isEqualTo("none");
                    assertThat(node.http().get("/metrics").body())
                        .contains("onshelf_gateway_events_received_total{channel=\"mqtt\"} 1.0");
                }
            }
        }
    }

    @Test
    void twoStoresTill1AreTwoDevicesAndEachReadsOnlyItsOwnErrors(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            redis.start();
            try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
                registered(c, dir);
            }
            try (MosquittoProcess broker = new MosquittoProcess(brokerConfig(dir));
                 Listener till1 = new Listener()) {
                broker.start();
                try (TestNode node = node(redis, broker, "acl-gateway-2")) {
                    // given AC1's till-1 listening to every error topic it is allowed to read
                    till1.connect(broker.port(), "AC1.till-1", "t1-pass", "onshelf/v1/stores/+/devices/+/errors");
                    // when each store's till-1 counts the same product, with the same event id and seq
                    publish(broker.port(), "AC1.till-1", "t1-pass", "onshelf/v1/stores/AC1/feed/till-1", count("c1", 1, 10));
                    publish(broker.port(), "AC2.till-1", "t2-pass", "onshelf/v1/stores/AC2/feed/till-1", count("c1", 1, 3));
                    // and AC1's till-1 tries to count for AC2's till-1
                    publish(broker.port(), "AC1.till-1", "t1-pass", "onshelf/v1/stores/AC2/feed/till-1", count("c2", 2, 99));
                    // then each store has its own till's count, once
                    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                        assertThat(node.http().getJson("/v1/stores/AC1/products/4006381333931").getLong("bookCount"))
                            .isEqualTo(10);
                        assertThat(node.http().getJson("/v1/stores/AC2/products/4006381333931").getLong("bookCount"))
                            .isEqualTo(3);
                    });

                    // when AC2's till-1 sends a bad message, then AC1's till-1 one
                    publish(broker.port(), "AC2.till-1", "t2-pass", "onshelf/v1/stores/AC2/feed/till-1",
                        count("bad-ac2", 3, 1).replace("4006381333931", "4006381333932"));
                    publish(broker.port(), "AC1.till-1", "t1-pass", "onshelf/v1/stores/AC1/feed/till-1",
                        count("bad-ac1", 3, 1).replace("4006381333931", "4006381333932"));
                    // then AC1's till-1 is told why its own was refused, on its own error topic
                    Listener.Message told = till1.next(Duration.ofSeconds(10));
                    assertThat(told.topic()).isEqualTo("onshelf/v1/stores/AC1/devices/till-1/errors");
                    JsonObject error = new JsonObject(told.payload());
                    assertThat(error.getString("eventId")).isEqualTo("bad-ac1");
                    assertThat(error.getString("reason")).isEqualTo("gtin.invalid");
                    assertThat(error.getString("detail")).isNotBlank();
                    // and was never shown AC2's till-1 error, published before its own (the broker keeps the order)
                    assertThat(till1.received()).isEmpty();
                    // and the books are untouched
                    assertThat(node.http().getJson("/v1/stores/AC1/products/4006381333931").getLong("bookCount"))
                        .isEqualTo(10);
                }
            }
        }
    }

    private static String reading(int count) {
        return "{\"eventId\": \"e" + count + "\", \"seq\": " + count + ", \"ts\": \"" + Instant.now()
            + "\", \"gtin\": \"4006381333931\", \"count\": " + count + "}";
    }

    private static String count(String eventId, int seq, int qty) {
        return "{\"eventId\": \"" + eventId + "\", \"seq\": " + seq + ", \"ts\": \"" + Instant.now()
            + "\", \"type\": \"COUNT\", \"gtin\": \"4006381333931\", \"qty\": " + qty + "}";
    }

    /** mosquitto_pub as a device; a refused publish is the point, so its exit status is not checked. */
    private static void publish(int port, String user, String password, String topic, String payload) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1",
            "-p", Integer.toString(port), "-V", "mqttv5", "-q", "1", "-t", topic, "-m", payload));
        if (user != null) {
            cmd.addAll(List.of("-u", user, "-P", password));
        }
        assertThat(new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** A device's subscription (Paho), subscribed once connect returns, collecting what it receives. */
    private static final class Listener implements AutoCloseable {
        record Message(String topic, String payload) {
        }

        private final LinkedBlockingQueue<Message> queue = new LinkedBlockingQueue<>();
        private MqttClient client;

        void connect(int port, String user, String password, String filter) throws Exception {
            client = new MqttClient("tcp://127.0.0.1:" + port, user, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
            client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                    queue.add(new Message(topic, new String(message.getPayload(), StandardCharsets.UTF_8)));
                }

                @Override
                public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
                }

                @Override
                public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
                }
            });
            client.connect(options);
            client.subscribe(filter, 1);  // returns once the broker's SUBACK is in
        }

        Message next(Duration within) throws InterruptedException {
            Message m = queue.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(m).as("a message within %s", within).isNotNull();
            return m;
        }

        List<Message> received() {
            return List.copyOf(queue);
        }

        @Override
        public void close() throws Exception {
            if (client != null) {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            }
        }
    }
}
