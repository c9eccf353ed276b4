package dev.onshelf.app;

import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.simulators.bench.BenchHarness;
import dev.onshelf.simulators.bench.BenchOptions;
import dev.onshelf.simulators.bench.Lever;
import dev.onshelf.simulators.fleet.FleetSimulator;
import dev.onshelf.simulators.fleet.SimStore;
import dev.onshelf.simulators.torture.TortureOptions;
import dev.onshelf.simulators.torture.TortureResult;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The CLI behind {@code ./onshelf}: the only place that prints to the console. */
@Command(name = "onshelf", mixinStandardHelpOptions = true, version = "onshelf 0.1.0",
    description = "Real-time shelf availability: MQTT in, Redis state, HTTP out.",
    subcommands = {Main.Demo.class, Main.Run.class, Main.Gateway.class, Main.Aggregator.class, Main.Api.class,
        Main.Simulate.class, Main.Bench.class, Main.Torture.class, Main.WaitCost.class, Main.Acl.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        // our logging config, not the one the embedded broker's jar also ships as logback.xml
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "onshelf-logback.xml");
        }
        int code = new CommandLine(new Main())
            .setExecutionExceptionHandler((e, cmd, parsed) -> {
                if (e instanceof OnShelfConfig.ConfigException) {
                    cmd.getErr().println("configuration error: " + e.getMessage());
                    return 2;
                }
                throw e;
            })
            .execute(args);
        // a one-shot command ends the JVM when it is done: a client library's non-daemon thread (Paho's
        // sender of a connection dropped by a broker restart mid-torture) must not keep it waiting
        if (code != 0 || (args.length > 0 && java.util.Set.of("torture", "bench").contains(args[0]))) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    static void awaitShutdown(AutoCloseable... resources) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
            stopped.countDown();
        }, "onshelf-shutdown"));
        stopped.await();
    }

    static int runRoles(Set<Node.Role> roles) throws Exception {
        OnShelfConfig config = OnShelfConfig.fromEnv(System.getenv(), roles.contains(Node.Role.API));
        Node node = Node.start(config, roles);
        System.out.println("OnShelf " + roles + " running; API on http://localhost:" + node.httpPort()
            + "  (Ctrl-C stops)");
        awaitShutdown(node);
        return 0;
    }

    @Command(name = "demo", description = "Everything in one process on embedded services, with simulated stores.")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--products", defaultValue = "327", description = "Products per store (default ${DEFAULT-VALUE}: "
            + "the whole demo catalogue).")
        int products;

        @Option(names = "--tick-ms", defaultValue = "500", description = "Simulator tick (default ${DEFAULT-VALUE} ms).")
        long tickMillis;

        @Override
        public Integer call() throws Exception {
            System.out.println("Starting embedded MQTT broker and Redis...");
            EmbeddedServices services = EmbeddedServices.start();
            int port = System.getenv("ONSHELF_HTTP_PORT") != null
                ? OnShelfConfig.fromEnv(System.getenv(), false).httpPort() : DemoPorts.preferred(8080);
            OnShelfConfig config = demoConfig(System.getenv(), services.mqttUrl(), services.redisUrl(), port);
            String token = config.adminToken();
            String staffToken = config.staffJwtSecret().isEmpty() ? "(RS256: bring your own)"
                : demoStaffToken(config.staffJwtSecret(), List.of("0421", "0422", "0507"));
            Node node;
            try {
                node = Node.start(config, Node.all());
            } catch (Exception e) {
                services.close();
                throw e;
            }
            FleetSimulator simulator = new FleetSimulator(DemoStores.settings(products, tickMillis),
                System::currentTimeMillis);
            List<SimStore> stores = simulator.stores();
            DemoStores.register(stores, node.registry());
            CatalogLoader.store(CatalogLoader.demo(), node.catalog());
            simulator.start(services.mqttUrl());
            String api = "http://localhost:" + node.httpPort();
            System.out.printf("""

                OnShelf demo is running.
                  API:      %1$s   (OpenAPI: %1$s/openapi.yaml, metrics: %1$s/metrics)
                  MQTT:     %2$s   (embedded broker; stores 0421, 0422, 0507 publishing)
                  Redis:    %3$s   (embedded)
                  Admin:    Authorization: Bearer %4$s
                  Staff:    Authorization: Bearer %6$s
                            (an HS256 JWT for stores 0421, 0422, 0507, valid 8 h)

                  Pages:    %1$s/          (shoppers: search "oat milk")
                            %1$s/staff/    (handhelds: sign in with the staff token)
                            %1$s/docs      (the API reference)

                Try:
                  curl -s '%1$s/v1/products?q=oat+mil'
                  curl -s %1$s/v1/stores
                  curl -s %1$s/v1/stores/0421/products/4006381333931
                  curl -s %1$s/v1/stores/0422/products/%5$s
                  curl -s -H 'Authorization: Bearer %6$s' %1$s/v1/staff/stores/0421/gaps

                Ctrl-C stops everything.
                """, api, services.mqttUrl(), services.redisUrl(), token, stores.get(1).products.get(1).gtin,
                staffToken);
            awaitShutdown(simulator, node, services);
            return 0;
        }
    }

    /**
     * The demo's settings: the API listens on loopback only unless {@code ONSHELF_HTTP_HOST} says
     * otherwise, and the admin token and staff key, unless given, are fresh random secrets (SecureRandom).
     */
    static OnShelfConfig demoConfig(java.util.Map<String, String> env, String mqttUrl, String redisUrl, int port) {
        java.util.Map<String, String> local = new java.util.HashMap<>(env);
        if (local.getOrDefault("ONSHELF_HTTP_HOST", "").isBlank()) {
            local.put("ONSHELF_HTTP_HOST", "127.0.0.1");
        }
        OnShelfConfig base = OnShelfConfig.fromEnv(local, false);
        String token = base.adminToken().isEmpty() ? "demo-admin-" + randomSecret() : base.adminToken();
        OnShelfConfig config = base.withServices(mqttUrl, redisUrl, port, token);
        if (config.staffJwtSecret().isEmpty() && config.staffJwtPublicKey().isEmpty()) {
            config = config.withStaffSecret("demo-staff-key-" + randomSecret());
        }
        return config;
    }

    /** 256 random bits, URL-safe text. */
    static String randomSecret() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** A staff token for the demo's stores, so a handheld can be tried at once. */
    static String demoStaffToken(String secret, List<String> stores) throws com.nimbusds.jose.JOSEException {
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
            new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
            new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("demo-staff").claim("stores", stores)
                .issueTime(new java.util.Date())
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 8 * 3_600_000L)).build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Command(name = "run", description = "Gateway and API against real services (ONSHELF_MQTT_URL, ONSHELF_REDIS_URL).")
    static final class Run implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return runRoles(Node.all());
        }
    }

    @Command(name = "gateway", description = "MQTT ingest only: validates and applies events in Redis, then acks.")
    static final class Gateway implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return runRoles(EnumSet.of(Node.Role.INGEST));
        }
    }

    @Command(name = "aggregator", description = "The apply path (today the same process role as gateway: each event "
        + "is applied by the aggregator's Redis script before it is acknowledged).")
    static final class Aggregator implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return runRoles(EnumSet.of(Node.Role.INGEST));
        }
    }

    @Command(name = "api", description = "The HTTP API only.")
    static final class Api implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return runRoles(EnumSet.of(Node.Role.API));
        }
    }

    @Command(name = "simulate", description = "Registers the demo stores and catalogue in ONSHELF_REDIS_URL and "
        + "publishes to ONSHELF_MQTT_URL.")
    static final class Simulate implements Callable<Integer> {
        @Option(names = "--products", defaultValue = "20")
        int products;

        @Option(names = "--tick-ms", defaultValue = "500")
        long tickMillis;

        @Override
        public Integer call() throws Exception {
            OnShelfConfig config = OnShelfConfig.fromEnv(System.getenv(), false);
            FleetSimulator simulator = new FleetSimulator(DemoStores.settings(products, tickMillis),
                System::currentTimeMillis);
            try (RedisConnector redis = new RedisConnector(config.redisUrl(), config.redisTimeout())) {
                DemoStores.register(simulator.stores(), new RegistryStore(redis.connection().async()));
                CatalogLoader.store(CatalogLoader.demo(), new dev.onshelf.aggregator.redis.CatalogStore(
                    redis.connection().async()));
            }
            simulator.start(config.mqttUrl());
            System.out.println("Simulating stores 0421, 0422, 0507 on " + config.mqttUrl() + " (Ctrl-C stops)");
            awaitShutdown(simulator);
            return 0;
        }
    }

    @Command(name = "mosquitto-acl", description = "Prints a Mosquitto ACL for every registered device "
        + "(ONSHELF_REDIS_URL); device users are <store>.<device>; see deploy/mosquitto/.")
    static final class Acl implements Callable<Integer> {
        @Option(names = "--gateway-user", split = ",", defaultValue = MosquittoAcl.GATEWAY_USER,
            description = "The gateways' broker users, comma-separated: one per gateway process (default ${DEFAULT-VALUE}).")
        List<String> gatewayUsers;

        @Option(names = "--legacy-usernames", description = "Also a user named by the bare device id (before "
            + "2026-11-29) for each device id only one store has, while devices move to <store>.<device>.")
        boolean legacyUsernames;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the ACL to FILE (replaced at once) "
            + "instead of printing it.")
        java.nio.file.Path out;

        @Option(names = "--prune-passwd", paramLabel = "FILE", description = "Also remove from the Mosquitto "
            + "password file FILE every user the registry no longer has (deleted devices and stores); "
            + "prints the users removed.")
        java.nio.file.Path passwd;

        @Override
        public Integer call() throws Exception {
            OnShelfConfig config = OnShelfConfig.fromEnv(System.getenv(), false);
            try (RedisConnector redis = new RedisConnector(config.redisUrl(), config.redisTimeout())) {
                RegistryStore registry = new RegistryStore(redis.connection().async());
                String acl = MosquittoAcl.render(registry, gatewayUsers, legacyUsernames);
                if (out == null) {
                    System.out.print(acl);
                } else {
                    BrokerFiles.replace(out, acl);
                }
                if (passwd != null) {
                    for (String user : BrokerFiles.prune(passwd, MosquittoAcl.users(registry, gatewayUsers,
                            legacyUsernames))) {
                        System.err.println("removed from " + passwd + ": " + user);
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "bench", description = "Benchmarks against real Mosquitto and redis-server; writes "
        + "bench-results/<timestamp>.json and the table in BENCHMARKS.md.")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--quick", description = "About 5 minutes instead of about 17.")
        boolean quick;

        @Option(names = "--onshelf-env", paramLabel = "KEY=VALUE", description = "An environment variable for "
            + "OnShelf's process, e.g. a lever under test (repeatable); recorded with the figures.")
        java.util.Map<String, String> onshelfEnv = new java.util.TreeMap<>();

        @Option(names = "--label", description = "Names this run (one side of a lever's before/after); a labelled "
            + "run also adds a row to the levers table of BENCHMARKS.md.")
        String label = "";

        @Option(names = "--no-profile", negatable = false, description = "No JFR recording of OnShelf (by default one "
            + "runs through the ingest and API phases and its hottest frames go to bench-results/<timestamp>-profile.txt).")
        boolean noProfile;

        @Override
        public Integer call() throws Exception {
            java.nio.file.Path jar = java.nio.file.Path.of(Main.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
            java.nio.file.Path repo = jar.getParent().getParent().getParent();
            BenchOptions options;
            try {
                options = (quick ? BenchOptions.quickRun() : BenchOptions.fullRun()).withProfile(!noProfile)
                    .withLever(new Lever(label, onshelfEnv));
            } catch (IllegalArgumentException e) {
                System.err.println("bench: " + e.getMessage());
                return 2;
            }
            new BenchHarness(jar, repo, options, System.out).run(System.getenv());
            return 0;
        }
    }

    @Command(name = "torture", mixinStandardHelpOptions = true, description = "Crash torture test: real redis-server (AOF everysec), Mosquitto and "
        + "OnShelf as its own JVM; paced QoS 1 sales while Redis and OnShelf are killed -9 and the broker "
        + "restarted; prints sales lost and doubled, exits 1 unless both are 0.")
    static final class Torture implements Callable<Integer> {
        @Option(names = "--cycles", defaultValue = "3",
            description = "Fault cycles; each kills OnShelf (a gateway), kills Redis and restarts the broker "
                + "(default ${DEFAULT-VALUE}).")
        int cycles;

        @Option(names = "--events", defaultValue = "20000", description = "Sales in all (default ${DEFAULT-VALUE}).")
        long events;

        @Option(names = "--burst", defaultValue = "200",
            description = "Sales a till publishes at once before it awaits their acks (default ${DEFAULT-VALUE}).")
        int burst;

        @Option(names = "--retry-every", defaultValue = "20", description = "Every Nth sale of a till is published "
            + "twice, re-stamped +5 ms as a retrying till does; 0: none (default ${DEFAULT-VALUE}).")
        int retryEvery;

        @Option(names = "--appendfsync", defaultValue = "everysec", description = "Redis's AOF fsync policy: everysec "
            + "(can lose acknowledged writes to a SIGKILL while the disk is slow) or always (default ${DEFAULT-VALUE}).")
        String appendfsync;

        @Option(names = "--ack-horizon-ms", defaultValue = "3000", description = "OnShelf's "
            + "ONSHELF_MQTT_ACK_HORIZON_MS: acknowledgements wait this long after Redis answered, as OnShelf should "
            + "run on Redis 7.0 with AOF everysec; 0 shows what everysec alone can lose (default ${DEFAULT-VALUE}).")
        int ackHorizonMillis;

        @Option(names = "--gateways", defaultValue = "1", description = "Gateway processes sharing the ingest "
            + "through an MQTT 5 shared subscription, each its own client id; the first also serves the API; each "
            + "cycle kills one of them -9, in turn, and restarts it with its client id (1-8, default ${DEFAULT-VALUE}).")
        int gateways;

        @Option(names = "--cycle-seconds", defaultValue = "15", description = "Seconds a cycle of the paced stream "
            + "lasts; longer leaves a slow gateway restart room before the cycle's next fault (default ${DEFAULT-VALUE}).")
        double cycleSeconds;

        @Option(names = "--no-broker-restart", description = "Cycles without the broker restart. For --gateways 2+ "
            + "on Mosquitto 2.0.x, which does not persist shared subscriptions: after its restart it drops what "
            + "devices publish until a gateway subscribes again (RELIABILITY.md).")
        boolean noBrokerRestart;

        @Override
        public Integer call() throws Exception {
            java.nio.file.Path jar = java.nio.file.Path.of(Main.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
            TortureOptions options;
            try {
                options = TortureOptions.of(cycles, events).withBurst(burst).withRetryEvery(retryEvery)
                    .withAppendfsync(appendfsync).withAckHorizonMillis(ackHorizonMillis).withGateways(gateways)
                    .withCycleSeconds(cycleSeconds);
                options = noBrokerRestart ? options.withoutBrokerRestart() : options;
            } catch (IllegalArgumentException e) {
                System.err.println("torture: " + e.getMessage());
                return 2;
            }
            java.nio.file.Path work = java.nio.file.Files.createTempDirectory("onshelf-torture-");
            System.out.printf("torture: %d cycles of %.0f s, %,d sales, %d gateway%s; Redis appendfsync %s, OnShelf ack "
                + "horizon %d ms%s; OnShelf logs in %s%n", cycles, cycleSeconds, events, gateways,
                gateways == 1 ? "" : "s (shared subscription)", appendfsync, ackHorizonMillis,
                noBrokerRestart ? "; no broker restarts" : "", work);
            TortureResult result = new dev.onshelf.simulators.torture.Torture(jar, work, options).run();
            result.print(System.out);
            return result.exact() ? 0 : 1;
        }
    }

    @Command(name = "wait-cost", mixinStandardHelpOptions = true, description = "What ONSHELF_REDIS_WAIT_REPLICAS=1 "
        + "costs: starts a local Redis Cluster (3 masters, 3 replicas, redis-server on free ports) and applies the "
        + "same sales with WAIT and without, alternately in the same run; prints events/s and batch latency.")
    static final class WaitCost implements Callable<Integer> {
        @Option(names = "--events", defaultValue = "20000", description = "Sales per measurement (default ${DEFAULT-VALUE}).")
        int events;

        @Option(names = "--batch", defaultValue = "16", description = "Events per apply call (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--in-flight", defaultValue = "8", description = "Calls in flight (default ${DEFAULT-VALUE}).")
        int inFlight;

        @Option(names = "--rounds", defaultValue = "3", description = "Rounds of (no WAIT, WAIT 1) (default ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws Exception {
            System.out.printf("wait-cost: %,d sales per measurement, batches of %d, %d in flight, %d rounds%n", events,
                batch, inFlight, rounds);
            System.out.println("| round | mode | events/s | batch p50, ms | batch p99, ms | failed |");
            System.out.println("|---|---|---|---|---|---|");
            int round = 0;
            var all = dev.onshelf.simulators.bench.ReplicaWaitBench.run(events, batch, inFlight, rounds);
            for (var f : all) {
                System.out.printf("| %d | %s | %,.0f | %.2f | %.2f | %d |%n", round++ / 2 + 1, f.mode(), f.eventsPerSecond(),
                    f.p50Ms(), f.p99Ms(), f.failed());
            }
            for (String mode : java.util.List.of("no WAIT", "WAIT 1")) {
                var f = dev.onshelf.simulators.bench.ReplicaWaitBench.median(all, mode);
                System.out.printf("| all | %s | %,.0f | %.2f | %.2f | %d |%n", f.mode(), f.eventsPerSecond(), f.p50Ms(),
                    f.p99Ms(), f.failed());
            }
            all.stream().filter(f -> f.failed() > 0).forEach(f -> System.out.printf("failed (%s): %s%n", f.mode(),
                f.firstFailure()));
            return 0;
        }
    }
}
