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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped broker set-up: per-device credentials and the ACL generated from the registry. A
 * device credential of one store cannot change another store's availability, nor impersonate
 * another device; the gateway still gets every legitimate event.
 */
@Timeout(120)
class DeviceAclIT {

    @Test
    void aDeviceOfOneStoreCannotPublishForAnother(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            redis.start();
            try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
                RegistryStore registry = new RegistryStore(c.connection().async());
                for (String s : new String[] {"AC1", "AC2"}) {
                    registry.putStore(new StoreId(s), s, 45, 5).toCompletableFuture().get(5, TimeUnit.SECONDS);
                    registry.putDevice(new StoreId(s), new DeviceId(s.toLowerCase() + "-mat"), DeviceKind.SHELF)
                        .toCompletableFuture().get(5, TimeUnit.SECONDS);
                }
                Files.writeString(dir.resolve("acl"), MosquittoAcl.render(registry, java.util.List.of("onshelf-gateway")));
            }
            Path passwd = dir.resolve("passwd");
            String[][] users = {{"onshelf-gateway", "gw-pass"}, {"ac1-mat", "ac1-pass"}, {"ac2-mat", "ac2-pass"}};
            for (int i = 0; i < users.length; i++) {
                java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("mosquitto_passwd", "-b"));
                if (i == 0) {
                    cmd.add("-c");  // create the file with the first user
                }
                cmd.addAll(java.util.List.of(passwd.toString(), users[i][0], users[i][1]));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("mosquitto_passwd for %s", users[i][0]).isZero();
            }
            try (MosquittoProcess broker = new MosquittoProcess("password_file " + passwd + "\nacl_file " + dir.resolve("acl"))) {
                broker.start();
                try (TestNode node = TestNode.start(redis.url(), broker.url(), "acl-gateway",
                    Map.of("ONSHELF_MQTT_USERNAME", "onshelf-gateway", "ONSHELF_MQTT_PASSWORD", "gw-pass"))) {
                    // when AC1's mat publishes for AC2 (as itself, and posing as AC2's mat), and without credentials
                    publish(broker.port(), "ac1-mat", "ac1-pass", "onshelf/v1/stores/AC2/shelf/ac1-mat", 1);
                    publish(broker.port(), "ac1-mat", "ac1-pass", "onshelf/v1/stores/AC2/shelf/ac2-mat", 2);
                    publish(broker.port(), null, null, "onshelf/v1/stores/AC2/shelf/ac2-mat", 3);
                    // and then on its own topic
                    publish(broker.port(), "ac1-mat", "ac1-pass", "onshelf/v1/stores/AC1/shelf/ac1-mat", 4);
                    // then its own reading is applied
                    await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(4).equals(
                        node.http().getJson("/v1/stores/AC1/products/4006381333931").getInteger("shelfCount")));
                    // and nothing reached the gateway for AC2: the broker refused it
                    assertThat(node.http().getJson("/v1/stores/AC2/products/4006381333931").getString("confidence"))
                        .isEqualTo("none");
                    assertThat(node.http().get("/metrics").body())
                        .contains("onshelf_gateway_events_received_total{channel=\"mqtt\"} 1.0");
                }
            }
        }
    }

    /** mosquitto_pub as a device; a refused publish is the point, so its exit status is not checked. */
    private static void publish(int port, String user, String password, String topic, int count) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("mosquitto_pub", "-h", "127.0.0.1",
            "-p", Integer.toString(port), "-V", "mqttv5", "-q", "1", "-t", topic, "-m",
            "{\"eventId\": \"e" + count + "\", \"seq\": " + count + ", \"ts\": \"" + Instant.now()
                + "\", \"gtin\": \"4006381333931\", \"count\": " + count + "}"));
        if (user != null) {
            cmd.addAll(java.util.List.of("-u", user, "-P", password));
        }
        assertThat(new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
