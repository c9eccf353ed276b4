package dev.onshelf.app;

import dev.onshelf.api.http.ApiHardening;
import dev.onshelf.api.http.TrustedProxies;
import dev.onshelf.api.staff.StaffTokenPolicy;
import dev.onshelf.api.webhook.WebhookLimits;
import dev.onshelf.core.availability.AvailabilityPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting, from {@code ONSHELF_*} environment variables with safe local defaults, validated at
 * start-up: a bad value stops the process with a message naming the variable.
 */
public record OnShelfConfig(
    String mqttUrl, String mqttClientId, String mqttUsername, String mqttPassword, int mqttReceiveMaximum,
    String mqttSharedGroup, String redisUrl, Duration redisTimeout, String httpHost, int httpPort,
    String adminToken, AvailabilityPolicy policy, Optional<String> registryFile, String staffJwtSecret,
    String staffJwtPublicKey, int rateLimitPerSecond, int requestTimeoutMillis, boolean webhooksToPrivateAddresses,
    List<String> corsOrigins, int mqttMaxInFlight, Tls tls, int maxPendingRequests, ApiHardening hardening,
    String catalogFile, boolean publicCounts, int ingestBatch, boolean mqttBuffered, int mqttAckHorizonMillis,
    int nearCacheEntries, int changeFeedMax, boolean mqttDeviceErrors, List<String> redisClusterNodes,
    int redisWaitReplicas, int redisWaitTimeoutMillis) {

    /**
     * TLS material, PEM files: the CA the gateway trusts for an {@code ssl://} broker (empty: the JVM's
     * trust store), and the HTTP server's certificate chain and private key (empty: plain HTTP).
     */
    public record Tls(String mqttCaFile, String httpCertFile, String httpKeyFile) {
        public static final Tls NONE = new Tls("", "", "");

        public boolean https() {
            return !httpCertFile.isEmpty();
        }
    }

    /** The same settings with an HS256 staff-token key (the demo makes one up). */
    public OnShelfConfig withStaffSecret(String secret) {
        return new OnShelfConfig(mqttUrl, mqttClientId, mqttUsername, mqttPassword, mqttReceiveMaximum,
            mqttSharedGroup, redisUrl, redisTimeout, httpHost, httpPort, adminToken, policy, registryFile,
            staffSecret(secret), staffJwtPublicKey, rateLimitPerSecond, requestTimeoutMillis,
            webhooksToPrivateAddresses, corsOrigins, mqttMaxInFlight, tls, maxPendingRequests, hardening,
            catalogFile, publicCounts, ingestBatch, mqttBuffered, mqttAckHorizonMillis, nearCacheEntries, changeFeedMax,
            mqttDeviceErrors, redisClusterNodes, redisWaitReplicas, redisWaitTimeoutMillis);
    }

    /** Thrown for a bad setting; the message names the variable. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    public static OnShelfConfig fromEnv(Map<String, String> env, boolean requireAdminToken) {
        Env e = new Env(env);
        String token = e.text("ONSHELF_ADMIN_TOKEN", "");
        if (requireAdminToken && token.length() < 16) {
            throw new ConfigException("ONSHELF_ADMIN_TOKEN must be set to a secret of at least 16 characters");
        }
        AvailabilityPolicy policy = new AvailabilityPolicy(
            Duration.ofSeconds(e.integer("ONSHELF_SHELF_FRESH_SECONDS", 900, 1, 86_400)),
            Duration.ofSeconds(e.integer("ONSHELF_BOOK_FRESH_SECONDS", 86_400, 1, 30 * 86_400)),
            e.integer("ONSHELF_LOW_STOCK_UNITS", 2, 0, 100_000),
            e.integer("ONSHELF_MISSED_HEARTBEATS", 3, 1, 100));
        return new OnShelfConfig(
            e.url("ONSHELF_MQTT_URL", "tcp://127.0.0.1:1883", "tcp", "ssl", "ws", "wss"),
            e.text("ONSHELF_MQTT_CLIENT_ID", "onshelf-gateway-1"),
            e.text("ONSHELF_MQTT_USERNAME", ""),
            e.text("ONSHELF_MQTT_PASSWORD", ""),
            // at most the exactly-once window: retries reorder at most what is in flight, and a reorder
            // deeper than the window would be taken for a replay
            e.integer("ONSHELF_MQTT_RECEIVE_MAXIMUM", 256, 1, 65_535),
            e.text("ONSHELF_MQTT_SHARED_GROUP", ""),
            e.url("ONSHELF_REDIS_URL", "redis://127.0.0.1:6379", "redis", "rediss"),
            Duration.ofMillis(e.integer("ONSHELF_REDIS_TIMEOUT_MS", 2000, 10, 60_000)),
            e.text("ONSHELF_HTTP_HOST", "0.0.0.0"),
            e.integer("ONSHELF_HTTP_PORT", 8080, 0, 65_535),
            token,
            policy,
            Optional.of(e.text("ONSHELF_REGISTRY_FILE", "")).filter(s -> !s.isEmpty()),
            staffSecret(e.text("ONSHELF_STAFF_JWT_SECRET", "")),
            publicKey(e.text("ONSHELF_STAFF_JWT_PUBLIC_KEY_FILE", "")),
            e.integer("ONSHELF_RATE_LIMIT_PER_SECOND", 100, 1, 1_000_000),
            e.integer("ONSHELF_REQUEST_TIMEOUT_MS", 5_000, 100, 120_000),
            e.bool("ONSHELF_WEBHOOK_ALLOW_PRIVATE", false),
            origins(e.text("ONSHELF_CORS_ORIGINS", "")),
            e.integer("ONSHELF_MQTT_MAX_IN_FLIGHT", 100_000, 64, 10_000_000),
            tls(e),
            e.integer("ONSHELF_MAX_PENDING_REQUESTS", 2_000, 1, 1_000_000),
            hardening(e), e.readableFile("ONSHELF_CATALOG_FILE"),
            // false: the public answers say "only a few left", never how many (staff answers keep the counts)
            e.bool("ONSHELF_PUBLIC_COUNTS", true),
            // events applied per Redis script call at most (those of one event-loop turn); 1: one call
            // per event. A batch holds Redis for its whole run, so API reads wait at most that long
            e.integer("ONSHELF_INGEST_BATCH", dev.onshelf.gateway.ingest.IngestPipeline.DEFAULT_BATCH, 1, 1_000),
            // plain TCP to the broker read through a buffer (Paho reads a packet's header byte by byte)
            e.bool("ONSHELF_MQTT_BUFFERED", true),
            // 0: acknowledge once Redis answered. With AOF everysec on Redis 7.0/7.1, 3000: Redis may
            // answer up to 2 s before it writes (see DurabilityHorizon); raise the receive maximum to match
            e.integer("ONSHELF_MQTT_ACK_HORIZON_MS", 0, 0, 60_000),
            // product values the API keeps between lookups, dropped when Redis says they changed
            // (client tracking, see NearCache); 0: every lookup reads Redis
            e.integer("ONSHELF_NEAR_CACHE_ENTRIES", 100_000, 0, 10_000_000),
            // entries a store's change feed keeps: how far back an SSE client can resume (Last-Event-ID);
            // one further behind gets a reset event and re-reads. Costs ~25 bytes per entry per store
            e.integer("ONSHELF_CHANGE_FEED_MAX", dev.onshelf.core.rules.ApplyParams.CHANGE_FEED_MAX, 100, 1_000_000),
            // tell a device why its message was refused, on onshelf/v1/stores/{s}/devices/{d}/errors (QoS 0;
            // it was off while the crash torture's losses under heavy load were open: their cause was elsewhere)
            e.bool("ONSHELF_MQTT_DEVICE_ERRORS", true),
            // host:port,... of a Redis Cluster (some of its nodes; the rest are discovered): OnShelf then runs
            // on the cluster, with ONSHELF_REDIS_URL's scheme and credentials; empty: the one Redis of the URL
            clusterNodes(e.text("ONSHELF_REDIS_CLUSTER_NODES", "")),
            // replicas that must have an applied event before it is acknowledged (Redis WAIT); 0: none
            e.integer("ONSHELF_REDIS_WAIT_REPLICAS", 0, 0, 16),
            e.integer("ONSHELF_REDIS_WAIT_TIMEOUT_MS", 1_000, 1, 60_000));
    }

    /** ONSHELF_REDIS_CLUSTER_NODES: host:port entries, comma-separated. */
    static List<String> clusterNodes(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> nodes = new java.util.ArrayList<>();
        for (String n : text.split(",")) {
            String node = n.trim();
            int colon = node.lastIndexOf(':');
            boolean ok = colon > 0 && node.substring(colon + 1).matches("[0-9]{1,5}")
                && Integer.parseInt(node.substring(colon + 1)) > 0 && Integer.parseInt(node.substring(colon + 1)) < 65_536;
            if (!ok) {
                throw new ConfigException("ONSHELF_REDIS_CLUSTER_NODES must be host:port entries separated by commas, got '"
                    + node + "'");
            }
            nodes.add(node);
        }
        return List.copyOf(nodes);
    }

    /** The API's limits against abuse (issue 15); defaults in {@link ApiHardening#DEFAULT}. */
    private static ApiHardening hardening(Env e) {
        ApiHardening d = ApiHardening.DEFAULT;
        String metricsToken = e.text("ONSHELF_METRICS_TOKEN", "");
        if (!metricsToken.isEmpty() && metricsToken.length() < 16) {
            throw new ConfigException("ONSHELF_METRICS_TOKEN must be a secret of at least 16 characters");
        }
        String epcisToken = e.text("ONSHELF_EPCIS_TOKEN", "");
        if (!epcisToken.isEmpty() && epcisToken.length() < 16) {
            throw new ConfigException("ONSHELF_EPCIS_TOKEN must be a secret of at least 16 characters");
        }
        WebhookLimits w = d.webhooks();
        return new ApiHardening(metricsToken,
            new StaffTokenPolicy(Duration.ofHours(e.integer("ONSHELF_STAFF_JWT_MAX_LIFETIME_HOURS",
                (int) d.staffTokens().maxLifetime().toHours(), 1, 24 * 31)),
                e.text("ONSHELF_STAFF_JWT_ISSUER", ""), e.text("ONSHELF_STAFF_JWT_AUDIENCE", "")),
            e.integer("ONSHELF_SSE_STREAMS_PER_CLIENT", d.streamsPerClient(), 1, 10_000),
            e.integer("ONSHELF_HTTP_CONNECTIONS_PER_ADDRESS", d.connectionsPerAddress(), 1, 1_000_000),
            e.integer("ONSHELF_HTTP_HEADER_TIMEOUT_MS", d.headerTimeoutMillis(), 100, 600_000),
            new WebhookLimits(
                e.integer("ONSHELF_WEBHOOK_SUBSCRIPTIONS_PER_CLIENT", w.perClient(), 1, 1_000_000),
                e.integer("ONSHELF_WEBHOOK_SUBSCRIPTIONS_PER_HOST", w.perHost(), 1, 1_000_000),
                Duration.ofHours(e.integer("ONSHELF_WEBHOOK_TTL_HOURS", (int) w.ttl().toHours(), 1, 24 * 366)),
                e.integer("ONSHELF_WEBHOOK_MAX_FAILURES", w.maxFailures(), 1, 1_000),
                e.integer("ONSHELF_WEBHOOK_DELIVERIES_PER_HOST_PER_MINUTE", w.deliveriesPerHostPerMinute(), 1,
                    1_000_000)),
            trustedProxies(e.text("ONSHELF_TRUSTED_PROXIES", "")),
            // false: the rate limit is per client per process; true: also per client across every API
            // process, counted in Redis (one round trip per limited request)
            e.bool("ONSHELF_RATE_LIMIT_SHARED", d.sharedRateLimit()),
            // the EPCIS capture partners' bearer token; empty: POST /v1/epcis/capture answers 501
            epcisToken);
    }

    private static TrustedProxies trustedProxies(String csv) {
        try {
            return TrustedProxies.parse(csv);
        } catch (IllegalArgumentException ex) {
            throw new ConfigException("ONSHELF_TRUSTED_PROXIES must be a comma-separated list of IP addresses or "
                + "CIDR ranges such as 10.0.0.0/8: " + ex.getMessage());
        }
    }

    private static Tls tls(Env e) {
        String ca = e.readableFile("ONSHELF_MQTT_TLS_CA_FILE");
        String mqttUrl = e.text("ONSHELF_MQTT_URL", "");
        if (!ca.isEmpty() && !(mqttUrl.startsWith("ssl://") || mqttUrl.startsWith("wss://"))) {
            throw new ConfigException("ONSHELF_MQTT_TLS_CA_FILE is set but ONSHELF_MQTT_URL is not ssl:// or wss://");
        }
        String cert = e.readableFile("ONSHELF_HTTP_TLS_CERT_FILE");
        String key = e.readableFile("ONSHELF_HTTP_TLS_KEY_FILE");
        if (cert.isEmpty() != key.isEmpty()) {
            throw new ConfigException("ONSHELF_HTTP_TLS_CERT_FILE and ONSHELF_HTTP_TLS_KEY_FILE must be set together");
        }
        return new Tls(ca, cert, key);
    }

    /** The URL with any user:password part masked, for logs and messages. */
    public static String withoutCredentials(String url) {
        return url.replaceFirst("^([a-z]+://)[^@/]*@", "$1***@");
    }

    private static List<String> origins(String csv) {
        List<String> out = new java.util.ArrayList<>();
        for (String o : csv.split(",")) {
            String origin = o.trim();
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw new ConfigException("ONSHELF_CORS_ORIGINS must be a comma-separated list of origins such as "
                    + "https://shop.example.com, got '" + origin + "'");
            }
            out.add(origin);
        }
        return List.copyOf(out);
    }

    private static String staffSecret(String secret) {
        if (!secret.isEmpty() && secret.length() < 32) {
            throw new ConfigException("ONSHELF_STAFF_JWT_SECRET must be at least 32 characters (HS256 key)");
        }
        return secret;
    }

    private static String publicKey(String file) {
        if (file.isEmpty()) {
            return "";
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(file));
        } catch (java.io.IOException e) {
            throw new ConfigException("ONSHELF_STAFF_JWT_PUBLIC_KEY_FILE is not readable: " + file);
        }
    }

    public OnShelfConfig withServices(String mqtt, String redis, int port, String token) {
        return new OnShelfConfig(mqtt, mqttClientId, mqttUsername, mqttPassword, mqttReceiveMaximum,
            mqttSharedGroup, redis, redisTimeout, httpHost, port, token, policy, registryFile, staffJwtSecret,
            staffJwtPublicKey, rateLimitPerSecond, requestTimeoutMillis, webhooksToPrivateAddresses, corsOrigins,
            mqttMaxInFlight, tls, maxPendingRequests, hardening, catalogFile, publicCounts, ingestBatch, mqttBuffered, mqttAckHorizonMillis, nearCacheEntries, changeFeedMax,
            mqttDeviceErrors, redisClusterNodes, redisWaitReplicas, redisWaitTimeoutMillis);
    }

    private record Env(Map<String, String> env) {
        String text(String name, String fallback) {
            String v = env.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        int integer(String name, int fallback, int min, int max) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.trim());
                if (n < min || n > max) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException ex) {
                throw new ConfigException(name + " must be an integer from " + min + " to " + max + ", got '" + v + "'");
            }
        }

        /** A path that must name a readable file when set; "" when unset. */
        String readableFile(String name) {
            String v = text(name, "");
            if (!v.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(v))) {
                throw new ConfigException(name + " is not a readable file: " + v);
            }
            return v;
        }

        boolean bool(String name, boolean fallback) {
            String v = text(name, Boolean.toString(fallback));
            if (!v.equals("true") && !v.equals("false")) {
                throw new ConfigException(name + " must be true or false, got '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }

        String url(String name, String fallback, String... schemes) {
            String v = text(name, fallback);
            try {
                URI uri = new URI(v);
                for (String s : schemes) {
                    if (s.equals(uri.getScheme()) && uri.getHost() != null) {
                        return v;
                    }
                }
            } catch (java.net.URISyntaxException ex) {
                // reported below
            }
            throw new ConfigException(name + " must be a URL with scheme " + String.join("|", schemes)
                + " and a host, got '" + v + "'");
        }
    }
}
