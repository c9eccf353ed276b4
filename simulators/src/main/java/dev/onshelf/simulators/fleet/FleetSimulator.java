package dev.onshelf.simulators.fleet;

import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.simulators.mqtt.Publisher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulates store fleets over MQTT, seeded and reproducible, keeping the ground truth of every
 * shelf. Shoppers buy Zipf-popular products (the till publishes SALE, the mat sees fewer units),
 * staff refill shelves from the backroom, goods-in publishes RECEIPT; mats report on change and in
 * full every {@code reportSeconds} (their heartbeat), off by one unit with probability
 * {@code sensorNoise}; every {@code countSeconds} a stock count (COUNT) corrects the books for theft.
 * Faults per {@link FaultMix}.
 */
public final class FleetSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetSimulator.class);

    /** What to simulate. */
    public record Settings(List<SimStore.StoreSpec> stores, List<Gtin> gtins, int matsPerStore, int capacity,
                           double salesPerStoreSecond, int reportSeconds, long tickMillis, FaultMix faults,
                           long seed, double sensorNoise, int countSeconds) {

        /** Without sensor noise and with a stock count of every product every 5 minutes. */
        public Settings(List<SimStore.StoreSpec> stores, List<Gtin> gtins, int matsPerStore, int capacity,
                        double salesPerStoreSecond, int reportSeconds, long tickMillis, FaultMix faults, long seed) {
            this(stores, gtins, matsPerStore, capacity, salesPerStoreSecond, reportSeconds, tickMillis, faults, seed,
                0, 300);
        }
    }

    private final Settings settings;
    private final List<SimStore> stores = new ArrayList<>();
    private final GroundTruth truth = new GroundTruth();
    private final EventCodec codec = new EventCodec();
    private final SplittableRandom random;
    private final Zipf popularity;
    private final LongSupplier clock;
    private final AtomicLong published = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleet-simulator");
        t.setDaemon(true);
        return t;
    });
    private String mqttUrl;
    private long lastCount;

    public FleetSimulator(Settings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.random = new SplittableRandom(settings.seed());
        this.popularity = new Zipf(settings.gtins().size(), 1.0);
        for (SimStore.StoreSpec spec : settings.stores()) {
            SimStore s = new SimStore(spec, settings.gtins(), settings.matsPerStore(), settings.capacity());
            stores.add(s);
            s.products.forEach(p -> truth.set(s.id, p.gtin.value(), p.shelf));
        }
    }

    public List<SimStore> stores() {
        return stores;
    }

    public GroundTruth truth() {
        return truth;
    }

    public long published() {
        return published.get();
    }

    /** Connects every device, announces it, reports every shelf and counts the books; then ticks. */
    public void start(String url) throws MqttException {
        this.mqttUrl = url;
        long now = clock.getAsLong();
        for (SimStore s : stores) {
            for (SimDevice d : devices(s)) {
                connect(d, now);
            }
            for (SimDevice mat : s.mats) {
                report(s, mat, true, now);
            }
            for (SimStore.Product p : s.products) {
                feed(s, EventType.COUNT, p, p.book, now);
            }
        }
        lastCount = now;
        timer.scheduleAtFixedRate(this::tick, settings.tickMillis(), settings.tickMillis(), TimeUnit.MILLISECONDS);
    }

    private static List<SimDevice> devices(SimStore s) {
        List<SimDevice> all = new ArrayList<>(s.mats);
        all.add(s.till);
        return all;
    }

    private void connect(SimDevice d, long now) throws MqttException {
        d.publisher = Publisher.connect(mqttUrl, "sim-" + d.id + "-" + UUID.randomUUID(), d.statusTopic(),
            codec.encodeStatus(false, 0, now));
        d.publisher.publish(d.statusTopic(), codec.encodeStatus(true, settings.reportSeconds(), now), true);
    }

    private void tick() {
        try {
            long now = clock.getAsLong();
            double seconds = settings.tickMillis() / 1000.0;
            boolean audit = now - lastCount >= settings.countSeconds() * 1000L;
            if (audit) {
                lastCount = now;
            }
            for (SimStore s : stores) {
                if (audit) {
                    for (SimStore.Product p : s.products) {  // a stock count: the books learn what theft took
                        p.book -= p.stolen;
                        p.stolen = 0;
                        feed(s, EventType.COUNT, p, p.book, now);
                    }
                }
                shop(s, seconds, now);
                for (SimDevice d : devices(s)) {
                    faults(d, seconds, now);
                }
                for (SimDevice mat : s.mats) {
                    boolean full = now - mat.lastReport >= settings.reportSeconds() * 1000L;
                    report(s, mat, full, now);
                }
            }
        } catch (RuntimeException | MqttException e) {
            LOG.warn("simulator tick failed [error: {}]", e.toString());
        }
    }

    private void shop(SimStore s, double seconds, long now) {
        double expected = settings.salesPerStoreSecond() * seconds;
        int sales = (int) expected + (random.nextDouble() < expected - (int) expected ? 1 : 0);
        for (int i = 0; i < sales; i++) {
            SimStore.Product p = s.products.get(popularity.next(random));
            if (p.shelf > 0) {
                change(s, p, p.shelf - 1);
                p.book -= 1;
                feed(s, EventType.SALE, p, 1, now);
            }
        }
        if (random.nextDouble() < settings.faults().theft() * seconds) {
            SimStore.Product p = s.products.get(random.nextInt(s.products.size()));
            p.stolen += p.shelf;
            change(s, p, 0);  // gone without a sale: the books still count it
        }
        SimStore.Product r = s.products.get(random.nextInt(s.products.size()));
        if (r.shelf <= r.capacity / 4 && random.nextInt(3) == 0) {
            long backroom = Math.max(0, r.book - r.shelf);
            change(s, r, (int) Math.min(r.capacity, r.shelf + backroom));
        }
        if (r.book - r.shelf < r.capacity && random.nextInt(10) == 0) {
            r.book += r.capacity * 2L;
            feed(s, EventType.RECEIPT, r, r.capacity * 2L, now);
        }
    }

    private void change(SimStore s, SimStore.Product p, int units) {
        p.shelf = units;
        p.dirty = true;
        truth.set(s.id, p.gtin.value(), units);
    }

    private void faults(SimDevice d, double seconds, long now) throws MqttException {
        FaultMix f = settings.faults();
        if (d.awayUntil > 0 && !d.away(now)) {
            d.awayUntil = 0;
            if (d.abrupt) {
                connect(d, now);
            }
            d.lastReport = 0;  // report everything when back
            return;
        }
        if (d.away(now)) {
            return;
        }
        if (random.nextDouble() < f.restart() * seconds) {
            d.seq = 0;
        }
        if (d.kind.equals("shelf") && random.nextDouble() < f.offline() * seconds) {  // tills buffer instead
            d.awayUntil = now + 5_000 + random.nextInt(15_000);
            d.abrupt = random.nextBoolean();
            if (d.abrupt) {
                d.publisher.kill();  // no DISCONNECT: the broker publishes the device's will
            }
        }
    }

    private void report(SimStore s, SimDevice mat, boolean full, long now) {
        if (mat.away(now)) {
            return;
        }
        List<Reading> readings = new ArrayList<>();
        for (SimStore.Product p : s.products) {
            if (p.mat == mat && (full || p.dirty)) {
                int seen = p.shelf;
                if (seen > 0 && random.nextDouble() < settings.sensorNoise()) {
                    seen = Math.max(1, seen + (random.nextBoolean() ? 1 : -1));  // off by one, never a false empty
                }
                readings.add(new Reading(p.gtin, seen, p.capacity, p.location));
                p.dirty = false;
            }
        }
        if (full) {
            mat.lastReport = now;
        }
        if (!readings.isEmpty()) {
            send(mat, codec.encodeShelf(UUID.randomUUID().toString(), ++mat.seq, now, readings));
        }
    }

    private void feed(SimStore s, EventType type, SimStore.Product p, long qty, long now) {
        SimDevice till = s.till;
        if (!till.away(now)) {
            send(till, codec.encodeFeed(UUID.randomUUID().toString(), ++till.seq, now, type, p.gtin, qty));
        }
    }

    private void send(SimDevice d, byte[] payload) {
        FaultMix f = settings.faults();
        if (random.nextDouble() < f.malformed()) {
            publish(d, d.topic(), "{\"eventId\": \"broken\", \"seq\": ".getBytes(StandardCharsets.UTF_8));
        }
        if (d.heldPayload == null && random.nextDouble() < f.reorder()) {
            d.heldTopic = d.topic();
            d.heldPayload = payload;  // goes out after the device's next message
            return;
        }
        publish(d, d.topic(), payload);
        if (random.nextDouble() < f.duplicate()) {
            publish(d, d.topic(), payload);
        }
        if (d.heldPayload != null) {
            publish(d, d.heldTopic, d.heldPayload);
            d.heldPayload = null;
        }
    }

    private void publish(SimDevice d, String topic, byte[] payload) {
        d.publisher.publish(topic, payload).whenComplete((v, e) -> {
            if (e == null) {
                published.incrementAndGet();
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SimStore s : stores) {
            devices(s).forEach(d -> {
                if (d.publisher != null) {
                    d.publisher.close();
                }
            });
        }
    }
}
