package dev.onshelf.aggregator.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One Redis client and one shared connection per process (Lettuce's own advice: a connection is
 * thread-safe and pipelines). While Redis is unreachable commands fail fast instead of queueing, so
 * callers can answer 503 rather than hang; the connection reconnects by itself.
 * With commands rejected while disconnected, Lettuce also fails (does not re-issue) the commands
 * that were on the wire when the connection dropped; the ingest's {@code OrderedApplier} holds
 * them, and everything after them, and retries them in order.
 *
 * <p>Either a single Redis ({@link RedisClient}) or a Redis Cluster ({@link RedisClusterClient}, when
 * cluster nodes are given). The stores are typed against {@link RedisClusterAsyncCommands}, which both
 * kinds of connection implement: on a cluster each command goes to the master of its key's slot, and a
 * script's keys must all be in one slot (every key of a store carries the hash tag {@code {S}}; see
 * {@link Keys}). The cluster's topology is refreshed every {@link #TOPOLOGY_REFRESH} and at once on
 * the adaptive triggers (MOVED/ASK redirects, persistent reconnects, an uncovered slot, an unknown
 * node), so after a failover commands find the promoted replica by themselves.
 */
public final class RedisConnector implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisConnector.class);
    /** How often the cluster topology is re-read even without a trigger. */
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);

    private final ClientResources resources;
    /** Exactly one of the two clients is set. */
    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterAsyncCommands<String, String> async;
    private final List<StatefulConnection<String, String>> extra = new CopyOnWriteArrayList<>();
    private final List<StatefulRedisPubSubConnection<String, String>> pubsub = new CopyOnWriteArrayList<>();

    /** A single Redis. */
    public RedisConnector(String url, Duration commandTimeout) {
        this(url, List.of(), commandTimeout);
    }

    /**
     * A single Redis at {@code url}, or, when {@code clusterNodes} ({@code host:port}) is not empty, the
     * Redis Cluster they belong to; scheme (TLS), user and password are then taken from {@code url}.
     */
    public RedisConnector(String url, List<String> clusterNodes, Duration commandTimeout) {
        this.resources = DefaultClientResources.create();
        TimeoutOptions timeouts = TimeoutOptions.enabled(commandTimeout);
        if (clusterNodes.isEmpty()) {
            this.clusterClient = null;
            this.client = RedisClient.create(resources, RedisURI.create(url));
            client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(timeouts)
                .build());
            StatefulRedisConnection<String, String> c = client.connect();
            this.connection = c;
            this.async = c.async();
        } else {
            this.client = null;
            RedisURI base = RedisURI.create(url);
            List<RedisURI> seeds = clusterNodes.stream().map(node -> seed(base, node)).toList();
            this.clusterClient = RedisClusterClient.create(resources, seeds);
            clusterClient.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(timeouts)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                    .enableAllAdaptiveRefreshTriggers()
                    // a dead master is given up after 3 failed reconnects rather than Lettuce's 5
                    .refreshTriggersReconnectAttempts(3)
                    .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                    .closeStaleConnections(true)
                    .build())
                .build());
            StatefulRedisClusterConnection<String, String> c = clusterClient.connect();
            connectMasters(c);
            this.connection = c;
            this.async = c.async();
            // a new master (a replica that took over, a node added): open every connection's link to it now
            resources.eventBus().get()
                .filter(e -> e instanceof io.lettuce.core.cluster.event.ClusterTopologyChangedEvent)
                .subscribe(e -> clusterConnections().forEach(RedisConnector::openMasterLinks));
        }
    }

    private List<StatefulRedisClusterConnection<String, String>> clusterConnections() {
        List<StatefulRedisClusterConnection<String, String>> out = new java.util.ArrayList<>();
        for (StatefulConnection<String, String> c : extra) {
            if (c instanceof StatefulRedisClusterConnection<String, String> cluster) {
                out.add(cluster);
            }
        }
        if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
            out.add(cluster);
        }
        return out;
    }

    /** {@code host:port} with the scheme and credentials of {@code base}. */
    static RedisURI seed(RedisURI base, String node) {
        int colon = node.lastIndexOf(':');
        if (colon <= 0 || colon == node.length() - 1) {
            throw new IllegalArgumentException("a cluster node must be host:port, got '" + node + "'");
        }
        RedisURI.Builder b = RedisURI.builder(base)
            .withHost(node.substring(0, colon))
            .withPort(Integer.parseInt(node.substring(colon + 1)));
        return b.build();
    }

    public boolean isCluster() {
        return clusterClient != null;
    }

    /** The shared connection's commands (on a cluster: routed by slot). Asynchronous: any thread. */
    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    /**
     * The shared connection to a single Redis (tools and tests that need its own API); on a cluster use
     * {@link #async()} or {@link #sync()}.
     */
    public StatefulRedisConnection<String, String> connection() {
        if (connection instanceof StatefulRedisConnection<String, String> c) {
            return c;
        }
        throw new IllegalStateException("a Redis Cluster has no single connection: use async() or sync()");
    }

    /** The shared connection's blocking commands: for tools, the CLI and tests, never an event loop. */
    public RedisClusterCommands<String, String> sync() {
        return connection instanceof StatefulRedisClusterConnection<String, String> c ? c.sync()
            : ((StatefulRedisConnection<String, String>) connection).sync();
    }

    /**
     * A second connection for the ingest path, flushed by hand ({@link CoalescingFlusher}): batching
     * the writes of a burst beats a syscall per command. Reads keep the auto-flushed shared one. On a
     * cluster the flag reaches every node connection, and a flush flushes them all. A command Lettuce
     * re-sends after a MOVED or ASK redirect is not flushed by Lettuce: it leaves with the next flush (the
     * next command of the ingest), or, if none comes, fails at the command timeout and is retried in order.
     */
    public StatefulConnection<String, String> connectUnflushed() {
        StatefulConnection<String, String> c = isCluster() ? clusterClient.connect() : client.connect();
        if (c instanceof StatefulRedisClusterConnection<String, String> cluster) {
            connectMasters(cluster);
        }
        c.setAutoFlushCommands(false);
        extra.add(c);
        return c;
    }

    /**
     * Opens the connection's link to every master before it is used (at start-up, off any event loop):
     * while a link is being opened, the commands routed to it are rejected (commands are rejected while
     * disconnected), so the first command to each master would fail.
     */
    private static void connectMasters(StatefulRedisClusterConnection<String, String> c) {
        for (var link : openMasterLinks(c)) {
            try {
                link.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("no link to a cluster master yet, opened on first use [error: {}]", e.toString());
            }
        }
    }

    /** Starts opening the connection's links to every master it does not have yet; does not wait. */
    private static List<java.util.concurrent.CompletableFuture<?>> openMasterLinks(
            StatefulRedisClusterConnection<String, String> c) {
        List<java.util.concurrent.CompletableFuture<?>> out = new java.util.ArrayList<>();
        for (var node : c.getPartitions()) {
            if (node.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.UPSTREAM)) {
                out.add(c.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort(),
                    io.lettuce.core.protocol.ConnectionIntent.WRITE));
            }
        }
        return out;
    }

    /** The commands of a connection this connector made (either kind). */
    public static RedisClusterAsyncCommands<String, String> commands(StatefulConnection<String, String> c) {
        return c instanceof StatefulRedisClusterConnection<String, String> cluster ? cluster.async()
            : ((StatefulRedisConnection<String, String>) c).async();
    }

    /**
     * Another auto-flushed connection to a single Redis (the near cache's tracked reads), closed with the
     * connector. Not on a cluster: client tracking is per node there, and the near cache is off.
     */
    public StatefulRedisConnection<String, String> connectAnother() {
        if (isCluster()) {
            throw new IllegalStateException("no single-node connection on a Redis Cluster");
        }
        StatefulRedisConnection<String, String> c = client.connect();
        extra.add(c);
        return c;
    }

    /**
     * A pub/sub connection (a subscribed connection can run nothing else), closed with the connector. On
     * a cluster a cluster pub/sub connection: a (non-sharded) PUBLISH reaches every node, so one node's
     * subscription hears every message, and the connection resubscribes on another node if it loses its own.
     */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        StatefulRedisPubSubConnection<String, String> c = isCluster() ? clusterClient.connectPubSub()
            : client.connectPubSub();
        pubsub.add(c);
        return c;
    }

    public boolean isConnected() {
        return connection.isOpen() && extra.stream().allMatch(StatefulConnection::isOpen);
    }

    @Override
    public void close() {
        extra.forEach(StatefulConnection::close);
        pubsub.forEach(StatefulRedisPubSubConnection::close);
        connection.close();
        if (client != null) {
            client.shutdown();
        } else {
            clusterClient.shutdown();
        }
        resources.shutdown();
    }
}
