package dev.onshelf.aggregator.redis;

import dev.onshelf.core.availability.SourceHealth;
import dev.onshelf.core.model.StoreId;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * What a lookup needs besides the product's own value, per store, held in the process so that a lookup
 * is one {@code HGET}: whether the store is registered, the health of its devices and its device table
 * (the names of the device indexes in packed product values). One snapshot per store, shared by all
 * event loops; a refresh is one pipelined round trip ({@code EXISTS}, two {@code HGETALL}s).
 *
 * <p>How it stays current:
 * <ul>
 *   <li><b>online / offline</b> (a status event, a will) shows at once: the store that applied it
 *   drops the snapshot before its apply completes ({@link #invalidate}), and publishes on the store's
 *   channel ({@link Keys#healthChanged}), so other processes drop theirs when the message arrives
 *   ({@link #followChanges}). A lookup after that fetches a new snapshot.</li>
 *   <li><b>lastSeen</b> moves with every event, so it is not published: a snapshot is used for at most
 *   {@link #MAX_AGE_MILLIS}, and {@link #asOfSnapshot} judges silence as of the moment the snapshot was
 *   taken (lastSeen moved forward by the snapshot's age). So a device is never judged silent (missed
 *   heartbeats, {@link SourceHealth#stale}) while Redis has heard from it in time: silence shows at most
 *   {@link #MAX_AGE_MILLIS} late, and a device heard again after a silence is trusted again at most that
 *   late (its readings meanwhile are judged as stale: the cautious side). A lost message (the
 *   subscription reconnecting) bounds online / offline the same way.</li>
 *   <li>The device table is append-only, so an entry is never wrong, only missing: a value naming an
 *   index the snapshot lacks fetches a new one (the script wrote table and value together).</li>
 *   <li>An unknown store is not remembered: it is asked again each time, so a store registered by
 *   another process is known at once.</li>
 * </ul>
 */
public final class StoreSnapshots {
    /** The oldest snapshot a lookup uses; heartbeats are whole seconds and at least three are missed by default. */
    public static final long MAX_AGE_MILLIS = 1_000;

    /**
     * One store's snapshot; {@code devices[i]} is the name of the device table's index i (a device, or "@"
     * and a location shape; null where none).
     */
    record Snapshot(boolean known, Map<String, SourceHealth> health, String[] devices, long takenAt) {
        String device(int index) {
            if (index < 0 || index >= devices.length || devices[index] == null) {
                throw new StateCodec.UnknownDevice(index);
            }
            return devices[index];
        }
    }

    private final RedisClusterAsyncCommands<String, String> redis;
    private final LongSupplier clock;
    private final StateCodec codec = new StateCodec();
    private final Map<String, AtomicReference<CompletableFuture<Snapshot>>> stores = new ConcurrentHashMap<>();

    public StoreSnapshots(RedisClusterAsyncCommands<String, String> redis, LongSupplier clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** The store's snapshot: the one held while younger than {@link #MAX_AGE_MILLIS}, else a new one. */
    CompletionStage<Snapshot> get(StoreId store) {
        AtomicReference<CompletableFuture<Snapshot>> slot =
            stores.computeIfAbsent(store.value(), k -> new AtomicReference<>());
        CompletableFuture<Snapshot> held = slot.get();
        if (held != null) {
            if (!held.isDone()) {
                return held;  // a fetch in flight: share it
            }
            Snapshot s = held.getNow(null);
            if (s != null && s.known() && clock.getAsLong() - s.takenAt() < MAX_AGE_MILLIS) {
                return held;
            }
        }
        CompletableFuture<Snapshot> next = new CompletableFuture<>();
        if (!slot.compareAndSet(held, next)) {
            CompletableFuture<Snapshot> other = slot.get();
            return other != null ? other : get(store);
        }
        fetch(store).whenComplete((s, error) -> {
            if (error != null) {
                slot.compareAndSet(next, null);
                next.completeExceptionally(error);
            } else {
                if (!s.known()) {  // not remembered: unknown store ids must not fill the map
                    stores.remove(store.value(), slot);
                }
                next.complete(s);
            }
        });
        return next;
    }

    /** Drops the store's snapshot (its health changed): the next lookup fetches a new one. */
    public void invalidate(StoreId store) {
        AtomicReference<CompletableFuture<Snapshot>> slot = stores.get(store.value());
        if (slot != null) {
            slot.set(null);
        }
    }

    /** Drops every snapshot (e.g. when the subscription to changes was lost and is back). */
    public void invalidateAll() {
        stores.values().forEach(slot -> slot.set(null));
    }

    /**
     * Drops a store's snapshot whenever any process publishes a change of its devices' health: one
     * pattern subscription on the given pub/sub connection ({@link Keys#HEALTH_CHANGED_PATTERN}).
     */
    public CompletionStage<Void> followChanges(
            io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String> pubsub) {
        pubsub.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
                AtomicReference<CompletableFuture<Snapshot>> slot = stores.get(message);
                if (slot != null) {
                    slot.set(null);
                }
            }

            @Override
            public void psubscribed(String pattern, long count) {
                invalidateAll();  // (re)subscribed: anything published meanwhile was missed
            }
        });
        return pubsub.async().psubscribe(Keys.HEALTH_CHANGED_PATTERN).thenApply(x -> null);
    }

    /**
     * The health of the given devices as the rules should judge it {@code now}: lastSeen moved forward
     * by the snapshot's age, so that "silent for longer than N heartbeats" is judged as of the moment
     * the snapshot was taken (see the class comment).
     */
    static Map<String, SourceHealth> asOfSnapshot(Snapshot s, Iterable<String> devices, long now) {
        long age = Math.max(0, now - s.takenAt());
        Map<String, SourceHealth> out = new HashMap<>(4);
        for (String device : devices) {
            SourceHealth h = s.health().get(device);
            if (h != null && !out.containsKey(device)) {
                out.put(device, age == 0 || h.lastSeen() == 0 ? h
                    : new SourceHealth(h.online(), h.heartbeatSeconds(), h.statusTs(), h.lastSeen() + age));
            }
        }
        return out;
    }

    private CompletionStage<Snapshot> fetch(StoreId store) {
        long takenAt = clock.getAsLong();
        CompletionStage<Long> exists = redis.exists(Keys.store(store));
        CompletionStage<Map<String, String>> health = redis.hgetall(Keys.health(store));
        CompletionStage<Map<String, String>> devices = redis.hgetall(Keys.devix(store));
        return exists.thenCombine(health, (e, h) -> {
            Map<String, SourceHealth> parsed = new HashMap<>();
            h.forEach((device, csv) -> parsed.put(device, codec.health(csv)));
            return Map.entry(e > 0, Map.copyOf(parsed));
        }).thenCombine(devices, (eh, d) -> new Snapshot(eh.getKey(), eh.getValue(), table(d), takenAt));
    }

    /** The device table's "#index -> device" fields as an array by index. */
    private static String[] table(Map<String, String> fields) {
        int max = -1;
        for (String f : fields.keySet()) {
            if (f.startsWith("#")) {
                max = Math.max(max, Integer.parseInt(f.substring(1)));
            }
        }
        String[] out = new String[max + 1];
        fields.forEach((f, device) -> {
            if (f.startsWith("#")) {
                out[Integer.parseInt(f.substring(1))] = device;
            }
        });
        return out;
    }
}
