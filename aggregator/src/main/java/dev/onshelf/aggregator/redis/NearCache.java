package dev.onshelf.aggregator.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Product values this process has read, kept until Redis says they changed: server-assisted
 * client-side caching. Reads go over a connection of their own with {@code CLIENT TRACKING ON}; Redis
 * remembers which keys it read and, when one is written (by any process), pushes an invalidation on
 * that same connection (RESP3). A lookup of a value read before is then answered without a round trip.
 *
 * <p>Why a stale value cannot stay: each key hashes to one of {@value #STRIPES} version counters; an
 * invalidation increments its key's counter, and an entry is only good while the counter still has the
 * value it had <em>when the read was sent</em>. So a read that raced a write (sent before, answered
 * after the invalidation) is never served again, whatever order the threads run in. A disconnect
 * starts a new generation (every entry dropped) and nothing is cached until tracking is on again on
 * the new connection: a read sent before that would not be tracked. Writes by this process also drop
 * their keys at once ({@link #changed}), before the write is reported done, so a client that wrote
 * reads its own write; a write by another process is seen when its invalidation arrives, within a
 * network hop of the write.
 *
 * <p>Bounded by entries (Caffeine, W-TinyLFU eviction); a stale entry costs a slot until evicted.
 */
public final class NearCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NearCache.class);
    static final int STRIPES = 1 << 16;
    private final StatefulRedisConnection<String, String> connection;
    private final Cache<String, Entry> entries;
    private final AtomicLongArray versions = new AtomicLongArray(STRIPES);
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    /** Changes on every disconnect and every time tracking is (re)enabled. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    /** Tracking is on for the connection of {@link #generation}: reads sent now may be kept. */
    private volatile boolean tracking;

    private record Entry(List<byte[]> value, long generation, int stripe, long version) {
    }

    /**
     * Takes over {@code connection} (its own, used for nothing else), turns tracking on and keeps it on
     * across reconnects. {@code maxEntries} bounds the cache.
     */
    public NearCache(StatefulRedisConnection<String, String> connection, long maxEntries) {
        this.connection = connection;
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).build();
        connection.addListener(this::pushed);
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                track();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                untrack();
            }
        });
        track();
    }

    /**
     * {@code HMGET key field other}: two fields of one key (a product and its held units) kept as one
     * entry, from the cache when Redis has not said the key changed since it was read.
     */
    public CompletionStage<List<byte[]>> hmget(String key, String field, String other) {
        String id = key + '\n' + field + '\n' + other;
        int stripe = stripe(key);
        Entry e = entries.getIfPresent(id);
        long g = generation.get();
        if (e != null && e.generation == g && e.version == versions.get(stripe) && tracking) {
            hits.increment();
            return CompletableFuture.completedFuture(e.value);
        }
        misses.increment();
        boolean keep = tracking;
        long version = versions.get(stripe);
        return RawOutputs.hmget(connection.async(), key, field, other).thenApply(value -> {
            if (keep) {
                entries.put(id, new Entry(value, g, stripe, version));
            }
            return value;
        });
    }

    /** This process wrote these keys: what is kept of them goes now, before the write is reported done. */
    public void changed(Iterable<String> keys) {
        for (String key : keys) {
            versions.incrementAndGet(stripe(key));
        }
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** Keys Redis said changed (each an invalidation pushed to this process). */
    public long invalidations() {
        return invalidations.sum();
    }

    public boolean tracking() {
        return tracking;
    }

    private void track() {
        connection.async().clientTracking(TrackingArgs.Builder.enabled()).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warn("no near cache: Redis refused client tracking (needs Redis 6+ and RESP3) [error: {}]",
                    error.getMessage());
                return;
            }
            generation.incrementAndGet();
            tracking = true;
        });
    }

    private void untrack() {
        tracking = false;
        generation.incrementAndGet();
        entries.invalidateAll();
    }

    /** An invalidation: ["invalidate", [key, ...]], or ["invalidate", null] when Redis flushed everything. */
    private void pushed(PushMessage message) {
        if (!"invalidate".equals(message.getType())) {
            return;
        }
        List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
        Object keys = content.size() > 1 ? content.get(1) : null;
        if (keys instanceof List<?> list) {
            for (Object key : list) {
                versions.incrementAndGet(stripe(String.valueOf(key)));
                invalidations.increment();
            }
        } else {
            generation.incrementAndGet();  // everything
            entries.invalidateAll();
        }
    }

    private static int stripe(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    @Override
    public void close() {
        connection.close();
    }
}
