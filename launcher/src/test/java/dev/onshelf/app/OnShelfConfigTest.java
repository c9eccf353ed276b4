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
    }

    @Test
    void theApiNeedsARealAdminToken() {
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of(), true)).hasMessageContaining("ONSHELF_ADMIN_TOKEN");
        assertThatThrownBy(() -> OnShelfConfig.fromEnv(Map.of("ONSHELF_ADMIN_TOKEN", "short"), true))
            .hasMessageContaining("ONSHELF_ADMIN_TOKEN");
    }
}
