package dev.onshelf.simulators.store;

import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.Topic;
import dev.onshelf.simulators.mqtt.Publisher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * Simulates stores publishing over MQTT: shoppers buy (the till publishes SALE and the shelf mat sees
 * fewer units), staff refill shelves from the backroom, goods-in publishes RECEIPT when the books run
 * low, and every mat reports its slots each tick. Seeded and reproducible; keeps the ground truth.
 */
public final class StoreSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreSimulator.class);
    private static final int HEARTBEAT_SECONDS = 30;

    private final List<SimulatedStore> stores;
    private final EventCodec codec = new EventCodec();
    private final Random random;
    private final LongSupplier clock;
    private final Map<String, Publisher> publishers = new HashMap<>();
    private final Map<String, AtomicLong> seqs = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "store-simulator");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong published = new AtomicLong();

    public StoreSimulator(List<SimulatedStore> stores, long seed, LongSupplier clock) {
        this.stores = List.copyOf(stores);
        this.random = new Random(seed);
        this.clock = clock;
    }

    /** Connects one client per store, announces every device online, then ticks every {@code tickMillis}. */
    public void start(String mqttUrl, long tickMillis) throws MqttException {
        for (SimulatedStore s : stores) {
            publishers.put(s.id, Publisher.connect(mqttUrl, "onshelf-sim-" + s.id + "-" + UUID.randomUUID()));
            List<String> devices = new ArrayList<>(s.mats);
            devices.add(s.till);
            for (String d : devices) {
                publishers.get(s.id).publish(Topic.PREFIX + s.id + "/status/" + d,
                    codec.encodeStatus(true, HEARTBEAT_SECONDS, clock.getAsLong()), true);
            }
            for (String mat : s.mats) {
                publishMat(s, mat);
            }
            for (SimulatedStore.Product p : s.products) {
                feed(s, EventType.COUNT, p, p.book);
            }
        }
        timer.scheduleAtFixedRate(this::tickSafely, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    public long published() {
        return published.get();
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("simulator tick failed [error: {}]", e.toString());
        }
    }

    private void tick() {
        for (SimulatedStore s : stores) {
            SimulatedStore.Product p = s.products.get(zipf(s.products.size()));
            if (p.shelf > 0) {
                int qty = 1 + random.nextInt(Math.min(2, p.shelf));
                p.shelf -= qty;
                p.book -= qty;
                feed(s, EventType.SALE, p, qty);
                publishMat(s, p.mat);
            }
            SimulatedStore.Product r = s.products.get(random.nextInt(s.products.size()));
            if (r.shelf < r.capacity / 3 && random.nextInt(4) == 0) {
                long backroom = r.book - r.shelf;
                int refill = (int) Math.min(r.capacity - r.shelf, Math.max(0, backroom));
                r.shelf += refill;
                publishMat(s, r.mat);
            }
            if (r.book < r.capacity && random.nextInt(10) == 0) {
                r.book += r.capacity * 2L;
                feed(s, EventType.RECEIPT, r, r.capacity * 2L);
            }
        }
    }

    /** Products are bought with Zipf-like popularity: low indices far more often. */
    private int zipf(int n) {
        double u = random.nextDouble();
        return Math.min(n - 1, (int) Math.floor(Math.pow(n + 1, u)) - 1);
    }

    private void publishMat(SimulatedStore s, String mat) {
        List<Reading> readings = new ArrayList<>();
        for (SimulatedStore.Product p : s.products) {
            if (p.mat.equals(mat)) {
                readings.add(new Reading(p.gtin, p.shelf, p.capacity, p.location));
            }
        }
        long seq = nextSeq(s.id + "/" + mat);
        byte[] payload = codec.encodeShelf(UUID.randomUUID().toString(), seq, clock.getAsLong(), readings);
        send(s, Topic.PREFIX + s.id + "/shelf/" + mat, payload);
    }

    private void feed(SimulatedStore s, EventType type, SimulatedStore.Product p, long qty) {
        long seq = nextSeq(s.id + "/" + s.till);
        byte[] payload = codec.encodeFeed(UUID.randomUUID().toString(), seq, clock.getAsLong(), type, p.gtin, qty);
        send(s, Topic.PREFIX + s.id + "/feed/" + s.till, payload);
    }

    private long nextSeq(String source) {
        return seqs.computeIfAbsent(source, k -> new AtomicLong()).incrementAndGet();
    }

    private void send(SimulatedStore s, String topic, byte[] payload) {
        publishers.get(s.id).publish(topic, payload).whenComplete((v, e) -> {
            if (e == null) {
                published.incrementAndGet();
            } else {
                LOG.debug("publish failed [topic: {}, error: {}]", topic, e.toString());
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        publishers.values().forEach(Publisher::close);
    }
}
