package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnShelfConfigTest {

    @Test
    void safeLocalDefaults() {
        OnShelfConfig c = OnShelfConfig.fromEnv(Map.of(), false);
        assertThat(c.mqttUrl()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(c.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.policy().shelfFreshFor()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.registryFile()).isEmpty();
        assertThat(c.publicCounts()).isTrue();
        assertThat(c.mqttDeviceErrors()).as("devices are told why a message was refused").isTrue();
        assertThat(OnShelfConfig.fromEnv(Map.of("ONSHELF_MQTT_DEVICE_ERRORS", "false"), false).mqttDeviceErrors()).isFalse();
    }

    @Test
    void readsEverySetting() {
        OnShelfConfig c = OnShelfConfig.fromEnv(Map.of("ONSHELF_MQTT_URL", "ssl://broker:8883",
            "ONSHELF_REDIS_URL", "rediss://cache:6380", "ONSHELF_HTTP_PORT", "9090",
            "ONSHELF_ADMIN_TOKEN", "0123456789abcdef", "ONSHELF_SHELF_FRESH_SECONDS", "60",
            "ONSHELF_LOW_STOCK_UNITS", "5", "ONSHELF_MQTT_SHARED_GROUP", "ingest"), true);
        assertThat(c.mqttUrl()).isEqualTo("ssl://broker:8883");
        assertThat(c.redisUrl()).isEqualTo("rediss://cache:6380");
        assertThat(c.httpPort()).isEqualTo(9090);
        assertThat(c.policy().shelfFreshFor()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.policy().lowStockUnits()).isEqualTo(5);
        assertThat(c.mqttSharedGroup()).isEqualTo("ingest");
        assertThat(OnShelfConfig.fromEnv(Map.of("ONSHELF_PUBLIC_COUNTS", "false"), false).publicCounts()).isFalse();
    }

    @Test
    void aBadValueNamesItsVariable() {
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_HTTP_PORT", "eighty"), false))
            .isInstanceOf(OnShelfConfig.ConfigException.class).hasMessageContaining("ONSHELF_HTTP_PORT");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_HTTP_PORT", "70000"), false))
            .hasMessageContaining("ONSHELF_HTTP_PORT");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_REDIS_URL", "localhost:6379"), false))
            .hasMessageContaining("ONSHELF_REDIS_URL");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_MQTT_URL", "http://x"), false))
            .hasMessageContaining("ONSHELF_MQTT_URL");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_PUBLIC_COUNTS", "no"), false))
            .hasMessageContaining("ONSHELF_PUBLIC_COUNTS");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local"), false))
            .hasMessageContaining("ONSHELF_TRUSTED_PROXIES").hasMessageContaining("proxy.local");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_TRUSTED_PROXIES", "10.0.0.0/33"), false))
            .hasMessageContaining("ONSHELF_TRUSTED_PROXIES").hasMessageContaining("prefix");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_RATE_LIMIT_SHARED", "yes please"), false))
            .hasMessageContaining("ONSHELF_RATE_LIMIT_SHARED");
    }

    @Test
    void aRedisClusterAndItsReplicaWait() {
        OnShelfConfig single = OnShelfConfig.fromEnv(Map.of(), false);
        assertThat(single.redisClusterNodes()).isEmpty();
        assertThat(single.redisWaitReplicas()).isZero();
        OnShelfConfig c = OnShelfConfig.fromEnv(Map.of("ONSHELF_REDIS_CLUSTER_NODES", "10.0.0.1:7000, redis-b:7001",
            "ONSHELF_REDIS_WAIT_REPLICAS", "1", "ONSHELF_REDIS_WAIT_TIMEOUT_MS", "250"), false);
        assertThat(c.redisClusterNodes()).containsExactly("10.0.0.1:7000", "redis-b:7001");
        assertThat(c.redisWaitReplicas()).isEqualTo(1);
        assertThat(c.redisWaitTimeoutMillis()).isEqualTo(250);
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_REDIS_CLUSTER_NODES", "10.0.0.1"), false))
            .hasMessageContaining("ONSHELF_REDIS_CLUSTER_NODES");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_REDIS_CLUSTER_NODES", "a:1,b:99999"), false))
            .hasMessageContaining("ONSHELF_REDIS_CLUSTER_NODES");
    }

    @Test
    void aClusterIsAnotherStoreOnceAMasterChanges() {
        // the ack horizon's "run id" of a cluster: its masters, which a failover changes
        String before = "a1 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460\n"
            + "b2 127.0.0.1:7001@17001 master - 0 0 2 connected 5461-10922\n"
            + "c3 127.0.0.1:7002@17002 slave a1 0 0 1 connected\n";
        String failed = before.replace("myself,master", "myself,master,fail?");
        String after = "a1 127.0.0.1:7000@17000 master,fail - 0 0 1 disconnected\n"
            + "b2 127.0.0.1:7001@17001 master - 0 0 2 connected 5461-10922\n"
            + "c3 127.0.0.1:7002@17002 myself,master - 0 0 3 connected 0-5460\n";
        assertThat(Node.masters(before)).isEqualTo(Node.masters(before.replace("myself,master", "master")));
        assertThat(Node.masters(failed)).isNotEqualTo(Node.masters(before));
        assertThat(Node.masters(after)).isNotEqualTo(Node.masters(before)).contains("c3");
    }

    @Test
    void theApiNeedsARealAdminToken() {
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of(), true)).hasMessageContaining("ONSHELF_ADMIN_TOKEN");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_ADMIN_TOKEN", "short"), true))
            .hasMessageContaining("ONSHELF_ADMIN_TOKEN");
    }

    @Test
    void theEpcisTokenIsOptionalButNeverShort() {
        assertThat(OnShelfConfig.fromEnv(Map.of(), false).hardening().epcisToken()).isEmpty();
        assertThat(OnShelfConfig.fromEnv(Map.of("ONSHELF_EPCIS_TOKEN", "partner-0123456789"), false).hardening()
            .epcisToken()).isEqualTo("partner-0123456789");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_EPCIS_TOKEN", "short"), false))
            .hasMessageContaining("ONSHELF_EPCIS_TOKEN");
    }

    @Test
    void theHardeningLimitsAreReadAndValidated() {
        OnShelfConfig c = OnShelfConfig.fromEnv(Map.of("ONSHELF_METRICS_TOKEN", "metrics-0123456789",
            "ONSHELF_STAFF_JWT_MAX_LIFETIME_HOURS", "8", "ONSHELF_STAFF_JWT_ISSUER", "https://idp",
            "ONSHELF_SSE_STREAMS_PER_CLIENT", "3", "ONSHELF_HTTP_CONNECTIONS_PER_ADDRESS", "10",
            "ONSHELF_HTTP_HEADER_TIMEOUT_MS", "2000", "ONSHELF_WEBHOOK_SUBSCRIPTIONS_PER_CLIENT", "4",
            "ONSHELF_WEBHOOK_TTL_HOURS", "48", "ONSHELF_WEBHOOK_MAX_FAILURES", "2"), false);
        assertThat(c.hardening().metricsToken()).isEqualTo("metrics-0123456789");
        assertThat(c.hardening().staffTokens().maxLifetime()).isEqualTo(Duration.ofHours(8));
        assertThat(c.hardening().staffTokens().issuer()).isEqualTo("https://idp");
        assertThat(c.hardening().streamsPerClient()).isEqualTo(3);
        assertThat(c.hardening().connectionsPerAddress()).isEqualTo(10);
        assertThat(c.hardening().headerTimeoutMillis()).isEqualTo(2000);
        assertThat(c.hardening().webhooks().perClient()).isEqualTo(4);
        assertThat(c.hardening().webhooks().ttl()).isEqualTo(Duration.ofHours(48));
        assertThat(c.hardening().webhooks().maxFailures()).isEqualTo(2);
        assertThat(OnShelfConfig.fromEnv(Map.of(), false).hardening().metricsToken()).isEmpty();
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_METRICS_TOKEN", "short"), false))
            .hasMessageContaining("ONSHELF_METRICS_TOKEN");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_STAFF_JWT_MAX_LIFETIME_HOURS", "0"), false))
            .hasMessageContaining("ONSHELF_STAFF_JWT_MAX_LIFETIME_HOURS");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_HTTP_HEADER_TIMEOUT_MS", "soon"), false))
            .hasMessageContaining("ONSHELF_HTTP_HEADER_TIMEOUT_MS");
    }
}
