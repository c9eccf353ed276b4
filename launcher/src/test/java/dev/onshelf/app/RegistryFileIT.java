package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onshelf.aggregator.redis.RedisConnector;
import dev.onshelf.aggregator.redis.RegistryStore;
import dev.onshelf.core.model.StoreId;
import dev.onshelf.testkit.RealServices;
import dev.onshelf.testkit.RedisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealServices.class)
class RegistryFileIT {

    @Test
    void storesAndDevicesAreLoadedFromAFile(RedisProcess redis, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("registry.json");
        Files.writeString(file, """
            {"stores": [{"id": "RF1", "name": "High St", "lat": 51.5, "lon": -0.12,
                         "devices": [{"id": "rf1-mat", "kind": "shelf"}, {"id": "rf1-till", "kind": "feed"}]}]}
            """);
        try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
            RegistryStore registry = new RegistryStore(c.connection().async());
            RegistryFile.load(file, registry);
            assertThat(registry.store(new StoreId("RF1")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasValueSatisfying(m -> assertThat(m).containsEntry("name", "High St"));
            assertThat(registry.devices(new StoreId("RF1")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .containsEntry("rf1-till", "feed").containsEntry("rf1-mat", "shelf");
        }
    }

    @Test
    void anUnreadableFileIsAConfigurationError(RedisProcess redis, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"stores\": [");
        try (RedisConnector c = new RedisConnector(redis.url(), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> RegistryFile.load(file, new RegistryStore(c.connection().async())))
                .isInstanceOf(OnShelfConfig.ConfigException.class).hasMessageContaining("ONSHELF_REGISTRY_FILE");
        }
    }
}
