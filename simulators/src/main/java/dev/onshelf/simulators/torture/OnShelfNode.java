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
 * OnShelf as {@code ./onshelf run} (or {@code ./onshelf gateway}) starts it ({@code java -jar onshelf.jar
 * run}, ONSHELF_* settings), in its own JVM, on one fixed HTTP port and one MQTT client id, so that a
 * restart resumes the same persistent session; each start logs to its own file. With a shared group
 * set, it subscribes as a member of that MQTT 5 shared subscription.
 */
final class OnShelfNode implements AutoCloseable {
    static final String ADMIN_TOKEN = "torture-admin-token-0123456789";
    private static final java.util.regex.Pattern RECEIVED = java.util.regex.Pattern.compile(
        "(?m)^onshelf_gateway_events_received_total\\{[^}]*channel=\"mqtt\"[^}]*} ([0-9.E+]+)$");
    private final Path jar;
    private final Path logs;
    private final String name;
    private final String command;
    private final Map<String, String> env;
    private final int httpPort;
    private JavaProcess process;
    private int starts;
    /** Messages received by the processes of this node killed so far (read just before each kill). */
    private long receivedBefore;

    /** One {@code run} node, client id {@code torture-gateway}, not sharing: the torture before several gateways. */
    OnShelfNode(Path jar, Path logs, String mqttUrl, String redisUrl, int httpPort, int ackHorizonMillis) {
        this(jar, logs, "onshelf", "run", "torture-gateway", "", mqttUrl, redisUrl, httpPort, ackHorizonMillis);
    }

    /**
     * {@code command}: {@code run} (ingest and API) or {@code gateway} (ingest only; its HTTP port still
     * serves health and metrics); {@code sharedGroup}: ONSHELF_MQTT_SHARED_GROUP, empty for none.
     */
    OnShelfNode(Path jar, Path logs, String name, String command, String clientId, String sharedGroup, String mqttUrl,
        String redisUrl, int httpPort, int ackHorizonMillis) {
        this.jar = jar;
        this.logs = logs;
        this.name = name;
        this.command = command;
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
            "ONSHELF_ADMIN_TOKEN", ADMIN_TOKEN, "ONSHELF_MQTT_CLIENT_ID", clientId,
            "ONSHELF_MQTT_SHARED_GROUP", sharedGroup,
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
        Path log = logs.resolve(name + "-" + starts + ".log");
        process = JavaProcess.start(jar, List.of("-jar", command), env, log);
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

    String name() {
        return name;
    }

    /** SIGKILL: whatever OnShelf had in hand and not yet made durable or acknowledged is cut off. */
    synchronized void kill() throws InterruptedException {
        receivedBefore += receivedNow();
        process.kill();
    }

    /**
     * MQTT messages this node's processes have received (redeliveries included), as their metrics
     * said: the killed ones' counts as read just before each kill, so a lower bound.
     */
    synchronized long received() {
        return receivedBefore + receivedNow();
    }

    /** The running process's {@code onshelf_gateway_events_received_total{channel="mqtt"}}; 0 when unreadable. */
    private long receivedNow() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher m = RECEIVED.matcher(r.body());
            long sum = 0;
            while (m.find()) {
                sum += (long) Double.parseDouble(m.group(1));
            }
            return sum;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }
}
