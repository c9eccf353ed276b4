package dev.onshelf.gateway.mqtt;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands items from one thread (Paho's) to an event loop in arrival order: one task per burst, not one
 * per item, and at most {@code perTurn} items a task. The bound is what makes ingest a pipeline: what a
 * turn hands over is applied in batches, and the batches' script calls (and the Redis flush) are tasks
 * queued on the same loop, so they run when the turn ends. Unbounded, a flood of 50,000 queued messages
 * was decoded in one turn while Redis sat idle, then sent at once while the loop sat idle (in flight
 * stood at 50,801 for over a second; bench, 2026-11-29).
 */
final class HandOff<T> {
    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor loop;
    private final int perTurn;
    private final Consumer<T> handler;
    private final Runnable drain = this::drain;

    HandOff(Executor loop, int perTurn, Consumer<T> handler) {
        if (perTurn < 1) {
            throw new IllegalArgumentException("perTurn must be at least 1: " + perTurn);
        }
        this.loop = loop;
        this.perTurn = perTurn;
        this.handler = handler;
    }

    /** From any thread: the item is handled on the loop, after every item added before it. */
    void add(T item) {
        items.add(item);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    private void drain() {
        scheduled.set(false);
        T item;
        for (int n = 0; n < perTurn && (item = items.poll()) != null; n++) {
            handler.accept(item);
        }
        if (!items.isEmpty()) {
            schedule();  // the rest in a later turn, after what this one queued (its batches, their flush)
        }
    }
}
