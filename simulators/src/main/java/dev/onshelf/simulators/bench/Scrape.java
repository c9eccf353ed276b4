package dev.onshelf.simulators.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads OnShelf's own Prometheus counters: how many events it has processed. */
final class Scrape {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI metrics;

    Scrape(int port) {
        this.metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    /** Events processed so far: applied, duplicate, stale or refused. */
    long processed() throws Exception {
        String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("onshelf_aggregator_apply_duration_seconds_count{")
                || line.startsWith("onshelf_gateway_events_rejected_total{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    /**
     * Waits (polling every 50 ms: a scrape costs OnShelf's event loops a few ms, so polling faster
     * would slow down what it measures) until {@code target} events are processed.
     */
    long awaitProcessed(long target, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (processed() >= target) {
                return System.nanoTime();
            }
            Thread.sleep(50);  // a poll interval of an external process's counter, bounded by the deadline
        }
        throw new IllegalStateException("only " + processed() + " of " + target + " events processed within " + timeout);
    }
}
