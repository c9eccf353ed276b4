package dev.onshelf.simulators.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
     * Waits until {@code target} events are processed. A scrape renders every series of OnShelf's
     * registry on its event loop (in the 15:46 run's profile 7.9% of OnShelf's ingest samples went to
     * /metrics, polled every 50 ms), so the polls are spaced by the rate seen so far: about halfway to
     * the expected end each time, 20-500 ms apart, so a run of N seconds costs ~log(N) scrapes plus the
     * last few, and the end is seen within ~20 ms.
     */
    long awaitProcessed(long target, Duration timeout) throws Exception {
        long firstAt = System.nanoTime();
        long deadline = firstAt + timeout.toNanos();
        long first = processed();
        long done = first;
        while (done < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + done + " of " + target + " events processed within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(pollMillis(target - done, done - first, System.nanoTime() - firstAt));
            done = processed();
        }
        return System.nanoTime();
    }

    /** The pause before the next scrape: half the expected time left at the rate seen, 20-500 ms. */
    static long pollMillis(long left, long doneSoFar, long elapsedNanos) {
        if (doneSoFar <= 0 || elapsedNanos <= 0) {
            return 50;  // no rate seen yet
        }
        double perMilli = doneSoFar / (elapsedNanos / 1e6);
        return Math.max(20, Math.min(500, Math.round(left / perMilli / 2)));
    }
}
