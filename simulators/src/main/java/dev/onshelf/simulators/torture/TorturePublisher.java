package dev.onshelf.simulators.torture;

import dev.onshelf.core.model.Gtin;
import dev.onshelf.simulators.mqtt.Publisher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One till's MQTT connection: publishes its sales at QoS 1 at a steady pace, each until the broker
 * acknowledges it (sent again, same bytes, while the broker restarts), and counts each logical sale
 * once per product, once acknowledged: that count is the expected truth.
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

    TorturePublisher(String mqttUrl, TortureSource source, List<Gtin> gtins, long events, double perSecond,
        int firstProduct, AtomicLongArray sold, AtomicLong published) {
        this.mqttUrl = mqttUrl;
        this.source = source;
        this.gtins = gtins;
        this.events = events;
        this.intervalNanos = (long) (1e9 / perSecond);
        this.firstProduct = firstProduct;
        this.sold = sold;
        this.published = published;
    }

    /** Publishes every sale; returns how many messages went out, retries of a till included. */
    @Override
    public Long call() throws Exception {
        long messages = 0;
        try (Publisher mqtt = Publisher.connect(mqttUrl, "torture-" + source.device() + "-" + System.nanoTime())) {
            long start = System.nanoTime();
            for (long k = 0; k < events; k++) {
                long wait = start + k * intervalNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);  // pacing: the stream must span every fault
                }
                int product = (int) ((firstProduct + k) % gtins.size());
                TortureSource.Sale sale = source.next(gtins, product, System.currentTimeMillis());
                mqtt.publishUntilAcked(source.topic(), sale.payload(), ACK_DEADLINE);
                sold.incrementAndGet(product);
                published.incrementAndGet();
                messages++;
                if (sale.retry().isPresent()) {
                    mqtt.publishUntilAcked(source.topic(), sale.retry().get(), ACK_DEADLINE);
                    messages++;
                }
            }
        }
        LOG.info("till done [device: {}, sales: {}, messages: {}]", source.device(), events, messages);
        return messages;
    }
}
