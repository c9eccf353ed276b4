package dev.onshelf.simulators.torture;

import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults of a torture run, spread through the stream by its progress: in each cycle Redis is
 * killed with SIGKILL and restarted from its append-only file, then OnShelf is killed with SIGKILL
 * and restarted, then the broker is stopped (SIGTERM) and restarted with its persistent sessions.
 */
final class Faults implements Callable<List<Faults.Timing>> {
    private static final Logger LOG = LoggerFactory.getLogger(Faults.class);
    private static final String[] KINDS = {"redis kill -9", "onshelf kill -9", "broker restart"};
    private final RedisProcess redis;
    private final MosquittoProcess broker;
    private final OnShelfNode onshelf;
    private final TortureOptions o;
    private final AtomicLong published;
    private final long startNanos;

    /** One fault: its cycle, kind, when it struck (seconds into the stream, sales published), its outage. */
    record Timing(int cycle, String fault, double atSecond, long atEvent, long outageMillis) {
    }

    Faults(RedisProcess redis, MosquittoProcess broker, OnShelfNode onshelf, TortureOptions o, AtomicLong published,
        long startNanos) {
        this.redis = redis;
        this.broker = broker;
        this.onshelf = onshelf;
        this.o = o;
        this.published = published;
        this.startNanos = startNanos;
    }

    @Override
    public List<Timing> call() throws Exception {
        List<Timing> timings = new ArrayList<>();
        for (int cycle = 1; cycle <= o.cycles(); cycle++) {
            for (int f = 0; f < KINDS.length; f++) {
                // at 1/6, 1/2 and 5/6 of the cycle's share of the stream
                long at = (long) (o.events() * (cycle - 1 + (f + 0.5) / KINDS.length) / o.cycles());
                awaitPublished(at);
                double atSecond = (System.nanoTime() - startNanos) / 1e9;
                long atEvent = published.get();
                long t = System.nanoTime();
                strike(f);
                Timing timing = new Timing(cycle, KINDS[f], atSecond, atEvent, (System.nanoTime() - t) / 1_000_000);
                LOG.info("fault [cycle: {}, fault: {}, at: {} s, sale: {}, back after: {} ms]", cycle, KINDS[f],
                    String.format("%.1f", atSecond), atEvent, timing.outageMillis());
                timings.add(timing);
            }
        }
        return timings;
    }

    private void strike(int kind) throws Exception {
        switch (kind) {
            case 0 -> {
                redis.kill();
                // down until OnShelf has noticed, so that its writes in flight fail and are retried
                if (!onshelf.awaitUnready(Duration.ofSeconds(5))) {
                    LOG.warn("OnShelf did not notice within 5 s that Redis was killed");
                }
                redis.start();
            }
            case 1 -> {
                onshelf.kill();
                onshelf.start();
            }
            default -> {
                broker.stop();
                broker.start();
            }
        }
    }

    /** Waits (with a deadline) until the tills have published {@code count} sales. */
    private void awaitPublished(long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) o.streamSeconds() + 300);
        while (published.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the tills stalled at " + published.get() + " sales, short of " + count);
            }
            TimeUnit.MILLISECONDS.sleep(10);  // polling the tills' progress, with a deadline
        }
    }
}
