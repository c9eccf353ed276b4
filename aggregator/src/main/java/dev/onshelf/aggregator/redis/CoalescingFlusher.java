package dev.onshelf.aggregator.redis;

import io.lettuce.core.api.StatefulConnection;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Flushes a connection whose auto-flush is off once per turn of the executor (an event loop) instead
 * of once per command: the commands a burst of MQTT messages produces leave in one write. Every
 * command issued on that connection must be followed by {@link #issued()}.
 */
public final class CoalescingFlusher implements Runnable {
    private final StatefulConnection<?, ?> connection;
    private final Executor loop;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public CoalescingFlusher(StatefulConnection<?, ?> connection, Executor loop) {
        this.connection = connection;
        this.loop = loop;
    }

    /** A command was issued: make sure a flush follows (at most one is pending). */
    public void issued() {
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        connection.flushCommands();
    }

    /** For connections that flush by themselves. */
    public static Runnable none() {
        return () -> { };
    }
}
