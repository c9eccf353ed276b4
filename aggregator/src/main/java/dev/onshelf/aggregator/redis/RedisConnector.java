package dev.onshelf.aggregator.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;

/**
 * One Redis client and one shared connection per process (Lettuce's own advice: a connection is
 * thread-safe and pipelines). While Redis is unreachable commands fail fast instead of queueing, so
 * callers can answer 503 rather than hang; the connection reconnects by itself.
 * With commands rejected while disconnected, Lettuce also fails (does not re-issue) the commands
 * that were on the wire when the connection dropped; the ingest's {@code OrderedApplier} holds
 * them, and everything after them, and retries them in order.
 */
public final class RedisConnector implements AutoCloseable {
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final java.util.List<StatefulRedisConnection<String, String>> extra =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String>> pubsub =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    public RedisConnector(String url, Duration commandTimeout) {
        this.resources = DefaultClientResources.create();
        this.client = RedisClient.create(resources, RedisURI.create(url));
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .build());
        this.connection = client.connect();
    }

    public StatefulRedisConnection<String, String> connection() {
        return connection;
    }

    /**
     * A second connection for the ingest path, flushed by hand ({@link CoalescingFlusher}): batching
     * the writes of a burst beats a syscall per command. Reads keep the auto-flushed shared one.
     */
    public StatefulRedisConnection<String, String> connectUnflushed() {
        StatefulRedisConnection<String, String> c = client.connect();
        c.setAutoFlushCommands(false);
        extra.add(c);
        return c;
    }

    /** Another auto-flushed connection (the near cache's tracked reads), closed with the connector. */
    public StatefulRedisConnection<String, String> connectAnother() {
        StatefulRedisConnection<String, String> c = client.connect();
        extra.add(c);
        return c;
    }

    /** A pub/sub connection (a subscribed connection can run nothing else), closed with the connector. */
    public io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String> connectPubSub() {
        io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String> c = client.connectPubSub();
        pubsub.add(c);
        return c;
    }

    public boolean isConnected() {
        return connection.isOpen() && extra.stream().allMatch(StatefulRedisConnection::isOpen);
    }

    @Override
    public void close() {
        extra.forEach(StatefulRedisConnection::close);
        pubsub.forEach(io.lettuce.core.pubsub.StatefulRedisPubSubConnection::close);
        connection.close();
        client.shutdown();
        resources.shutdown();
    }
}
