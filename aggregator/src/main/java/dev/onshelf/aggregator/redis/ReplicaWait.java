package dev.onshelf.aggregator.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Redis {@code WAIT} after each apply of the ingest pipeline, before it is reported done (and so before
 * the MQTT message is acknowledged): done only once {@code replicas} replicas have the write, else a
 * failure, and the pipeline holds the events and retries them (the source's ledger recognises what was
 * applied). Replication is asynchronous, so without it a master killed before its replica had the write
 * loses what was acknowledged. WAIT does not make the write durable on disk on the replica, and a
 * failure does not undo the write on the master: it only delays the acknowledgement.
 * {@link #NONE}: acknowledged as soon as the master answered.
 */
public record ReplicaWait(int replicas, long timeoutMillis) {
    public static final ReplicaWait NONE = new ReplicaWait(0, 0);

    public ReplicaWait {
        if (replicas < 0 || timeoutMillis < 0 || replicas > 0 && timeoutMillis == 0) {
            throw new IllegalArgumentException("replicas >= 0 and, with replicas, a timeout > 0 ms (0 waits forever)");
        }
    }

    public boolean on() {
        return replicas > 0;
    }

    /**
     * WAIT on the connection that made the write ({@code on}: WAIT counts the writes of its own
     * connection); {@code issued} is told of the command (for connections flushed by hand).
     */
    CompletionStage<Void> after(RedisClusterAsyncCommands<String, String> on, Runnable issued) {
        if (!on()) {
            return CompletableFuture.completedStage(null);
        }
        CompletionStage<Long> acked = on.waitForReplication(replicas, timeoutMillis);
        issued.run();
        return acked.thenCompose(n -> n >= replicas ? CompletableFuture.<Void>completedStage(null)
            : CompletableFuture.failedStage(new RedisException("WAIT: " + n + " of " + replicas
                + " replicas had the write within " + timeoutMillis + " ms")));
    }
}
