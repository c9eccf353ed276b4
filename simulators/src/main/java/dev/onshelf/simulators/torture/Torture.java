package dev.onshelf.simulators.torture;

import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.simulators.mqtt.Publisher;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RedisProcess;
import dev.onshelf.testkit.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash torture test ({@code ./onshelf torture}, {@code TortureIT}, {@code SharedSubscriptionIT}):
 * real redis-server (AOF {@code everysec}), real Mosquitto and OnShelf in its own JVM (or several
 * gateway JVMs sharing one MQTT 5 shared subscription), all on free ports; every product
 * primed by a COUNT; tills stream paced QoS 1 sales (some with second-resolution clocks, some with a
 * session id, some sales published twice re-stamped, one till of each kind rebooting) while
 * {@link Faults} kill and restart Redis, a gateway and the broker; once the stream has drained, every
 * book is compared with the primed count less the sales published, product by product.
 */
public final class Torture {
    private static final Logger LOG = LoggerFactory.getLogger(Torture.class);
    static final String STORE = "torture";
    static final String SHARED_GROUP = "torture";
    private final Path jar;
    private final Path workDir;
    private final TortureOptions o;

    public Torture(Path jar, Path workDir, TortureOptions options) {
        this.jar = jar;
        this.workDir = workDir;
        this.o = options;
    }

