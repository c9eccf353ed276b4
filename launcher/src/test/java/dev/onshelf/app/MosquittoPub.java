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
