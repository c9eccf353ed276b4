package dev.onshelf.simulators.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sustained ingest: the same publishers and payloads, first to a plain QoS 1 subscriber
 * (mosquitto_sub: the broker's raw throughput), then end to end through OnShelf (published,
 * applied in Redis, acknowledged).
 */
final class IngestBench {
    private IngestBench() {
    }

    /** The broker baseline: events per second delivered to mosquitto_sub at QoS 1. */
    static double brokerBaseline(BulkPublisher publishers, int mqttPort, List<Workload.Message> batch) throws Exception {
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(mqttPort),
            "-q", "1", "-t", "bench/ready", "-t", "onshelf/v1/stores/+/+/+", "-C", Integer.toString(batch.size() + 1))
            .redirectErrorStream(true).start();
        try {
            new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(mqttPort), "-q", "1", "-r",
                "-t", "bench/ready", "-m", "ready").start().waitFor(10, TimeUnit.SECONDS);
            BufferedReader out = new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8));
            if (!"ready".equals(out.readLine())) {
                throw new IllegalStateException("mosquitto_sub did not subscribe");
            }
            Thread drain = new Thread(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException e) {
                    // the process ended
                }
            }, "bench-sub-drain");
            drain.start();
            long started = System.nanoTime();
            publishers.publishAll(batch);
            if (!sub.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("mosquitto_sub did not receive every message within 120 s");
            }
            return batch.size() / ((System.nanoTime() - started) / 1e9);
        } finally {
            sub.destroyForcibly();
        }
    }

    /** End to end through OnShelf: publish, then wait until OnShelf has processed every event. */
    static double onShelf(BulkPublisher publishers, Scrape scrape, List<Workload.Message> batch) throws Exception {
        long before = scrape.processed();
        long started = System.nanoTime();
        publishers.publishAll(batch);
        long done = scrape.awaitProcessed(before + batch.size(), Duration.ofMinutes(3));
        return batch.size() / ((done - started) / 1e9);
    }
}
