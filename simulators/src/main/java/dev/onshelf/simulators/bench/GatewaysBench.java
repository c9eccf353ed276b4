package dev.onshelf.simulators.bench;

import dev.onshelf.testkit.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/**
 * Ingest with one and with two gateway processes ({@code ./onshelf gateway}) sharing one MQTT 5 shared
 * subscription, against the same broker baseline: each count gets fresh processes (own client ids, a
 * group of its own), the same warm-up, then the same number of fresh events; the rate is the events
 * over the time until the gateways together have processed them all. Run after every other phase, with
 * the {@code run} node gone, so that nothing else takes the messages. Each gateway's session is ended
 * afterwards (a clean-start connection with its client id), or the broker would keep queueing every
 * later message for it.
 */
final class GatewaysBench {
    private final Path jar;
    private final Map<String, String> env;
    private final String mqttUrl;
    private final Path logs;

    /** {@code env}: the OnShelf settings of the bench's node (broker, Redis, limits), without port or client id. */
    GatewaysBench(Path jar, Map<String, String> env, String mqttUrl, Path logs) {
        this.jar = jar;
        this.env = Map.copyOf(env);
        this.mqttUrl = mqttUrl;
        this.logs = logs;
    }

    /** Events per second through {@code count} gateway processes sharing the ingest. */
    double measure(int count, BulkPublisher publishers, Workload workload, int events, long warmupMillis)
        throws Exception {
        String run = count + "-" + System.nanoTime();
        List<JavaProcess> processes = new ArrayList<>();
        List<Scrape> scrapes = new ArrayList<>();
        List<String> clients = new ArrayList<>();
        try {
            for (int g = 1; g <= count; g++) {
                int port = ServiceProcess.freePort();
                String client = "bench-gw-" + run + "-" + g;
                Map<String, String> e = new HashMap<>(env);
                e.putAll(Map.of("ONSHELF_HTTP_PORT", Integer.toString(port), "ONSHELF_MQTT_CLIENT_ID", client,
                    "ONSHELF_MQTT_SHARED_GROUP", "bench-" + run));
                Path log = logs.resolve("gateways-" + count + "-" + g + ".log");
                JavaProcess p = JavaProcess.start(jar, List.of("-jar", "gateway"), e, log);
                processes.add(p);
                clients.add(client);
                p.awaitHttp("http://127.0.0.1:" + port + "/health/ready", Duration.ofSeconds(60), log);
                scrapes.add(new Scrape(port));
            }
            long warmUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
            while (System.nanoTime() < warmUntil) {
                through(publishers, scrapes, workload.batch(events / 4));
            }
            return through(publishers, scrapes, workload.batch(events));
        } finally {
            processes.forEach(JavaProcess::close);
            for (String client : clients) {
                endSession(client);
            }
        }
    }

    /** Publishes {@code batch}, then waits until the gateways together have processed all of it. */
    private static double through(BulkPublisher publishers, List<Scrape> scrapes, List<Workload.Message> batch)
        throws Exception {
        long before = processed(scrapes);
        long started = System.nanoTime();
        publishers.publishAll(batch);
        long deadline = started + TimeUnit.MINUTES.toNanos(3);
        while (processed(scrapes) < before + batch.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateways processed " + (processed(scrapes) - before) + " of "
                    + batch.size() + " events within 3 minutes");
            }
            Thread.sleep(50);  // polling external processes' counters, as Scrape does, bounded by the deadline
        }
        return batch.size() / ((System.nanoTime() - started) / 1e9);
    }

    private static long processed(List<Scrape> scrapes) throws Exception {
        long sum = 0;
        for (Scrape s : scrapes) {
            sum += s.processed();
        }
        return sum;
    }

    /** Ends a gateway's persistent session: connects with its client id, clean start, no expiry. */
    void endSession(String client) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(mqttUrl, client, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        c.connect(o).waitForCompletion(10_000);
        c.disconnect().waitForCompletion(10_000);
        c.close();
    }
}
