package dev.onshelf.simulators.torture;

import dev.onshelf.core.model.Gtin;
import dev.onshelf.simulators.mqtt.Publisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One till's MQTT connection: publishes its sales at QoS 1 at a steady pace, in bursts, each until the
 * broker acknowledges it (sent again, same bytes, while the broker restarts), and counts each logical
 * sale once per product, once acknowledged: that count is the expected truth.
 */
final class TorturePublisher implements Callable<Long> {
    private static final Logger LOG = LoggerFactory.getLogger(TorturePublisher.class);
    private static final Duration ACK_DEADLINE = Duration.ofSeconds(120);
    private final String mqttUrl;
    private final TortureSource source;
    private final List<Gtin> gtins;
    private final long events;
    private final long intervalNanos;
    private final int firstProduct;
    private final AtomicLongArray sold;
    private final AtomicLong published;
    private final int burst;

    TorturePublisher(String mqttUrl, TortureSource source, List<Gtin> gtins, long events, double perSecond,
        int burst, int firstProduct, AtomicLongArray sold, AtomicLong published) {
        this.burst = burst;
        this.mqttUrl = mqttUrl;
        this.source = source;
        this.gtins = gtins;
        this.events = events;
        this.intervalNanos = (long) (1e9 / perSecond);
        this.firstProduct = firstProduct;
        this.sold = sold;
        this.published = published;
    }

    /**
     * Publishes every sale, a burst of up to {@code burst} at a time without waiting for acks (a till
     * catching up, so that OnShelf has work in flight when a fault strikes), then waits for the burst's
     * acks and sends again what was not acknowledged. Returns how many messages went out, retries of a
     * till included.
     */
    @Override
    public Long call() throws Exception {
        long messages = 0;
        try (Publisher mqtt = Publisher.connect(mqttUrl, "torture-" + source.device() + "-" + System.nanoTime())) {
            long start = System.nanoTime();
            for (long k = 0; k < events; k += burst) {
                long wait = start + k * intervalNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);  // pacing: the stream must span every fault
                }
                List<TortureSource.Sale> sales = new ArrayList<>();
                List<byte[]> payloads = new ArrayList<>();
                for (long j = k; j < Math.min(events, k + burst); j++) {
                    TortureSource.Sale sale = source.next(gtins, (int) ((firstProduct + j) % gtins.size()),
                        System.currentTimeMillis());
                    sales.add(sale);
                    payloads.add(sale.payload());
                    sale.retry().ifPresent(payloads::add);
                }
                publishBurst(mqtt, payloads);
                messages += payloads.size();
                sales.forEach(s -> sold.incrementAndGet(s.product()));
                published.addAndGet(sales.size());
            }
        }
        LOG.info("till done [device: {}, sales: {}, messages: {}]", source.device(), events, messages);
        return messages;
    }

    /** Publishes all, in order, at once; then each one the broker did not acknowledge again, until it does. */
    private void publishBurst(Publisher mqtt, List<byte[]> payloads) throws InterruptedException {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (byte[] p : payloads) {
            acks.add(mqtt.publish(source.topic(), p).toCompletableFuture());
        }
        for (int i = 0; i < payloads.size(); i++) {
            try {
                acks.get(i).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                mqtt.publishUntilAcked(source.topic(), payloads.get(i), ACK_DEADLINE);
            }
        }
    }
}
