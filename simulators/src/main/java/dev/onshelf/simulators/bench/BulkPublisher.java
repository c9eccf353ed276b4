package dev.onshelf.simulators.bench;

import dev.onshelf.simulators.mqtt.Publisher;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Publishes at QoS 1 from several MQTT connections at once, each with a bounded window of
 * unacknowledged messages. The same publishers and payloads serve the broker baseline and OnShelf.
 */
final class BulkPublisher implements AutoCloseable {
    private static final int WINDOW = 500;
    private final List<Publisher> clients = new ArrayList<>();
    private final List<Semaphore> windows = new ArrayList<>();
    private final AtomicLong failures = new AtomicLong();

    BulkPublisher(String url, int connections) throws MqttException {
        for (int i = 0; i < connections; i++) {
            clients.add(Publisher.connect(url, "bench-pub-" + i + "-" + UUID.randomUUID()));
            windows.add(new Semaphore(WINDOW));
        }
    }

    /**
     * Publishes every message and returns when all are acknowledged. The messages are split over the
     * connections by topic, as a fleet is: one device publishes on one connection, so its events
     * reach the broker in its order. (Round robin over the connections, as before 2026-11-29, made
     * every device's events arrive out of order, which no real device does, and the ledger of
     * every source then kept holes.)
     */
    long publishAll(List<Workload.Message> messages) throws Exception {
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            int client = c;
            Thread t = new Thread(() -> {
                for (Workload.Message m : messages) {
                    if (connectionOf(m) == client) {
                        send(client, m);
                    }
                }
            }, "bench-publisher-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Semaphore w : windows) {
            if (!w.tryAcquire(WINDOW, 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("publishes not acknowledged within 120 s");
            }
            w.release(WINDOW);
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " publishes were refused (is the broker's "
                + "max_inflight_messages below the publisher window of " + WINDOW + "?)");
        }
        return System.nanoTime() - started;
    }

    private int connectionOf(Workload.Message m) {
        return Math.floorMod(m.topic().hashCode(), clients.size());
    }

    /** Publishes one message on its device's connection (see {@link #publishAll}), within the window. */
    CompletableFuture<Void> send(Workload.Message m) {
        return send(connectionOf(m), m);
    }

    /** Publishes one message without waiting for its acknowledgement (but within the window). */
    CompletableFuture<Void> send(int client, Workload.Message m) {
        Semaphore window = windows.get(client % windows.size());
        window.acquireUninterruptibly();
        return clients.get(client % clients.size()).publish(m.topic(), m.payload()).toCompletableFuture()
            .whenComplete((v, e) -> {
                window.release();
                if (e != null) {
                    failures.incrementAndGet();
                }
            });
    }

    long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        clients.forEach(Publisher::close);
    }
}
