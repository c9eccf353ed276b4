package dev.onshelf.app;

import dev.onshelf.aggregator.redis.ApiKeyStore;
import dev.onshelf.aggregator.redis.CatalogStore;
import dev.onshelf.aggregator.redis.RateWindows;
import dev.onshelf.aggregator.redis.CoalescingFlusher;
import dev.onshelf.aggregator.redis.HoldStore;
import dev.onshelf.aggregator.redis.NearCache;
import dev.onshelf.aggregator.redis.RedisAvailabilityStore;
import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryMigration;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.aggregator.redis.ReplicaWait;
import dev.onshelf.aggregator.redis.StoreSnapshots;
import dev.onshelf.api.http.ApiContract;
import dev.onshelf.api.http.ApiKeys;
import dev.onshelf.api.http.ApiRouter;
import dev.onshelf.api.http.ApiSettings;
import dev.onshelf.api.http.ApiVerticle;
import dev.onshelf.api.http.MetricsAccess;
import dev.onshelf.api.http.ProductNames;
import dev.onshelf.api.http.Readiness;
import dev.onshelf.api.staff.StaffAuth;
import dev.onshelf.api.staff.StaffHandler;
import dev.onshelf.core.epcis.EpcisCapture;
import dev.onshelf.api.webhook.Webhooks;
import dev.onshelf.core.availability.AvailabilityRules;
import dev.onshelf.core.codec.EventCodec;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.core.rules.ApplyParams;
import dev.onshelf.gateway.ingest.IngestMetrics;
import dev.onshelf.gateway.ingest.IngestPipeline;
import dev.onshelf.gateway.mqtt.MqttIngest;
import dev.onshelf.gateway.mqtt.MqttSettings;
import io.lettuce.core.api.StatefulConnection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.openapi.contract.OpenAPIContract;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds one process's components from its config and roles, and tears them
 * down in reverse. Nothing else in the code base wires components together.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    public enum Role { INGEST, API }

    private final Vertx vertx;
    private final RedisConnector redis;
    /** How often expired holds are deleted (they count for nothing from their expiry on anyway). */
    static final long HOLD_SWEEP_MILLIS = 10_000;
    private final MqttIngest ingest;
    private final RegistryStore registry;
    private final int httpPort;
    private final CatalogStore catalog;
    private final OperationsMeters jvmMeters;

    private Node(Vertx vertx, RedisConnector redis, MqttIngest ingest, RegistryStore registry, int httpPort,
                 CatalogStore catalog, OperationsMeters jvmMeters) {
        this.catalog = catalog;
        this.jvmMeters = jvmMeters;
        this.vertx = vertx;
        this.redis = redis;
        this.ingest = ingest;
        this.registry = registry;
        this.httpPort = httpPort;
    }

    /** At start-up (not on an event loop): whether Redis's persistence can lose what the gateway acknowledges. */
    private static void warnIfAcknowledgedEventsCanBeLost(RedisConnector redis, int ackHorizonMillis) {
        String appendonly = null;
        String appendfsync = null;
        try {
            Map<String, String> c = redis.async().configGet("appendonly", "appendfsync")
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
            appendonly = c.get("appendonly");
            appendfsync = c.get("appendfsync");
        } catch (Exception e) {
            LOG.debug("Redis would not tell its persistence settings [error: {}]", e.toString());
        }
        DurabilityAdvice.of(appendonly, appendfsync, ackHorizonMillis).ifPresent(w -> LOG.warn(w));
    }

    public static Node start(OnShelfConfig config, Set<Role> roles) throws Exception {
        LongSupplier clock = System::currentTimeMillis;
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.config().meterFilter(MetricsAccess.tagHygiene()).meterFilter(MetricsAccess.perRequestGauges());
        OperationsMeters.histograms(metrics);
        OperationsMeters jvmMeters = new OperationsMeters(metrics);
        // the route label (the OpenAPI path template, or none) lets latency leave out the change streams,
        // whose "response time" is how long a shopper kept the page open
        Vertx vertx = Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(MetricsAccess.options().addLabels(Label.HTTP_ROUTE)))
            .withMetrics(new MicrometerMetricsFactory(metrics))
            .build();
        RedisConnector redis = null;
        MqttIngest ingest = null;
        try {
            redis = new RedisConnector(config.redisUrl(), config.redisClusterNodes(), config.redisTimeout());
            ApplyParams params = new ApplyParams(ApplyParams.DEFAULT.recentIds(), ApplyParams.DEFAULT.deltaHorizonMs(),
                ApplyParams.DEFAULT.maxDeltas(), config.policy().lowStockUnits(),
                config.policy().shelfFreshFor().toMillis(), config.changeFeedMax());
            // one snapshot per store (registration, device health, device table) for every reader in the
            // process, dropped when any process applies a status (pub/sub) or this one does (directly)
            StoreSnapshots snapshots = new StoreSnapshots(redis.async(), clock);
            snapshots.followChanges(redis.connectPubSub()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            // product values kept between lookups until Redis says they changed, shared like the snapshots
            // (off on a Redis Cluster: client tracking is per node there, and one connection hears one node's
            // invalidations; a stale answer is worse than a slower one)
            NearCache near = config.nearCacheEntries() > 0 && !redis.isCluster()
                ? new NearCache(redis.connectAnother(), config.nearCacheEntries()) : null;
            if (config.nearCacheEntries() > 0 && redis.isCluster()) {
                LOG.info("near cache off on a Redis Cluster: every product lookup reads Redis");
            }
            if (near != null) {
                io.micrometer.core.instrument.FunctionCounter.builder("onshelf.api.nearcache.hits", near, NearCache::hits)
                    .description("product lookups answered from the near cache").register(metrics);
                io.micrometer.core.instrument.FunctionCounter.builder("onshelf.api.nearcache.misses", near,
                    NearCache::misses).description("product lookups that read Redis").register(metrics);
                io.micrometer.core.instrument.FunctionCounter.builder("onshelf.api.nearcache.invalidations", near,
                    NearCache::invalidations).description("keys Redis said changed (client tracking)").register(metrics);
            }
            RedisAvailabilityStore store = new RedisAvailabilityStore(redis.async(), clock, params,
                CoalescingFlusher.none(), snapshots, near);
            store.preload().toCompletableFuture().get(10, TimeUnit.SECONDS);
            RegistryStore registry = new RegistryStore(redis.async());
            if (config.registryFile().isPresent()) {
                RegistryFile.load(java.nio.file.Path.of(config.registryFile().get()), registry);
            }
            // products stored by older versions (in 1,024 buckets, under 14-digit fields): into today's layout
            for (String id : registry.stores().toCompletableFuture().get(30, TimeUnit.SECONDS)) {
                long moved = store.migrateLayout(new StoreId(id)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                if (moved > 0) {
                    LOG.info("moved products into the new layout [store: {}, products: {}]", id, moved);
                }
            }
            // the registry of versions before 2026-11-29 (a global device index, the handheld's and EPCIS's
            // sources named like devices, one global dead-letter stream): into today's layout
            RegistryMigration registryMigration = new RegistryMigration(redis.async());
            for (String id : registry.stores().toCompletableFuture().get(30, TimeUnit.SECONDS)) {
                StoreId storeId = new StoreId(id);
                long renamed = registryMigration.migrateStore(storeId, StaffHandler.handheld(storeId),
                    EpcisCapture.source(storeId)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                if (renamed > 0) {
                    LOG.info("moved the handheld's and EPCIS's sources to their own ids [store: {}, entries: {}]",
                        id, renamed);
                }
            }
            long letters = registryMigration.migrateGlobal().toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (letters > 0) {
                LOG.info("moved dead letters into their stores' streams [letters: {}]", letters);
            }
            CatalogStore catalog = new CatalogStore(redis.async());
            if (!config.catalogFile().isEmpty()) {
                CatalogLoader.load(java.nio.file.Path.of(config.catalogFile()), catalog);
            }
            ProductNames names = new ProductNames(catalog, clock);
            // the API keys the operator issued, known in-process (a lookup never asks Redis): reloaded when
            // any process issues or revokes one, when the subscription (re)starts, and every 30 s
            ApiKeys apiKeys = new ApiKeys(new ApiKeyStore(redis.async()));
            apiKeys.reload().toCompletableFuture().get(10, TimeUnit.SECONDS);
            ApiKeyStore.followChanges(redis.connectPubSub(), () -> apiKeys.reload().exceptionally(e -> {
                LOG.warn("API keys not reloaded [error: {}]", e.toString());
                return null;
            })).toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.setPeriodic(30_000, t -> apiKeys.reload());
            RateWindows rateWindows = new RateWindows(redis.async());
            RedisConnector connected = redis;
            Readiness readiness = new Readiness().with("redis", connected::isConnected);
            OperationsMeters.dependency(metrics, "redis", connected::isConnected);
            // one pipeline for every write: MQTT messages (ingest role) and HTTP writes (staff counts)
            Context context = vertx.getOrCreateContext();
            Executor onLoop = task -> context.runOnContext(v -> task.run());
            StatefulConnection<String, String> ingestConnection = redis.connectUnflushed();
            RedisAvailabilityStore ingestStore = new RedisAvailabilityStore(RedisConnector.commands(ingestConnection),
                clock, params, new CoalescingFlusher(ingestConnection, onLoop)::issued, snapshots, near,
                new ReplicaWait(config.redisWaitReplicas(), config.redisWaitTimeoutMillis()));
            Webhooks webhooks = new Webhooks(vertx, registry, config.webhooksToPrivateAddresses(),
                config.hardening().webhooks(), metrics);
            if (roles.contains(Role.INGEST)) {
                warnIfAcknowledgedEventsCanBeLost(redis, config.mqttAckHorizonMillis());
                ingest = new MqttIngest(new MqttSettings(config.mqttUrl(), config.mqttClientId(),
                    config.mqttUsername(), config.mqttPassword(), config.mqttReceiveMaximum(),
                    Duration.ofDays(7).toSeconds(), config.mqttSharedGroup(), config.mqttMaxInFlight(),
                    config.tls().mqttCaFile(), config.mqttBuffered(), config.mqttAckHorizonMillis()), onLoop,
                    () -> connected.isCluster()
                        ? connected.async().clusterNodes().thenApply(Node::masters)
                        : connected.async().info("server").thenApply(Node::runId));
            }
            // without the ingest role the API has no broker connection: its writes' alerts reach
            // webhooks and the store's alert stream, not the MQTT alerts topic
            IngestPipeline pipeline = new IngestPipeline(new EventCodec(), ingestStore,
                ingest != null ? Webhooks.both(ingest, webhooks) : webhooks,
                ingest != null && config.mqttDeviceErrors() ? ingest : dev.onshelf.core.ingest.RefusalSink.NONE,
                new IngestMetrics(metrics), clock, onLoop,
                config.ingestBatch());
            if (config.mqttAckHorizonMillis() > 0) {
                // acknowledgements wait for the horizon, and a Redis restarted meanwhile may have lost what
                // it answered: the fence applies that again, in order, before anything newer (twice the
                // horizon covers every event not yet acknowledged; RELIABILITY.md)
                pipeline.fenceStore(2 * config.mqttAckHorizonMillis());
            }
            if (ingest != null) {
                ingest.start(pipeline::handle).toCompletableFuture().get(30, TimeUnit.SECONDS);
                MqttIngest mqtt = ingest;
                readiness.with("mqtt", mqtt::isConnected);
                OperationsMeters.dependency(metrics, "mqtt", mqtt::isConnected);
                OperationsMeters.receiveMaximum(metrics, config.mqttReceiveMaximum());
            }
            AvailabilityRules rules = new AvailabilityRules(config.policy());
            StaffAuth staffAuth;
            try {
                staffAuth = StaffAuth.of(config.staffJwtSecret(), config.staffJwtPublicKey(),
                    config.hardening().staffTokens());
            } catch (IllegalArgumentException e) {
                throw new OnShelfConfig.ConfigException("ONSHELF_STAFF_JWT_*: " + e.getMessage());
            }
            ApiSettings settings = new ApiSettings(config.httpHost(), config.httpPort(), config.adminToken(), staffAuth,
                config.rateLimitPerSecond(), config.requestTimeoutMillis(), config.maxPendingRequests(),
                config.webhooksToPrivateAddresses(),
                config.corsOrigins(), config.tls().httpCertFile(), config.tls().httpKeyFile(), config.hardening(),
                config.publicCounts());
            boolean publicRoutes = roles.contains(Role.API);
            // click-and-collect holds: counted with their expiry at read time; the sweep only deletes the
            // expired ones (any API process may; the script is idempotent)
            HoldStore holdStore = new HoldStore(redis.async(), store, rules);
            if (publicRoutes) {
                vertx.setPeriodic(HOLD_SWEEP_MILLIS, t -> holdStore.sweep(clock.getAsLong()).whenComplete((n, e) -> {
                    if (e != null) {
                        LOG.warn("hold sweep failed, retried on the next [error: {}]", e.toString());
                    } else if (n > 0) {
                        LOG.debug("hold sweep [deleted: {}]", n);
                    }
                }));
            }
            OpenAPIContract contract = ApiContract.load(vertx).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
            int instances = publicRoutes ? Math.max(1, Runtime.getRuntime().availableProcessors()) : 1;
            vertx.deployVerticle(() -> new ApiVerticle(settings, v -> ApiRouter.create(v, settings, store, pipeline, registry,
                        rules, readiness, metrics, clock, publicRoutes, contract, names, apiKeys, rateWindows, holdStore)),
                    new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.info("OnShelf started [roles: {}, http: {}, mqtt: {}, redis: {}]", roles, config.httpPort(),
                roles.contains(Role.INGEST) ? config.mqttUrl() : "-", OnShelfConfig.withoutCredentials(config.redisUrl()));
            return new Node(vertx, redis, ingest, registry, config.httpPort(), catalog, jvmMeters);
        } catch (Exception | Error e) {
            if (ingest != null) {
                ingest.close();
            }
            if (redis != null) {
                redis.close();
            }
            vertx.close();
            jvmMeters.close();
            throw e;
        }
    }

    public static Set<Role> all() {
        return EnumSet.allOf(Role.class);
    }

    public int httpPort() {
        return httpPort;
    }

    public RegistryStore registry() {
        return registry;
    }

    public CatalogStore catalog() {
        return catalog;
    }

    @Override
    public void close() {
        if (ingest != null) {
            ingest.close();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close cleanly [error: {}]", e.toString());
        }
        redis.close();
        jvmMeters.close();
    }

    /**
     * A Redis Cluster's "run id" for the ack horizon: the ids of its masters as CLUSTER NODES lists them
     * (flags included), which change when a master fails or a replica takes over.
     */
    static String masters(String clusterNodes) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String line : clusterNodes.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length > 2 && f[2].contains("master")) {
                out.add(f[0] + "/" + f[2].replace("myself,", ""));
            }
        }
        java.util.Collections.sort(out);
        return String.join(";", out);
    }

    /** Redis's run_id (INFO server): a new one after every restart. */
    static String runId(String info) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length());
            }
        }
        throw new IllegalStateException("no run_id in INFO server");
    }
}
