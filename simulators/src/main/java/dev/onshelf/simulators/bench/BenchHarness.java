package dev.onshelf.simulators.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.DeviceKind;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.simulators.fleet.FaultMix;
import dev.onshelf.simulators.load.LoadResult;
import dev.onshelf.simulators.load.ShopperLoad;
import dev.onshelf.testkit.MosquittoProcess;
import dev.onshelf.testkit.RedisProcess;
import dev.onshelf.testkit.ServiceProcess;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code ./onshelf bench}: real Mosquitto and real redis-server (started here on free ports, or
 * ONSHELF_MQTT_URL / ONSHELF_REDIS_URL), OnShelf and the baseline API as their own JVMs, and every
 * figure next to a baseline measured in the same run on the same machine: the main figures, the
 * scaling rows, what each process's CPU and Redis's commands cost per event, and a JFR profile of
 * OnShelf during the ingest and API phases.
 */
public final class BenchHarness {
    private static final String RECORDING = "bench";
    private final Path jar;
    private final Path repo;
    private final BenchOptions o;
    private final PrintStream out;

    public BenchHarness(Path jar, Path repo, BenchOptions options, PrintStream out) {
        this.jar = jar;
        this.repo = repo;
        this.o = options;
        this.out = out;
    }

    public Path run(Map<String, String> env) throws Exception {
        BenchReport report = new BenchReport(o.quick(), o.lever());
        Path logs = Files.createDirectories(repo.resolve("bench-results"));
        List<AutoCloseable> open = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        try {
            String redisUrl = env.get("ONSHELF_REDIS_URL");
            String mqttUrl = env.get("ONSHELF_MQTT_URL");
            long brokerPid = -1;
            if (redisUrl == null) {
                RedisProcess redis = new RedisProcess(true);
                open.add(0, redis);
                redis.start();
                redisUrl = redis.url();
            }
            if (mqttUrl == null) {
                MosquittoProcess mosquitto = new MosquittoProcess();
                open.add(0, mosquitto);
                mosquitto.start();
                mqttUrl = mosquitto.url();
                brokerPid = mosquitto.pid();
            }
            out.printf("bench (%s%s): MQTT %s%s, Redis %s (AOF everysec when started here)%n",
                o.quick() ? "quick" : "full", o.lever().isSet() ? ", \"" + o.lever().label() + "\", OnShelf env "
                    + o.lever().envText() : "", mqttUrl, brokerPid > 0 ? " (Mosquitto " + MosquittoProcess.version()
                    + ", " + MosquittoProcess.binary() + ")" : "", redisUrl);
            RedisConnector redis = new RedisConnector(redisUrl, Duration.ofSeconds(10));
            open.add(0, redis);
            RegistryStore registry = new RegistryStore(redis.connection().async());
            // Redis CPU from its own INFO; the others from /proc (the broker only when started here)
            CostMeter meter = new CostMeter(redis.connection().sync(), ProcCpu.local())
                .watch("harness", ProcessHandle.current().pid()).watch("broker", brokerPid);
            Workload workload = new Workload(o.stores(), o.productsPerStore(), o.matsPerStore(),
                System.currentTimeMillis() - 3_600_000);
            register(registry, workload);

            // 1. the broker's raw QoS 1 throughput to a plain subscriber, with each publisher count
            Map<Integer, BulkPublisher> publisherSets = new TreeMap<>();
            for (int n : publisherCounts()) {
                BulkPublisher set = new BulkPublisher(mqttUrl, n);
                open.add(0, set);
                publisherSets.put(n, set);
                // nobody subscribed yet: warms the publishers
                set.publishAll(workload.batch(n == o.publishers() ? o.warmupEvents() : o.warmupEvents() / 4));
            }
            BulkPublisher publishers = publisherSets.get(o.publishers());
            int mqttPort = URI.create(mqttUrl).getPort();
            // ONSHELF_BENCH_ONLY=api: a development run of the API phase alone (OnShelf against the bare
            // route, each at the configured connections, once), no report
            boolean apiOnly = "api".equals(env.get("ONSHELF_BENCH_ONLY"));
            List<Workload.Message> measured = workload.batch(o.ingestEvents());
            ScalingBench scaling = new ScalingBench(o, meter);
            ObjectNode brokerCost = report.section("cost").putObject("brokerBaseline");
            double brokerEps = apiOnly ? 0 : scaling.measured(() -> IngestBench.brokerBaseline(publishers, mqttPort, measured),
                r -> measured.size(), brokerCost);
            Map<Integer, ScalingBench.Point> brokerAt = apiOnly ? Map.of() : scaling.ingestPoints(publisherSets,
                new ScalingBench.Point(brokerEps, null, brokerCost),
                (set, n) -> IngestBench.brokerBaseline(set, mqttPort, workload.batch(n)));
            brokerAt.forEach((n, p) -> out.printf("  broker baseline: %,.0f events/s with %d publishers%n", p.rate(), n));
            double pahoEps = 0;
            if (!apiOnly) try (PahoSink sink = new PahoSink(mqttUrl, 1000)) {
                pahoEps = sink.measure(publishers, workload.batch(o.ingestEvents()));
            }
            out.printf("  Paho sink:       %,.0f events/s (plain Paho subscriber, manual acks, no work)%n", pahoEps);

            // 2. OnShelf end to end, with the same publishers and payloads
            int httpPort = ServiceProcess.freePort();
            Path onshelfLog = logs.resolve("onshelf.log");
            Map<String, String> onshelfEnv = new HashMap<>(Map.of("ONSHELF_LOG_LEVEL", "WARN",
                "ONSHELF_MQTT_RECEIVE_MAXIMUM", env.getOrDefault("ONSHELF_MQTT_RECEIVE_MAXIMUM", "64"),
                // one load generator, one address: not a client to limit
                "ONSHELF_RATE_LIMIT_PER_SECOND", "1000000", "ONSHELF_HTTP_CONNECTIONS_PER_ADDRESS", "1000000"));
            onshelfEnv.putAll(o.lever().env());
            onshelfEnv.putAll(Map.of("ONSHELF_MQTT_URL", mqttUrl, "ONSHELF_REDIS_URL", redisUrl,
                "ONSHELF_HTTP_PORT", Integer.toString(httpPort), "ONSHELF_HTTP_HOST", "127.0.0.1",
                "ONSHELF_ADMIN_TOKEN", onshelfEnv.getOrDefault("ONSHELF_ADMIN_TOKEN", "bench-admin-token-0123456789"),
                "ONSHELF_MQTT_CLIENT_ID", "bench-gateway-" + System.nanoTime()));
            // JFR's default settings (the JDK's always-on profile) with execution samples every 10 ms, not 20
            List<String> jvm = o.profile() ? List.of("-XX:StartFlightRecording=name=" + RECORDING
                + ",settings=default,method-profiling=high") : List.of();
            JavaProcess onshelf = JavaProcess.start(jar, jvm, List.of("-jar", "run"), onshelfEnv, onshelfLog);
            open.add(0, onshelf);
            onshelf.awaitHttp("http://127.0.0.1:" + httpPort + "/health/ready", Duration.ofSeconds(60), onshelfLog);
            meter.watch("onshelf", onshelf.pid());
            Scrape scrape = new Scrape(httpPort);
            IngestBench.onShelf(publishers, scrape, workload.everyProduct());
            if (apiOnly) {
                apiOnly(vertx, workload, httpPort, redisUrl, logs, onshelf, report);
                return null;
            }
            long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.quick() ? 12 : 20);
            while (System.nanoTime() < warmUntil) {  // the JIT needs 15-20 s under load to settle
                IngestBench.onShelf(publishers, scrape, workload.batch(o.warmupEvents() / 4));
            }
            // fresh events of the same shape and number (the baseline's are older than what OnShelf has now seen)
            Instant ingestFrom = Instant.now();
            ObjectNode ingestCost = report.section("cost").putObject("ingest");
            double ingestEps = scaling.measured(() -> IngestBench.onShelf(publishers, scrape,
                workload.batch(measured.size())), r -> measured.size(), ingestCost);
            out.printf("  OnShelf ingest:  %,.0f events/s (%.2fx broker)%n", ingestEps, ingestEps / brokerEps);
            GatewaysBench gateways = new GatewaysBench(jar, onshelfEnv, mqttUrl, logs);
            if ("ingest".equals(env.get("ONSHELF_BENCH_ONLY"))) {
                gateways(gateways, onshelf, onshelfEnv, publishers, workload, brokerEps, report);
                return null;  // a development run of one phase: no report
            }
            out.println("  ingest CPU:      " + perEvent(ingestCost));
            report.section("ingest").put("eventsPerSecond", Math.round(ingestEps))
                .put("baselineEventsPerSecond", Math.round(brokerEps)).put("events", o.ingestEvents())
                .put("ratio", BenchReport.round(ingestEps / brokerEps)).put("pahoSinkEventsPerSecond", Math.round(pahoEps));
            Map<Integer, ScalingBench.Point> onshelfAt = scaling.ingestPoints(publisherSets,
                new ScalingBench.Point(ingestEps, null, ingestCost),
                (set, n) -> IngestBench.onShelf(set, scrape, workload.batch(n)));
            Instant ingestTo = Instant.now();
            onshelfAt.forEach((n, p) -> {
                if (n != o.publishers()) {
                    out.printf("  OnShelf ingest:  %,.0f events/s with %d publishers (%.2fx broker); %s%n", p.rate(), n,
                        p.rate() / brokerAt.get(n).rate(), perEvent(p.cost()));
                }
            });
            scaling.ingestRows(report.section("scaling").putArray("ingest"), onshelfAt, brokerAt);

            // 3. freshness at half the sustained maximum
            RedisStalls stalls = new RedisStalls(redis.connection().sync());
            stalls.start();
            Histogram fresh = FreshnessBench.run(mqttUrl, httpPort, publishers, workload, ingestEps / 2,
                o.freshnessSamples(), o.freshnessMillis());
            report.section("freshness").put("p50Ms", fresh.getValueAtPercentile(50) / 1000.0)
                .put("p99Ms", fresh.getValueAtPercentile(99) / 1000.0)
                .put("p999Ms", fresh.getValueAtPercentile(99.9) / 1000.0)
                .put("samples", fresh.getTotalCount()).put("backgroundEventsPerSecond", Math.round(ingestEps / 2));
            out.printf("  freshness:       p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms (%d samples at %,.0f events/s)%n",
                fresh.getValueAtPercentile(50) / 1000.0, fresh.getValueAtPercentile(99) / 1000.0,
                fresh.getValueAtPercentile(99.9) / 1000.0, fresh.getTotalCount(), ingestEps / 2);
            String redisStalls = stalls.since();
            report.section("freshness").put("redisStalls", redisStalls);
            out.println("  freshness, Redis: " + redisStalls);
            Histogram fixed = FreshnessBench.run(mqttUrl, httpPort, publishers, workload, FreshnessBench.FIXED_BACKGROUND,
                o.freshnessSamples(), o.freshnessMillis());
            report.section("freshnessFixed").put("p50Ms", fixed.getValueAtPercentile(50) / 1000.0)
                .put("p99Ms", fixed.getValueAtPercentile(99) / 1000.0)
                .put("p999Ms", fixed.getValueAtPercentile(99.9) / 1000.0)
                .put("samples", fixed.getTotalCount()).put("backgroundEventsPerSecond", FreshnessBench.FIXED_BACKGROUND);
            out.printf("  freshness:       p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms (%d samples at a fixed %,d events/s)%n",
                fixed.getValueAtPercentile(50) / 1000.0, fixed.getValueAtPercentile(99) / 1000.0,
                fixed.getValueAtPercentile(99.9) / 1000.0, fixed.getTotalCount(), FreshnessBench.FIXED_BACKGROUND);

            // 4. the API against a bare Vert.x + Lettuce route, both their own JVMs, at each connection count
            Instant apiFrom = Instant.now();
            ShopperLoad shoppers = ApiBench.load(vertx, httpPort, workload, false);
            ApiBench.warm(shoppers, o.apiConcurrency(), o.apiWarmupMillis());
            ObjectNode apiCost = report.section("cost").putObject("api");
            LoadResult api = scaling.measured(() -> ApiBench.measure(shoppers, o.apiConcurrency(), o.apiMillis()),
                ScalingBench::requests, apiCost);
            out.println("  API CPU:         " + perEvent(apiCost).replace("event", "request"));
            Map<Integer, ScalingBench.Point> apiAt = scaling.apiPoints(shoppers, ScalingBench.Point.of(api, apiCost));
            Instant apiTo = Instant.now();
            Path recording = logs.resolve(report.stamp() + ".jfr");
            if (o.profile()) {
                onshelf.stopFlightRecording(RECORDING, recording);
            }
            int basePort = ServiceProcess.freePort();
            Path baseLog = logs.resolve("baseline.log");
            Map<Integer, ScalingBench.Point> baseAt;
            LoadResult base;
            try (JavaProcess baseline = baseline(basePort, redisUrl, baseLog, workload)) {
                meter.watch("baseline", baseline.pid());
                ShopperLoad bare = ApiBench.load(vertx, basePort, workload, true);
                ApiBench.warm(bare, o.apiConcurrency(), o.apiWarmupMillis());
                ObjectNode bareCost = report.section("cost").putObject("apiBaseline");
                base = scaling.measured(() -> ApiBench.measure(bare, o.apiConcurrency(), o.apiMillis()),
                    ScalingBench::requests, bareCost);
                baseAt = scaling.apiPoints(bare, ScalingBench.Point.of(base, bareCost));
            } finally {
                meter.unwatch("baseline");
            }
            report.section("api").put("requestsPerSecond", Math.round(api.requestsPerSecond()))
                .put("baselineRequestsPerSecond", Math.round(base.requestsPerSecond()))
                .put("ratio", BenchReport.round(api.requestsPerSecond() / base.requestsPerSecond()))
                .put("p50Ms", api.percentileMillis(50)).put("p99Ms", api.percentileMillis(99))
                .put("baselineP50Ms", base.percentileMillis(50)).put("baselineP99Ms", base.percentileMillis(99))
                .put("concurrency", o.apiConcurrency()).put("errors", api.counts().errors());
            scaling.apiRows(report.section("scaling").putArray("api"), apiAt, baseAt);
            apiAt.forEach((n, p) -> {
                LoadResult r = p.load();
                LoadResult b = baseAt.get(n).load();
                out.printf("  API:             %,.0f req/s p99 %.2f ms; bare route %,.0f req/s p99 %.2f ms (%.2fx) at "
                        + "%d connections%n", r.requestsPerSecond(), r.percentileMillis(99), b.requestsPerSecond(),
                    b.percentileMillis(99), r.requestsPerSecond() / b.requestsPerSecond(), n);
            });

            // 5. accuracy against the ground truth: a healthy fleet, then the default fault mix
            LoadResult healthy = AccuracyBench.run(vertx, mqttUrl, httpPort, registry, "acch-", FaultMix.NONE,
                o.accuracyHealthyMillis());
            BenchReport.accuracy(report.section("accuracyHealthy"), healthy);
            LoadResult faults = AccuracyBench.run(vertx, mqttUrl, httpPort, registry, "accf-", FaultMix.DEFAULT,
                o.accuracyFaultsMillis());
            BenchReport.accuracy(report.section("accuracy"), faults);
            out.printf("  accuracy:        healthy %.2f%% correct, %.3f%% false yes; faults %.2f%% correct, "
                    + "%.3f%% false yes, %.2f%% unknown%n", healthy.counts().correctPct(),
                healthy.counts().falseYesPct(), faults.counts().correctPct(), faults.counts().falseYesPct(),
                faults.counts().unknownPct());

            // 6. memory per pair, in a Redis of its own
            double bytes = MemoryBench.bytesPerPair(o.memoryPairs());
            report.section("memory").put("bytesPerPair", Math.round(bytes * 10) / 10.0).put("pairs", o.memoryPairs());
            out.printf("  memory:          %.1f bytes per (store, product), %,d pairs%n", bytes, o.memoryPairs());

            // 7. ingest through one and through two gateway processes sharing the subscription (the run node
            // stopped: its recording is already written)
            try {
                gateways(gateways, onshelf, onshelfEnv, publishers, workload, brokerEps, report);
            } catch (Exception e) {  // the other figures stand: say what failed, in the report too
                out.println("  gateways:        not measured: " + e);
                report.section("gateways").put("error", e.toString());
            }

            // 8. the profile's summary, now that nothing is measured any more
            if (o.profile()) {
                Path summary = Profile.summarise(recording, List.of(
                    new JfrSummary.Window("ingest (" + onshelfAt.size() + " publisher counts)", ingestFrom, ingestTo),
                    new JfrSummary.Window("API (OnShelf at " + apiAt.keySet() + " connections, warm-ups included)",
                        apiFrom, apiTo)), report, repo);
                out.println("  profile:         " + summary);
            }
            Path file = report.write(repo);
            out.println("results: " + file + " (BENCHMARKS.md table updated)");
            return file;
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing
                }
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void apiOnly(Vertx vertx, Workload workload, int httpPort, String redisUrl, Path logs, JavaProcess onshelf,
                         BenchReport report) throws Exception {
        int basePort = ServiceProcess.freePort();
        Path baseLog = logs.resolve("baseline.log");
        try (JavaProcess baseline = baseline(basePort, redisUrl, baseLog, workload)) {
            ShopperLoad shoppers = ApiBench.load(vertx, httpPort, workload, false);
            ShopperLoad bare = ApiBench.load(vertx, basePort, workload, true);
            ApiBench.warm(shoppers, o.apiConcurrency(), o.apiWarmupMillis());
            ApiBench.warm(bare, o.apiConcurrency(), o.apiWarmupMillis());
            for (int round = 0; round < 2; round++) {  // interleaved: both see the same machine
                LoadResult r = ApiBench.measure(shoppers, o.apiConcurrency(), o.apiMillis());
                LoadResult b = ApiBench.measure(bare, o.apiConcurrency(), o.apiMillis());
                out.printf("  API:             %,.0f req/s p99 %.2f ms; bare route %,.0f req/s p99 %.2f ms (%.2fx) at "
                        + "%d connections%n", r.requestsPerSecond(), r.percentileMillis(99), b.requestsPerSecond(),
                    b.percentileMillis(99), r.requestsPerSecond() / b.requestsPerSecond(), o.apiConcurrency());
            }
            if (o.profile()) {
                Path recording = logs.resolve(report.stamp() + "-api.jfr");
                onshelf.stopFlightRecording(RECORDING, recording);
                out.println("  profile:         " + Profile.summarise(recording, List.of(new JfrSummary.Window(
                    "API only", Instant.EPOCH, Instant.now())), report, repo));
            }
        }
    }

