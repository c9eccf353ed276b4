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
 * The faults of a torture run, spread through the stream by its progress: in each cycle an OnShelf
 * gateway is killed with SIGKILL and restarted with its client id (with several, one per cycle in turn,
 * the others going on meanwhile), then Redis is killed with SIGKILL and restarted from its append-only
 * file, then the broker is stopped (SIGTERM) and restarted with its persistent sessions.
 */
final class Faults implements Callable<List<Faults.Timing>> {
    private static final Logger LOG = LoggerFactory.getLogger(Faults.class);
    private static final String[] KINDS = {"onshelf kill -9", "redis kill -9", "broker restart"};
    /**
     * Where in its cycle each fault strikes. OnShelf first: its restart (a JVM start, 3-9 s on a busy
     * 2-core machine) then still ends well inside the cycle, before the others.
     */
    private static final double[] AT = {0.1, 0.55, 0.8};
    private final RedisProcess redis;
    private final MosquittoProcess broker;
    /** The gateways; the first also serves the API (its readiness tells when Redis is noticed gone). */
    private final List<OnShelfNode> gateways;
    private final TortureOptions o;
    private final AtomicLong published;
    private final long startNanos;

    /**
     * One fault: its cycle, kind, when it struck (seconds into the stream, sales published), its outage,
     * and whether it struck while the tills were still publishing.
     */
    record Timing(int cycle, String fault, double atSecond, long atEvent, long outageMillis, boolean duringStream) {
    }

    Faults(RedisProcess redis, MosquittoProcess broker, List<OnShelfNode> gateways, TortureOptions o,
        AtomicLong published, long startNanos) {
        this.redis = redis;
        this.broker = broker;
        this.gateways = List.copyOf(gateways);
        this.o = o;
        this.published = published;
        this.startNanos = startNanos;
    }

    @Override
    public List<Timing> call() throws Exception {
        List<Timing> timings = new ArrayList<>();
        for (int cycle = 1; cycle <= o.cycles(); cycle++) {
            for (int f = 0; f < KINDS.length; f++) {
                if (f == 2 && !o.brokerRestart()) {
                    continue;
                }
                long at = (long) (o.events() * (cycle - 1 + AT[f]) / o.cycles());
                awaitPublished(at);
                double atSecond = (System.nanoTime() - startNanos) / 1e9;
                long atEvent = published.get();
                long t = System.nanoTime();
                // cycle 1 kills the second gateway (when there are several), cycle 2 the first, and so on
                OnShelfNode victim = gateways.get(cycle % gateways.size());
                strike(f, victim);
                String kind = f == 0 && gateways.size() > 1 ? victim.name() + " kill -9" : KINDS[f];
                Timing timing = new Timing(cycle, kind, atSecond, atEvent, (System.nanoTime() - t) / 1_000_000,
                    atEvent < o.events());
                LOG.info("fault [cycle: {}, fault: {}, at: {} s, sale: {}, back after: {} ms]", cycle, kind,
                    String.format("%.1f", atSecond), atEvent, timing.outageMillis());
                timings.add(timing);
            }
        }
        return timings;
    }

    private void strike(int kind, OnShelfNode victim) throws Exception {
        switch (kind) {
            case 1 -> {
                redis.kill();
                // down until OnShelf has noticed, so that its writes in flight fail and are retried
                if (!gateways.get(0).awaitUnready(Duration.ofSeconds(5))) {
                    LOG.warn("OnShelf did not notice within 5 s that Redis was killed");
                }
                redis.start();
            }
            case 0 -> {
                victim.kill();
                victim.start();
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
                throw new IllegalStateException("the tills stalled at " + published.get() + " sales, short of "
                    + count);
            }
            TimeUnit.MILLISECONDS.sleep(10);  // polling the tills' progress, with a deadline
        }
    }
}
