package dev.onshelf.simulators.bench;

import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.simulators.mqtt.Publisher;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Freshness: while background events flow at a fixed rate (half the sustained maximum), a probe
 * device publishes a reading and a client polls the API until the answer shows it. The latency is
 * publish → visible over HTTP.
 */
final class FreshnessBench {
    static final String STORE = "bench-probe";
    static final String DEVICE = "bench-probe-mat";
    static final Gtin GTIN = Gtin.parse("4006381333931");
    /**
     * The background of the second freshness phase, events/s: fixed, so that its figure compares across
     * runs and machines (the first phase's, half the measured ingest rate, rises as ingest gets faster).
     */
    static final int FIXED_BACKGROUND = 2_500;
    /** Between two polls of the probe's answer (since session 7; before, none). */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private FreshnessBench() {
    }

    static Histogram run(String mqttUrl, int httpPort, BulkPublisher background, Workload workload,
                         double eventsPerSecond, int samples, long maxMillis) throws Exception {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        long perTick = Math.max(1, Math.round(eventsPerSecond / 100));
        pacer.scheduleAtFixedRate(() -> {
            for (Workload.Message m : workload.batch((int) perTick)) {
                background.send(m);  // each device on its own connection, in its order
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        Histogram latency = new Histogram(3);
        EventCodec codec = new EventCodec();
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + httpPort + "/v1/stores/" + STORE + "/products/" + GTIN.value());
        try (Publisher probe = Publisher.connect(mqttUrl, "bench-probe")) {
            long end = System.currentTimeMillis() + maxMillis;
            long seq = System.currentTimeMillis();
            for (int i = 0; i < samples && System.currentTimeMillis() < end; i++) {
                long ts = System.currentTimeMillis();
                String expected = Instant.ofEpochMilli(ts).toString();
                long started = System.nanoTime();
                probe.publish("onshelf/v1/stores/" + STORE + "/shelf/" + DEVICE,
                    codec.encodeShelf("p" + i, ++seq, ts, List.of(new Reading(GTIN, 1 + i % 20, 24, "P"))));
                while (true) {
                    String body = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                    if (expected.equals(new JsonObject(body).getString("shelfAsOf"))) {
                        break;
                    }
                    if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(10)) {
                        throw new IllegalStateException("probe reading not visible within 10 s");
                    }
                    // a polling interval, not a wait for work: polled back to back, the observer took about a
                    // core of the two it shares with what it measures (its HTTP client and OnShelf's answers);
                    // this bounds it, at a resolution of ~1 ms
                    LockSupport.parkNanos(POLL_NANOS);
                }
                latency.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
                TimeUnit.MILLISECONDS.sleep(10);  // spacing between probes, not waiting for work
            }
        } finally {
            pacer.shutdownNow();
        }
        return latency;
    }
}
