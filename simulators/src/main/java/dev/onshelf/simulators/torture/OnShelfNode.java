package dev.onshelf.simulators.torture;

import dev.onshelf.simulators.bench.JavaProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OnShelf as {@code ./onshelf run} starts it ({@code java -jar onshelf.jar run}, ONSHELF_* settings),
 * in its own JVM, on one fixed HTTP port and one MQTT client id, so that a restart resumes the same
 * persistent session; each start logs to its own file.
 */
final class OnShelfNode implements AutoCloseable {
    static final String ADMIN_TOKEN = "torture-admin-token-0123456789";
    private final Path jar;
    private final Path logs;
    private final Map<String, String> env;
    private final int httpPort;
    private JavaProcess process;
    private int starts;

    OnShelfNode(Path jar, Path logs, String mqttUrl, String redisUrl, int httpPort, int ackHorizonMillis) {
        this.jar = jar;
        this.logs = logs;
        this.httpPort = httpPort;
        // OnShelf settings of the torture's own environment (ONSHELF_*) pass through, e.g.
        // ONSHELF_MQTT_ACK_HORIZON_MS; the wiring below is the torture's and wins
        Map<String, String> all = new java.util.HashMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("ONSHELF_")) {
                all.put(k, v);
            }
        });
        all.putAll(Map.of("ONSHELF_MQTT_URL", mqttUrl, "ONSHELF_REDIS_URL", redisUrl,
            "ONSHELF_HTTP_PORT", Integer.toString(httpPort), "ONSHELF_HTTP_HOST", "127.0.0.1",
            "ONSHELF_ADMIN_TOKEN", ADMIN_TOKEN, "ONSHELF_MQTT_CLIENT_ID", "torture-gateway",
            "ONSHELF_RATE_LIMIT_PER_SECOND", "1000000",  // the checker reads every book often, from one address
            "ONSHELF_LOG_LEVEL", "INFO"));
        if (ackHorizonMillis > 0) {  // acks held 3 s: the broker may have that many seconds of events in flight
            all.put("ONSHELF_MQTT_ACK_HORIZON_MS", Integer.toString(ackHorizonMillis));
            all.put("ONSHELF_MQTT_RECEIVE_MAXIMUM", "65535");
        }
        this.env = Map.copyOf(all);
    }

    int httpPort() {
        return httpPort;
    }

    /** Starts OnShelf and returns once it is ready (subscribed, Redis reachable). */
    synchronized void start() throws Exception {
        starts++;
        Path log = logs.resolve("onshelf-" + starts + ".log");
        process = JavaProcess.start(jar, List.of("-jar", "run"), env, log);
        process.awaitHttp("http://127.0.0.1:" + httpPort + "/health/ready", Duration.ofSeconds(90), log);
    }

    /**
     * Waits (at most {@code timeout}) until OnShelf reports itself not ready, e.g. once it has noticed
     * that Redis is gone; false when it did not within the timeout.
     */
    boolean awaitUnready(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI ready = URI.create("http://127.0.0.1:" + httpPort + "/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    return true;
                }
            } catch (IOException e) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(20);  // polling OnShelf's readiness, with a deadline
        }
        return false;
    }

    /** SIGKILL: whatever OnShelf had in hand and not yet made durable or acknowledged is cut off. */
    synchronized void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }
}