    /**
     * Stops the run node (and ends its session, so the broker stops queueing for it), then measures
     * ingest through 1 and 2 gateway processes in a shared group; report section {@code gateways}.
     */
    private void gateways(GatewaysBench gateways, JavaProcess onshelf, Map<String, String> onshelfEnv,
        BulkPublisher publishers, Workload workload, double brokerEps, BenchReport report) throws Exception {
        onshelf.close();
        gateways.endSession(onshelfEnv.get("ONSHELF_MQTT_CLIENT_ID"));
        ObjectNode section = report.section("gateways").put("events", o.scalingIngestEvents())
            .put("publishers", o.publishers()).put("baselineEventsPerSecond", Math.round(brokerEps));
        com.fasterxml.jackson.databind.node.ArrayNode rows = section.putArray("rows");
        double one = 0;
        for (int n = 1; n <= 2; n++) {
            double eps = gateways.measure(n, publishers, workload, o.scalingIngestEvents(), o.quick() ? 8_000 : 15_000);
            one = n == 1 ? eps : one;
            rows.addObject().put("gateways", n).put("eventsPerSecond", Math.round(eps))
                .put("ratio", BenchReport.round(eps / brokerEps));
            out.printf("  OnShelf ingest:  %,.0f events/s through %d gateway process%s in a shared group (%.2fx broker"
                + "%s)%n", eps, n, n == 1 ? "" : "es", eps / brokerEps,
                n == 1 ? "" : String.format(", %.2fx one gateway", eps / one));
        }
    }