    public TortureResult run() throws Exception {
        long t0 = System.nanoTime();
        List<Gtin> gtins = new ArrayList<>();
        for (int p = 0; p < o.products(); p++) {
            gtins.add(Gtin.fromBody(String.format("0401234%06d", p)));
        }
        List<TortureSource> sources = sources();
        ExecutorService pool = Executors.newFixedThreadPool(o.publishers() + 1);
        List<OnShelfNode> gateways = new ArrayList<>();
        try (RedisProcess redis = new RedisProcess(o.appendfsync(), ""); MosquittoProcess broker = new MosquittoProcess()) {
            String mqttUrl = startBroker(broker);
            String redisUrl = startRedis(redis);
            gateways.addAll(gateways(mqttUrl, redisUrl));
            // Ctrl-C on ./onshelf torture: stop the servers and OnShelf too, not leave them running
            Thread cleanup = new Thread(() -> {
                gateways.forEach(OnShelfNode::close);
                broker.close();
                redis.close();
            }, "torture-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                return torture(redis, broker, gateways, gtins, sources, pool, t0);
            } finally {
                gateways.forEach(OnShelfNode::close);
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it closes them
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One {@code run} node (the one the books are read through) when alone; with several, the first
     * {@code run} and the others {@code gateway}, each its own client id, all in one shared group.
     */
    private List<OnShelfNode> gateways(String mqttUrl, String redisUrl) {
        if (o.gateways() == 1) {
            return List.of(new OnShelfNode(jar, workDir, mqttUrl, redisUrl, ServiceProcess.restartablePort(),
                o.ackHorizonMillis()));
        }
        List<OnShelfNode> nodes = new ArrayList<>();
        for (int g = 1; g <= o.gateways(); g++) {
            nodes.add(new OnShelfNode(jar, workDir, "gateway-" + g, g == 1 ? "run" : "gateway", "torture-gateway-" + g,
                SHARED_GROUP, mqttUrl, redisUrl, ServiceProcess.restartablePort(), o.ackHorizonMillis()));
        }
        return nodes;
    }

    /** Registers, primes, streams the sales through the faults, drains and compares. */
    private TortureResult torture(RedisProcess redis, MosquittoProcess broker, List<OnShelfNode> gateways,
        List<Gtin> gtins, List<TortureSource> sources, ExecutorService pool, long t0) throws Exception {
        register(redis.url(), sources);
        for (OnShelfNode g : gateways) {
            g.start();
        }
        Books books = new Books(gateways.get(0).httpPort(), STORE, gtins);
        prime(broker.url(), gtins, books);

        AtomicLongArray sold = new AtomicLongArray(gtins.size());
        AtomicLong published = new AtomicLong();
        long streamStart = System.nanoTime();
        Future<List<Faults.Timing>> faults = pool.submit(new Faults(redis, broker, gateways, o, published,
            streamStart));
        List<Future<Long>> tills = new ArrayList<>();
        double perSecond = o.events() / o.streamSeconds() / o.publishers();
        for (int i = 0; i < sources.size(); i++) {
            tills.add(pool.submit(new TorturePublisher(broker.url(), sources.get(i), gtins, share(i), perSecond,
                o.burst(), i * gtins.size() / sources.size(), sold, published)));
        }
        long messages = 0;
        for (Future<Long> till : tills) {
            messages += till.get();
        }
        double streamSeconds = (System.nanoTime() - streamStart) / 1e9;
        List<Faults.Timing> timings = faults.get();
        long drainStart = System.nanoTime();
        long[] expected = new long[gtins.size()];
        for (int p = 0; p < expected.length; p++) {
            expected[p] = TortureOptions.PRIMED - sold.get(p);
        }
        long[] actual = new Drain(books, expected).await();
        if (!java.util.Arrays.equals(expected, actual)) {
            evidence(redis.url(), sources);
        }
        List<Long> received = gateways.stream().map(OnShelfNode::received).toList();
        return result(expected, actual, published.get(), messages, timings, streamSeconds,
            (System.nanoTime() - drainStart) / 1e9, (System.nanoTime() - t0) / 1e9, received);
    }

    /**
     * What a run that was not exact leaves for its diagnosis (OnShelf's logs stay in the work
     * directory): every till's ledger, and the dead letters by reason and till, into the work directory.
     */
    private void evidence(String redisUrl, List<TortureSource> sources) {
        Path file = workDir.resolve("evidence.txt");
        try (RedisConnector c = new RedisConnector(redisUrl, java.time.Duration.ofSeconds(10))) {
            var redis = c.connection().sync();
            StringBuilder out = new StringBuilder();
            for (TortureSource s : sources) {
                out.append("ledger ").append(s.device()).append(": ")
                    .append(redis.hget(dev.onshelf.aggregator.redis.Keys.sources(new dev.onshelf.core.model.StoreId(STORE)),
                        s.device())).append('\n');
            }
            java.util.Map<String, Integer> letters = new java.util.TreeMap<>();
            java.util.List<io.lettuce.core.StreamMessage<String, String>> all = new java.util.ArrayList<>(redis.xrange(
                dev.onshelf.aggregator.redis.Keys.deadLetters(new dev.onshelf.core.model.StoreId(STORE)),
                io.lettuce.core.Range.create("-", "+")));  // the store's, then those of no registered store
            all.addAll(redis.xrange(dev.onshelf.aggregator.redis.Keys.DEAD_LETTER, io.lettuce.core.Range.create("-", "+")));
            for (var m : all) {
                letters.merge(m.getBody().get("reason") + " " + m.getBody().get("topic"), 1, Integer::sum);
                out.append("dead letter ").append(m.getId()).append(' ').append(m.getBody().get("reason")).append(' ')
                    .append(m.getBody().get("payload")).append('\n');
            }
            java.nio.file.Files.writeString(file, out.toString());
            LOG.warn("not exact: ledgers and dead letters kept for the diagnosis [file: {}, dead letters: {}]", file,
                letters);
        } catch (Exception e) {
            LOG.warn("not exact, and the evidence could not be read [error: {}]", e.toString());
        }
    }

    private long share(int till) {
        return o.events() / o.publishers() + (till < o.events() % o.publishers() ? 1 : 0);
    }

    /**
     * Four kinds of till, in turn: ms clock (reboots), second clock, ms clock with session (reboots),
     * second clock with session.
     */
    private List<TortureSource> sources() {
        List<TortureSource> sources = new ArrayList<>();
        for (int i = 0; i < o.publishers(); i++) {
            boolean seconds = i % 2 == 1;
            boolean session = i % 4 >= 2;
            long rebootAt = i < 4 && !seconds ? share(i) / 2 : 0;
            sources.add(new TortureSource(STORE, "till-" + i, seconds, session, rebootAt, o.retryEvery()));
        }
        sources.forEach(s -> LOG.info("till [{}]", s.describe()));
        return sources;
    }

    private static String startRedis(RedisProcess redis) {
        redis.start();
        return redis.url();
    }

    private static String startBroker(MosquittoProcess broker) {
        LOG.info("broker [binary: {}, version: {}]", MosquittoProcess.binary(), MosquittoProcess.version());
        broker.start();
        return broker.url();
    }

    private static void register(String redisUrl, List<TortureSource> sources) throws Exception {
        try (RedisConnector c = new RedisConnector(redisUrl, Duration.ofSeconds(5))) {
            RegistryStore registry = new RegistryStore(c.connection().async());
            StoreId store = new StoreId(STORE);
            registry.putStore(store, "Torture", 51.5, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<String> devices = new ArrayList<>(List.of("primer"));
            sources.forEach(s -> devices.add(s.device()));
            for (String d : devices) {
                registry.putDevice(store, new DeviceId(d), DeviceKind.FEED).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One COUNT per product, then waits (with a deadline) until every book shows it. */
    private static void prime(String mqttUrl, List<Gtin> gtins, Books books) throws Exception {
        EventCodec codec = new EventCodec();
        long ts = System.currentTimeMillis() - 60_000;  // counted before any sale of the run
        try (Publisher primer = Publisher.connect(mqttUrl, "torture-primer-" + System.nanoTime())) {
            for (int p = 0; p < gtins.size(); p++) {
                primer.publishUntilAcked("onshelf/v1/stores/" + STORE + "/feed/primer",
                    codec.encodeFeed("prime-" + p, p + 1, ts + p, EventType.COUNT, gtins.get(p), TortureOptions.PRIMED),
                    Duration.ofSeconds(60));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!books.read().map(b -> java.util.Arrays.stream(b).allMatch(v -> v == TortureOptions.PRIMED))
            .orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the priming COUNTs were not all visible within 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(100);  // polling the API, with a deadline
        }
        LOG.info("primed [products: {}, units: {}]", gtins.size(), TortureOptions.PRIMED);
    }

    private TortureResult result(long[] expected, long[] actual, long events, long messages,
        List<Faults.Timing> timings, double stream, double drain, double total, List<Long> received) {
        long lost = 0;
        long doubled = 0;
        int wrong = 0;
        for (int p = 0; p < expected.length; p++) {
            long diff = actual[p] - expected[p];
            lost += Math.max(diff, 0);
            doubled += Math.max(-diff, 0);
            wrong += diff == 0 ? 0 : 1;
            if (diff != 0) {
                LOG.warn("book wrong [product: {}, expected: {}, actual: {}]", p, expected[p], actual[p]);
            }
        }
        return new TortureResult(events, messages, o.cycles(), lost, doubled, wrong, timings, stream, drain, total,
            received);
    }
}
