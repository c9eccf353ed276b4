package dev.onshelf.app;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Publishes with the real {@code mosquitto_pub} client: a device from outside our code base. */
final class MosquittoPub {
    private MosquittoPub() {
    }

    static void publish(int port, String topic, String payload) {
        run(port, topic, payload, false);
    }

    static void retain(int port, String topic, String payload) {
        run(port, topic, payload, true);
    }

    /**
     * A real client holding a connection (mosquitto_sub, subscribed to {@code topic}) whose MQTT will
     * is {@code will} on {@code willTopic}: kill it with SIGKILL and the broker publishes the will.
     * Its output is the messages it receives, one per line.
     */
    static Process connectWithWill(int port, String clientId, String topic, String willTopic, String will) {
        try {
            return new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-V", "mqttv5",
                "-q", "1", "-i", clientId, "-t", topic, "--will-topic", willTopic, "--will-payload", will,
                "--will-qos", "1", "--will-retain").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("mosquitto_sub is not installed (./onshelf test installs it)", e);
        }
    }

    private static void run(int port, String topic, String payload, boolean retain) {
        try {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("mosquitto_pub", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-V", "mqttv5", "-q", "1", "-t", topic, "-m", payload));
            if (retain) {
                cmd.add("-r");
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("mosquitto_pub failed: " + new String(p.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("mosquitto_pub is not installed (./onshelf test installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