    /** The bare route (BaselineApi) in a JVM of its own on {@code port}, answering once it is up. */
    private JavaProcess baseline(int port, String redisUrl, Path log, Workload workload) throws Exception {
        JavaProcess baseline = JavaProcess.start(jar, List.of("-cp", BaselineApi.class.getName(),
            Integer.toString(port), redisUrl), Map.of(), log);
        try {
            baseline.awaitHttp("http://127.0.0.1:" + port + "/b/" + Workload.store(0) + "/"
                + workload.gtins().get(0).value(), Duration.ofSeconds(60), log);
            return baseline;
        } catch (Exception e) {
            baseline.close();  // never up: not left running
            throw e;
        }
    }

    private List<Integer> publisherCounts() {
        List<Integer> counts = new ArrayList<>(BenchOptions.SCALING_PUBLISHERS);
        if (!counts.contains(o.publishers())) {
            counts.add(o.publishers());
        }
        return counts;
    }

    private static String perEvent(ObjectNode cost) {
        StringBuilder t = new StringBuilder();
        cost.get("cpuMicrosPerEvent").fields().forEachRemaining(e -> t.append(t.length() == 0 ? "" : ", ")
            .append(e.getKey()).append(' ').append(e.getValue().asText()).append(" µs (")
            .append(cost.get("coresBusy").path(e.getKey()).asText()).append(" cores)"));
        return t.append(" CPU per event").toString();
    }

    private static void register(RegistryStore registry, Workload w) throws Exception {
        for (int s = 0; s < w.stores(); s++) {
            StoreId store = new StoreId(Workload.store(s));
            registry.putStore(store, "Bench " + s, 51.0 + s * 0.01, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (int m = 0; m < w.mats(); m++) {
                registry.putDevice(store, new DeviceId(Workload.mat(s, m)), DeviceKind.SHELF).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            }
            registry.putDevice(store, new DeviceId(Workload.till(s)), DeviceKind.FEED).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        }
        StoreId probe = new StoreId(FreshnessBench.STORE);
        registry.putStore(probe, "Probe", 51.0, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
        registry.putDevice(probe, new DeviceId(FreshnessBench.DEVICE), DeviceKind.SHELF).toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    }
}
